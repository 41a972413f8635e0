// One ESP SA as tshark's "esp_sa" UAT table needs it, so Capture.decryptEsp can decrypt and verify our traffic.
// Names of algorithms are tshark 4.0's own strings (see /work/shared/LAB.md).
package bitw.lab;

import java.util.HexFormat;
import java.util.Locale;

/**
 * {@code family} is "IPv4" or "IPv6"; {@code src}/{@code dst} an address or "*"; key strings are hex with or without
 * "0x". For AES-GCM the encryption key is key + 4-byte salt. Use the constants below for algorithm names.
 */
public record EspSa(String family, String src, String dst, long spi, String encName, String encKeyHex,
        String authName, String authKeyHex) {

    public static final String ENC_NULL = "NULL";
    public static final String ENC_3DES_CBC = "TripleDES-CBC [RFC2451]";
    public static final String ENC_AES_CBC = "AES-CBC [RFC3602]";
    public static final String ENC_AES_CTR = "AES-CTR [RFC3686]";
    public static final String ENC_AES_GCM_16 = "AES-GCM with 16 octet ICV [RFC4106]";
    public static final String AUTH_NULL = "NULL";
    public static final String AUTH_HMAC_SHA1_96 = "HMAC-SHA-1-96 [RFC2404]";
    public static final String AUTH_HMAC_SHA256_128 = "HMAC-SHA-256-128 [RFC4868]";
    public static final String AUTH_HMAC_SHA384_192 = "HMAC-SHA-384-192 [RFC4868]";
    public static final String AUTH_HMAC_SHA512_256 = "HMAC-SHA-512-256 [RFC4868]";
    public static final String AUTH_HMAC_MD5_96 = "HMAC-MD5-96 [RFC2403]";

    public EspSa {
        if (!family.equals("IPv4") && !family.equals("IPv6")) {
            throw new IllegalArgumentException("family must be IPv4 or IPv6 (tshark has no 'Any'): " + family);
        }
        encKeyHex = normalizeHex(encKeyHex);
        authKeyHex = normalizeHex(authKeyHex);
    }

    /** AES-GCM with a 16-byte ICV; {@code keyAndSaltHex} is the AES key followed by the 4-byte salt. */
    public static EspSa aesGcm16(String src, String dst, long spi, String keyAndSaltHex) {
        return new EspSa(familyOf(src, dst), src, dst, spi, ENC_AES_GCM_16, keyAndSaltHex, AUTH_NULL, "");
    }

    public static EspSa aesCbcHmacSha256(String src, String dst, long spi, String encKeyHex, String authKeyHex) {
        return new EspSa(familyOf(src, dst), src, dst, spi, ENC_AES_CBC, encKeyHex, AUTH_HMAC_SHA256_128, authKeyHex);
    }

    public static EspSa aesCbcHmacSha1(String src, String dst, long spi, String encKeyHex, String authKeyHex) {
        return new EspSa(familyOf(src, dst), src, dst, spi, ENC_AES_CBC, encKeyHex, AUTH_HMAC_SHA1_96, authKeyHex);
    }

    public static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }

    /** The record in tshark's UAT syntax: exactly 8 quoted, comma-separated fields. */
    public String uatRecord() {
        return quote(family) + "," + quote(src) + "," + quote(dst) + "," + quote(String.format("0x%08x", spi)) + ","
                + quote(encName) + "," + quote(encKeyHex.isEmpty() ? "" : "0x" + encKeyHex) + ","
                + quote(authName) + "," + quote(authKeyHex.isEmpty() ? "" : "0x" + authKeyHex);
    }

    private static String familyOf(String src, String dst) {
        return src.contains(":") || dst.contains(":") ? "IPv6" : "IPv4";
    }

    private static String normalizeHex(String hex) {
        String h = hex == null ? "" : hex.strip().toLowerCase(Locale.ROOT);
        if (h.startsWith("0x")) {
            h = h.substring(2);
        }
        if (!h.matches("([0-9a-f]{2})*")) {
            throw new IllegalArgumentException("not an even-length hex string: " + hex);
        }
        return h;
    }

    private static String quote(String s) {
        if (s.contains("\"")) {
            throw new IllegalArgumentException("quote in UAT field: " + s);
        }
        return "\"" + s + "\"";
    }
}
