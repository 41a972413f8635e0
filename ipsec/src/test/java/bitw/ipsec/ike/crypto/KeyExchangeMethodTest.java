// Key exchange methods against published vectors (RFC 5903 §8 for groups 19-21, RFC 7748 §6.1 for Curve25519),
// the MODP primes against the RFC 3526 formula, two-party agreement for MODP and ML-KEM-768, and rejection of
// every kind of bad peer value the engine must answer with INVALID_SYNTAX / INVALID_KE_PAYLOAD.
package bitw.ipsec.ike.crypto;

import static org.junit.jupiter.api.Assertions.*;

import java.math.BigInteger;
import org.junit.jupiter.api.Test;

import bitw.ipsec.packet.Bytes;

class KeyExchangeMethodTest {
    private static byte[] hex(String s) { return Bytes.fromHex(s); }

    private static void assertRfc5903(KeyExchangeMethod m, String i, String gix, String giy, String r, String grx,
                                      String gry, String girx) throws IkeCryptoException {
        KeyExchange initiator = new EcpKeyExchange(m, new BigInteger(i, 16), new BigInteger(gix, 16), new BigInteger(giy, 16));
        KeyExchange responder = new EcpKeyExchange(m, new BigInteger(r, 16), new BigInteger(grx, 16), new BigInteger(gry, 16));
        byte[] gi = initiator.initiatorPublic();
        assertArrayEquals(hex(gix + giy), gi, "KE data is x | y without a format octet");
        KeyExchange.Responder resp = responder.respond(gi);
        assertArrayEquals(hex(grx + gry), resp.responderPublic());
        assertArrayEquals(hex(girx), resp.sharedSecret(), "responder secret is the x coordinate of g^ir");
        assertArrayEquals(hex(girx), initiator.complete(resp.responderPublic()), "initiator secret");
        assertEquals(m.sharedSecretLength(), resp.sharedSecret().length);
    }

    @Test
    void ecp256MatchesRfc5903Section8_1() throws Exception {
        assertRfc5903(KeyExchangeMethod.ECP_256,
                "C88F01F510D9AC3F70A292DAA2316DE544E9AAB8AFE84049C62A9C57862D1433",
                "DAD0B65394221CF9B051E1FECA5787D098DFE637FC90B9EF945D0C3772581180",
                "5271A0461CDB8252D61F1C456FA3E59AB1F45B33ACCF5F58389E0577B8990BB3",
                "C6EF9C5D78AE012A011164ACB397CE2088685D8F06BF9BE0B283AB46476BEE53",
                "D12DFB5289C8D4F81208B70270398C342296970A0BCCB74C736FC7554494BF63",
                "56FBF3CA366CC23E8157854C13C58D6AAC23F046ADA30F8353E74F33039872AB",
                "D6840F6B42F6EDAFD13116E0E12565202FEF8E9ECE7DCE03812464D04B9442DE");
    }

    @Test
    void ecp384MatchesRfc5903Section8_2() throws Exception {
        assertRfc5903(KeyExchangeMethod.ECP_384,
                "099F3C7034D4A2C699884D73A375A67F7624EF7C6B3C0F160647B67414DCE655E35B538041E649EE3FAEF896783AB194",
                "667842D7D180AC2CDE6F74F37551F55755C7645C20EF73E31634FE72B4C55EE6DE3AC808ACB4BDB4C88732AEE95F41AA",
                "9482ED1FC0EEB9CAFC4984625CCFC23F65032149E0E144ADA024181535A0F38EEB9FCFF3C2C947DAE69B4C634573A81C",
                "41CB0779B4BDB85D47846725FBEC3C9430FAB46CC8DC5060855CC9BDA0AA2942E0308312916B8ED2960E4BD55A7448FC",
                "E558DBEF53EECDE3D3FCCFC1AEA08A89A987475D12FD950D83CFA41732BC509D0D1AC43A0336DEF96FDA41D0774A3571",
                "DCFBEC7AACF3196472169E838430367F66EEBE3C6E70C416DD5F0C68759DD1FFF83FA40142209DFF5EAAD96DB9E6386C",
                "11187331C279962D93D604243FD592CB9D0A926F422E47187521287E7156C5C4D603135569B9E9D09CF5D4A270F59746");
    }

    @Test
    void ecp521MatchesRfc5903Section8_3() throws Exception {
        assertRfc5903(KeyExchangeMethod.ECP_521,
                "0037ADE9319A89F4DABDB3EF411AACCCA5123C61ACAB57B5393DCE47608172A095AA85A30FE1C2952C6771D937BA9777F5957B2639BAB072462F68C27A57382D4A52",
                "0015417E84DBF28C0AD3C278713349DC7DF153C897A1891BD98BAB4357C9ECBEE1E3BF42E00B8E380AEAE57C2D107564941885942AF5A7F4601723C4195D176CED3E",
                "017CAE20B6641D2EEB695786D8C946146239D099E18E1D5A514C739D7CB4A10AD8A788015AC405D7799DC75E7B7D5B6CF2261A6A7F1507438BF01BEB6CA3926F9582",
                "0145BA99A847AF43793FDD0E872E7CDFA16BE30FDC780F97BCCC3F078380201E9C677D600B343757A3BDBF2A3163E4C2F869CCA7458AA4A4EFFC311F5CB151685EB9",
                "00D0B3975AC4B799F5BEA16D5E13E9AF971D5E9B984C9F39728B5E5739735A219B97C356436ADC6E95BB0352F6BE64A6C2912D4EF2D0433CED2B6171640012D9460F",
                "015C68226383956E3BD066E797B623C27CE0EAC2F551A10C2C724D9852077B87220B6536C5C408A1D2AEBB8E86D678AE49CB57091F4732296579AB44FCD17F0FC56A",
                "01144C7D79AE6956BC8EDB8E7C787C4521CB086FA64407F97894E5E6B2D79B04D1427E73CA4BAA240A34786859810C06B3C715A3A8CC3151F2BEE417996D19F3DDEA");
    }

    @Test
    void ecpRejectsPointsOffTheCurveAndWrongLengths() {
        for (KeyExchangeMethod m : new KeyExchangeMethod[] {KeyExchangeMethod.ECP_256, KeyExchangeMethod.ECP_384, KeyExchangeMethod.ECP_521}) {
            KeyExchange a = m.newKeyExchange(), b = m.newKeyExchange();
            byte[] good = b.initiatorPublic();
            byte[] offCurve = good.clone();
            offCurve[offCurve.length - 1] ^= 1;
            assertEquals(IkeCryptoException.Reason.KE_INVALID_VALUE,
                    assertThrows(IkeCryptoException.class, () -> a.complete(offCurve)).reason(), m.toString());
            assertEquals(IkeCryptoException.Reason.KE_INVALID_VALUE,
                    assertThrows(IkeCryptoException.class, () -> a.respond(new byte[good.length])).reason());
            byte[] withPrefix = new byte[good.length + 1];
            withPrefix[0] = 4;
            System.arraycopy(good, 0, withPrefix, 1, good.length);
            assertEquals(IkeCryptoException.Reason.KE_WRONG_LENGTH,
                    assertThrows(IkeCryptoException.class, () -> a.complete(withPrefix)).reason(),
                    "SEC1 uncompressed form is not the IKE encoding");
        }
    }

    @Test
    void ecpRandomPeersAgree() throws Exception {
        KeyExchange i = KeyExchangeMethod.ECP_256.newKeyExchange(), r = KeyExchangeMethod.ECP_256.newKeyExchange();
        KeyExchange.Responder resp = r.respond(i.initiatorPublic());
        assertArrayEquals(resp.sharedSecret(), i.complete(resp.responderPublic()));
    }

    @Test
    void curve25519MatchesRfc7748Section6_1() throws Exception {
        X25519KeyExchange alice = new X25519KeyExchange(hex("77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a"));
        X25519KeyExchange bob = new X25519KeyExchange(hex("5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb"));
        assertArrayEquals(hex("8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a"), alice.initiatorPublic());
        KeyExchange.Responder resp = bob.respond(alice.initiatorPublic());
        assertArrayEquals(hex("de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f"), resp.responderPublic());
        byte[] k = hex("4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742");
        assertArrayEquals(k, resp.sharedSecret());
        assertArrayEquals(k, alice.complete(resp.responderPublic()));
    }

    @Test
    void curve25519RejectsSmallOrderPointsAndWrongLengths() {
        KeyExchange a = KeyExchangeMethod.CURVE25519.newKeyExchange();
        // u = 0 and u = 1 have small order: the result would be all zero (RFC 8031 §2 / RFC 7748 §6.1).
        assertEquals(IkeCryptoException.Reason.KE_INVALID_VALUE,
                assertThrows(IkeCryptoException.class, () -> a.complete(new byte[32])).reason());
        byte[] one = new byte[32];
        one[0] = 1;
        assertEquals(IkeCryptoException.Reason.KE_INVALID_VALUE,
                assertThrows(IkeCryptoException.class, () -> a.respond(one)).reason());
        assertEquals(IkeCryptoException.Reason.KE_WRONG_LENGTH,
                assertThrows(IkeCryptoException.class, () -> a.complete(new byte[31])).reason());
    }

    /** RFC 3526: p = 2^n - 2^(n-64) - 1 + 2^64 * ( [2^(n-130) pi] + k ), pi computed here with Machin's formula. */
    private static BigInteger rfc3526Prime(int n, long k) {
        int bits = n - 130, guard = 64;
        BigInteger one = BigInteger.ONE.shiftLeft(bits + guard);
        BigInteger pi = arctanInverse(5, one).multiply(BigInteger.valueOf(16)).subtract(arctanInverse(239, one).multiply(BigInteger.valueOf(4)));
        BigInteger floor = pi.shiftRight(guard);
        return BigInteger.TWO.pow(n).subtract(BigInteger.TWO.pow(n - 64)).subtract(BigInteger.ONE)
                .add(BigInteger.TWO.pow(64).multiply(floor.add(BigInteger.valueOf(k))));
    }

    private static BigInteger arctanInverse(int x, BigInteger one) {
        BigInteger sum = BigInteger.ZERO, term = one.divide(BigInteger.valueOf(x)), x2 = BigInteger.valueOf((long) x * x);
        for (int n = 1, sign = 1; term.signum() != 0; n += 2, sign = -sign) {
            BigInteger t = term.divide(BigInteger.valueOf(n));
            sum = sign > 0 ? sum.add(t) : sum.subtract(t);
            term = term.divide(x2);
        }
        return sum;
    }

    @Test
    void modpPrimesFollowTheRfc3526Formula() {
        assertEquals(rfc3526Prime(2048, 124476), KeyExchangeMethod.MODP_2048.modpPrime());
        assertEquals(rfc3526Prime(3072, 1690314), KeyExchangeMethod.MODP_3072.modpPrime());
        assertEquals(rfc3526Prime(4096, 240904), KeyExchangeMethod.MODP_4096.modpPrime());
    }

    @Test
    void modpPeersAgreeOnAPrimeLengthSecret() throws Exception {
        for (KeyExchangeMethod m : new KeyExchangeMethod[] {KeyExchangeMethod.MODP_2048, KeyExchangeMethod.MODP_3072, KeyExchangeMethod.MODP_4096}) {
            KeyExchange i = m.newKeyExchange(), r = m.newKeyExchange();
            byte[] gi = i.initiatorPublic();
            assertEquals(m.initiatorPublicLength(), gi.length);
            KeyExchange.Responder resp = r.respond(gi);
            assertEquals(m.sharedSecretLength(), resp.sharedSecret().length, m.toString());
            assertArrayEquals(resp.sharedSecret(), i.complete(resp.responderPublic()), m.toString());
            // The secret depends on the responder's private value: another responder gets another one.
            assertFalse(java.util.Arrays.equals(resp.sharedSecret(), m.newKeyExchange().respond(gi).sharedSecret()));
        }
    }

    @Test
    void modpRejectsZeroOneAndValuesAtOrAbovePMinusOne() {
        KeyExchangeMethod m = KeyExchangeMethod.MODP_2048;
        BigInteger p = m.modpPrime();
        KeyExchange a = m.newKeyExchange();
        for (BigInteger bad : new BigInteger[] {BigInteger.ZERO, BigInteger.ONE, p.subtract(BigInteger.ONE), p,
                BigInteger.TWO.pow(2048).subtract(BigInteger.ONE)}) {
            byte[] y = FixedLength.bigEndian(bad, 256);
            assertEquals(IkeCryptoException.Reason.KE_INVALID_VALUE,
                    assertThrows(IkeCryptoException.class, () -> a.complete(y)).reason(), bad.toString(16));
        }
        assertEquals(IkeCryptoException.Reason.KE_WRONG_LENGTH,
                assertThrows(IkeCryptoException.class, () -> a.respond(new byte[255])).reason());
    }

    @Test
    void mlKem768RoundTripGivesBothSidesTheSameSecret() throws Exception {
        KeyExchange i = KeyExchangeMethod.ML_KEM_768.newKeyExchange(), r = KeyExchangeMethod.ML_KEM_768.newKeyExchange();
        byte[] ek = i.initiatorPublic();
        assertEquals(1184, ek.length);
        KeyExchange.Responder resp = r.respond(ek);
        assertEquals(1088, resp.responderPublic().length);
        assertEquals(32, resp.sharedSecret().length);
        assertArrayEquals(resp.sharedSecret(), i.complete(resp.responderPublic()));
        // A flipped ciphertext bit yields a different secret (implicit rejection), never the real one.
        byte[] ct = resp.responderPublic().clone();
        ct[100] ^= 1;
        assertFalse(java.util.Arrays.equals(resp.sharedSecret(), i.complete(ct)));
    }

    @Test
    void mlKem768RejectsWrongLengthsAndKeysFailingTheModulusCheck() {
        KeyExchange i = KeyExchangeMethod.ML_KEM_768.newKeyExchange(), r = KeyExchangeMethod.ML_KEM_768.newKeyExchange();
        byte[] ek = i.initiatorPublic();
        assertEquals(IkeCryptoException.Reason.KE_WRONG_LENGTH,
                assertThrows(IkeCryptoException.class, () -> r.respond(java.util.Arrays.copyOf(ek, 1183))).reason());
        assertEquals(IkeCryptoException.Reason.KE_WRONG_LENGTH,
                assertThrows(IkeCryptoException.class, () -> i.complete(new byte[1087])).reason());
        byte[] bad = ek.clone();
        bad[0] = (byte) 0xff;   // first coefficient = 0x?ff with its high nibble in bad[1]
        bad[1] = (byte) (bad[1] | 0x0f);
        assertEquals(IkeCryptoException.Reason.KE_INVALID_VALUE,
                assertThrows(IkeCryptoException.class, () -> r.respond(bad)).reason());
    }

    @Test
    void methodsCarryIanaIds() {
        int[] ids = {14, 15, 16, 19, 20, 21, 31, 36};
        KeyExchangeMethod[] ms = KeyExchangeMethod.values();
        for (int k = 0; k < ids.length; k++) assertSame(ms[k], KeyExchangeMethod.byId(ids[k]));
        assertTrue(KeyExchangeMethod.ML_KEM_768.isKem());
        assertFalse(KeyExchangeMethod.CURVE25519.isKem());
    }
}
