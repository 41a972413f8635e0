// IKEv2 peer authentication (RFC 7296 §2.15): the signed octets, PSK AUTH values, and signatures with RFC 7427
// (auth method 14) or the legacy methods 1 and 9/10/11. The engine builds AUTH payloads from these results and
// verifies the peer's; which schemes are acceptable is the caller's policy (the allowed set).
package bitw.ipsec.ike.crypto;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.ECKey;
import java.security.interfaces.EdECKey;
import java.security.interfaces.RSAKey;
import java.security.spec.NamedParameterSpec;
import java.util.Arrays;
import java.util.Set;

import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1Null;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.DERNull;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.RSASSAPSSparams;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;

public final class IkeAuthentication {
    public static final int AUTH_RSA = 1, AUTH_PSK = 2, AUTH_ECDSA_256 = 9, AUTH_ECDSA_384 = 10, AUTH_ECDSA_521 = 11,
            AUTH_DIGITAL_SIGNATURE = 14;
    private static final byte[] KEY_PAD = "Key Pad for IKEv2".getBytes(StandardCharsets.US_ASCII);

    private IkeAuthentication() {}

    /** InitiatorSignedOctets = RealMessage1 | NonceRData | prf(SK_pi, RestOfInitIDPayload), and the responder's
     *  mirror image. peerNonce is the other side's nonce data; idPayloadBody is our ID payload after its generic
     *  header (ID type, three reserved bytes, identification data); skP is SK_pi or SK_pr of the signer. */
    public static byte[] signedOctets(byte[] realMessage, byte[] peerNonce, Prf prf, byte[] skP, byte[] idPayloadBody) {
        return Prf.concat(realMessage, peerNonce, prf.prf(skP, idPayloadBody));
    }

    /** AUTH = prf(prf(Shared Secret, "Key Pad for IKEv2"), SignedOctets); also used with an EAP MSK. */
    public static byte[] pskAuth(Prf prf, byte[] psk, byte[] signedOctets) {
        return prf.prf(prf.prf(psk, KEY_PAD), signedOctets);
    }

    /** AUTH payload data (after the method byte and reserved bytes) for scheme.authMethod. For RFC 7427 this is
     *  the one-byte length and DER AlgorithmIdentifier followed by the signature. */
    public static byte[] sign(PrivateKey key, SignatureScheme scheme, byte[] signedOctets) throws IkeCryptoException {
        checkKey(key, scheme);
        byte[] signature;
        try {
            Signature s = Signature.getInstance(scheme.jceName);
            if (scheme.isPss()) s.setParameter(scheme.jceParameters());
            s.initSign(key);
            s.update(signedOctets);
            signature = s.sign();
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException(scheme + " signing failed", e);
        }
        if (!scheme.isRfc7427()) return signature;
        byte[] algId = algorithmIdentifier(scheme);
        byte[] out = new byte[1 + algId.length + signature.length];
        out[0] = (byte) algId.length;
        System.arraycopy(algId, 0, out, 1, algId.length);
        System.arraycopy(signature, 0, out, 1 + algId.length, signature.length);
        return out;
    }

    /** Verifies a peer's AUTH data. Returns false when the signature does not verify; throws AUTH_MALFORMED when
     *  the data cannot be parsed and AUTH_SCHEME_REFUSED when the scheme is unknown, not in allowed, or does not
     *  fit the key (e.g. an RSA key with an ECDSA identifier). The engine answers all three with
     *  AUTHENTICATION_FAILED. */
    public static boolean verify(PublicKey key, int authMethod, byte[] authData, byte[] signedOctets,
                                 Set<SignatureScheme> allowed) throws IkeCryptoException {
        SignatureScheme scheme;
        byte[] signature;
        switch (authMethod) {
            case AUTH_DIGITAL_SIGNATURE -> {
                if (authData.length < 1 || authData.length < 1 + (authData[0] & 0xff))
                    throw new IkeCryptoException(IkeCryptoException.Reason.AUTH_MALFORMED, "AUTH data too short");
                int len = authData[0] & 0xff;
                scheme = parseAlgorithmIdentifier(Arrays.copyOfRange(authData, 1, 1 + len));
                signature = Arrays.copyOfRange(authData, 1 + len, authData.length);
            }
            case AUTH_RSA -> { scheme = SignatureScheme.LEGACY_RSA_SHA1; signature = authData; }
            case AUTH_ECDSA_256 -> { scheme = SignatureScheme.LEGACY_ECDSA_P256_SHA256; signature = authData; }
            case AUTH_ECDSA_384 -> { scheme = SignatureScheme.LEGACY_ECDSA_P384_SHA384; signature = authData; }
            case AUTH_ECDSA_521 -> { scheme = SignatureScheme.LEGACY_ECDSA_P521_SHA512; signature = authData; }
            default -> throw new IkeCryptoException(IkeCryptoException.Reason.AUTH_SCHEME_REFUSED,
                    "auth method " + authMethod + " is not a signature method");
        }
        if (!allowed.contains(scheme))
            throw new IkeCryptoException(IkeCryptoException.Reason.AUTH_SCHEME_REFUSED, scheme + " not allowed");
        checkKey(key, scheme);
        if (scheme.authMethod >= AUTH_ECDSA_256 && scheme.authMethod <= AUTH_ECDSA_521
                && signature.length != 2 * scheme.legacyCoordinateLength())
            throw new IkeCryptoException(IkeCryptoException.Reason.AUTH_MALFORMED,
                    scheme + " signature is " + signature.length + " bytes");
        try {
            Signature s = Signature.getInstance(scheme.jceName);
            if (scheme.isPss()) s.setParameter(scheme.jceParameters());
            s.initVerify(key);
            s.update(signedOctets);
            return s.verify(signature);
        } catch (java.security.SignatureException e) {
            return false;   // undecodable signature value (e.g. broken DER in ECDSA): simply not valid
        } catch (GeneralSecurityException e) {
            throw new IkeCryptoException(IkeCryptoException.Reason.AUTH_SCHEME_REFUSED, scheme + " cannot verify", e);
        }
    }

    /** DER AlgorithmIdentifier for an RFC 7427 scheme, as RFC 7427 Appendix A and RFC 8420 spell it: NULL
     *  parameters for RSA PKCS#1 and inside the PSS hash identifiers, none for ECDSA and Ed25519. */
    public static byte[] algorithmIdentifier(SignatureScheme scheme) {
        if (!scheme.isRfc7427()) throw new IllegalArgumentException(scheme + " has no AlgorithmIdentifier");
        ASN1ObjectIdentifier oid = new ASN1ObjectIdentifier(scheme.oid);
        AlgorithmIdentifier id = switch (scheme.keyType) {
            case RSA -> new AlgorithmIdentifier(oid, scheme.isPss() ? pssParams(scheme) : DERNull.INSTANCE);
            case EC, ED25519 -> new AlgorithmIdentifier(oid);
        };
        try {
            return id.getEncoded(ASN1Encoding.DER);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static ASN1Encodable pssParams(SignatureScheme scheme) {
        AlgorithmIdentifier hash = new AlgorithmIdentifier(hashOid(scheme.hash), DERNull.INSTANCE);
        return new RSASSAPSSparams(hash, new AlgorithmIdentifier(PKCSObjectIdentifiers.id_mgf1, hash),
                new ASN1Integer(scheme.parameter), RSASSAPSSparams.DEFAULT_TRAILER_FIELD);
    }

    private static ASN1ObjectIdentifier hashOid(HashAlgorithm h) {
        return switch (h) {
            case SHA2_256 -> NISTObjectIdentifiers.id_sha256;
            case SHA2_384 -> NISTObjectIdentifiers.id_sha384;
            case SHA2_512 -> NISTObjectIdentifiers.id_sha512;
            default -> throw new IllegalArgumentException(h.toString());
        };
    }

    /** Maps a peer's AlgorithmIdentifier to a scheme by meaning, not bytes: RSA PKCS#1 parameters may be NULL or
     *  absent; PSS parameters must name exactly one of our PSS schemes (hash, MGF1 hash, salt, trailer 1). */
    static SignatureScheme parseAlgorithmIdentifier(byte[] der) throws IkeCryptoException {
        AlgorithmIdentifier id;
        try {
            id = AlgorithmIdentifier.getInstance(ASN1Primitive.fromByteArray(der));
        } catch (IOException | RuntimeException e) {
            throw new IkeCryptoException(IkeCryptoException.Reason.AUTH_MALFORMED, "bad AlgorithmIdentifier", e);
        }
        String oid = id.getAlgorithm().getId();
        ASN1Encodable params = id.getParameters();
        boolean noParams = params == null;
        boolean nullOrNoParams = noParams || params.toASN1Primitive() instanceof ASN1Null;
        for (SignatureScheme s : SignatureScheme.values()) {
            if (!s.isRfc7427() || !s.oid.equals(oid)) continue;
            if (s.isPss()) {
                if (!noParams && pssMatches(s, params)) return s;
            } else if (s.keyType == SignatureScheme.KeyType.RSA ? nullOrNoParams : noParams) {
                return s;
            }
        }
        throw new IkeCryptoException(IkeCryptoException.Reason.AUTH_SCHEME_REFUSED, "unsupported signature algorithm " + oid);
    }

    private static boolean pssMatches(SignatureScheme s, ASN1Encodable params) throws IkeCryptoException {
        RSASSAPSSparams p;
        try {
            p = RSASSAPSSparams.getInstance(params);
        } catch (RuntimeException e) {
            throw new IkeCryptoException(IkeCryptoException.Reason.AUTH_MALFORMED, "bad RSASSA-PSS parameters", e);
        }
        ASN1ObjectIdentifier want = hashOid(s.hash);
        AlgorithmIdentifier mgf = p.getMaskGenAlgorithm();
        if (!p.getHashAlgorithm().getAlgorithm().equals(want)) return false;
        if (!mgf.getAlgorithm().equals(PKCSObjectIdentifiers.id_mgf1)) return false;
        AlgorithmIdentifier mgfHash;
        try {
            mgfHash = AlgorithmIdentifier.getInstance(mgf.getParameters());
        } catch (RuntimeException e) {
            throw new IkeCryptoException(IkeCryptoException.Reason.AUTH_MALFORMED, "bad MGF1 parameters", e);
        }
        return mgfHash != null && mgfHash.getAlgorithm().equals(want)
                && p.getSaltLength().intValueExact() == s.parameter && p.getTrailerField().intValueExact() == 1;
    }

    /** Refuses a key of the wrong kind for the scheme, or a legacy ECDSA key on the wrong curve. */
    private static void checkKey(java.security.Key key, SignatureScheme scheme) throws IkeCryptoException {
        boolean ok = switch (scheme.keyType) {
            case RSA -> key instanceof RSAKey;
            case EC -> key instanceof ECKey ec && (scheme.isRfc7427()
                    || ec.getParams().getCurve().getField().getFieldSize() == scheme.parameter);
            case ED25519 -> key instanceof EdECKey ed
                    && ed.getParams() instanceof NamedParameterSpec n && n.getName().equalsIgnoreCase("Ed25519");
        };
        if (!ok)
            throw new IkeCryptoException(IkeCryptoException.Reason.AUTH_SCHEME_REFUSED,
                    scheme + " does not fit a " + key.getAlgorithm() + " key");
    }
}
