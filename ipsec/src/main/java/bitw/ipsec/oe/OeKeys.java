// Public keys as DNS publishes them, turned into java.security keys for IKE's raw-public-key authentication
// (RFC 7670). RSA keys use the RFC 3110 layout (KEY RR, IPSECKEY algorithm 2, the TXT delegation record);
// IPSECKEY also allows DSA (RFC 2536 layout) and ECDSA (uncompressed x || y, P-256 or P-384).
// Sits under OeRecords: records hand their key bytes here; nothing here touches the network.
package bitw.ipsec.oe;

import java.math.BigInteger;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.DSAPublicKeySpec;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPublicKeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.util.Arrays;

public final class OeKeys {
    /** Smaller moduli are factorable today; RFC 3110's own upper bound is 4096 bits, newer keys go beyond. */
    public static final int MIN_RSA_BITS = 1024, MAX_RSA_BITS = 8192;

    private OeKeys() {}

    /** Thrown with a human-readable reason when key bytes are not a usable key. */
    public static final class BadKeyException extends Exception {
        public BadKeyException(String reason) { super(reason); }
    }

    /**
     * RFC 3110: one exponent-length byte (or 0 followed by a two-byte length), the exponent, then the modulus,
     * both big-endian without leading zero octets.
     */
    public static PublicKey rsaFromRfc3110(byte[] b) throws BadKeyException {
        if (b == null || b.length < 3) throw new BadKeyException("RSA key too short (" + (b == null ? 0 : b.length) + " bytes)");
        int expLen = b[0] & 0xff, off = 1;
        if (expLen == 0) {
            expLen = ((b[1] & 0xff) << 8) | (b[2] & 0xff);
            off = 3;
            if (expLen == 0) throw new BadKeyException("RSA exponent length 0");
        }
        if (off + expLen >= b.length) throw new BadKeyException("RSA exponent length " + expLen + " leaves no modulus in " + b.length + " bytes");
        if (b[off] == 0) throw new BadKeyException("RSA exponent has a leading zero octet");
        if (b[off + expLen] == 0) throw new BadKeyException("RSA modulus has a leading zero octet");
        BigInteger e = new BigInteger(1, Arrays.copyOfRange(b, off, off + expLen));
        BigInteger n = new BigInteger(1, Arrays.copyOfRange(b, off + expLen, b.length));
        if (n.bitLength() < MIN_RSA_BITS || n.bitLength() > MAX_RSA_BITS)
            throw new BadKeyException("RSA modulus of " + n.bitLength() + " bits (allowed " + MIN_RSA_BITS + ".." + MAX_RSA_BITS + ")");
        if (!e.testBit(0) || e.compareTo(BigInteger.ONE) <= 0) throw new BadKeyException("RSA exponent " + e + " is not an odd number > 1");
        if (!n.testBit(0)) throw new BadKeyException("RSA modulus is even");
        try {
            return KeyFactory.getInstance("RSA").generatePublic(new RSAPublicKeySpec(n, e));
        } catch (GeneralSecurityException ex) {
            throw new BadKeyException("RSA key refused: " + ex.getMessage());
        }
    }

    /** The RFC 3110 bytes of an RSA key (publishing keys, tests, lab zones). */
    public static byte[] rfc3110(RSAPublicKey key) {
        byte[] e = unsigned(key.getPublicExponent()), n = unsigned(key.getModulus());
        int head = e.length <= 255 ? 1 : 3;
        byte[] out = new byte[head + e.length + n.length];
        if (head == 1) out[0] = (byte) e.length;
        else { out[1] = (byte) (e.length >>> 8); out[2] = (byte) e.length; }
        System.arraycopy(e, 0, out, head, e.length);
        System.arraycopy(n, 0, out, head + e.length, n.length);
        return out;
    }

    /** RFC 2536: T, Q (20 bytes), P, G, Y (64 + 8T bytes each). */
    public static PublicKey dsaFromRfc2536(byte[] b) throws BadKeyException {
        if (b == null || b.length < 1) throw new BadKeyException("DSA key empty");
        int t = b[0] & 0xff;
        if (t > 8) throw new BadKeyException("DSA T=" + t + " > 8");
        int len = 64 + 8 * t;
        if (b.length != 1 + 20 + 3 * len) throw new BadKeyException("DSA key of " + b.length + " bytes, T=" + t + " needs " + (21 + 3 * len));
        BigInteger q = new BigInteger(1, Arrays.copyOfRange(b, 1, 21));
        BigInteger p = new BigInteger(1, Arrays.copyOfRange(b, 21, 21 + len));
        BigInteger g = new BigInteger(1, Arrays.copyOfRange(b, 21 + len, 21 + 2 * len));
        BigInteger y = new BigInteger(1, Arrays.copyOfRange(b, 21 + 2 * len, 21 + 3 * len));
        try {
            return KeyFactory.getInstance("DSA").generatePublic(new DSAPublicKeySpec(y, p, q, g));
        } catch (GeneralSecurityException ex) {
            throw new BadKeyException("DSA key refused: " + ex.getMessage());
        }
    }

    /** ECDSA point x || y; the length picks the curve (64 bytes P-256, 96 bytes P-384). */
    public static PublicKey ecdsaFromPoint(byte[] b) throws BadKeyException {
        String curve = b == null ? null : switch (b.length) { case 64 -> "secp256r1"; case 96 -> "secp384r1"; default -> null; };
        if (curve == null) throw new BadKeyException("ECDSA key of " + (b == null ? 0 : b.length) + " bytes (P-256 needs 64, P-384 96)");
        int half = b.length / 2;
        try {
            AlgorithmParameters params = AlgorithmParameters.getInstance("EC");
            params.init(new ECGenParameterSpec(curve));
            ECPoint w = new ECPoint(new BigInteger(1, Arrays.copyOfRange(b, 0, half)), new BigInteger(1, Arrays.copyOfRange(b, half, b.length)));
            return KeyFactory.getInstance("EC").generatePublic(new ECPublicKeySpec(w, params.getParameterSpec(ECParameterSpec.class)));
        } catch (GeneralSecurityException ex) {
            throw new BadKeyException("ECDSA key refused (" + curve + "): " + ex.getMessage());
        }
    }

    private static byte[] unsigned(BigInteger v) {
        byte[] b = v.toByteArray();
        return b[0] == 0 && b.length > 1 ? Arrays.copyOfRange(b, 1, b.length) : b;
    }
}
