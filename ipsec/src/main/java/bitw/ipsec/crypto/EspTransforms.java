// Builds the EspTransform for one direction of one SA from its negotiated algorithms and keys (RFC 4303).
// Called at SA installation, never per packet; all checks that can fail happen here.
package bitw.ipsec.crypto;

import java.security.SecureRandom;

public final class EspTransforms {
    private static final SecureRandom RANDOM = new SecureRandom();

    private EspTransforms() {}

    /**
     * @param encKeyMaterial the cipher key, followed by the 4-byte salt for AEAD algorithms (RFC 4106 §8.1,
     *                       RFC 7634 §4); empty or null for NULL encryption
     * @param integKey       the HMAC key, or null/empty with {@link IntegrityAlgorithm#NONE}
     * @throws IllegalArgumentException naming the problem when the combination or a key length is wrong
     */
    public static EspTransform create(EncryptionAlgorithm enc, byte[] encKeyMaterial, IntegrityAlgorithm integ, byte[] integKey) {
        return create(enc, encKeyMaterial, integ, integKey, null);
    }

    /** As {@link #create(EncryptionAlgorithm, byte[], IntegrityAlgorithm, byte[])} with a chosen IV source (tests). */
    static EspTransform create(EncryptionAlgorithm enc, byte[] encKeyMaterial, IntegrityAlgorithm integ, byte[] integKey, IvSource ivSource) {
        if (enc == null || integ == null) throw new IllegalArgumentException("encryption and integrity algorithms are required (use NONE for AEAD)");
        byte[] material = encKeyMaterial == null ? new byte[0] : encKeyMaterial;
        if (material.length != enc.keyMaterialLength())
            throw new IllegalArgumentException(enc + " needs " + enc.keyMaterialLength() + " bytes of key material"
                    + (enc.aead ? " (" + enc.keyLength + "-byte key + 4-byte salt)" : "") + ", got " + material.length);
        if (enc.aead) {
            if (integ != IntegrityAlgorithm.NONE)
                throw new IllegalArgumentException(enc + " is an AEAD algorithm and takes integrity NONE, not " + integ);
            if (integKey != null && integKey.length != 0)
                throw new IllegalArgumentException(enc + " is an AEAD algorithm and takes no integrity key");
            return new AeadEspTransform(enc, material, ivSource != null ? ivSource : IvSource.SEQUENCE);
        }
        if (integ == IntegrityAlgorithm.NONE)
            throw new IllegalArgumentException(enc == EncryptionAlgorithm.NULL
                    ? "NULL encryption without integrity protects nothing (RFC 2410): choose an HMAC"
                    : enc + " is not an AEAD algorithm and needs an integrity algorithm (ESP confidentiality-only SAs are not supported)");
        IcvMac icv = new IcvMac(integ, integKey);
        IvSource iv = ivSource != null ? ivSource : enc.ivLength == 0 ? null : new IvSource.EncryptedSequence(RANDOM);
        return new EncryptThenMacEspTransform(enc, material, icv, iv);
    }
}
