// What every KeyedAead must do, checked against SunJCE's Cipher of the same algorithm as the reference: random keys,
// nonces, ESP's AAD sizes (and others) and payloads of 0–2,000 bytes, long enough for C2 to compile the intrinsic
// path; several threads at once (the work area is per thread); tampered tag, ciphertext, AAD or nonce refused with
// the buffer untouched; bounds. Subclasses name the algorithm and add their own known answers and fallback checks.
package bitw.ipsec.crypto;

import static org.junit.jupiter.api.Assertions.*;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import javax.crypto.Cipher;
import org.junit.jupiter.api.Test;

abstract class KeyedAeadContract {
    private static final int TAG = KeyedAead.TAG;

    /** The implementation under test, keyed with {@code key}. */
    abstract KeyedAead create(byte[] key);

    /** A key length this algorithm takes, chosen by {@code k} (so several lengths get exercised). */
    abstract int keyLength(int k);

    /**
     * A main class for a child JVM started without --add-opens/--add-exports: prints "available=…" and, through
     * the ESP transform factory (which must fall back to SunJCE), "KAT through the transform: ok" or why not.
     */
    abstract Class<?> fallbackProbe();

    /** SunJCE's Cipher for the same algorithm, initialised for one packet. */
    abstract Cipher reference(int mode, byte[] key, byte[] nonce) throws Exception;

    private byte[] jceSeal(byte[] key, byte[] nonce, byte[] aad, byte[] pt) throws Exception {
        Cipher c = reference(Cipher.ENCRYPT_MODE, key, nonce);
        c.updateAAD(aad);
        return c.doFinal(pt);
    }

    @Test
    void matchesSunJceOnRandomKeysNoncesAadAndLengths() throws Exception {
        SplittableRandom rnd = new SplittableRandom(20261122);
        byte[][] keys = new byte[4][];
        KeyedAead[] ours = new KeyedAead[4];
        for (int k = 0; k < keys.length; k++) {
            keys[k] = bytes(rnd, keyLength(k));
            ours[k] = create(keys[k]);
        }
        int[] aadLengths = {8, 12, 0, 16, 20, 33};
        byte[] buf = new byte[40 + 2000 + TAG];
        for (int i = 0; i < 30_000; i++) {
            int k = rnd.nextInt(keys.length);
            byte[] nonce = bytes(rnd, KeyedAead.NONCE);
            byte[] aad = bytes(rnd, i < 28_000 ? aadLengths[i & 1] : aadLengths[rnd.nextInt(aadLengths.length)]);
            int len = i % 5 == 0 ? 1400 : rnd.nextInt(2001);
            int off = rnd.nextInt(40);
            byte[] pt = bytes(rnd, len);
            byte[] expected = jceSeal(keys[k], nonce, aad, pt);

            System.arraycopy(pt, 0, buf, off, len);
            ours[k].seal(nonce, aad, 0, aad.length, buf, off, len);
            if (!Arrays.equals(buf, off, off + len + TAG, expected, 0, expected.length))
                fail("seal differs from SunJCE at iteration " + i + ", length " + len + ", AAD " + aad.length);
            assertTrue(ours[k].open(nonce, aad, 0, aad.length, buf, off, len), "open refused a sealed packet, iteration " + i);
            if (!Arrays.equals(buf, off, off + len, pt, 0, len)) fail("open did not restore the plaintext at iteration " + i);
        }
    }

    @Test
    void instancesOnSeveralThreadsAtOnceMatchSunJce() throws Exception {
        java.util.List<Thread> threads = new java.util.ArrayList<>();
        java.util.concurrent.atomic.AtomicReference<Throwable> failure = new java.util.concurrent.atomic.AtomicReference<>();
        for (int t = 0; t < 3; t++) {
            long seed = 100 + t;
            threads.add(Thread.ofPlatform().start(() -> {
                try {
                    SplittableRandom rnd = new SplittableRandom(seed);
                    byte[] key = bytes(rnd, keyLength(0));
                    KeyedAead ours = create(key);
                    for (int i = 0; i < 3_000; i++) {
                        byte[] nonce = bytes(rnd, 12), aad = bytes(rnd, 8), pt = bytes(rnd, rnd.nextInt(1600));
                        byte[] expected = jceSeal(key, nonce, aad, pt);
                        byte[] buf = Arrays.copyOf(pt, pt.length + TAG);
                        ours.seal(nonce, aad, 0, 8, buf, 0, pt.length);
                        assertArrayEquals(expected, buf);
                        assertTrue(ours.open(nonce, aad, 0, 8, buf, 0, pt.length));
                    }
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                }
            }));
        }
        for (Thread t : threads) t.join();
        assertNull(failure.get(), () -> "a thread failed: " + failure.get());
    }

    @Test
    void refusesTamperedTagCiphertextAadOrNonceAndLeavesTheBufferUntouched() {
        SplittableRandom rnd = new SplittableRandom(7);
        KeyedAead g = create(bytes(rnd, keyLength(0)));
        for (int i = 0; i < 3_000; i++) {
            int len = rnd.nextInt(1600);
            byte[] nonce = bytes(rnd, 12), aad = bytes(rnd, (i & 1) == 0 ? 8 : 12);
            byte[] buf = Arrays.copyOf(bytes(rnd, len), len + TAG);
            g.seal(nonce, aad, 0, aad.length, buf, 0, len);
            byte[] sealed = buf.clone();

            int bit = rnd.nextInt((len + TAG) * 8);   // anywhere in ciphertext or tag
            buf[bit >>> 3] ^= (byte) (1 << (bit & 7));
            byte[] forged = buf.clone();
            assertFalse(g.open(nonce, aad, 0, aad.length, buf, 0, len), "forged packet accepted");
            assertArrayEquals(forged, buf, "a refused packet must stay as it came");

            byte[] badAad = aad.clone();
            badAad[rnd.nextInt(badAad.length)] ^= 0x40;
            byte[] intact = sealed.clone();
            assertFalse(g.open(nonce, badAad, 0, badAad.length, intact, 0, len), "wrong AAD accepted");
            byte[] otherNonce = nonce.clone();
            otherNonce[11] ^= 1;
            assertFalse(g.open(otherNonce, aad, 0, aad.length, intact, 0, len), "wrong nonce accepted");
            assertArrayEquals(sealed, intact);
        }
    }

    @Test
    void sealAndOpenRespectTheBufferBounds() {
        KeyedAead g = create(new byte[keyLength(0)]);
        byte[] buf = new byte[100];
        assertThrows(IndexOutOfBoundsException.class, () -> g.seal(new byte[12], new byte[8], 0, 8, buf, 90, 10));
        assertThrows(IndexOutOfBoundsException.class, () -> g.open(new byte[12], new byte[8], 0, 8, buf, -1, 10));
    }

    @Test
    void fallsBackToSunJceWhenTheProviderIsNotOpened() throws Exception {
        String java = System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
        Process p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), fallbackProbe().getName())
                .redirectErrorStream(true).start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "probe JVM did not finish");
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), out);
        assertTrue(out.contains("available=false"), out);
        assertTrue(out.contains("KAT through the transform: ok"), out);
    }

    static byte[] bytes(SplittableRandom rnd, int n) {
        byte[] b = new byte[n];
        rnd.nextBytes(b);
        return b;
    }
}
