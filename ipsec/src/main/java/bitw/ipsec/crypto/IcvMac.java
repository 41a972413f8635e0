// The truncated HMAC integrity check shared by ESP (RFC 4303 §3.3.2, §3.4.4) and AH (RFC 4302 §3.3.3):
// HMAC-SHA-256-128, -384-192, -512-256 (RFC 4868), HMAC-SHA1-96 (RFC 2404), HMAC-MD5-96 (RFC 2403).
package bitw.ipsec.crypto;

import java.security.GeneralSecurityException;
import javax.crypto.Mac;
import javax.crypto.ShortBufferException;
import javax.crypto.spec.SecretKeySpec;

import bitw.ipsec.packet.Bytes;

final class IcvMac {
    final IntegrityAlgorithm algorithm;
    final int icvLength;
    private final Mac mac;
    private final byte[] full;
    private final byte[] seqHigh = new byte[4];

    IcvMac(IntegrityAlgorithm algorithm, byte[] key) {
        if (algorithm == IntegrityAlgorithm.NONE) throw new IllegalArgumentException("integrity algorithm NONE has no ICV");
        if (key == null || key.length != algorithm.keyLength)
            throw new IllegalArgumentException(algorithm + " needs a " + algorithm.keyLength + "-byte key, got "
                    + (key == null ? "none" : key.length + " bytes"));
        this.algorithm = algorithm;
        this.icvLength = algorithm.icvLength;
        try {
            // Initialised once: Mac.doFinal resets to the keyed state, so no per-packet init is needed.
            mac = Mac.getInstance(algorithm.jceName, "SunJCE");
            mac.init(new SecretKeySpec(key, algorithm.jceName));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(algorithm.jceName + " unavailable", e);
        }
        full = new byte[mac.getMacLength()];
    }

    void update(byte[] buf, int off, int len) { mac.update(buf, off, len); }

    /** The high-order 32 bits of an extended sequence number, appended to the ICV input but never sent. */
    void updateSeqHigh(long seq) {
        Bytes.put32(seqHigh, 0, (int) (seq >>> 32));
        mac.update(seqHigh, 0, 4);
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

    private void finish() {
        try {
            mac.doFinal(full, 0);
        } catch (ShortBufferException e) {
            throw new IllegalStateException("scratch sized from getMacLength()", e);
        }
    }
}
