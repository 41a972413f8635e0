// IKEv2 pseudo-random functions (IANA "Transform Type 2") by their strongSwan proposal names; the PRF an IKE SA
// derives its keys with (RFC 7296 section 2.13). Part of the proposal model the IKE engine negotiates from.
package bitw.config;

import bitw.ipsec.crypto.IntegrityAlgorithm;

public enum Prf {
    HMAC_SHA1("prfsha1", 2, "HmacSHA1"),
    HMAC_SHA256("prfsha256", 5, "HmacSHA256"),
    HMAC_SHA384("prfsha384", 6, "HmacSHA384"),
    HMAC_SHA512("prfsha512", 7, "HmacSHA512");

    public final String configName;
    public final int ikev2Id;
    /** JCE Mac algorithm name. */
    public final String jceName;

    Prf(String configName, int ikev2Id, String jceName) {
        this.configName = configName;
        this.ikev2Id = ikev2Id;
        this.jceName = jceName;
    }

    public static Prf byConfigName(String name) {
        for (Prf p : values()) if (p.configName.equals(name)) return p;
        return null;
    }

    /** strongSwan's rule for a non-AEAD proposal without a prf: the PRF of the same hash; null for md5 (no such PRF here). */
    public static Prf matching(IntegrityAlgorithm integrity) {
        return switch (integrity) {
            case HMAC_SHA1_96 -> HMAC_SHA1;
            case HMAC_SHA256_128 -> HMAC_SHA256;
            case HMAC_SHA384_192 -> HMAC_SHA384;
            case HMAC_SHA512_256 -> HMAC_SHA512;
            case NONE, HMAC_MD5_96 -> null;
        };
    }
}
