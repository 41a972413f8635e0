// Manually keyed secret bytes (an SA's cipher key + salt, or its HMAC key). Compared by content so configurations
// compare by value; toString never shows the bytes, so keys do not leak into logs. EMPTY means "not given".
package bitw.config;

import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;

public final class KeyMaterial {
    public static final KeyMaterial EMPTY = new KeyMaterial(new byte[0]);
    /** Longer than any transform needs; bounds what a hostile file can make us hold. */
    public static final int MAX_BYTES = 128;

    private final byte[] bytes;

    private KeyMaterial(byte[] bytes) { this.bytes = bytes; }

    public static KeyMaterial of(byte[] bytes) {
        return bytes.length == 0 ? EMPTY : new KeyMaterial(bytes.clone());
    }

    /**
     * Parses hex: an optional "0x", then pairs of hex digits, optionally separated by ':' ("0a:1b:2c").
     * Throws IllegalArgumentException saying what is wrong.
     */
    public static KeyMaterial parseHex(String text) {
        String t = text.startsWith("0x") || text.startsWith("0X") ? text.substring(2) : text;
        if (t.isEmpty()) throw new IllegalArgumentException("empty key");
        if (t.length() > 3 * MAX_BYTES) throw new IllegalArgumentException("key longer than " + MAX_BYTES + " bytes");
        for (int i = 0; i < t.length(); i++) {
            char c = t.charAt(i);
            if (c != ':' && (Character.digit(c, 16) < 0 || c > 'f'))
                throw new IllegalArgumentException("'" + printable(c) + "' is not a hex digit");
        }
        String digits;
        if (t.indexOf(':') >= 0) {
            // With separators every group is exactly two digits, so "a:bc" cannot silently mean "abc".
            for (String group : t.split(":", -1))
                if (group.length() != 2) throw new IllegalArgumentException("key groups between ':' must be two hex digits");
            digits = t.replace(":", "");
        } else {
            digits = t;
        }
        if (digits.length() % 2 != 0) throw new IllegalArgumentException("odd number of hex digits in key");
        if (digits.length() / 2 > MAX_BYTES) throw new IllegalArgumentException("key longer than " + MAX_BYTES + " bytes");
        return new KeyMaterial(HexFormat.of().parseHex(digits));
    }

    private static String printable(char c) {
        return c >= 0x20 && c < 0x7f ? String.valueOf(c) : String.format("\\u%04x", (int) c);
    }

    public int length() { return bytes.length; }

    public boolean isEmpty() { return bytes.length == 0; }

    /** A copy of the key bytes. */
    public byte[] toBytes() { return bytes.clone(); }

    /** Lowercase hex without prefix or separators: the canonical rendering. */
    public String toHex() { return HexFormat.of().formatHex(bytes); }

    @Override public boolean equals(Object o) {
        return o instanceof KeyMaterial k && MessageDigest.isEqual(bytes, k.bytes);
    }

    @Override public int hashCode() { return Arrays.hashCode(bytes); }

    @Override public String toString() { return "KeyMaterial[" + bytes.length + " bytes]"; }
}
