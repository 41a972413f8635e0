// ChaCha20Poly1305 (on the JDK's ChaCha20 and Poly1305 intrinsics) against SunJCE's ChaCha20-Poly1305 as the
// reference: random keys, nonces, AAD and payloads of 0–2,000 bytes, long enough for C2 to compile the
// intrinsic path (the stubs work on the limb arrays, the Java forms on the elements: both must agree); adversarial
// accumulators for the final reduction; tampered packets refused with the buffer untouched; and the SunJCE
// fallback when the provider is not opened.
package bitw.ipsec.crypto;

import static org.junit.jupiter.api.Assertions.*;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

class ChaCha20Poly1305Test {

    @Test
    void intrinsicPathIsAvailableWhereTheJvmOpensTheProvider() {
        assertTrue(ChaCha20Poly1305.available(), "unavailable: " + ChaCha20Poly1305.UNAVAILABLE_REASON);
    }

    @Test
    void matchesSunJceOnRandomKeysNoncesAadAndLengths() throws Exception {
        SplittableRandom rnd = new SplittableRandom(20261204);
        byte[][] keys = new byte[4][];
        ChaCha20Poly1305[] ours = new ChaCha20Poly1305[4];
        for (int k = 0; k < keys.length; k++) {
            keys[k] = bytes(rnd, 32);
            ours[k] = new ChaCha20Poly1305(keys[k], 0);
        }
        Cipher jce = Cipher.getInstance("ChaCha20-Poly1305", "SunJCE");
        int[] aadLengths = {8, 12, 0, 16, 20, 33};
        byte[] buf = new byte[40 + 2000 + ChaCha20Poly1305.TAG];
        for (int i = 0; i < 30_000; i++) {
            int k = rnd.nextInt(keys.length);
            byte[] nonce = bytes(rnd, 12);
            byte[] aad = bytes(rnd, i < 28_000 ? aadLengths[i & 1] : aadLengths[rnd.nextInt(aadLengths.length)]);
            int len = i % 5 == 0 ? 1400 : rnd.nextInt(2001);
            int off = rnd.nextInt(40);
            byte[] pt = bytes(rnd, len);

            jce.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(keys[k], "ChaCha20"), new IvParameterSpec(nonce));
            jce.updateAAD(aad);
            byte[] expected = jce.doFinal(pt);

            System.arraycopy(pt, 0, buf, off, len);
            ours[k].seal(nonce, aad, 0, aad.length, buf, off, len);
            if (!Arrays.equals(buf, off, off + len + ChaCha20Poly1305.TAG, expected, 0, expected.length))
                fail("seal differs from SunJCE at iteration " + i + ", length " + len + ", AAD " + aad.length);
            assertTrue(ours[k].open(nonce, aad, 0, aad.length, buf, off, len), "open refused a sealed packet, iteration " + i);
            if (!Arrays.equals(buf, off, off + len, pt, 0, len)) fail("open did not restore the plaintext at iteration " + i);
        }
    }

    /** Keys whose r and s make the accumulator and the final addition hit their edges: all-ones, all-zero data. */
    @Test
    void edgeKeysAndDataMatchSunJce() throws Exception {
        Cipher jce = Cipher.getInstance("ChaCha20-Poly1305", "SunJCE");
        SplittableRandom rnd = new SplittableRandom(3);
        for (int i = 0; i < 2_000; i++) {
            byte[] key = bytes(rnd, 32), nonce = bytes(rnd, 12);
            int len = 16 * rnd.nextInt(100);
            byte[] pt = new byte[len];
            Arrays.fill(pt, (byte) (i % 3 == 0 ? 0xff : i % 3 == 1 ? 0 : 0x80));
            byte[] aad = new byte[8];
            Arrays.fill(aad, (byte) 0xff);
            ChaCha20Poly1305 c = new ChaCha20Poly1305(key, 0);
            jce.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "ChaCha20"), new IvParameterSpec(nonce));
            jce.updateAAD(aad);
            byte[] expected = jce.doFinal(pt);
            byte[] buf = Arrays.copyOf(pt, len + 16);
            c.seal(nonce, aad, 0, 8, buf, 0, len);
            assertArrayEquals(expected, buf, "length " + len);
        }
    }

    @Test
    void instancesOnSeveralThreadsAtOnceMatchSunJce() throws Exception {
        java.util.List<Thread> threads = new java.util.ArrayList<>();
        java.util.concurrent.atomic.AtomicReference<Throwable> failure = new java.util.concurrent.atomic.AtomicReference<>();
        for (int t = 0; t < 3; t++) {
            long seed = 200 + t;
            threads.add(Thread.ofPlatform().start(() -> {
                try {
                    SplittableRandom rnd = new SplittableRandom(seed);
                    byte[] key = bytes(rnd, 32);
                    ChaCha20Poly1305 ours = new ChaCha20Poly1305(key, 0);
                    Cipher jce = Cipher.getInstance("ChaCha20-Poly1305", "SunJCE");
                    for (int i = 0; i < 3_000; i++) {
                        byte[] nonce = bytes(rnd, 12), aad = bytes(rnd, 8), pt = bytes(rnd, rnd.nextInt(1600));
                        jce.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "ChaCha20"), new IvParameterSpec(nonce));
                        jce.updateAAD(aad);
                        byte[] expected = jce.doFinal(pt);
                        byte[] buf = Arrays.copyOf(pt, pt.length + 16);
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
        SplittableRandom rnd = new SplittableRandom(11);
        ChaCha20Poly1305 c = new ChaCha20Poly1305(bytes(rnd, 32), 0);
        for (int i = 0; i < 3_000; i++) {
            int len = rnd.nextInt(1600);
            byte[] nonce = bytes(rnd, 12), aad = bytes(rnd, (i & 1) == 0 ? 8 : 12);
            byte[] buf = Arrays.copyOf(bytes(rnd, len), len + 16);
            c.seal(nonce, aad, 0, aad.length, buf, 0, len);
            byte[] sealed = buf.clone();

            int bit = rnd.nextInt((len + 16) * 8);
            buf[bit >>> 3] ^= (byte) (1 << (bit & 7));
            byte[] forged = buf.clone();
            assertFalse(c.open(nonce, aad, 0, aad.length, buf, 0, len), "forged packet accepted");
            assertArrayEquals(forged, buf, "a refused packet must stay as it came");

            byte[] badAad = aad.clone();
            badAad[rnd.nextInt(badAad.length)] ^= 0x40;
            byte[] intact = sealed.clone();
            assertFalse(c.open(nonce, badAad, 0, badAad.length, intact, 0, len), "wrong AAD accepted");
            byte[] otherNonce = nonce.clone();
            otherNonce[11] ^= 1;
            assertFalse(c.open(otherNonce, aad, 0, aad.length, intact, 0, len), "wrong nonce accepted");
            assertArrayEquals(sealed, intact);
        }
    }

    @Test
    void sealAndOpenRespectTheBufferBounds() {
        ChaCha20Poly1305 c = new ChaCha20Poly1305(new byte[32], 0);
        byte[] buf = new byte[100];
        assertThrows(IndexOutOfBoundsException.class, () -> c.seal(new byte[12], new byte[8], 0, 8, buf, 90, 10));
        assertThrows(IndexOutOfBoundsException.class, () -> c.open(new byte[12], new byte[8], 0, 8, buf, -1, 10));
        assertThrows(IndexOutOfBoundsException.class, () -> c.seal(new byte[12], new byte[8], 4, 8, buf, 0, 10));
    }

    @Test
    void fallsBackToSunJceWhenTheProviderIsNotOpened() throws Exception {
        String java = System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
        Process p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), Probe.class.getName())
                .redirectErrorStream(true).start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "probe JVM did not finish");
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), out);
        assertTrue(out.contains("available=false"), out);
        assertTrue(out.contains("KAT through the transform: ok"), out);
    }

    /** In a child JVM without --add-opens: the factory must pick SunJCE and still produce RFC 7634's packet. */
    static final class Probe {
        public static void main(String[] args) throws Exception {
            System.out.println("available=" + ChaCha20Poly1305.available() + " reason=" + ChaCha20Poly1305.UNAVAILABLE_REASON);
            boolean ok = EspKnownAnswerTest.sealsAsPublished(EspKnownAnswerTest.rfc7634());
            System.out.println("KAT through the transform: " + (ok ? "ok" : "wrong packet"));
        }
    }

    private static byte[] bytes(SplittableRandom rnd, int n) {
        byte[] b = new byte[n];
        rnd.nextBytes(b);
        return b;
    }
}
