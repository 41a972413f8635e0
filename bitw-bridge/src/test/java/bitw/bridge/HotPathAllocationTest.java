// The per-frame pipeline allocates nothing: frames pushed through OutboundPath and InboundPath directly (ports
// that only count), after warm-up, measured with the thread's allocated-bytes counter.
package bitw.bridge;

import static org.junit.jupiter.api.Assertions.*;

import bitw.ipsec.crypto.EncryptionAlgorithm;
import bitw.ipsec.crypto.IntegrityAlgorithm;
import bitw.ipsec.sad.SaMode;
import bitw.ipsec.sad.SaProtocol;
import bitw.ipsec.spd.Fallback;
import bitw.ipsec.spd.PolicyAction;
import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;

class HotPathAllocationTest {
    private static final com.sun.management.ThreadMXBean THREADS = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    /** A port that keeps a copy of the last frame sent, in a preallocated buffer. */
    static final class RecordingPort implements FramePort {
        final byte[] last = new byte[FrameBuffers.CAPACITY];
        int lastLength;
        long sent;
        private final String name;
        RecordingPort(String name) { this.name = name; }
        @Override public int receive(byte[] buf, int off, int maxLen) { return -1; }
        @Override public boolean send(byte[] buf, int off, int len) { System.arraycopy(buf, off, last, 0, len); lastLength = len; sent++; return true; }
        @Override public void breakLoop() {}
        @Override public String name() { return name; }
        @Override public void close() {}
    }

    private record Planes(BackToBack lab, RecordingPort aOut, RecordingPort bIn) {}

    private static long bytesPerFrame(BackToBack.Transform tf, PolicyAction action) {
        // BackToBack's memory ports allocate, so build planes on recording ports but reuse its tunnel/policy set-up.
        BackToBack l = new BackToBack(1500, false, RecordingPort::new);
        if (tf != null) l.tunnel(tf, SaMode.TUNNEL, SaMode.TUNNEL, false, false, 5);
        l.policies(action, action == PolicyAction.CONFIGURED ? Fallback.DROP : null);
        l.learnHosts();
        RecordingPort aOut = (RecordingPort) l.a.outside, bIn = (RecordingPort) l.b.inside;
        byte[] frame = TestFrames.udp(TestFrames.ROUTER_A_MAC, TestFrames.HOST_A_MAC, "10.1.0.10", "10.2.0.20", 1000, 2000, 1000, true, 1);
        long best = Long.MAX_VALUE;
        for (int round = 0; round < 6; round++) {
            long before = THREADS.getCurrentThreadAllocatedBytes();
            for (int i = 0; i < 10_000; i++) {
                l.a.outbound().process(frame, frame.length);
                l.b.inbound.process(aOut.last, aOut.lastLength);
            }
            long perFrame = (THREADS.getCurrentThreadAllocatedBytes() - before) / 10_000;
            if (round > 0) best = Math.min(best, perFrame); // round 0 warms the JIT up
        }
        assertEquals(60_000, bIn.sent, "every frame crossed A and B");
        return best;
    }

    @Test
    void permitPathAllocatesNothing() {
        assertEquals(0, bytesPerFrame(null, PolicyAction.PERMIT));
    }

    @Test
    void espWithCbcAndHmacAllocatesNothing() {
        assertEquals(0, bytesPerFrame(new BackToBack.Transform(SaProtocol.ESP, EncryptionAlgorithm.AES_CBC_256, IntegrityAlgorithm.HMAC_SHA256_128), PolicyAction.CONFIGURED));
    }

    @Test
    void ahAllocatesNothing() {
        assertEquals(0, bytesPerFrame(new BackToBack.Transform(SaProtocol.AH, EncryptionAlgorithm.NULL, IntegrityAlgorithm.HMAC_SHA256_128), PolicyAction.CONFIGURED));
    }

    /** AES-GCM is keyed once per SA (AesGcm on the JDK's AES and GHASH intrinsics): no per-packet Cipher.init. */
    @Test
    void aesGcmAllocatesNothing() {
        assertEquals(0, bytesPerFrame(new BackToBack.Transform(SaProtocol.ESP, EncryptionAlgorithm.AES_GCM_128, IntegrityAlgorithm.NONE), PolicyAction.CONFIGURED));
        assertEquals(0, bytesPerFrame(new BackToBack.Transform(SaProtocol.ESP, EncryptionAlgorithm.AES_GCM_256, IntegrityAlgorithm.NONE), PolicyAction.CONFIGURED));
    }
}
