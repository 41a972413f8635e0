// Certificate validation for IKE_AUTH with chains built here by Bouncy Castle: root → intermediate → end entity
// validates and yields the end entity's key; a foreign anchor, an expired certificate and a certificate for
// another identity are refused. Also raw public keys (RFC 7670) and RFC 3110 DNS keys.
package bitw.ipsec.ike.crypto;

import static org.junit.jupiter.api.Assertions.*;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import javax.security.auth.x500.X500Principal;

import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class CertificateValidatorTest {
    private static final Instant NOW = Instant.parse("2026-06-01T00:00:00Z");
    private static KeyPair rootKey, intermediateKey, eeKey, otherRootKey;
    private static X509Certificate root, intermediate, endEntity, otherRoot, expiredEndEntity;

    @BeforeAll
    static void buildChains() throws Exception {
        rootKey = ec();
        intermediateKey = ec();
        eeKey = ec();
        otherRootKey = ec();
        Instant from = NOW.minus(Duration.ofDays(30)), to = NOW.plus(Duration.ofDays(365));
        root = ca("CN=bitw test root", rootKey.getPublic(), "CN=bitw test root", rootKey.getPrivate(), from, to);
        otherRoot = ca("CN=other root", otherRootKey.getPublic(), "CN=other root", otherRootKey.getPrivate(), from, to);
        intermediate = ca("CN=bitw intermediate", intermediateKey.getPublic(), "CN=bitw test root", rootKey.getPrivate(), from, to);
        endEntity = endEntity(from, to);
        expiredEndEntity = endEntity(NOW.minus(Duration.ofDays(400)), NOW.minus(Duration.ofDays(1)));
    }

    private static KeyPair ec() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        return g.generateKeyPair();
    }

    private static X509Certificate sign(X509v3CertificateBuilder b, PrivateKey issuerKey) throws Exception {
        return new JcaX509CertificateConverter().getCertificate(b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(issuerKey)));
    }

    private static X509Certificate ca(String subject, PublicKey key, String issuer, PrivateKey issuerKey, Instant from, Instant to) throws Exception {
        X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(new X500Principal(issuer), BigInteger.valueOf(subject.hashCode() & 0x7fffffff),
                Date.from(from), Date.from(to), new X500Principal(subject), key);
        b.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
        b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
        return sign(b, issuerKey);
    }

    private static X509Certificate endEntity(Instant from, Instant to) throws Exception {
        X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(new X500Principal("CN=bitw intermediate"),
                BigInteger.valueOf(from.getEpochSecond()), Date.from(from), Date.from(to),
                new X500Principal("CN=gw1.example, O=bitw"), eeKey.getPublic());
        b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[] {
                new GeneralName(GeneralName.dNSName, "gw1.example"),
                new GeneralName(GeneralName.iPAddress, "192.0.2.1"),
                new GeneralName(GeneralName.iPAddress, "2001:db8::1"),
                new GeneralName(GeneralName.rfc822Name, "ops@gw1.example")}));
        b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
        return sign(b, intermediateKey.getPrivate());
    }

    private static byte[] ascii(String s) { return s.getBytes(StandardCharsets.US_ASCII); }

    @Test
    void validChainReturnsTheEndEntityKeyForEveryIdentityForm() throws Exception {
        CertificateValidator v = new CertificateValidator(List.of(root));
        List<X509Certificate> chain = List.of(endEntity, intermediate);
        assertEquals(eeKey.getPublic(), v.validate(chain, CertificateValidator.ID_FQDN, ascii("GW1.example"), NOW));
        assertEquals(eeKey.getPublic(), v.validate(chain, CertificateValidator.ID_IPV4_ADDR, new byte[] {(byte) 192, 0, 2, 1}, NOW));
        byte[] v6 = java.net.InetAddress.ofLiteral("2001:db8::1").getAddress();
        assertEquals(eeKey.getPublic(), v.validate(chain, CertificateValidator.ID_IPV6_ADDR, v6, NOW));
        assertEquals(eeKey.getPublic(), v.validate(chain, CertificateValidator.ID_RFC822_ADDR, ascii("ops@gw1.example"), NOW));
        byte[] dn = new X500Principal("CN=gw1.example, O=bitw").getEncoded();
        assertEquals(eeKey.getPublic(), v.validate(chain, CertificateValidator.ID_DER_ASN1_DN, dn, NOW));
    }

    @Test
    void acceptsIntermediatesInAnyOrderAndTheRootSentAlong() throws Exception {
        CertificateValidator v = new CertificateValidator(List.of(root));
        assertEquals(eeKey.getPublic(), v.validate(List.of(endEntity, root, intermediate), CertificateValidator.ID_FQDN, ascii("gw1.example"), NOW));
    }

    @Test
    void refusesAChainUnderAnotherAnchor() {
        CertificateValidator v = new CertificateValidator(List.of(otherRoot));
        assertEquals(IkeCryptoException.Reason.CERT_UNTRUSTED, assertThrows(IkeCryptoException.class,
                () -> v.validate(List.of(endEntity, intermediate), CertificateValidator.ID_FQDN, ascii("gw1.example"), NOW)).reason());
    }

    @Test
    void refusesAChainMissingItsIntermediate() {
        CertificateValidator v = new CertificateValidator(List.of(root));
        assertEquals(IkeCryptoException.Reason.CERT_UNTRUSTED, assertThrows(IkeCryptoException.class,
                () -> v.validate(List.of(endEntity), CertificateValidator.ID_FQDN, ascii("gw1.example"), NOW)).reason());
    }

    @Test
    void refusesAnExpiredEndEntity() throws Exception {
        CertificateValidator v = new CertificateValidator(List.of(root));
        assertEquals(IkeCryptoException.Reason.CERT_UNTRUSTED, assertThrows(IkeCryptoException.class,
                () -> v.validate(List.of(expiredEndEntity, intermediate), CertificateValidator.ID_FQDN, ascii("gw1.example"), NOW)).reason());
        // The same certificate was fine while it was valid.
        assertEquals(eeKey.getPublic(), v.validate(List.of(expiredEndEntity, intermediate), CertificateValidator.ID_FQDN,
                ascii("gw1.example"), NOW.minus(Duration.ofDays(10))));
    }

    @Test
    void refusesIdentitiesTheCertificateDoesNotCarry() {
        CertificateValidator v = new CertificateValidator(List.of(root));
        List<X509Certificate> chain = List.of(endEntity, intermediate);
        record Id(int type, byte[] data) {}
        for (Id id : List.of(new Id(CertificateValidator.ID_FQDN, ascii("gw2.example")),
                new Id(CertificateValidator.ID_IPV4_ADDR, new byte[] {(byte) 192, 0, 2, 2}),
                new Id(CertificateValidator.ID_RFC822_ADDR, ascii("gw1.example")),
                new Id(CertificateValidator.ID_DER_ASN1_DN, new X500Principal("CN=gw1.example").getEncoded()),
                new Id(CertificateValidator.ID_KEY_ID, ascii("gw1.example")))) {
            assertEquals(IkeCryptoException.Reason.CERT_IDENTITY_MISMATCH,
                    assertThrows(IkeCryptoException.class, () -> v.validate(chain, id.type(), id.data(), NOW)).reason(), "type " + id.type());
        }
    }

    @Test
    void parsesCertificatesAndRawPublicKeys() throws Exception {
        assertEquals(endEntity, CertificateValidator.parseCertificate(endEntity.getEncoded()));
        assertEquals(eeKey.getPublic(), CertificateValidator.parseRawPublicKey(eeKey.getPublic().getEncoded()));
        KeyPair ed = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        assertEquals(ed.getPublic(), CertificateValidator.parseRawPublicKey(ed.getPublic().getEncoded()));
        KeyPairGenerator r = KeyPairGenerator.getInstance("RSA");
        r.initialize(1024);
        PublicKey rsa = r.generateKeyPair().getPublic();
        assertEquals(rsa, CertificateValidator.parseRawPublicKey(rsa.getEncoded()));
        assertEquals(IkeCryptoException.Reason.CERT_MALFORMED, assertThrows(IkeCryptoException.class,
                () -> CertificateValidator.parseRawPublicKey(new byte[] {0x30, 0x03, 1, 2, 3})).reason());
        assertThrows(IkeCryptoException.class, () -> CertificateValidator.parseCertificate(new byte[] {0x30, 0}));
    }

    @Test
    void readsRfc3110RsaKeysWithShortAndLongExponentLengths() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        RSAPublicKey key = (RSAPublicKey) g.generateKeyPair().getPublic();
        byte[] e = key.getPublicExponent().toByteArray(), n = FixedLength.bigEndian(key.getModulus(), 256);
        byte[] shortForm = Prf.concat(new byte[] {(byte) e.length}, e, n);
        assertEquals(key, CertificateValidator.fromDnsKeyRecord(shortForm));
        byte[] longForm = Prf.concat(new byte[] {0, 0, (byte) e.length}, e, n);
        assertEquals(key, CertificateValidator.fromDnsKeyRecord(longForm));
        assertThrows(IkeCryptoException.class, () -> CertificateValidator.fromDnsKeyRecord(new byte[] {3, 1, 0, 1}));
        assertThrows(IkeCryptoException.class, () -> CertificateValidator.fromDnsKeyRecord(new byte[] {(byte) 200, 1, 2}));
    }
}
