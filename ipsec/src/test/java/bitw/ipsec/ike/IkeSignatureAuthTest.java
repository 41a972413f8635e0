// IKE_AUTH with signatures: certificate chains (RSA PKCS#1, RSA-PSS, ECDSA P-256/P-384, Ed25519, legacy ECDSA),
// raw public keys, CERTREQ, rejection of untrusted chains and wrong identities, and RFC 7383 fragmentation of a
// large IKE_AUTH under a small fragment size.
package bitw.ipsec.ike;

import static org.junit.jupiter.api.Assertions.*;

import bitw.ipsec.ike.crypto.SignatureScheme;
import bitw.ipsec.ike.message.IkeMessage;
import bitw.ipsec.ike.message.IkeMessageCodec;
import bitw.ipsec.ike.message.PayloadType;
import java.security.KeyPair;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class IkeSignatureAuthTest {
    private static TestPki pki, otherPki;

    @BeforeAll
    static void pki() {
        pki = new TestPki("bitw test");
        otherPki = new TestPki("someone else");
    }

    /** Both sides sign with the scheme over keys of the given kind, each sending its chain; each trusts pki's root. */
    private static EnginePair withCertificates(KeyPair ka, KeyPair kb, SignatureScheme scheme) {
        var a = TestConnections.a();
        var b = TestConnections.b();
        a.localAuth = new Authentication.Signature(ka.getPrivate(), List.of(pki.endEntity("a.example", ka.getPublic()), pki.intermediate), scheme);
        b.localAuth = new Authentication.Signature(kb.getPrivate(), List.of(pki.endEntity("b.example", kb.getPublic()), pki.intermediate), scheme);
        a.peerAuth = b.peerAuth = new PeerVerification.Certificates(List.of(pki.root));
        return IkeEstablishmentTest.establish(a, b);
    }

    @Test
    void rsaPkcs1WithCertificateChains() {
        EnginePair p = withCertificates(TestPki.rsa(2048), TestPki.rsa(2048), SignatureScheme.RSA_PKCS1_SHA256);
        IkeEstablishmentTest.assertMirrored(p);
    }

    @Test
    void rsaPssWithCertificateChains() {
        EnginePair p = withCertificates(TestPki.rsa(2048), TestPki.rsa(2048), SignatureScheme.RSA_PSS_SHA256);
        IkeEstablishmentTest.assertMirrored(p);
    }

    @Test
    void ecdsaP256AndP384WithCertificateChains() {
        IkeEstablishmentTest.assertMirrored(withCertificates(TestPki.ec("secp256r1"), TestPki.ec("secp256r1"), SignatureScheme.ECDSA_SHA256));
        IkeEstablishmentTest.assertMirrored(withCertificates(TestPki.ec("secp384r1"), TestPki.ec("secp384r1"), SignatureScheme.ECDSA_SHA384));
    }

    @Test
    void legacyEcdsaAuthMethodsStillWork() {
        IkeEstablishmentTest.assertMirrored(withCertificates(TestPki.ec("secp256r1"), TestPki.ec("secp256r1"), SignatureScheme.LEGACY_ECDSA_P256_SHA256));
    }

    @Test
    void ed25519WithCertificateChains() {
        IkeEstablishmentTest.assertMirrored(withCertificates(TestPki.ed25519(), TestPki.ed25519(), SignatureScheme.ED25519));
    }

    @Test
    void rawPublicKeysWithoutCertificates() {
        KeyPair ka = TestPki.ed25519(), kb = TestPki.ec("secp256r1");
        var a = TestConnections.a();
        var b = TestConnections.b();
        a.localAuth = new Authentication.Signature(ka.getPrivate(), List.of(), SignatureScheme.ED25519);
        b.localAuth = new Authentication.Signature(kb.getPrivate(), List.of(), SignatureScheme.ECDSA_SHA256);
        a.peerAuth = new PeerVerification.RawKeys(List.of(TestPki.ed25519().getPublic(), kb.getPublic()));
        b.peerAuth = new PeerVerification.RawKeys(List.of(ka.getPublic()));
        IkeEstablishmentTest.assertMirrored(IkeEstablishmentTest.establish(a, b));
    }

    @Test
    void unknownRawKeyIsRefused() {
        KeyPair ka = TestPki.ed25519();
        var a = TestConnections.a();
        var b = TestConnections.b();
        a.localAuth = new Authentication.Signature(ka.getPrivate(), List.of(), SignatureScheme.ED25519);
        b.peerAuth = new PeerVerification.RawKeys(List.of(TestPki.ed25519().getPublic()));
        EnginePair p = IkeEstablishmentTest.establish(a, b);
        assertTrue(p.b.failedWith(IkeEvent.Failure.AUTHENTICATION_FAILED), p.b.log.toString());
        assertTrue(p.a.failedWith(IkeEvent.Failure.AUTHENTICATION_FAILED), p.a.log.toString());
    }

    @Test
    void chainUnderAnotherRootIsRefused() {
        KeyPair ka = TestPki.ec("secp256r1");
        var a = TestConnections.a();
        var b = TestConnections.b();
        a.localAuth = new Authentication.Signature(ka.getPrivate(), List.of(otherPki.endEntity("a.example", ka.getPublic()), otherPki.intermediate), SignatureScheme.ECDSA_SHA256);
        b.peerAuth = new PeerVerification.Certificates(List.of(pki.root));
        EnginePair p = IkeEstablishmentTest.establish(a, b);
        assertTrue(p.b.failedWith(IkeEvent.Failure.AUTHENTICATION_FAILED), p.b.log.toString());
        assertTrue(p.b.log.toString().contains("CERT_UNTRUSTED"), p.b.log.toString());
        assertTrue(p.a.failedWith(IkeEvent.Failure.AUTHENTICATION_FAILED));
    }

    @Test
    void certificateForAnotherIdentityIsRefused() {
        KeyPair ka = TestPki.ec("secp256r1");
        var a = TestConnections.a();
        var b = TestConnections.b();
        a.localAuth = new Authentication.Signature(ka.getPrivate(), List.of(pki.endEntity("mallory.example", ka.getPublic()), pki.intermediate), SignatureScheme.ECDSA_SHA256);
        b.peerAuth = new PeerVerification.Certificates(List.of(pki.root));
        EnginePair p = IkeEstablishmentTest.establish(a, b);
        assertTrue(p.b.failedWith(IkeEvent.Failure.AUTHENTICATION_FAILED), p.b.log.toString());
        assertTrue(p.b.log.toString().contains("CERT_IDENTITY_MISMATCH"), p.b.log.toString());
    }

    @Test
    void largeIkeAuthIsFragmentedBelowTheFragmentSize() {
        KeyPair ka = TestPki.rsa(4096), kb = TestPki.rsa(4096);
        var a = TestConnections.a();
        var b = TestConnections.b();
        a.localAuth = new Authentication.Signature(ka.getPrivate(), List.of(pki.endEntity("a.example", ka.getPublic()), pki.intermediate), SignatureScheme.RSA_PSS_SHA256);
        b.localAuth = new Authentication.Signature(kb.getPrivate(), List.of(pki.endEntity("b.example", kb.getPublic()), pki.intermediate), SignatureScheme.RSA_PSS_SHA256);
        a.peerAuth = b.peerAuth = new PeerVerification.Certificates(List.of(pki.root));
        EnginePair p = new EnginePair(4);
        p.start(List.of(a.build()), List.of(b.build()));
        p.a.engine.setFragmentSize(576);
        p.b.engine.setFragmentSize(576);
        p.a.engine.initiate("gw", p.now);
        p.run();
        IkeEstablishmentTest.assertMirrored(p);
        int fragmentsA = 0, fragmentsB = 0;
        for (Datagram d : p.a.sent) {
            assertTrue(d.data().length <= 576, "datagram of " + d.data().length + " bytes");
            if (lastPayloadType(d) == PayloadType.SKF) fragmentsA++;
        }
        for (Datagram d : p.b.sent) {
            assertTrue(d.data().length <= 576);
            if (lastPayloadType(d) == PayloadType.SKF) fragmentsB++;
        }
        assertTrue(fragmentsA >= 3 && fragmentsB >= 3, fragmentsA + " / " + fragmentsB);
    }

    @Test
    void withoutFragmentationTheSameIkeAuthIsOneDatagram() {
        KeyPair ka = TestPki.ec("secp256r1");
        var a = TestConnections.a();
        var b = TestConnections.b();
        a.fragmentation = false;
        a.localAuth = new Authentication.Signature(ka.getPrivate(), List.of(pki.endEntity("a.example", ka.getPublic()), pki.intermediate), SignatureScheme.ECDSA_SHA256);
        b.peerAuth = new PeerVerification.Certificates(List.of(pki.root));
        EnginePair p = new EnginePair(4);
        p.start(List.of(a.build()), List.of(b.build()));
        p.a.engine.setFragmentSize(576);
        p.a.engine.initiate("gw", p.now);
        p.run();
        IkeEstablishmentTest.assertMirrored(p);
        for (Datagram d : p.a.sent) assertNotEquals(PayloadType.SKF, lastPayloadType(d));
        assertTrue(p.a.sent.get(1).data().length > 576);
    }

    private static int lastPayloadType(Datagram d) {
        try {
            IkeMessage m = IkeMessageCodec.decode(d.data(), 0, d.data().length);
            return m.payloads().isEmpty() ? 0 : m.payloads().getLast().type();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
