// ESP encryption transforms, with their IKEv2 transform IDs (IANA "Transform Type 1") and key sizes.
package bitw.ipsec.crypto;

public enum EncryptionAlgorithm {
    /** RFC 4106; key material = key + 4-byte salt. */
    AES_GCM_128("aes128gcm16", 20, 16, 8, 16, true),
    AES_GCM_256("aes256gcm16", 20, 32, 8, 16, true),
    /** RFC 3602. */
    AES_CBC_128("aes128", 12, 16, 16, 0, false),
    AES_CBC_256("aes256", 12, 32, 16, 0, false),
    /** RFC 7634; key material = key + 4-byte salt. */
    CHACHA20_POLY1305("chacha20poly1305", 28, 32, 8, 16, true),
    /** RFC 2451. */
    DES3_CBC("3des", 3, 24, 8, 0, false),
    /** RFC 2410: integrity only. */
    NULL("null", 11, 0, 0, 0, false);

    /** The name used in configuration and strongSwan proposals. */
    public final String configName;
    public final int ikev2Id;
    /** Cipher key length in bytes, without the salt. */
    public final int keyLength;
    /** Explicit IV length carried in each ESP packet. */
    public final int ivLength;
    /** ICV length for AEAD transforms, 0 otherwise. */
    public final int aeadIcvLength;
    public final boolean aead;

    EncryptionAlgorithm(String configName, int ikev2Id, int keyLength, int ivLength, int aeadIcvLength, boolean aead) {
        this.configName = configName;
        this.ikev2Id = ikev2Id;
        this.keyLength = keyLength;
        this.ivLength = ivLength;
        this.aeadIcvLength = aeadIcvLength;
        this.aead = aead;
    }

    /** Salt bytes appended to the key material (AEAD transforms). */
    public int saltLength() { return aead ? 4 : 0; }

    /** Total key material: key plus salt. */
    public int keyMaterialLength() { return keyLength + saltLength(); }

    public static EncryptionAlgorithm byConfigName(String name) {
        for (EncryptionAlgorithm a : values()) if (a.configName.equals(name)) return a;
        return null;
    }
}
