// AUTH payload computations: signed octets and PSK AUTH against a hand computation with javax.crypto.Mac
// (RFC 7296 §2.15), RFC 7427 AlgorithmIdentifiers against RFC 7427 Appendix A / RFC 8420 bytes, sign/verify for
// every scheme with generated keys, RFC 8032 Ed25519 vectors, and refusal of mismatched or disallowed schemes.
package bitw.ipsec.ike.crypto;

import static org.junit.jupiter.api.Assertions.*;

import java.math.BigInteger;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.EdECPoint;
import java.security.spec.EdECPrivateKeySpec;
import java.security.spec.EdECPublicKeySpec;
import java.security.spec.NamedParameterSpec;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import bitw.ipsec.packet.Bytes;

class IkeAuthenticationTest {
    private static final Set<SignatureScheme> ALL = EnumSet.allOf(SignatureScheme.class);
    private static final byte[] OCTETS = PrfTest.ascii("RealMessage1 | NonceRData | prf(SK_pi, IDi')");
    private static KeyPair rsa, p256, p384, p521, ed25519;

    @BeforeAll
    static void keys() throws Exception {
        KeyPairGenerator r = KeyPairGenerator.getInstance("RSA");
        r.initialize(2048);
        rsa = r.generateKeyPair();
        p256 = ec("secp256r1");
        p384 = ec("secp384r1");
        p521 = ec("secp521r1");
        ed25519 = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
    }

    private static KeyPair ec(String curve) throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec(curve));
        return g.generateKeyPair();
    }

    private static byte[] hmac256(byte[] key, byte[]... parts) throws Exception {
        Mac m = Mac.getInstance("HmacSHA256");
        m.init(new SecretKeySpec(key, "HmacSHA256"));
        for (byte[] p : parts) m.update(p);
        return m.doFinal();
    }

    @Test
    void signedOctetsAndPskAuthMatchAHandComputation() throws Exception {
        byte[] message = PrfTest.fill(0x11, 300), nonceR = PrfTest.fill(0x22, 32), skPi = PrfTest.fill(0x33, 32);
        byte[] idBody = Bytes.fromHex("02000000" + Bytes.hex(PrfTest.ascii("gw.example")));   // ID_FQDN
        byte[] octets = IkeAuthentication.signedOctets(message, nonceR, Prf.HMAC_SHA2_256, skPi, idBody);
        byte[] expectedOctets = Prf.concat(message, nonceR, hmac256(skPi, idBody));
        assertArrayEquals(expectedOctets, octets);

        byte[] psk = PrfTest.ascii("correct horse battery staple");
        byte[] padKey = hmac256(psk, PrfTest.ascii("Key Pad for IKEv2"));
        assertArrayEquals(hmac256(padKey, expectedOctets), IkeAuthentication.pskAuth(Prf.HMAC_SHA2_256, psk, octets));
        assertFalse(Arrays.equals(hmac256(padKey, expectedOctets),
                IkeAuthentication.pskAuth(Prf.HMAC_SHA2_256, PrfTest.ascii("wrong"), octets)));
    }

    @Test
    void algorithmIdentifiersAreTheRfc7427AppendixABytes() {
        Map<SignatureScheme, String> expected = Map.of(
                SignatureScheme.RSA_PKCS1_SHA256, "300d06092a864886f70d01010b0500",
                SignatureScheme.RSA_PKCS1_SHA384, "300d06092a864886f70d01010c0500",
                SignatureScheme.RSA_PKCS1_SHA512, "300d06092a864886f70d01010d0500",
                SignatureScheme.ECDSA_SHA256, "300a06082a8648ce3d040302",
                SignatureScheme.ECDSA_SHA384, "300a06082a8648ce3d040303",
                SignatureScheme.ECDSA_SHA512, "300a06082a8648ce3d040304",
                SignatureScheme.ED25519, "300506032b6570",
                // RFC 7427 A.4.3 without the explicit default trailerField (DER omits defaults).
                SignatureScheme.RSA_PSS_SHA256, "304106092a864886f70d01010a3034a00f300d06096086480165030402010500"
                        + "a11c301a06092a864886f70d010108300d06096086480165030402010500a203020120");
        expected.forEach((s, hex) -> assertEquals(hex, Bytes.hex(IkeAuthentication.algorithmIdentifier(s)).toLowerCase(), s.toString()));
    }

    @Test
    void parsesPssParametersByMeaningIncludingAnExplicitTrailerField() throws Exception {
        // RFC 7427 A.4.3 as printed, with trailerField [3] 1 spelled out.
        byte[] withTrailer = Bytes.fromHex("304606092a864886f70d01010a3039a00f300d06096086480165030402010500"
                + "a11c301a06092a864886f70d010108300d06096086480165030402010500a203020120a303020101");
        assertSame(SignatureScheme.RSA_PSS_SHA256, IkeAuthentication.parseAlgorithmIdentifier(withTrailer));
        // sha256WithRSAEncryption without the NULL parameters is the same scheme.
        assertSame(SignatureScheme.RSA_PKCS1_SHA256, IkeAuthentication.parseAlgorithmIdentifier(Bytes.fromHex("300b06092a864886f70d01010b")));
        // PSS with salt 20 is none of ours.
        byte[] salt20 = withTrailer.clone();
        salt20[withTrailer.length - 6] = 20;
        assertEquals(IkeCryptoException.Reason.AUTH_SCHEME_REFUSED,
                assertThrows(IkeCryptoException.class, () -> IkeAuthentication.parseAlgorithmIdentifier(salt20)).reason());
    }

    private static KeyPair keyFor(SignatureScheme s) {
        return switch (s) {
            case RSA_PKCS1_SHA256, RSA_PKCS1_SHA384, RSA_PKCS1_SHA512, RSA_PSS_SHA256, RSA_PSS_SHA384, RSA_PSS_SHA512,
                 LEGACY_RSA_SHA1 -> rsa;
            case ECDSA_SHA256, LEGACY_ECDSA_P256_SHA256 -> p256;
            case ECDSA_SHA384, LEGACY_ECDSA_P384_SHA384 -> p384;
            case ECDSA_SHA512, LEGACY_ECDSA_P521_SHA512 -> p521;
            case ED25519 -> ed25519;
        };
    }

    @Test
    void everySchemeSignsAndVerifiesAndRejectsOtherOctets() throws Exception {
        for (SignatureScheme s : SignatureScheme.values()) {
            KeyPair kp = keyFor(s);
            byte[] auth = IkeAuthentication.sign(kp.getPrivate(), s, OCTETS);
            assertTrue(IkeAuthentication.verify(kp.getPublic(), s.authMethod, auth, OCTETS, ALL), s.toString());
            byte[] other = OCTETS.clone();
            other[3] ^= 1;
            assertFalse(IkeAuthentication.verify(kp.getPublic(), s.authMethod, auth, other, ALL), s + " other octets");
            byte[] flipped = auth.clone();
            flipped[flipped.length - 1] ^= 1;
            assertFalse(IkeAuthentication.verify(kp.getPublic(), s.authMethod, flipped, OCTETS, ALL), s + " flipped");
            if (s.isRfc7427()) {
                byte[] algId = IkeAuthentication.algorithmIdentifier(s);
                assertEquals(algId.length, auth[0], s + " length octet");
                assertArrayEquals(algId, Arrays.copyOfRange(auth, 1, 1 + algId.length));
            }
        }
    }

    @Test
    void legacyEcdsaUsesFixedLengthRAndS() throws Exception {
        assertEquals(64, IkeAuthentication.sign(p256.getPrivate(), SignatureScheme.LEGACY_ECDSA_P256_SHA256, OCTETS).length);
        assertEquals(96, IkeAuthentication.sign(p384.getPrivate(), SignatureScheme.LEGACY_ECDSA_P384_SHA384, OCTETS).length);
        assertEquals(132, IkeAuthentication.sign(p521.getPrivate(), SignatureScheme.LEGACY_ECDSA_P521_SHA512, OCTETS).length);
        byte[] der = IkeAuthentication.sign(p256.getPrivate(), SignatureScheme.ECDSA_SHA256, OCTETS);
        assertEquals(0x30, der[1 + der[0]], "RFC 7427 ECDSA carries a DER Ecdsa-Sig-Value");
    }

    @Test
    void refusesSchemesThatDoNotFitTheKey() throws Exception {
        byte[] ecdsaAuth = IkeAuthentication.sign(p256.getPrivate(), SignatureScheme.ECDSA_SHA256, OCTETS);
        assertEquals(IkeCryptoException.Reason.AUTH_SCHEME_REFUSED, assertThrows(IkeCryptoException.class,
                () -> IkeAuthentication.verify(rsa.getPublic(), 14, ecdsaAuth, OCTETS, ALL)).reason(), "RSA key, ECDSA id");
        byte[] legacy256 = IkeAuthentication.sign(p256.getPrivate(), SignatureScheme.LEGACY_ECDSA_P256_SHA256, OCTETS);
        assertEquals(IkeCryptoException.Reason.AUTH_SCHEME_REFUSED, assertThrows(IkeCryptoException.class,
                () -> IkeAuthentication.verify(p384.getPublic(), 9, legacy256, OCTETS, ALL)).reason(), "method 9 needs P-256");
        assertEquals(IkeCryptoException.Reason.AUTH_SCHEME_REFUSED, assertThrows(IkeCryptoException.class,
                () -> IkeAuthentication.sign(rsa.getPrivate(), SignatureScheme.ED25519, OCTETS)).reason());
        assertEquals(IkeCryptoException.Reason.AUTH_SCHEME_REFUSED, assertThrows(IkeCryptoException.class,
                () -> IkeAuthentication.verify(rsa.getPublic(), 2, new byte[32], OCTETS, ALL)).reason(), "PSK is not a signature");
    }

    @Test
    void refusesSchemesOutsideTheAllowedSet() throws Exception {
        byte[] sha1 = IkeAuthentication.sign(rsa.getPrivate(), SignatureScheme.LEGACY_RSA_SHA1, OCTETS);
        Set<SignatureScheme> modern = EnumSet.of(SignatureScheme.RSA_PSS_SHA256, SignatureScheme.ECDSA_SHA256);
        assertEquals(IkeCryptoException.Reason.AUTH_SCHEME_REFUSED, assertThrows(IkeCryptoException.class,
                () -> IkeAuthentication.verify(rsa.getPublic(), 1, sha1, OCTETS, modern)).reason());
        byte[] pkcs1 = IkeAuthentication.sign(rsa.getPrivate(), SignatureScheme.RSA_PKCS1_SHA256, OCTETS);
        assertThrows(IkeCryptoException.class, () -> IkeAuthentication.verify(rsa.getPublic(), 14, pkcs1, OCTETS, modern));
    }

    @Test
    void rejectsMalformedRfc7427Data() {
        assertEquals(IkeCryptoException.Reason.AUTH_MALFORMED, assertThrows(IkeCryptoException.class,
                () -> IkeAuthentication.verify(rsa.getPublic(), 14, new byte[] {20, 0x30, 0x0d}, OCTETS, ALL)).reason());
        assertEquals(IkeCryptoException.Reason.AUTH_MALFORMED, assertThrows(IkeCryptoException.class,
                () -> IkeAuthentication.verify(rsa.getPublic(), 14, new byte[] {3, 0x04, 0x01, 0x00, 1, 2}, OCTETS, ALL)).reason());
        assertEquals(IkeCryptoException.Reason.AUTH_MALFORMED, assertThrows(IkeCryptoException.class,
                () -> IkeAuthentication.verify(p256.getPublic(), 9, new byte[63], OCTETS, ALL)).reason());
    }

    private static PrivateKey edPrivate(String seedHex) throws Exception {
        return KeyFactory.getInstance("Ed25519").generatePrivate(new EdECPrivateKeySpec(NamedParameterSpec.ED25519, Bytes.fromHex(seedHex)));
    }

    private static PublicKey edPublic(String hex) throws Exception {
        byte[] b = Bytes.fromHex(hex);
        boolean xOdd = (b[31] & 0x80) != 0;
        b[31] &= 0x7f;
        BigInteger y = FixedLength.fromLittleEndian(b);
        return KeyFactory.getInstance("Ed25519").generatePublic(new EdECPublicKeySpec(NamedParameterSpec.ED25519, new EdECPoint(xOdd, y)));
    }

    @Test
    void ed25519MatchesRfc8032Section7_1Tests1And2() throws Exception {
        String[][] vectors = {
                {"9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60",
                 "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a", "",
                 "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b"},
                {"4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb",
                 "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c", "72",
                 "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00"}};
        for (String[] v : vectors) {
            byte[] msg = Bytes.fromHex(v[2]);
            byte[] auth = IkeAuthentication.sign(edPrivate(v[0]), SignatureScheme.ED25519, msg);
            assertEquals(v[3], Bytes.hex(Arrays.copyOfRange(auth, 8, auth.length)).toLowerCase(), "1 + 7 AlgorithmIdentifier bytes, then the signature");
            assertTrue(IkeAuthentication.verify(edPublic(v[1]), 14, auth, msg, ALL));
        }
    }

    @Test
    void signatureHashAlgorithmsNotifyDataRoundTripsAndSkipsUnknownIds() throws Exception {
        byte[] data = HashAlgorithm.encodeNotifyData(List.of(HashAlgorithm.SHA2_256, HashAlgorithm.SHA2_384,
                HashAlgorithm.SHA2_512, HashAlgorithm.IDENTITY));
        assertEquals("0002000300040005", Bytes.hex(data));
        assertEquals(EnumSet.of(HashAlgorithm.SHA2_256, HashAlgorithm.IDENTITY),
                HashAlgorithm.decodeNotifyData(Bytes.fromHex("00020009ff010005")));
        assertThrows(IkeCryptoException.class, () -> HashAlgorithm.decodeNotifyData(new byte[3]));
        assertSame(HashAlgorithm.SHA2_384, SignatureScheme.ECDSA_SHA384.hash);
    }
}
