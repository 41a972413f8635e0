// ESP/AH integrity transforms, with IKEv2 transform IDs (IANA "Transform Type 3").
package bitw.ipsec.crypto;

public enum IntegrityAlgorithm {
    /** Only valid with an AEAD encryption transform. */
    NONE("none", 0, null, 0, 0),
    HMAC_SHA256_128("sha256", 12, "HmacSHA256", 32, 16),
    HMAC_SHA384_192("sha384", 13, "HmacSHA384", 48, 24),
    HMAC_SHA512_256("sha512", 14, "HmacSHA512", 64, 32),
    HMAC_SHA1_96("sha1", 2, "HmacSHA1", 20, 12),
    HMAC_MD5_96("md5", 1, "HmacMD5", 16, 12);

    public final String configName;
    public final int ikev2Id;
    /** JCE Mac algorithm name. */
    public final String jceName;
    public final int keyLength;
    /** Truncated ICV length on the wire. */
    public final int icvLength;

    IntegrityAlgorithm(String configName, int ikev2Id, String jceName, int keyLength, int icvLength) {
        this.configName = configName;
        this.ikev2Id = ikev2Id;
        this.jceName = jceName;
        this.keyLength = keyLength;
        this.icvLength = icvLength;
    }

    public static IntegrityAlgorithm byConfigName(String name) {
        for (IntegrityAlgorithm a : values()) if (a.configName.equals(name)) return a;
        return null;
    }
}
