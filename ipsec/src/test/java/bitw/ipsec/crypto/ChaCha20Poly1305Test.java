// ChaCha20Poly1305 (on the JDK's ChaCha20 and Poly1305 intrinsics) against SunJCE's ChaCha20-Poly1305 as the
// reference (the shared KeyedAeadContract: random packets long enough for C2 to compile the intrinsic path — the
// stubs work on the limb arrays, the Java forms on the elements, and both must agree —, threads, tampering,
// bounds), edge keys and data for the final reduction, and the SunJCE fallback when the provider is not opened.
package bitw.ipsec.crypto;

import static org.junit.jupiter.api.Assertions.*;

import java.util.Arrays;
import java.util.SplittableRandom;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

class ChaCha20Poly1305Test extends KeyedAeadContract {

    @Override KeyedAead create(byte[] key) { return new ChaCha20Poly1305(key, 0); }

    @Override int keyLength(int k) { return ChaCha20Poly1305.KEY; }

    @Override Cipher reference(int mode, byte[] key, byte[] nonce) throws Exception {
        Cipher c = Cipher.getInstance("ChaCha20-Poly1305", "SunJCE");
        c.init(mode, new SecretKeySpec(key, "ChaCha20"), new IvParameterSpec(nonce));
        return c;
    }

    @Test
    void intrinsicPathIsAvailableWhereTheJvmOpensTheProvider() {
        assertTrue(ChaCha20Poly1305.available(), "unavailable: " + ChaCha20Poly1305.UNAVAILABLE_REASON);
    }

    /**
     * Data that drives the accumulator to its edges (all 0xff, all 0x00, all 0x80 in whole blocks) under many random
     * keys, so the final reduction meets limbs at and above 2^26 and sums at and above p.
     */
    @Test
    void edgeDataMatchesSunJce() throws Exception {
        SplittableRandom rnd = new SplittableRandom(3);
        for (int i = 0; i < 2_000; i++) {
            byte[] key = bytes(rnd, 32), nonce = bytes(rnd, 12);
            int len = 16 * rnd.nextInt(100);
            byte[] pt = new byte[len];
            Arrays.fill(pt, (byte) (i % 3 == 0 ? 0xff : i % 3 == 1 ? 0 : 0x80));
            byte[] aad = new byte[8];
            Arrays.fill(aad, (byte) 0xff);
            ChaCha20Poly1305 c = new ChaCha20Poly1305(key, 0);
            Cipher jce = reference(Cipher.ENCRYPT_MODE, key, nonce);
            jce.updateAAD(aad);
            byte[] expected = jce.doFinal(pt);
            byte[] buf = Arrays.copyOf(pt, len + 16);
            c.seal(nonce, aad, 0, 8, buf, 0, len);
            assertArrayEquals(expected, buf, "length " + len);
        }
    }

    @Override Class<?> fallbackProbe() { return Probe.class; }

    /** In a child JVM without --add-opens: the factory must pick SunJCE and still produce RFC 7634's packet. */
    static final class Probe {
        public static void main(String[] args) throws Exception {
            System.out.println("available=" + ChaCha20Poly1305.available() + " reason=" + ChaCha20Poly1305.UNAVAILABLE_REASON);
            boolean ok = EspKnownAnswerTest.sealsAsPublished(EspKnownAnswerTest.rfc7634());
            System.out.println("KAT through the transform: " + (ok ? "ok" : "wrong packet"));
        }
    }
}
