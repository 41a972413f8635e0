// The IKE PRFs against RFC 2202 (HMAC-SHA1) and RFC 4231 (HMAC-SHA2) known answers, and prf+ (RFC 7296 §2.13)
// against an expansion written out block by block with plain javax.crypto.Mac.
package bitw.ipsec.ike.crypto;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

import bitw.ipsec.packet.Bytes;

class PrfTest {
    private static final byte[] HI_THERE = ascii("Hi There");
    private static final byte[] JEFE = ascii("Jefe");
    private static final byte[] WHAT = ascii("what do ya want for nothing?");

    static byte[] ascii(String s) { return s.getBytes(StandardCharsets.US_ASCII); }
    static byte[] fill(int v, int n) { byte[] b = new byte[n]; Arrays.fill(b, (byte) v); return b; }

    private static void assertPrf(Prf prf, byte[] key, byte[] data, String hex) {
        assertArrayEquals(Bytes.fromHex(hex), prf.prf(key, data), prf + " whole");
        // The data may arrive in pieces (Ni | Nr, SignedOctets parts): same result.
        byte[] a = Arrays.copyOf(data, data.length / 2), b = Arrays.copyOfRange(data, data.length / 2, data.length);
        assertArrayEquals(Bytes.fromHex(hex), prf.prf(key, a, b), prf + " split");
    }

    @Test
    void hmacSha1MatchesRfc2202() {
        assertPrf(Prf.HMAC_SHA1, fill(0x0b, 20), HI_THERE, "b617318655057264e28bc0b6fb378c8ef146be00");
        assertPrf(Prf.HMAC_SHA1, JEFE, WHAT, "effcdf6ae5eb2fa2d27416d5f184df9c259a7c79");
    }

    @Test
    void hmacSha2MatchesRfc4231Cases1And2() {
        assertPrf(Prf.HMAC_SHA2_256, fill(0x0b, 20), HI_THERE,
                "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7");
        assertPrf(Prf.HMAC_SHA2_256, JEFE, WHAT, "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
        assertPrf(Prf.HMAC_SHA2_384, fill(0x0b, 20), HI_THERE,
                "afd03944d84895626b0825f4ab46907f15f9dadbe4101ec682aa034c7cebc59cfaea9ea9076ede7f4af152e8b2fa9cb6");
        assertPrf(Prf.HMAC_SHA2_384, JEFE, WHAT,
                "af45d2e376484031617f78d2b58a6b1b9c7ef464f5a01b47e42ec3736322445e8e2240ca5e69e2c78b3239ecfab21649");
        assertPrf(Prf.HMAC_SHA2_512, fill(0x0b, 20), HI_THERE,
                "87aa7cdea5ef619d4ff0b4241a1d6cb02379f4e2ce4ec2787ad0b30545e17cde"
                        + "daa833b7d6b8a702038b274eaea3f4e4be9d914eeb61f1702e696c203a126854");
        assertPrf(Prf.HMAC_SHA2_512, JEFE, WHAT,
                "164b7a7bfcf819e2e395fbe73b56e0a387bd64222e831fd610270cd7ea250554"
                        + "9758bf75c05a994a6d034f65f8f0e6fdcaeab1a34d4a6b4b636e070a38bce737");
    }

    @Test
    void hmacSha256AcceptsKeysLongerThanItsBlockAsRfc4231Case6() {
        // IKE keys the PRF with Ni | Nr, which can exceed the block size.
        assertPrf(Prf.HMAC_SHA2_256, fill(0xaa, 131), ascii("Test Using Larger Than Block-Size Key - Hash Key First"),
                "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54");
    }

    @Test
    void advertisesIanaIdsAndLengths() {
        assertEquals(2, Prf.HMAC_SHA1.ikev2Id);
        assertEquals(5, Prf.HMAC_SHA2_256.ikev2Id);
        assertEquals(6, Prf.HMAC_SHA2_384.ikev2Id);
        assertEquals(7, Prf.HMAC_SHA2_512.ikev2Id);
        assertEquals(48, Prf.HMAC_SHA2_384.outputLength());
        assertEquals(64, Prf.HMAC_SHA2_512.preferredKeyLength());
        assertSame(Prf.HMAC_SHA2_256, Prf.byId(5));
        assertNull(Prf.byId(4));
    }

    private static byte[] hmac(String alg, byte[] key, byte[]... parts) throws Exception {
        Mac m = Mac.getInstance(alg);
        m.init(new SecretKeySpec(key, alg));
        for (byte[] p : parts) m.update(p);
        return m.doFinal();
    }

    @Test
    void prfPlusChainsBlocksWithAOneOctetCounter() throws Exception {
        byte[] key = fill(0x42, 32), seed = ascii("Ni | Nr | SPIi | SPIr");
        byte[] t1 = hmac("HmacSHA256", key, seed, new byte[] {1});
        byte[] t2 = hmac("HmacSHA256", key, t1, seed, new byte[] {2});
        byte[] t3 = hmac("HmacSHA256", key, t2, seed, new byte[] {3});
        byte[] expected = Arrays.copyOf(Prf.concat(t1, t2, t3), 70);
        assertArrayEquals(expected, Prf.HMAC_SHA2_256.prfPlus(key, seed, 70));
        // A shorter request is a prefix of the longer one.
        assertArrayEquals(Arrays.copyOf(t1, 20), Prf.HMAC_SHA2_256.prfPlus(key, seed, 20));
    }

    @Test
    void prfPlusStopsAt255Blocks() {
        byte[] key = fill(1, 20);
        assertEquals(255 * 20, Prf.HMAC_SHA1.prfPlus(key, new byte[0], 255 * 20).length);
        assertThrows(IllegalArgumentException.class, () -> Prf.HMAC_SHA1.prfPlus(key, new byte[0], 255 * 20 + 1));
    }
}
