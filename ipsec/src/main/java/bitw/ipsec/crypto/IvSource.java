// Where an ESP transform gets the explicit IV of each outbound packet (RFC 4303 §2.3).
// Production sources are below; tests substitute a fixed IV to reproduce published vectors.
package bitw.ipsec.crypto;

import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import javax.crypto.Cipher;
import javax.crypto.spec.SecretKeySpec;

import bitw.ipsec.packet.Bytes;

interface IvSource {
    /** Writes the IV of the packet with sequence number {@code seq} to {@code dst[off, +len)}. Allocates nothing. */
    void write(long seq, byte[] dst, int off, int len);

    /**
     * AEAD transforms (RFC 4106 §3.1, RFC 7634 §2): the IV only has to be unique per key, and the 64-bit sequence
     * number is, because an SA never wraps it. It also keeps SunJCE's GCM key+IV reuse check from ever firing.
     */
    IvSource SEQUENCE = (seq, dst, off, len) -> Bytes.put64(dst, off, seq);

    /**
     * CBC transforms need an unpredictable IV (RFC 3602 §2.3). We encrypt the unique sequence number under a
     * random per-SA key that never touches traffic (the NIST SP 800-38A Appendix C method): without that key the
     * next IV cannot be predicted, the output never repeats, and the work is one AES block into a preallocated
     * array, with no SecureRandom (locking, reseeding) on the per-packet path.
     */
    final class EncryptedSequence implements IvSource {
        private final Cipher ecb;
        private final byte[] block = new byte[16];
        private final byte[] out = new byte[16];

        EncryptedSequence(SecureRandom random) {
            byte[] key = new byte[16];
            random.nextBytes(key);
            try {
                ecb = Cipher.getInstance("AES/ECB/NoPadding", "SunJCE");
                ecb.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"));
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("AES/ECB unavailable", e);
            }
            // The second half of the block is a random per-SA constant, so even the IVs of two SAs that happen
            // to share an IV key (they do not) and a sequence number would differ.
            random.nextBytes(block);
        }

        @Override
        public void write(long seq, byte[] dst, int off, int len) {
            Bytes.put64(block, 0, seq);
            try {
                ecb.doFinal(block, 0, 16, out, 0);
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("AES/ECB on a full block failed", e);
            }
            System.arraycopy(out, 0, dst, off, len);
        }
    }
}
