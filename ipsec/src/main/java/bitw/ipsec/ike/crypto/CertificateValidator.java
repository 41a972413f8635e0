// Peer certificate checks for IKE_AUTH: validates the CERT payload chain (end entity first, then intermediates)
// to one of our trust anchors with the JDK PKIX validator, checks that the end entity carries the peer's IKE ID,
// and returns the key that must verify the AUTH payload. Also parses raw public keys (RFC 7670) and RFC 3110 RSA
// keys from DNS KEY/IPSECKEY records.
//
// Revocation checking is off: the appliance has no CRL/OCSP fetching (this layer does no I/O, and fetching
// before a tunnel is up would leak or block); short-lived certificates and anchor rotation are the revocation path.
package bitw.ipsec.ike.crypto;

import java.io.ByteArrayInputStream;
import java.math.BigInteger;
import java.net.InetAddress;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.cert.CertPath;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.security.spec.RSAPublicKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import javax.security.auth.x500.X500Principal;

public final class CertificateValidator {
    /** IKEv2 ID types (RFC 7296 §3.5). */
    public static final int ID_IPV4_ADDR = 1, ID_FQDN = 2, ID_RFC822_ADDR = 3, ID_IPV6_ADDR = 5,
            ID_DER_ASN1_DN = 9, ID_KEY_ID = 11;
    private static final int SAN_RFC822 = 1, SAN_DNS = 2, SAN_IP = 7;

    private final Set<TrustAnchor> anchors = new HashSet<>();
    private final List<X509Certificate> anchorCertificates;

    public CertificateValidator(List<X509Certificate> trustAnchors) {
        if (trustAnchors.isEmpty()) throw new IllegalArgumentException("no trust anchors");
        for (X509Certificate c : trustAnchors) anchors.add(new TrustAnchor(c, null));
        this.anchorCertificates = List.copyOf(trustAnchors);
    }

    /** Validates chain (end entity first) now; see {@link #validate(List, int, byte[], Instant)}. */
    public PublicKey validate(List<X509Certificate> chain, int idType, byte[] idData) throws IkeCryptoException {
        return validate(chain, idType, idData, Instant.now());
    }

    /** Validates chain (end entity first) at the given time and checks the IKE identity against the end entity.
     *  @return the end entity's public key */
    public PublicKey validate(List<X509Certificate> chain, int idType, byte[] idData, Instant at) throws IkeCryptoException {
        if (chain.isEmpty()) throw new IkeCryptoException(IkeCryptoException.Reason.CERT_UNTRUSTED, "no certificate");
        X509Certificate endEntity = chain.get(0);
        try {
            CertPath path = CertificateFactory.getInstance("X.509").generateCertPath(order(chain));
            PKIXParameters params = new PKIXParameters(anchors);
            params.setRevocationEnabled(false);
            params.setDate(Date.from(at));
            CertPathValidator.getInstance("PKIX").validate(path, params);
        } catch (GeneralSecurityException e) {
            throw new IkeCryptoException(IkeCryptoException.Reason.CERT_UNTRUSTED, e.getMessage(), e);
        }
        boolean[] usage = endEntity.getKeyUsage();
        if (usage != null && !usage[0] && !usage[1])
            throw new IkeCryptoException(IkeCryptoException.Reason.CERT_UNTRUSTED, "end entity may not sign");
        if (!carriesIdentity(endEntity, idType, idData))
            throw new IkeCryptoException(IkeCryptoException.Reason.CERT_IDENTITY_MISMATCH,
                    "certificate " + endEntity.getSubjectX500Principal() + " does not match ID type " + idType);
        return endEntity.getPublicKey();
    }

    /** End entity, then each issuer in turn from the supplied certificates; anchors and strays are left out
     *  (peers may send the root or unrelated certificates, and in any order). */
    private List<X509Certificate> order(List<X509Certificate> chain) {
        List<X509Certificate> path = new ArrayList<>();
        List<X509Certificate> pool = new ArrayList<>(chain.subList(1, chain.size()));
        X509Certificate current = chain.get(0);
        path.add(current);
        while (true) {
            X500Principal issuer = current.getIssuerX500Principal();
            if (anchorCertificates.stream().anyMatch(a -> a.getSubjectX500Principal().equals(issuer))) break;
            X509Certificate next = null;
            for (X509Certificate c : pool) if (c.getSubjectX500Principal().equals(issuer)) { next = c; break; }
            if (next == null || anchorCertificates.contains(next)) break;
            pool.remove(next);
            path.add(next);
            current = next;
        }
        return path;
    }

    static boolean carriesIdentity(X509Certificate cert, int idType, byte[] idData) throws IkeCryptoException {
        if (idType == ID_DER_ASN1_DN) {
            try {
                return new X500Principal(idData).equals(cert.getSubjectX500Principal());
            } catch (IllegalArgumentException e) {
                throw new IkeCryptoException(IkeCryptoException.Reason.CERT_IDENTITY_MISMATCH, "bad DN in ID", e);
            }
        }
        int sanType = switch (idType) {
            case ID_IPV4_ADDR, ID_IPV6_ADDR -> SAN_IP;
            case ID_FQDN -> SAN_DNS;
            case ID_RFC822_ADDR -> SAN_RFC822;
            default -> -1;   // ID_KEY_ID and others cannot be bound to a certificate
        };
        if (sanType < 0) return false;
        if (sanType == SAN_IP && idData.length != (idType == ID_IPV4_ADDR ? 4 : 16)) return false;
        Collection<List<?>> names;
        try {
            names = cert.getSubjectAlternativeNames();
        } catch (java.security.cert.CertificateParsingException e) {
            throw new IkeCryptoException(IkeCryptoException.Reason.CERT_MALFORMED, "bad subjectAltName", e);
        }
        if (names == null) return false;
        String text = new String(idData, java.nio.charset.StandardCharsets.US_ASCII);
        for (List<?> n : names) {
            if ((Integer) n.get(0) != sanType) continue;
            String value = (String) n.get(1);
            if (sanType == SAN_IP) {
                try {
                    // The JDK renders IP SANs as literals; parsing a literal performs no lookup.
                    if (Arrays.equals(InetAddress.ofLiteral(value).getAddress(), idData)) return true;
                } catch (IllegalArgumentException e) {
                    // not an address literal: cannot match
                }
            } else if (value.equalsIgnoreCase(text)) {
                return true;
            }
        }
        return false;
    }

    /** CERT encoding 4 (X.509 Certificate - Signature): one DER certificate. */
    public static X509Certificate parseCertificate(byte[] der) throws IkeCryptoException {
        try {
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(der));
        } catch (GeneralSecurityException | ClassCastException e) {
            throw new IkeCryptoException(IkeCryptoException.Reason.CERT_MALFORMED, "bad certificate", e);
        }
    }

    /** CERT encoding 15 (Raw Public Key, RFC 7670): a DER SubjectPublicKeyInfo of an RSA, EC or Ed25519 key. */
    public static PublicKey parseRawPublicKey(byte[] spki) throws IkeCryptoException {
        for (String alg : new String[] {"RSA", "EC", "Ed25519"}) {
            try {
                return KeyFactory.getInstance(alg).generatePublic(new X509EncodedKeySpec(spki));
            } catch (GeneralSecurityException | RuntimeException e) {
                // try the next key type: the SPKI's OID decides which factory accepts it
            }
        }
        throw new IkeCryptoException(IkeCryptoException.Reason.CERT_MALFORMED, "unsupported SubjectPublicKeyInfo");
    }

    /** RFC 3110 §2 RSA key: exponent length (1 byte, or 0 then 2 bytes), exponent, modulus; all big-endian. */
    public static PublicKey fromDnsKeyRecord(byte[] rfc3110RsaKey) throws IkeCryptoException {
        byte[] k = rfc3110RsaKey;
        int pos, expLen;
        if (k.length >= 1 && k[0] != 0) {
            expLen = k[0] & 0xff;
            pos = 1;
        } else if (k.length >= 3) {
            expLen = (k[1] & 0xff) << 8 | k[2] & 0xff;
            pos = 3;
        } else {
            throw new IkeCryptoException(IkeCryptoException.Reason.CERT_MALFORMED, "RFC 3110 key too short");
        }
        if (expLen == 0 || pos + expLen >= k.length)
            throw new IkeCryptoException(IkeCryptoException.Reason.CERT_MALFORMED, "RFC 3110 key lengths inconsistent");
        BigInteger e = new BigInteger(1, Arrays.copyOfRange(k, pos, pos + expLen));
        BigInteger n = new BigInteger(1, Arrays.copyOfRange(k, pos + expLen, k.length));
        if (n.bitLength() < 1024 || !n.testBit(0) || e.compareTo(BigInteger.ONE) <= 0)
            throw new IkeCryptoException(IkeCryptoException.Reason.CERT_MALFORMED, "RFC 3110 key is not a usable RSA key");
        try {
            return KeyFactory.getInstance("RSA").generatePublic(new RSAPublicKeySpec(n, e));
        } catch (GeneralSecurityException ex) {
            throw new IkeCryptoException(IkeCryptoException.Reason.CERT_MALFORMED, "RSA key refused", ex);
        }
    }
}
