// Stateless COOKIE notify values for IKE_SA_INIT under load (RFC 7296 §2.6):
// Cookie = VersionIdOfSecret | SHA-256(Ni | IPi | SPIi | secret). The responder keeps only the current and the
// previous secret; rotate() retires the older one, so a cookie stays valid across at most one rotation.
package bitw.ipsec.ike.crypto;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Arrays;

public final class CookieGenerator {
    private static final int SECRET_LENGTH = 32, VERSION_LENGTH = 4, HASH_LENGTH = 32;
    public static final int COOKIE_LENGTH = VERSION_LENGTH + HASH_LENGTH;

    private final SecureRandom random;
    private int version;
    private byte[] secret;
    private byte[] previousSecret;   // null until the first rotation

    public CookieGenerator(SecureRandom random) {
        this.random = random;
        this.version = random.nextInt();
        this.secret = newSecret();
    }

    /** The cookie to send in a COOKIE notify to an initiator at this address (4 or 16 bytes). */
    public byte[] cookie(byte[] ni, byte[] initiatorAddress, long spiI) {
        return cookie(version, secret, ni, initiatorAddress, spiI);
    }

    /** True if the initiator returned a cookie made with the current or the previous secret for these values. */
    public boolean verify(byte[] cookie, byte[] ni, byte[] initiatorAddress, long spiI) {
        if (cookie.length != COOKIE_LENGTH) return false;
        int v = ByteBuffer.wrap(cookie).getInt();
        byte[] s = v == version ? secret : v == version - 1 && previousSecret != null ? previousSecret : null;
        return s != null && MessageDigest.isEqual(cookie, cookie(v, s, ni, initiatorAddress, spiI));
    }

    /** Starts a new secret; cookies from the one before the previous secret stop verifying. */
    public void rotate() {
        if (previousSecret != null) Arrays.fill(previousSecret, (byte) 0);
        previousSecret = secret;
        secret = newSecret();
        version++;
    }

    private byte[] newSecret() {
        byte[] s = new byte[SECRET_LENGTH];
        random.nextBytes(s);
        return s;
    }

    private static byte[] cookie(int version, byte[] secret, byte[] ni, byte[] address, long spiI) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(ni);
            sha.update(address);
            sha.update(ByteBuffer.allocate(8).putLong(spiI).array());
            sha.update(secret);
            return ByteBuffer.allocate(COOKIE_LENGTH).putInt(version).put(sha.digest()).array();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
