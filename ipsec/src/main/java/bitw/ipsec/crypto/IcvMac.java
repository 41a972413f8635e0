// The truncated HMAC integrity check shared by ESP (RFC 4303 §3.3.2, §3.4.4) and AH (RFC 4302 §3.3.3):
// HMAC-SHA-256-128, -384-192, -512-256 (RFC 4868), HMAC-SHA1-96 (RFC 2404), HMAC-MD5-96 (RFC 2403).
//
// HMAC (RFC 2104) is built here on two MessageDigests rather than on javax.crypto.Mac because
// Mac.doFinal(byte[], int) allocates its result internally on every call (SunJCE's HmacCore returns a fresh
// array), while MessageDigest.digest(byte[], int, int) writes into ours. The hashes are the same SunJCE
// implementations (with their intrinsics); the known-answer tests pin the construction.
package bitw.ipsec.crypto;

import java.security.DigestException;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;

import bitw.ipsec.packet.Bytes;

final class IcvMac {
    final IntegrityAlgorithm algorithm;
    final int icvLength;
    private final MessageDigest inner, outer;
    private final byte[] innerPad, outerPad;
    private final byte[] innerHash, full;
    private final byte[] seqHigh = new byte[4];
    /** Whether the inner digest already holds the key block for the packet in progress. */
    private boolean started;

    IcvMac(IntegrityAlgorithm algorithm, byte[] key) {
        if (algorithm == IntegrityAlgorithm.NONE) throw new IllegalArgumentException("integrity algorithm NONE has no ICV");
        if (key == null || key.length != algorithm.keyLength)
            throw new IllegalArgumentException(algorithm + " needs a " + algorithm.keyLength + "-byte key, got "
                    + (key == null ? "none" : key.length + " bytes"));
        this.algorithm = algorithm;
        this.icvLength = algorithm.icvLength;
        String digest = switch (algorithm) {
            case HMAC_SHA256_128 -> "SHA-256";
            case HMAC_SHA384_192 -> "SHA-384";
            case HMAC_SHA512_256 -> "SHA-512";
            case HMAC_SHA1_96 -> "SHA-1";
            case HMAC_MD5_96 -> "MD5";
            case NONE -> throw new AssertionError();
        };
        int blockSize = algorithm == IntegrityAlgorithm.HMAC_SHA384_192 || algorithm == IntegrityAlgorithm.HMAC_SHA512_256 ? 128 : 64;
        try {
            inner = MessageDigest.getInstance(digest, "SUN");
            outer = MessageDigest.getInstance(digest, "SUN");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(digest + " unavailable", e);
        }
        byte[] k = key.length > blockSize ? inner.digest(key) : key; // RFC 2104 §2; IPsec keys never are longer
        innerPad = new byte[blockSize];
        outerPad = new byte[blockSize];
        for (int i = 0; i < blockSize; i++) {
            byte b = i < k.length ? k[i] : 0;
            innerPad[i] = (byte) (b ^ 0x36);
            outerPad[i] = (byte) (b ^ 0x5c);
        }
        innerHash = new byte[inner.getDigestLength()];
        full = new byte[inner.getDigestLength()];
    }

    void update(byte[] buf, int off, int len) {
        start();
        inner.update(buf, off, len);
    }

    /** The high-order 32 bits of an extended sequence number, appended to the ICV input but never sent. */
    void updateSeqHigh(long seq) {
        Bytes.put32(seqHigh, 0, (int) (seq >>> 32));
        update(seqHigh, 0, 4);
    }

    /** Ends the computation and writes the truncated ICV to {@code dst[off, +icvLength)}. */
    void finishInto(byte[] dst, int off) {
        finish();
        System.arraycopy(full, 0, dst, off, icvLength);
    }

    /** Ends the computation and compares with {@code buf[off, +icvLength)} in time independent of the contents. */
    boolean finishAndVerify(byte[] buf, int off) {
        finish();
        int diff = 0;
        for (int i = 0; i < icvLength; i++) diff |= full[i] ^ buf[off + i];
        return diff == 0;
    }

    private void start() {
        if (!started) {
            inner.update(innerPad, 0, innerPad.length);
            started = true;
        }
    }

    private void finish() {
        start();
        started = false;
        try {
            inner.digest(innerHash, 0, innerHash.length);
            outer.update(outerPad, 0, outerPad.length);
            outer.update(innerHash, 0, innerHash.length);
            outer.digest(full, 0, full.length);
        } catch (DigestException e) {
            throw new IllegalStateException("scratch sized from getDigestLength()", e);
        }
    }
}
