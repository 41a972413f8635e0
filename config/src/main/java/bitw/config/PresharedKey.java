// The IKE pre-shared key of a connection ('psk <secret>'). Compared by content in constant time so configurations
// compare by value; toString never shows the secret, so it cannot leak into logs. Configuration.render() does
// write it (ConnectionConfig.render via reveal()): the file must round-trip, and it is the secret's home.
package bitw.config;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

public final class PresharedKey {
    /** Shorter keys are rejected: offline dictionary attacks on a captured IKE_AUTH exchange are cheap. */
    public static final int MIN_LENGTH = 8;
    /** Recommended minimum (Validator.warnings reports shorter keys). */
    public static final int RECOMMENDED_LENGTH = 16;
    /** Bounds what a hostile file can make us hold. */
    public static final int MAX_LENGTH = 256;

    private final String secret;

    private PresharedKey(String secret) { this.secret = secret; }

    /** Any text; length rules are the Validator's (so the console can say what is wrong with a line number). */
    public static PresharedKey of(String secret) { return new PresharedKey(secret); }

    /** Number of characters. */
    public int length() { return secret.length(); }

    /** The key as bytes for IKE's AUTH computation (RFC 7296 section 2.15): the UTF-8 of the text as written. */
    public byte[] toBytes() { return secret.getBytes(StandardCharsets.UTF_8); }

    /** The secret text itself: for render() and the IKE engine only, never for logs. */
    public String reveal() { return secret; }

    @Override public boolean equals(Object o) {
        return o instanceof PresharedKey k && MessageDigest.isEqual(toBytes(), k.toBytes());
    }

    @Override public int hashCode() { return secret.length(); }

    @Override public String toString() { return "PresharedKey[" + secret.length() + " characters]"; }
}
