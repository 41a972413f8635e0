// Measures (prints, does not assert) what seal and open cost per 1400-byte packet: bytes allocated by this thread
// (com.sun.management.ThreadMXBean) and throughput, for AES-GCM-128, AES-CBC-256 + HMAC-SHA-256-128,
// ChaCha20-Poly1305 and AH. Not a *Test class, so the normal build skips it: run it with -Dtest=EspCostReport.
// It asserts only that every packet opened to the right length, so the measurement cannot silently measure failures.
package bitw.ipsec.crypto;

import static org.junit.jupiter.api.Assertions.*;

import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;

class EspCostReport {
    private static final int PACKETS = 100_000, WARMUP = 20_000, PAYLOAD = 1400, OFF = 64;
    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    @Test
    void aesGcm128() {
        measure("AES-GCM-128", EncryptionAlgorithm.AES_GCM_128, new byte[20], IntegrityAlgorithm.NONE, null);
    }

    /**
     * AES-GCM-128 on AesGcm (the JDK's AES and GHASH intrinsics, keyed once) against SunJCE's Cipher (re-initialised
     * per packet), interleaved in one run: CPU time per seal and per open, and bytes allocated, at three sizes.
     */
    @Test
    void aesGcmIntrinsicVersusSunJce() {
        System.out.println("AES-GCM-128 via AesGcm: " + (AesGcm.available() ? "available" : "UNAVAILABLE: " + AesGcm.UNAVAILABLE_REASON));
        if (AesGcm.available()) intrinsicVersusSunJce(EncryptionAlgorithm.AES_GCM_128, "AesGcm");
    }

    /** The same for ChaCha20-Poly1305 on ChaCha20Poly1305 (the JDK's ChaCha20 and Poly1305 intrinsics). */
    @Test
    void chaCha20Poly1305IntrinsicVersusSunJce() {
        System.out.println("ChaCha20-Poly1305 via ChaCha20Poly1305: " + (ChaCha20Poly1305.available() ? "available"
                : "UNAVAILABLE: " + ChaCha20Poly1305.UNAVAILABLE_REASON));
        if (ChaCha20Poly1305.available()) intrinsicVersusSunJce(EncryptionAlgorithm.CHACHA20_POLY1305, "Ours");
    }

    private static void intrinsicVersusSunJce(EncryptionAlgorithm alg, String ours) {
        int[] sizes = {64, 512, 1400};
        String[] names = {ours, "SunJCE"};
        double[][][] best = new double[2][sizes.length][4];   // impl, size, {seal ns, seal B, open ns, open B}
        for (double[][] a : best) for (double[] b : a) java.util.Arrays.fill(b, Double.MAX_VALUE);
        for (int round = 0; round < 5; round++) {
            for (int s = 0; s < sizes.length; s++) {
                for (int impl = 0; impl < 2; impl++) {
                    double[] r = sealOpen(alg, impl == 0, sizes[s], round == 0 ? 5_000 : 20_000);
                    if (round == 0) continue; // warm-up
                    for (int k = 0; k < 4; k++) best[impl][s][k] = Math.min(best[impl][s][k], r[k]);
                }
            }
        }
        for (int s = 0; s < sizes.length; s++)
            for (int impl = 0; impl < 2; impl++)
                System.out.printf("%s %-6s %4d B payload: seal %6.0f ns CPU, %6.1f B allocated; open %6.0f ns CPU, %6.1f B allocated (best of 4 rounds)%n",
                        alg, names[impl], sizes[s], best[impl][s][0], best[impl][s][1], best[impl][s][2], best[impl][s][3]);
    }

    /** {seal ns/op, seal bytes/op, open ns/op, open bytes/op} of n packets of one size. */
    private static double[] sealOpen(EncryptionAlgorithm alg, boolean intrinsic, int payload, int n) {
        byte[] key = new byte[alg.keyLength + 4];
        for (int i = 0; i < key.length; i++) key[i] = (byte) (i * 13 + 1);
        EspTransform out = new AeadEspTransform(alg, key, IvSource.SEQUENCE, intrinsic);
        EspTransform in = new AeadEspTransform(alg, key, IvSource.SEQUENCE, intrinsic);
        byte[] buf = new byte[OFF + 8 + out.ivLength() + payload + out.maxTrailerLength()];
        long tid = Thread.currentThread().threadId();
        long seq = 1;
        int espLen = 0;
        long a0 = THREADS.getThreadAllocatedBytes(tid), c0 = THREADS.getCurrentThreadCpuTime();
        for (int i = 0; i < n; i++) espLen = out.seal(buf, OFF, payload, 4, 1, seq++, false);
        long c1 = THREADS.getCurrentThreadCpuTime(), a1 = THREADS.getThreadAllocatedBytes(tid);
        byte[] sealed = buf.clone();
        long openSeq = seq - 1;
        int bad = 0;
        long b0 = THREADS.getThreadAllocatedBytes(tid), d0 = THREADS.getCurrentThreadCpuTime();
        for (int i = 0; i < n; i++) {
            System.arraycopy(sealed, OFF, buf, OFF, espLen);
            if (in.open(buf, OFF, espLen, openSeq, false) != payload) bad++;
        }
        long d1 = THREADS.getCurrentThreadCpuTime(), b1 = THREADS.getThreadAllocatedBytes(tid);
        assertEquals(0, bad, "packets that failed to open");
        return new double[] {(c1 - c0) / (double) n, (a1 - a0) / (double) n, (d1 - d0) / (double) n, (b1 - b0) / (double) n};
    }

    @Test
    void aesCbc256HmacSha256() {
        measure("AES-CBC-256+HMAC-SHA-256-128", EncryptionAlgorithm.AES_CBC_256, new byte[32], IntegrityAlgorithm.HMAC_SHA256_128, new byte[32]);
    }

    @Test
    void chaCha20Poly1305() {
        measure("ChaCha20-Poly1305", EncryptionAlgorithm.CHACHA20_POLY1305, new byte[36], IntegrityAlgorithm.NONE, null);
    }

    @Test
    void ahHmacSha256() {
        AhTransform out = AhTransforms.create(IntegrityAlgorithm.HMAC_SHA256_128, new byte[32]);
        AhTransform in = AhTransforms.create(IntegrityAlgorithm.HMAC_SHA256_128, new byte[32]);
        int len = 20 + out.headerLength(4) + PAYLOAD;
        byte[] buf = new byte[len];
        buf[0] = 0x45;
        buf[8] = 64;
        buf[9] = 51;
        bitw.ipsec.packet.Bytes.put16(buf, 2, len);
        long tid = Thread.currentThread().threadId();
        int bad = 0;
        for (int i = 0; i < WARMUP; i++) {
            out.seal(buf, 0, len, 20, 4, 1, i, false);
            if (in.open(buf, 0, len, 20, i, false) != 20 + out.headerLength(4)) bad++;
        }
        long a0 = THREADS.getThreadAllocatedBytes(tid), c0 = THREADS.getCurrentThreadCpuTime();
        for (int i = 0; i < PACKETS; i++) {
            out.seal(buf, 0, len, 20, 4, 1, i, false);
            if (in.open(buf, 0, len, 20, i, false) != 20 + out.headerLength(4)) bad++;
        }
        long c1 = THREADS.getCurrentThreadCpuTime(), a1 = THREADS.getThreadAllocatedBytes(tid);
        System.out.printf("AH HMAC-SHA-256-128, %d packets of %d bytes: seal+open %.1f B/packet, %.0f MB/s per CPU-second (both directions)%n",
                PACKETS, PAYLOAD, (a1 - a0) / (double) PACKETS, PACKETS * (double) PAYLOAD / 1e6 / ((c1 - c0) / 1e9));
        assertEquals(0, bad, "packets that failed to verify");
    }

    private static void measure(String name, EncryptionAlgorithm enc, byte[] encKey, IntegrityAlgorithm integ, byte[] integKey) {
        EspTransform out = EspTransforms.create(enc, encKey, integ, integKey), in = EspTransforms.create(enc, encKey, integ, integKey);
        byte[] buf = new byte[OFF + 8 + out.ivLength() + PAYLOAD + out.maxTrailerLength()];
        byte[] sealed = buf.clone();
        long tid = Thread.currentThread().threadId();
        long seq = 1;

        for (int i = 0; i < WARMUP; i++) out.seal(buf, OFF, PAYLOAD, 4, 1, seq++, false);
        long a0 = THREADS.getThreadAllocatedBytes(tid), t0 = System.nanoTime(), c0 = THREADS.getCurrentThreadCpuTime();
        int espLen = 0;
        for (int i = 0; i < PACKETS; i++) espLen = out.seal(buf, OFF, PAYLOAD, 4, 1, seq++, false);
        long t1 = System.nanoTime(), c1 = THREADS.getCurrentThreadCpuTime(), a1 = THREADS.getThreadAllocatedBytes(tid);

        // Open needs an intact packet each time (it decrypts in place): copy one sealed packet back in first.
        long lastSeq = out.seal(buf, OFF, PAYLOAD, 4, 1, seq, false) > 0 ? seq : -1;
        System.arraycopy(buf, 0, sealed, 0, buf.length);
        int bad = 0;
        for (int i = 0; i < WARMUP; i++) {
            System.arraycopy(sealed, OFF, buf, OFF, espLen);
            if (in.open(buf, OFF, espLen, lastSeq, false) != PAYLOAD) bad++;
        }
        long b0 = THREADS.getThreadAllocatedBytes(tid), u0 = System.nanoTime(), d0 = THREADS.getCurrentThreadCpuTime();
        for (int i = 0; i < PACKETS; i++) {
            System.arraycopy(sealed, OFF, buf, OFF, espLen);
            if (in.open(buf, OFF, espLen, lastSeq, false) != PAYLOAD) bad++;
        }
        long u1 = System.nanoTime(), d1 = THREADS.getCurrentThreadCpuTime(), b1 = THREADS.getThreadAllocatedBytes(tid);

        // Throughput per second of this thread's CPU time as well as wall time: the test machines are shared.
        double mb = PACKETS * (double) PAYLOAD / 1e6;
        System.out.printf("%s, %d packets of %d bytes: seal %.1f B/packet, %.0f MB/s wall, %.0f MB/s per CPU-second; "
                        + "open %.1f B/packet, %.0f MB/s wall, %.0f MB/s per CPU-second (open includes copying the %d-byte packet back in)%n",
                name, PACKETS, PAYLOAD,
                (a1 - a0) / (double) PACKETS, mb / ((t1 - t0) / 1e9), mb / ((c1 - c0) / 1e9),
                (b1 - b0) / (double) PACKETS, mb / ((u1 - u0) / 1e9), mb / ((d1 - d0) / 1e9), espLen);
        assertEquals(0, bad, "packets that failed to open");
    }
}
