// Measurement (not a test): the data plane's own CPU per frame, without ports or the kernel. UDP frames go through
// appliance A's outbound path and appliance B's inbound path in memory (the planes of HotPathAllocationTest), one
// thread, after warm-up; prints the best of several rounds of thread CPU time per frame, permit and encrypted.
// Run: java --add-opens=java.base/com.sun.crypto.provider=ALL-UNNAMED --add-exports=java.base/sun.security.util.math=ALL-UNNAMED -cp <classes:test-classes:deps>
//      bitw.bridge.PipelineCostMeasurement
package bitw.bridge;

import bitw.ipsec.crypto.EncryptionAlgorithm;
import bitw.ipsec.crypto.IntegrityAlgorithm;
import bitw.ipsec.sad.SaMode;
import bitw.ipsec.sad.SaProtocol;
import bitw.ipsec.spd.Fallback;
import bitw.ipsec.spd.PolicyAction;
import java.lang.management.ManagementFactory;

public final class PipelineCostMeasurement {
    public static void main(String[] args) {
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        BackToBack.Transform[] transforms = {
            null,
            new BackToBack.Transform(SaProtocol.ESP, EncryptionAlgorithm.AES_GCM_128, IntegrityAlgorithm.NONE),
            new BackToBack.Transform(SaProtocol.ESP, EncryptionAlgorithm.AES_CBC_256, IntegrityAlgorithm.HMAC_SHA256_128),
        };
        for (BackToBack.Transform tf : transforms) {
            BackToBack l = new BackToBack(1500, false, HotPathAllocationTest.RecordingPort::new);
            if (tf != null) l.tunnel(tf, SaMode.TUNNEL, SaMode.TUNNEL, false, false, 5);
            l.policies(tf == null ? PolicyAction.PERMIT : PolicyAction.CONFIGURED, tf == null ? null : Fallback.DROP);
            l.learnHosts();
            var aOut = (HotPathAllocationTest.RecordingPort) l.a.outside;
            for (int payload : new int[] {18, 1360}) {   // 64-byte and 1402-byte frames
                byte[] frame = TestFrames.udp(TestFrames.ROUTER_A_MAC, TestFrames.HOST_A_MAC, "10.1.0.10", "10.2.0.20", 1000, 2000, payload, true, 1);
                double best = Double.MAX_VALUE;
                for (int round = 0; round < 6; round++) {   // round 0 warms the JIT up
                    long c0 = threads.getCurrentThreadCpuTime();
                    for (int i = 0; i < 100_000; i++) {
                        l.a.outbound().process(frame, frame.length);
                        l.b.inbound.process(aOut.last, aOut.lastLength);
                    }
                    if (round > 0) best = Math.min(best, (threads.getCurrentThreadCpuTime() - c0) / 100_000.0);
                }
                System.out.printf("%-40s %4d-byte frames: %6.0f ns CPU per frame through A's outbound and B's inbound path%n",
                        tf == null ? "permit" : tf.enc() + (tf.integ() == IntegrityAlgorithm.NONE ? "" : " + " + tf.integ()), frame.length, best);
            }
        }
    }
}
