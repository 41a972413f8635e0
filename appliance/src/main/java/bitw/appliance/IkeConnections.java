// Configuration `connection` statements → the IKE engine's connections: identities, credentials (key and
// certificate files read here, the only place the language's file names meet the file system), proposals,
// nets, timers. A connection that cannot be built is an error naming it; nothing half-built reaches the engine.
package bitw.appliance;

import bitw.config.ConnectionConfig;
import bitw.config.Configuration;
import bitw.config.EspProposal;
import bitw.config.IkeIdentity;
import bitw.config.IkeProposal;
import bitw.ipsec.ike.Authentication;
import bitw.ipsec.ike.DpdAction;
import bitw.ipsec.ike.EspProposalSpec;
import bitw.ipsec.ike.Identity;
import bitw.ipsec.ike.IkeConnection;
import bitw.ipsec.ike.IkeProposalSpec;
import bitw.ipsec.ike.PeerVerification;
import bitw.ipsec.ike.StartAction;
import bitw.ipsec.ike.crypto.CertificateValidator;
import bitw.ipsec.ike.crypto.KeyExchangeMethod;
import bitw.ipsec.ike.crypto.Prf;
import bitw.ipsec.ike.crypto.SignatureScheme;
import bitw.ipsec.packet.IpAddress;
import bitw.ipsec.packet.IpPrefix;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

public final class IkeConnections {
    private IkeConnections() {}

    public static List<IkeConnection> of(Configuration c) {
        List<IkeConnection> out = new ArrayList<>();
        for (ConnectionConfig cc : c.connections().values()) {
            try {
                out.add(of(c, cc));
            } catch (IOException | RuntimeException e) {
                throw new ConfigApplier.StatementRefused("connection " + cc.name(), "connection " + cc.name() + ": " + e.getMessage(), e);
            }
        }
        return out;
    }

    static IkeConnection of(Configuration c, ConnectionConfig cc) throws IOException {
        IpAddress peer = cc.peer().orElse(null);
        int family = peer != null ? peer.family() : cc.local().map(IpAddress::family).orElse(IpAddress.V4);
        IpAddress local = cc.local().or(() -> c.address(family).map(a -> a.address()))
                .orElseThrow(() -> new IllegalArgumentException("no own IPv" + family + " address to speak from"));
        Identity localId = cc.localId().map(IkeConnections::identity).orElse(Identity.of(local));
        Identity remoteId = cc.remoteId().map(IkeConnections::identity).orElseGet(() -> peer == null ? null : Identity.of(peer));
        if (remoteId == null) throw new IllegalArgumentException("peer any needs a remote-id");

        Authentication auth;
        PeerVerification verify;
        if (cc.auth() == ConnectionConfig.Auth.PSK) {
            byte[] psk = cc.psk().orElseThrow().toBytes();
            auth = new Authentication.Psk(psk);
            verify = new PeerVerification.Psk(psk);
        } else {
            PrivateKey key = privateKey(Path.of(cc.privateKey().orElseThrow(() -> new IllegalArgumentException("pubkey auth needs a private-key"))));
            List<X509Certificate> chain = cc.certificate().isPresent() ? certificates(Path.of(cc.certificate().get())) : List.of();
            auth = new Authentication.Signature(key, chain, scheme(key));
            if (cc.peerKey().isPresent()) verify = new PeerVerification.RawKeys(List.of(publicKey(Path.of(cc.peerKey().get()))));
            else {
                List<X509Certificate> anchors = new ArrayList<>();
                for (String f : cc.caFiles()) anchors.addAll(certificates(Path.of(f)));
                if (anchors.isEmpty()) throw new IllegalArgumentException("pubkey auth needs ca files or a peer-key to verify the peer");
                verify = new PeerVerification.Certificates(anchors);
            }
        }

        List<IkeProposalSpec> ike = ikeSpecs(cc.ikeProposals());
        List<EspProposalSpec> esp = espSpecs(cc.espProposals());

        List<IpPrefix> localNets = cc.localNets().isEmpty() ? List.of(IpPrefix.any(family)) : cc.localNets();
        List<IpPrefix> remoteNets = cc.remoteNets().isEmpty() ? List.of(IpPrefix.any(family)) : cc.remoteNets();
        int shortest = Math.min(cc.ikeLifetimeSeconds(), cc.childLifetimeSeconds());
        long margin = cc.rekeyMarginSeconds().orElse(Math.max(1, shortest / 10));
        DpdAction dpd = switch (cc.dpdAction()) { case CLEAR -> DpdAction.CLEAR; case HOLD -> DpdAction.HOLD; case RESTART -> DpdAction.RESTART; };
        StartAction start = switch (cc.start()) { case ON_TRAFFIC -> StartAction.TRAP; case AT_START -> StartAction.START; case WAIT -> StartAction.NONE; };
        return new IkeConnection(cc.name(), local, peer, localId, remoteId, auth, verify, ike, esp, cc.mode(), localNets, remoteNets,
                cc.ikeLifetimeSeconds(), cc.childLifetimeSeconds(), cc.rekeyBytes(), margin, cc.dpdSeconds(), dpd, start,
                cc.encapsulation() == ConnectionConfig.Encapsulation.UDP, cc.fragmentation(), cc.replayWindow());
    }

    /** The engine's form of IKE proposals as the language writes them. */
    public static List<IkeProposalSpec> ikeSpecs(List<IkeProposal> proposals) {
        List<IkeProposalSpec> ike = new ArrayList<>();
        for (IkeProposal p : proposals) {
            List<KeyExchangeMethod> add = new ArrayList<>();
            for (List<Integer> slot : p.additionalKeyExchange()) if (!slot.isEmpty()) add.add(KeyExchangeMethod.byId(slot.get(0)));
            ike.add(new IkeProposalSpec(p.encryption(), p.prf().stream().map(x -> Prf.byId(x.ikev2Id)).toList(), p.integrity(),
                    p.keyExchange().stream().map(KeyExchangeMethod::byId).toList(), add));
        }
        return ike;
    }

    public static List<EspProposalSpec> espSpecs(List<EspProposal> proposals) {
        List<EspProposalSpec> esp = new ArrayList<>();
        for (EspProposal p : proposals)
            esp.add(new EspProposalSpec(p.encryption(), p.integrity(), p.pfsGroups().stream().map(KeyExchangeMethod::byId).toList(), p.esn()));
        return esp;
    }

    static Identity identity(IkeIdentity id) {
        Identity.Type t = switch (id.kind()) {
            case IPV4_ADDR -> Identity.Type.IPV4_ADDR;
            case IPV6_ADDR -> Identity.Type.IPV6_ADDR;
            case FQDN -> Identity.Type.FQDN;
            case RFC822_ADDR -> Identity.Type.RFC822;
            case DER_ASN1_DN -> Identity.Type.DER_ASN1_DN;
            case KEY_ID -> Identity.Type.KEY_ID;
        };
        return new Identity(t, id.encoded());
    }

    /** RSA keys sign with PKCS#1 v1.5 SHA-256 (the widest interop); ECDSA with the curve's hash; Ed25519 itself. */
    public static SignatureScheme scheme(PrivateKey key) {
        return switch (key.getAlgorithm()) {
            case "RSA" -> SignatureScheme.RSA_PKCS1_SHA256;
            case "EC" -> {
                int bits = ((ECKey) key).getParams().getOrder().bitLength();
                yield bits > 384 ? SignatureScheme.ECDSA_SHA512 : bits > 256 ? SignatureScheme.ECDSA_SHA384 : SignatureScheme.ECDSA_SHA256;
            }
            case "EdDSA", "Ed25519" -> SignatureScheme.ED25519;
            default -> throw new IllegalArgumentException("unsupported private key type " + key.getAlgorithm());
        };
    }

    static List<X509Certificate> certificates(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            List<X509Certificate> out = new ArrayList<>();
            for (var c : CertificateFactory.getInstance("X.509").generateCertificates(in)) out.add((X509Certificate) c);
            if (out.isEmpty()) throw new IllegalArgumentException(file + ": no certificate");
            return out;
        } catch (java.security.cert.CertificateException e) {
            throw new IllegalArgumentException(file + ": " + e.getMessage());
        }
    }

    /** A PKCS#8 PEM ("BEGIN PRIVATE KEY") key: RSA, EC or Ed25519. */
    public static PrivateKey privateKey(Path file) throws IOException {
        byte[] der = pem(file, "PRIVATE KEY");
        for (String alg : new String[] {"RSA", "EC", "Ed25519"}) {
            try { return KeyFactory.getInstance(alg).generatePrivate(new PKCS8EncodedKeySpec(der)); }
            catch (Exception ignored) { }
        }
        throw new IllegalArgumentException(file + ": not an RSA, EC or Ed25519 PKCS#8 private key");
    }

    /** A peer's raw public key: PEM SubjectPublicKeyInfo ("BEGIN PUBLIC KEY"), RFC 7670. */
    static PublicKey publicKey(Path file) throws IOException {
        byte[] der = pem(file, "PUBLIC KEY");
        try { return CertificateValidator.parseRawPublicKey(der); }
        catch (Exception e) {
            for (String alg : new String[] {"RSA", "EC", "Ed25519"}) {
                try { return KeyFactory.getInstance(alg).generatePublic(new X509EncodedKeySpec(der)); } catch (Exception ignored) { }
            }
            throw new IllegalArgumentException(file + ": not a public key");
        }
    }

    private static byte[] pem(Path file, String label) throws IOException {
        String text = Files.readString(file);
        String begin = "-----BEGIN " + label + "-----", end = "-----END " + label + "-----";
        int b = text.indexOf(begin), e = text.indexOf(end);
        if (b < 0 || e < b) throw new IllegalArgumentException(file + ": no " + begin + " block (PKCS#8 / SPKI PEM expected)");
        return Base64.getMimeDecoder().decode(text.substring(b + begin.length(), e));
    }
}
