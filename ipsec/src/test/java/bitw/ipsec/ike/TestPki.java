// A throw-away PKI for the engine tests: an ECDSA root, an intermediate, and end-entity certificates for the two
// gateways (SAN dNSName a.example / b.example) over keys of any type, valid around the current time.
package bitw.ipsec.ike;

import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.concurrent.atomic.AtomicLong;
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

final class TestPki {
    private static final AtomicLong SERIAL = new AtomicLong(1000);
    final KeyPair rootKey = ec("secp256r1"), intermediateKey = ec("secp256r1");
    final X509Certificate root, intermediate;

    TestPki(String name) {
        Instant from = Instant.now().minus(Duration.ofDays(1)), to = Instant.now().plus(Duration.ofDays(30));
        root = ca("CN=" + name + " root", rootKey.getPublic(), "CN=" + name + " root", rootKey.getPrivate(), from, to);
        intermediate = ca("CN=" + name + " intermediate", intermediateKey.getPublic(), "CN=" + name + " root", rootKey.getPrivate(), from, to);
    }

    static KeyPair ec(String curve) {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(new ECGenParameterSpec(curve));
            return g.generateKeyPair();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static KeyPair rsa(int bits) {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
            g.initialize(bits);
            return g.generateKeyPair();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static KeyPair ed25519() {
        try {
            return KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** An end entity for dnsName, issued by the intermediate. */
    X509Certificate endEntity(String dnsName, PublicKey key) {
        Instant from = Instant.now().minus(Duration.ofDays(1)), to = Instant.now().plus(Duration.ofDays(30));
        try {
            X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(intermediate.getSubjectX500Principal(), BigInteger.valueOf(SERIAL.incrementAndGet()),
                    Date.from(from), Date.from(to), new X500Principal("CN=" + dnsName), key);
            b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName(GeneralName.dNSName, dnsName)));
            b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
            return sign(b, intermediateKey.getPrivate());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static X509Certificate ca(String subject, PublicKey key, String issuer, PrivateKey issuerKey, Instant from, Instant to) {
        try {
            X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(new X500Principal(issuer), BigInteger.valueOf(SERIAL.incrementAndGet()),
                    Date.from(from), Date.from(to), new X500Principal(subject), key);
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
            b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            return sign(b, issuerKey);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static X509Certificate sign(X509v3CertificateBuilder b, PrivateKey issuerKey) throws Exception {
        return new JcaX509CertificateConverter().getCertificate(b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(issuerKey)));
    }
}
