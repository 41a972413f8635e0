// AesGcm (AES-GCM on the JDK's AES and GHASH intrinsics) against SunJCE's AES/GCM as the reference: random keys,
// nonces, ESP's AAD sizes and payloads from 0 to 2,000 bytes, long enough for C2 to compile the intrinsic path;
// tampered tags, ciphertext and AAD refused with the buffer untouched; and the SunJCE fallback when the
// internal GHASH is out of reach.
package bitw.ipsec.crypto;

import static org.junit.jupiter.api.Assertions.*;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

class AesGcmTest {

    @Test
    void intrinsicPathIsAvailableWhereTheJvmOpensTheProvider() {
        // surefire's argLine carries --add-opens java.base/com.sun.crypto.provider=ALL-UNNAMED, as every launcher does.
        assertTrue(AesGcm.available(), "AesGcm unavailable: " + AesGcm.UNAVAILABLE_REASON);
    }

    @Test
    void matchesSunJceOnRandomKeysNoncesAadAndLengths() throws Exception {
        SplittableRandom rnd = new SplittableRandom(20261122);
        byte[][] keys = new byte[4][];
        AesGcm[] ours = new AesGcm[4];
        for (int k = 0; k < keys.length; k++) {
            keys[k] = bytes(rnd, k % 2 == 0 ? 16 : 32);
            ours[k] = new AesGcm(keys[k], 0, keys[k].length);
        }
        Cipher jce = Cipher.getInstance("AES/GCM/NoPadding", "SunJCE");
        int[] aadLengths = {8, 12, 0, 20};
        byte[] buf = new byte[40 + 2000 + AesGcm.TAG];
        for (int i = 0; i < 30_000; i++) {
            int k = rnd.nextInt(keys.length);
            byte[] nonce = bytes(rnd, AesGcm.NONCE);
            byte[] aad = bytes(rnd, i < 28_000 ? aadLengths[i & 1] : aadLengths[rnd.nextInt(aadLengths.length)]);
            int len = rnd.nextInt(2001);
            int off = rnd.nextInt(40);
            byte[] pt = bytes(rnd, len);

            jce.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(keys[k], "AES"), new GCMParameterSpec(128, nonce));
            jce.updateAAD(aad);
            byte[] expected = jce.doFinal(pt);

            System.arraycopy(pt, 0, buf, off, len);
            ours[k].seal(nonce, aad, 0, aad.length, buf, off, len);
            if (!Arrays.equals(buf, off, off + len + AesGcm.TAG, expected, 0, expected.length))
                fail("seal differs from SunJCE at iteration " + i + ", length " + len + ", AAD " + aad.length);

            assertTrue(ours[k].open(nonce, aad, 0, aad.length, buf, off, len), "open refused a sealed packet, iteration " + i);
            if (!Arrays.equals(buf, off, off + len, pt, 0, len)) fail("open did not restore the plaintext at iteration " + i);
        }
    }

    /** The per-packet work area is per thread: SAs driven by different data-plane threads at once stay correct. */
    @Test
    void instancesOnSeveralThreadsAtOnceMatchSunJce() throws Exception {
        java.util.List<Thread> threads = new java.util.ArrayList<>();
        java.util.concurrent.atomic.AtomicReference<Throwable> failure = new java.util.concurrent.atomic.AtomicReference<>();
        for (int t = 0; t < 3; t++) {
            long seed = 100 + t;
            threads.add(Thread.ofPlatform().start(() -> {
                try {
                    SplittableRandom rnd = new SplittableRandom(seed);
                    byte[] key = bytes(rnd, 16);
                    AesGcm ours = new AesGcm(key, 0, 16);
                    Cipher jce = Cipher.getInstance("AES/GCM/NoPadding", "SunJCE");
                    for (int i = 0; i < 3_000; i++) {
                        byte[] nonce = bytes(rnd, 12), aad = bytes(rnd, 8), pt = bytes(rnd, rnd.nextInt(1600));
                        jce.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(128, nonce));
                        jce.updateAAD(aad);
                        byte[] expected = jce.doFinal(pt);
                        byte[] buf = Arrays.copyOf(pt, pt.length + AesGcm.TAG);
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
    void refusesTamperedTagCiphertextOrAadAndLeavesTheBufferUntouched() {
        SplittableRandom rnd = new SplittableRandom(7);
        byte[] key = bytes(rnd, 16);
        AesGcm g = new AesGcm(key, 0, 16);
        for (int i = 0; i < 3_000; i++) {
            int len = rnd.nextInt(1600);
            byte[] nonce = bytes(rnd, 12), aad = bytes(rnd, (i & 1) == 0 ? 8 : 12);
            byte[] buf = Arrays.copyOf(bytes(rnd, len), len + AesGcm.TAG);
            g.seal(nonce, aad, 0, aad.length, buf, 0, len);
            byte[] sealed = buf.clone();

            int bit = rnd.nextInt((len + AesGcm.TAG) * 8);   // anywhere in ciphertext or tag
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
        AesGcm g = new AesGcm(new byte[16], 0, 16);
        byte[] buf = new byte[100];
        assertThrows(IndexOutOfBoundsException.class, () -> g.seal(new byte[12], new byte[8], 0, 8, buf, 90, 10));
        assertThrows(IndexOutOfBoundsException.class, () -> g.open(new byte[12], new byte[8], 0, 8, buf, -1, 10));
    }

    @Test
    void fallsBackToSunJceWhenTheProviderIsNotOpened() throws Exception {
        // A JVM without --add-opens: the private lookup fails, so the transform must keep working on SunJCE.
        String java = System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
        Process p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), Probe.class.getName())
                .redirectErrorStream(true).start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "probe JVM did not finish");
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), out);
        assertTrue(out.contains("available=false"), out);
        assertTrue(out.contains("KAT through the transform: ok"), out);
    }

    /** Run in a child JVM without --add-opens: reports availability and seals a known answer through the factory. */
    static final class Probe {
        public static void main(String[] args) {
            System.out.println("available=" + AesGcm.available() + " reason=" + AesGcm.UNAVAILABLE_REASON);
            // gcm-test-01 case 2 (AES-128): the factory must pick SunJCE here and still produce the published packet.
            byte[] material = bitw.ipsec.packet.Bytes.fromHex("feffe9928665731c6d6a8f9467308308" + "cafebabe");
            EspTransform t = EspTransforms.create(EncryptionAlgorithm.AES_GCM_128, material, IntegrityAlgorithm.NONE, null,
                    new FixedIv(bitw.ipsec.packet.Bytes.fromHex("facedbaddecaf888")));
            byte[] payload = bitw.ipsec.packet.Bytes.fromHex("4500003e698f000080114dccc0a80102c0a801010a980035002a2343b2d001000001000000000000037369700963796265726369747902646b0000010001");
            byte[] sealed = EspPacket.sealed(t, payload, 1, 0xa5f8, 0xa, false);
            String tag = bitw.ipsec.packet.Bytes.hex(sealed, sealed.length - 16, 16);
            System.out.println("KAT through the transform: " + (tag.equals("83b70d3aa8bc6ee4c309e9d85a41ad4a") ? "ok" : "wrong tag " + tag));
        }
    }

    private static byte[] bytes(SplittableRandom rnd, int n) {
        byte[] b = new byte[n];
        rnd.nextBytes(b);
        return b;
    }
}
