// Salted, slow password hashes for the console's local users. PBKDF2-HMAC-SHA256 from the JDK was chosen over
// Argon2id (Bouncy Castle) so the console needs no extra provider on the firmware image. 310,000 iterations
// (OWASP's 2021 figure; ~0.2 s per login on a 2-core box) are the default; the count is stored in each hash so
// it can be raised later without invalidating existing users. Format: pbkdf2-sha256$<iterations>$<salt b64>$<hash b64>.
package bitw.mgmt;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

public final class PasswordHash {
    public static final String SCHEME = "pbkdf2-sha256";
    public static final int DEFAULT_ITERATIONS = 310_000;
    public static final int MIN_ITERATIONS = 200_000;
    static final int SALT_BYTES = 16, HASH_BYTES = 32;
    private static final SecureRandom RANDOM = new SecureRandom();

    private PasswordHash() {}

    /** A new hash with a fresh random salt. */
    public static String hash(char[] password) { return hash(password, DEFAULT_ITERATIONS); }

    static String hash(char[] password, int iterations) {
        byte[] salt = new byte[SALT_BYTES];
        RANDOM.nextBytes(salt);
        byte[] h = derive(password, salt, iterations);
        Base64.Encoder b64 = Base64.getEncoder().withoutPadding();
        return SCHEME + "$" + iterations + "$" + b64.encodeToString(salt) + "$" + b64.encodeToString(h);
    }

    /**
     * True when {@code password} matches {@code encoded}. A malformed hash, or one with fewer than MIN_ITERATIONS,
     * never matches (it still costs a full derivation, so a broken entry is not distinguishable by timing).
     */
    public static boolean verify(char[] password, String encoded) {
        String[] parts = encoded == null ? new String[0] : encoded.split("\\$");
        int iterations = DEFAULT_ITERATIONS;
        byte[] salt = new byte[SALT_BYTES], expected = null;
        try {
            if (parts.length == 4 && parts[0].equals(SCHEME)) {
                iterations = Integer.parseInt(parts[1]);
                salt = Base64.getDecoder().decode(parts[2]);
                expected = Base64.getDecoder().decode(parts[3]);
            }
        } catch (IllegalArgumentException malformed) {
            expected = null;
        }
        boolean usable = expected != null && iterations >= MIN_ITERATIONS && iterations <= 10_000_000 && expected.length == HASH_BYTES;
        byte[] actual = derive(password, salt, usable ? iterations : DEFAULT_ITERATIONS);
        return usable & MessageDigest.isEqual(actual, expected == null ? new byte[HASH_BYTES] : expected);
    }

    /** Burns the same time as a real verification: used for unknown user names so they cannot be told apart. */
    static void verifyNothing(char[] password) { derive(password, new byte[SALT_BYTES], DEFAULT_ITERATIONS); }

    private static byte[] derive(char[] password, byte[] salt, int iterations) {
        PBEKeySpec spec = new PBEKeySpec(password, salt, iterations, HASH_BYTES * 8);
        try {
            return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("PBKDF2WithHmacSHA256 unavailable", e);
        } finally {
            spec.clearPassword();
        }
    }

    /**
     * Why {@code password} is too weak for {@code user}, or null when it is acceptable: at least 10 characters,
     * at least 5 different characters, two character classes, and not containing the user name.
     */
    public static String weakness(String user, char[] password) {
        if (password.length < 10) return "password too short: at least 10 characters";
        java.util.Set<Character> distinct = new java.util.HashSet<>();
        boolean lower = false, upper = false, digit = false, other = false;
        for (char c : password) {
            distinct.add(c);
            if (c < 0x20 || c == 0x7f) return "password must not contain control characters";
            if (Character.isLowerCase(c)) lower = true;
            else if (Character.isUpperCase(c)) upper = true;
            else if (Character.isDigit(c)) digit = true;
            else other = true;
        }
        if (distinct.size() < 5) return "password too repetitive: at least 5 different characters";
        int classes = (lower ? 1 : 0) + (upper ? 1 : 0) + (digit ? 1 : 0) + (other ? 1 : 0);
        if (classes < 2) return "password needs at least two of: lower case, upper case, digits, other characters";
        if (user != null && !user.isEmpty() && new String(password).toLowerCase().contains(user.toLowerCase()))
            return "password must not contain the user name";
        return null;
    }
}
