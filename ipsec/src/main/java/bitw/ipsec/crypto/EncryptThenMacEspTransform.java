// ESP with a separate cipher and HMAC (RFC 4303 §3.3.2): AES-CBC (RFC 3602), 3DES-CBC (RFC 2451) or NULL
// encryption (RFC 2410), each with a truncated HMAC. Seal: trailer → IV → CBC within the frame buffer → ICV over header, IV and
// ciphertext (+ ESN high bits, RFC 4303 §2.2.1). Open: ICV first, then decrypt, then check the trailer.
package bitw.ipsec.crypto;

import java.security.GeneralSecurityException;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import bitw.ipsec.packet.Bytes;

final class EncryptThenMacEspTransform implements EspTransform {
    private static final int HEADER = 8;
    private static final int CHUNK = 1024;

    private final EncryptionAlgorithm algorithm;
    /**
     * Both CBC ciphers are initialised once with an all-zero IV and never again: CBC's first block is
     * E(P1 xor IV), so XOR-ing the packet's IV into P1 before a zero-IV encryption (and into the first plaintext
     * block after a zero-IV decryption) is the same computation, and doFinal returns the Cipher to its zero-IV
     * state. That keeps IvParameterSpec and re-keying off the per-packet path. Null for NULL encryption.
     */
    private final Cipher encryptor, decryptor;
    private final IvSource ivSource;
    private final IcvMac icv;
    private final int ivLen;
    private final int blockSize;
    /**
     * SunJCE copies the whole input when a Cipher works in place (input and output the same array), so CBC runs
     * out of place through this fixed scratch, a chunk at a time, and is copied back: no allocation, and the
     * copy costs far less than the cipher.
     */
    private final byte[] chunk = new byte[CHUNK];
    private int lastNextHeader = -1;

    EncryptThenMacEspTransform(EncryptionAlgorithm algorithm, byte[] encKey, IcvMac icv, IvSource ivSource) {
        this.algorithm = algorithm;
        this.icv = icv;
        this.ivSource = ivSource;
        this.ivLen = algorithm.ivLength;
        if (algorithm == EncryptionAlgorithm.NULL) {
            encryptor = decryptor = null;
            blockSize = 4; // RFC 2410: block size 1, but ESP still aligns to 4 bytes
        } else {
            String transformation = algorithm == EncryptionAlgorithm.DES3_CBC ? "DESede/CBC/NoPadding" : "AES/CBC/NoPadding";
            String keyAlg = algorithm == EncryptionAlgorithm.DES3_CBC ? "DESede" : "AES";
            SecretKeySpec key = new SecretKeySpec(encKey, keyAlg);
            IvParameterSpec zeroIv = new IvParameterSpec(new byte[ivLen]);
            try {
                encryptor = Cipher.getInstance(transformation, "SunJCE");
                encryptor.init(Cipher.ENCRYPT_MODE, key, zeroIv);
                decryptor = Cipher.getInstance(transformation, "SunJCE");
                decryptor.init(Cipher.DECRYPT_MODE, key, zeroIv);
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException(transformation + " unavailable", e);
            }
            blockSize = ivLen;
        }
    }

    @Override public int ivLength() { return ivLen; }
    @Override public int icvLength() { return icv.icvLength; }
    @Override public int maxTrailerLength() { return blockSize - 1 + 2 + icv.icvLength; }
    @Override public int lastNextHeader() { return lastNextHeader; }

    @Override
    public int seal(byte[] buf, int espOff, int payloadLen, int nextHeader, int spi, long seq, boolean esn) {
        int ivOff = espOff + HEADER;
        int ptOff = ivOff + ivLen;
        int ptLen = payloadLen + EspTrailer.write(buf, ptOff + payloadLen, EspTrailer.padLength(payloadLen, blockSize), nextHeader);
        Bytes.put32(buf, espOff, spi);
        Bytes.put32(buf, espOff + 4, (int) seq);
        if (encryptor != null) {
            ivSource.write(seq, buf, ivOff, ivLen);
            for (int i = 0; i < ivLen; i++) buf[ptOff + i] ^= buf[ivOff + i];
            try {
                cbcInPlace(encryptor, buf, ptOff, ptLen);
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException(algorithm + " seal failed", e);
            }
        }
        int authLen = HEADER + ivLen + ptLen;
        icv.update(buf, espOff, authLen);
        if (esn) icv.updateSeqHigh(seq);
        icv.finishInto(buf, espOff + authLen);
        return authLen + icv.icvLength;
    }

    @Override
    public int open(byte[] buf, int espOff, int espLen, long seq, boolean esn) {
        int ctLen = espLen - HEADER - ivLen - icv.icvLength;
        if (ctLen < 2 || ctLen % (encryptor == null ? 1 : blockSize) != 0) return ERR_TRUNCATED;
        if (espOff < 0 || espOff + espLen > buf.length) return ERR_TRUNCATED;
        int authLen = HEADER + ivLen + ctLen;
        icv.update(buf, espOff, authLen);
        if (esn) icv.updateSeqHigh(seq);
        if (!icv.finishAndVerify(buf, espOff + authLen)) return ERR_ICV;

        int ivOff = espOff + HEADER;
        int ctOff = ivOff + ivLen;
        if (decryptor != null) {
            try {
                cbcInPlace(decryptor, buf, ctOff, ctLen);
            } catch (GeneralSecurityException e) {
                return ERR_PADDING; // cannot happen for whole blocks with NoPadding; treated as a bad trailer
            }
            for (int i = 0; i < ivLen; i++) buf[ctOff + i] ^= buf[ivOff + i];
        }
        int payloadLen = EspTrailer.check(buf, ctOff, ctLen);
        if (payloadLen < 0) return ERR_PADDING;
        lastNextHeader = buf[ctOff + ctLen - 1] & 0xff;
        return payloadLen;
    }

    /** Runs {@code c} over {@code buf[off, +len)} (whole blocks) and leaves the result in the same place. */
    private void cbcInPlace(Cipher c, byte[] buf, int off, int len) throws GeneralSecurityException {
        int done = 0;
        while (len - done > CHUNK) {
            c.update(buf, off + done, CHUNK, chunk, 0);
            System.arraycopy(chunk, 0, buf, off + done, CHUNK);
            done += CHUNK;
        }
        c.doFinal(buf, off + done, len - done, chunk, 0); // doFinal also returns c to its zero-IV state
        System.arraycopy(chunk, 0, buf, off + done, len - done);
    }
}
