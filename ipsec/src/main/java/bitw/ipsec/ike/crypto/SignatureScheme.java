// Signature schemes for IKEv2 AUTH payloads: RFC 7427 Digital Signature (auth method 14), identified by an ASN.1
// AlgorithmIdentifier inside the AUTH data, and the older fixed methods RSA (1, SHA-1, RFC 7296 §3.8) and ECDSA
// 9/10/11 (RFC 4754, curve and hash tied to the method, r|s signature). IkeAuthentication signs and verifies.
package bitw.ipsec.ike.crypto;

import java.security.spec.AlgorithmParameterSpec;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;

public enum SignatureScheme {
    RSA_PKCS1_SHA256(14, "SHA256withRSA", KeyType.RSA, HashAlgorithm.SHA2_256, "1.2.840.113549.1.1.11", 0),
    RSA_PKCS1_SHA384(14, "SHA384withRSA", KeyType.RSA, HashAlgorithm.SHA2_384, "1.2.840.113549.1.1.12", 0),
    RSA_PKCS1_SHA512(14, "SHA512withRSA", KeyType.RSA, HashAlgorithm.SHA2_512, "1.2.840.113549.1.1.13", 0),
    /** RSASSA-PSS, SHA-256, MGF1 with SHA-256, 32-byte salt, trailer 1 (RFC 7427 §A.4.3). */
    RSA_PSS_SHA256(14, "RSASSA-PSS", KeyType.RSA, HashAlgorithm.SHA2_256, "1.2.840.113549.1.1.10", 32),
    RSA_PSS_SHA384(14, "RSASSA-PSS", KeyType.RSA, HashAlgorithm.SHA2_384, "1.2.840.113549.1.1.10", 48),
    RSA_PSS_SHA512(14, "RSASSA-PSS", KeyType.RSA, HashAlgorithm.SHA2_512, "1.2.840.113549.1.1.10", 64),
    /** RFC 7427 ECDSA: DER Ecdsa-Sig-Value, any NIST curve. */
    ECDSA_SHA256(14, "SHA256withECDSA", KeyType.EC, HashAlgorithm.SHA2_256, "1.2.840.10045.4.3.2", 0),
    ECDSA_SHA384(14, "SHA384withECDSA", KeyType.EC, HashAlgorithm.SHA2_384, "1.2.840.10045.4.3.3", 0),
    ECDSA_SHA512(14, "SHA512withECDSA", KeyType.EC, HashAlgorithm.SHA2_512, "1.2.840.10045.4.3.4", 0),
    /** RFC 8420. */
    ED25519(14, "Ed25519", KeyType.ED25519, HashAlgorithm.IDENTITY, "1.3.101.112", 0),
    /** Auth method 1: RSASSA-PKCS1-v1_5 with SHA-1 over the signed octets. */
    LEGACY_RSA_SHA1(1, "SHA1withRSA", KeyType.RSA, HashAlgorithm.SHA1, null, 0),
    /** Auth methods 9, 10, 11 (RFC 4754): curve fixed by the method, signature r | s of fixed length. */
    LEGACY_ECDSA_P256_SHA256(9, "SHA256withECDSAinP1363Format", KeyType.EC, HashAlgorithm.SHA2_256, null, 256),
    LEGACY_ECDSA_P384_SHA384(10, "SHA384withECDSAinP1363Format", KeyType.EC, HashAlgorithm.SHA2_384, null, 384),
    LEGACY_ECDSA_P521_SHA512(11, "SHA512withECDSAinP1363Format", KeyType.EC, HashAlgorithm.SHA2_512, null, 521);

    public enum KeyType { RSA, EC, ED25519 }

    /** Auth method in the AUTH payload header. */
    public final int authMethod;
    final String jceName;
    public final KeyType keyType;
    /** Hash id to look for in the peer's SIGNATURE_HASH_ALGORITHMS (RFC 7427 schemes only). */
    public final HashAlgorithm hash;
    /** OID of the RFC 7427 AlgorithmIdentifier, null for the legacy methods. */
    final String oid;
    /** PSS salt length, or for legacy ECDSA the curve field size in bits. */
    final int parameter;

    SignatureScheme(int authMethod, String jceName, KeyType keyType, HashAlgorithm hash, String oid, int parameter) {
        this.authMethod = authMethod;
        this.jceName = jceName;
        this.keyType = keyType;
        this.hash = hash;
        this.oid = oid;
        this.parameter = parameter;
    }

    public boolean isRfc7427() { return authMethod == 14; }

    boolean isPss() { return jceName.equals("RSASSA-PSS"); }

    String hashJceName() {
        return switch (hash) {
            case SHA1 -> "SHA-1";
            case SHA2_256 -> "SHA-256";
            case SHA2_384 -> "SHA-384";
            case SHA2_512 -> "SHA-512";
            case IDENTITY -> null;
        };
    }

    /** JCE parameters for PSS; null for the others. */
    AlgorithmParameterSpec jceParameters() {
        if (!isPss()) return null;
        return new PSSParameterSpec(hashJceName(), "MGF1", new MGF1ParameterSpec(hashJceName()), parameter, 1);
    }

    /** Legacy ECDSA methods: coordinate length of the fixed r|s encoding. */
    int legacyCoordinateLength() { return (parameter + 7) / 8; }
}
