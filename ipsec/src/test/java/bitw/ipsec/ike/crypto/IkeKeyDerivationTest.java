// IKE SA and Child SA key derivation against RFC 7296 §2.14/§2.17/§2.18 and RFC 9370 §2.2 formulas recomputed
// here with plain javax.crypto.Mac (an implementation of prf+ that shares no code with Prf).
package bitw.ipsec.ike.crypto;

import static org.junit.jupiter.api.Assertions.*;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

import bitw.ipsec.packet.Bytes;

class IkeKeyDerivationTest {
    private static final byte[] NI = Bytes.fromHex("a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3b4b5b6b7b8b9babbbcbdbebfc0");
    private static final byte[] NR = Bytes.fromHex("0102030405060708090a0b0c0d0e0f1011121314151617181920212223242526");
    private static final byte[] GIR = PrfTest.fill(0x5c, 256);
    private static final long SPI_I = 0x1122334455667788L, SPI_R = 0x99aabbccddeeff00L;

    private static byte[] mac(String alg, byte[] key, byte[]... parts) throws Exception {
        Mac m = Mac.getInstance(alg);
        m.init(new SecretKeySpec(key, alg));
        for (byte[] p : parts) m.update(p);
        return m.doFinal();
    }

    /** prf+ written out from §2.13, independently of Prf.prfPlus. */
    private static byte[] referencePrfPlus(String alg, byte[] key, byte[] seed, int length) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] t = new byte[0];
        for (int n = 1; out.size() < length; n++) {
            t = mac(alg, key, t, seed, new byte[] {(byte) n});
            out.writeBytes(t);
        }
        return Arrays.copyOf(out.toByteArray(), length);
    }

    private static byte[] spis() {
        byte[] b = new byte[16];
        Bytes.put64(b, 0, SPI_I);
        Bytes.put64(b, 8, SPI_R);
        return b;
    }

    private static void assertKeys(byte[] keystream, int prfLen, int integ, int enc, IkeSaKeys k) {
        int pos = 0;
        assertArrayEquals(Arrays.copyOfRange(keystream, pos, pos += prfLen), k.skD(), "SK_d");
        assertArrayEquals(Arrays.copyOfRange(keystream, pos, pos += integ), k.skAi(), "SK_ai");
        assertArrayEquals(Arrays.copyOfRange(keystream, pos, pos += integ), k.skAr(), "SK_ar");
        assertArrayEquals(Arrays.copyOfRange(keystream, pos, pos += enc), k.skEi(), "SK_ei");
        assertArrayEquals(Arrays.copyOfRange(keystream, pos, pos += enc), k.skEr(), "SK_er");
        assertArrayEquals(Arrays.copyOfRange(keystream, pos, pos += prfLen), k.skPi(), "SK_pi");
        assertArrayEquals(Arrays.copyOfRange(keystream, pos, pos += prfLen), k.skPr(), "SK_pr");
        assertEquals(keystream.length, pos);
    }

    @Test
    void ikeSaInitKeysFollowRfc7296Section2_14() throws Exception {
        // AES-CBC-256 + HMAC-SHA2-256-128 with PRF HMAC-SHA2-256: 32-byte enc keys, 32-byte integ keys.
        IkeSaKeys k = IkeKeyDerivation.derive(Prf.HMAC_SHA2_256, NI, NR, GIR, SPI_I, SPI_R, 32, 32);
        byte[] skeyseed = mac("HmacSHA256", Prf.concat(NI, NR), GIR);
        assertArrayEquals(skeyseed, k.skeyseed());
        byte[] stream = referencePrfPlus("HmacSHA256", skeyseed, Prf.concat(NI, NR, spis()), 3 * 32 + 2 * 32 + 2 * 32);
        assertKeys(stream, 32, 32, 32, k);
    }

    @Test
    void aeadIkeSaHasNoIntegrityKeysAndSaltedEncryptionKeys() throws Exception {
        // AES-GCM-16-256 with PRF HMAC-SHA2-384: SK_e is 32 + 4 salt bytes, no SK_a.
        IkeSaKeys k = IkeKeyDerivation.derive(Prf.HMAC_SHA2_384, NI, NR, GIR, SPI_I, SPI_R, 36, 0);
        byte[] skeyseed = mac("HmacSHA384", Prf.concat(NI, NR), GIR);
        byte[] stream = referencePrfPlus("HmacSHA384", skeyseed, Prf.concat(NI, NR, spis()), 3 * 48 + 2 * 36);
        assertKeys(stream, 48, 0, 36, k);
        assertEquals(0, k.skAi().length);
    }

    @Test
    void rekeyedIkeSaUsesOldSkDAndNewSecretFollowingSection2_18() throws Exception {
        IkeSaKeys old = IkeKeyDerivation.derive(Prf.HMAC_SHA1, NI, NR, GIR, SPI_I, SPI_R, 16, 20);
        byte[] newGir = PrfTest.fill(0x77, 32), ni2 = PrfTest.fill(0x10, 16), nr2 = PrfTest.fill(0x20, 16);
        long newSpiI = 0x0102030405060708L, newSpiR = 0x1112131415161718L;
        IkeSaKeys k = IkeKeyDerivation.deriveRekeyed(Prf.HMAC_SHA1, old.skD(), newGir, ni2, nr2, newSpiI, newSpiR, 16, 20);
        byte[] skeyseed = mac("HmacSHA1", old.skD(), newGir, ni2, nr2);
        assertArrayEquals(skeyseed, k.skeyseed());
        byte[] spis = new byte[16];
        Bytes.put64(spis, 0, newSpiI);
        Bytes.put64(spis, 8, newSpiR);
        assertKeys(referencePrfPlus("HmacSHA1", skeyseed, Prf.concat(ni2, nr2, spis), 3 * 20 + 2 * 20 + 2 * 16), 20, 20, 16, k);
    }

    @Test
    void additionalKeyExchangeUpdatesKeysFollowingRfc9370() throws Exception {
        IkeSaKeys first = IkeKeyDerivation.derive(Prf.HMAC_SHA2_256, NI, NR, GIR, SPI_I, SPI_R, 20, 0);
        byte[] mlkemSecret = PrfTest.fill(0x33, 32);
        IkeSaKeys k = IkeKeyDerivation.deriveAfterAdditionalKeyExchange(Prf.HMAC_SHA2_256, first, mlkemSecret,
                NI, NR, SPI_I, SPI_R, 20, 0);
        byte[] skeyseed = mac("HmacSHA256", first.skD(), mlkemSecret, NI, NR);
        assertArrayEquals(skeyseed, k.skeyseed());
        assertKeys(referencePrfPlus("HmacSHA256", skeyseed, Prf.concat(NI, NR, spis()), 3 * 32 + 2 * 20), 32, 0, 20, k);
        assertFalse(Arrays.equals(first.skEi(), k.skEi()));
    }

    @Test
    void childKeysTakeInitiatorToResponderFirstEncryptionBeforeIntegrity() throws Exception {
        byte[] skD = PrfTest.fill(0x0d, 32);
        ChildSaKeys c = IkeKeyDerivation.childKeys(Prf.HMAC_SHA2_256, skD, null, NI, NR, 16, 32);
        byte[] keymat = referencePrfPlus("HmacSHA256", skD, Prf.concat(NI, NR), 2 * (16 + 32));
        assertArrayEquals(Arrays.copyOfRange(keymat, 0, 16), c.encrInitiatorToResponder());
        assertArrayEquals(Arrays.copyOfRange(keymat, 16, 48), c.integInitiatorToResponder());
        assertArrayEquals(Arrays.copyOfRange(keymat, 48, 64), c.encrResponderToInitiator());
        assertArrayEquals(Arrays.copyOfRange(keymat, 64, 96), c.integResponderToInitiator());
    }

    @Test
    void childKeysWithPfsAndAdditionalExchangesPutSecretsBeforeNonces() throws Exception {
        byte[] skD = PrfTest.fill(0x0d, 48), g = PrfTest.fill(1, 32), sk1 = PrfTest.fill(2, 32);
        ChildSaKeys pfs = IkeKeyDerivation.childKeys(Prf.HMAC_SHA2_384, skD, g, NI, NR, 20, 0);
        byte[] keymat = referencePrfPlus("HmacSHA384", skD, Prf.concat(g, NI, NR), 40);
        assertArrayEquals(Arrays.copyOfRange(keymat, 0, 20), pfs.encrInitiatorToResponder());
        assertArrayEquals(Arrays.copyOfRange(keymat, 20, 40), pfs.encrResponderToInitiator());
        assertEquals(0, pfs.integInitiatorToResponder().length);

        ChildSaKeys hybrid = IkeKeyDerivation.childKeysMultipleKeyExchanges(Prf.HMAC_SHA2_384, skD, List.of(g, sk1), NI, NR, 20, 0);
        byte[] keymat2 = referencePrfPlus("HmacSHA384", skD, Prf.concat(g, sk1, NI, NR), 40);
        assertArrayEquals(Arrays.copyOfRange(keymat2, 0, 20), hybrid.encrInitiatorToResponder());
    }
}
