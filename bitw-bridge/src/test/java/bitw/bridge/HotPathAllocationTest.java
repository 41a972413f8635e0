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
        return bytesPerFrame(tf, action, 1000, 10_000, 6);
    }

    /** Best of {@code rounds - 1} rounds (round 0 warms the JIT up) of {@code frames} UDP frames with this payload. */
    private static long bytesPerFrame(BackToBack.Transform tf, PolicyAction action, int payload, int frames, int rounds) {
        // BackToBack's memory ports allocate, so build planes on recording ports but reuse its tunnel/policy set-up.
        BackToBack l = new BackToBack(1500, false, RecordingPort::new);
        if (tf != null) l.tunnel(tf, SaMode.TUNNEL, SaMode.TUNNEL, false, false, 5);
        l.policies(action, action == PolicyAction.CONFIGURED ? Fallback.DROP : null);
        l.learnHosts();
        RecordingPort aOut = (RecordingPort) l.a.outside, bIn = (RecordingPort) l.b.inside;
        byte[] frame = TestFrames.udp(TestFrames.ROUTER_A_MAC, TestFrames.HOST_A_MAC, "10.1.0.10", "10.2.0.20", 1000, 2000, payload, true, 1);
        long best = Long.MAX_VALUE;
        for (int round = 0; round < rounds; round++) {
            long before = THREADS.getCurrentThreadAllocatedBytes();
            for (int i = 0; i < frames; i++) {
                l.a.outbound().process(frame, frame.length);
                l.b.inbound.process(aOut.last, aOut.lastLength);
            }
            long perFrame = (THREADS.getCurrentThreadAllocatedBytes() - before) / frames;
            if (round > 0) best = Math.min(best, perFrame);
        }
        assertEquals((long) frames * rounds, bIn.sent, "every frame crossed A and B");
        return best;
    }

    private static BackToBack.Transform esp(EncryptionAlgorithm enc, IntegrityAlgorithm integ) {
        return new BackToBack.Transform(SaProtocol.ESP, enc, integ);
    }

    /** Every ESP and AH transform: all run without a per-packet Cipher.init. */
    static java.util.stream.Stream<BackToBack.Transform> allocationFreeTransforms() {
        return java.util.stream.Stream.of(
                esp(EncryptionAlgorithm.AES_GCM_128, IntegrityAlgorithm.NONE),
                esp(EncryptionAlgorithm.AES_GCM_256, IntegrityAlgorithm.NONE),
                esp(EncryptionAlgorithm.CHACHA20_POLY1305, IntegrityAlgorithm.NONE),
                esp(EncryptionAlgorithm.AES_CBC_128, IntegrityAlgorithm.HMAC_SHA256_128),
                esp(EncryptionAlgorithm.AES_CBC_256, IntegrityAlgorithm.HMAC_SHA256_128),
                esp(EncryptionAlgorithm.AES_CBC_256, IntegrityAlgorithm.HMAC_SHA384_192),
                esp(EncryptionAlgorithm.AES_CBC_256, IntegrityAlgorithm.HMAC_SHA512_256),
                esp(EncryptionAlgorithm.DES3_CBC, IntegrityAlgorithm.HMAC_SHA1_96),
                esp(EncryptionAlgorithm.DES3_CBC, IntegrityAlgorithm.HMAC_MD5_96),
                esp(EncryptionAlgorithm.NULL, IntegrityAlgorithm.HMAC_SHA256_128),
                new BackToBack.Transform(SaProtocol.AH, EncryptionAlgorithm.NULL, IntegrityAlgorithm.HMAC_SHA256_128),
                new BackToBack.Transform(SaProtocol.AH, EncryptionAlgorithm.NULL, IntegrityAlgorithm.HMAC_SHA1_96));
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.MethodSource("allocationFreeTransforms")
    void protectedPathAllocatesNothingForSmallAndFullSizeFrames(BackToBack.Transform tf) {
        // 18-byte payload: a 64-byte frame; 1360 bytes: fits the 1500-byte MTU inside every transform (and is more
        // than the 1 KiB CBC chunk, so that path is covered too). The small frames warm the JIT up for both; 3DES
        // is slow, so it runs fewer.
        int frames = tf.enc() == EncryptionAlgorithm.DES3_CBC ? 2_000 : 10_000;
        assertEquals(0, bytesPerFrame(tf, PolicyAction.CONFIGURED, 18, frames, 4), tf + ", 64-byte frames");
        assertEquals(0, bytesPerFrame(tf, PolicyAction.CONFIGURED, 1360, frames / 4, 3), tf + ", 1402-byte frames");
    }

    @Test
    void permitPathAllocatesNothing() {
        assertEquals(0, bytesPerFrame(null, PolicyAction.PERMIT));
    }
}
