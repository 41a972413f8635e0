// Protection of the Encrypted and Authenticated (SK) payload for one direction of an IKE SA: RFC 7296 §3.14 for
// encrypt-then-MAC transforms, RFC 5282 for AES-GCM, RFC 7634 for ChaCha20-Poly1305. The codec assembles the
// message; this class produces and checks the SK body only:
//
//   IKE header | SK generic header | IV | ciphertext(inner payloads | padding | pad length) | ICV
//   \________ prefix _____________/ \_____________________ body ___________________________/
//
// AEAD: the prefix (the IKE header and every payload header up to the end of the SK generic header, with final
// lengths already filled in via bodyLength) is the additional authenticated data. Encrypt-then-MAC: the ICV covers
// prefix | IV | ciphertext. Not on the data path: it allocates freely. One instance per direction of an IKE SA,
// used by one thread at a time (the AEAD IV counter is unsynchronised).
package bitw.ipsec.ike.crypto;

import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.spec.AlgorithmParameterSpec;
import java.util.Arrays;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import bitw.ipsec.crypto.EncryptionAlgorithm;
import bitw.ipsec.crypto.IntegrityAlgorithm;

public final class SkCipher {
    private static final int AEAD_TAG = 16;

    private final EncryptionAlgorithm encryption;
    private final IntegrityAlgorithm integrity;
    private final SecretKeySpec cipherKey;
    private final byte[] salt;
    private final SecretKeySpec macKey;
    private final int blockSize;
    private final int ivLength;
    private final int icvLength;
    private final SecureRandom random = new SecureRandom();
    /** AEAD IVs count up from a random start: unique per key without remembering past IVs. */
    private long aeadCounter;

    /** @param encKey SK_ei or SK_er (key followed by salt for AEAD); @param integKey SK_ai or SK_ar (empty for AEAD) */
    public SkCipher(EncryptionAlgorithm encryption, IntegrityAlgorithm integrity, byte[] encKey, byte[] integKey) {
        if (encryption == EncryptionAlgorithm.NULL) throw new IllegalArgumentException("IKE requires encryption");
        if (encKey.length != encryption.keyMaterialLength())
            throw new IllegalArgumentException(encryption + " needs " + encryption.keyMaterialLength() + " key bytes");
        if (encryption.aead != (integrity == IntegrityAlgorithm.NONE))
            throw new IllegalArgumentException(encryption + " cannot be combined with " + integrity);
        if (!encryption.aead && integKey.length != integrity.keyLength)
            throw new IllegalArgumentException(integrity + " needs " + integrity.keyLength + " key bytes");
        this.encryption = encryption;
        this.integrity = integrity;
        String keyAlg = switch (encryption) {
            case DES3_CBC -> "DESede";
            case CHACHA20_POLY1305 -> "ChaCha20";
            default -> "AES";
        };
        this.cipherKey = new SecretKeySpec(encKey, 0, encryption.keyLength, keyAlg);
        this.salt = Arrays.copyOfRange(encKey, encryption.keyLength, encKey.length);
        this.macKey = encryption.aead ? null : new SecretKeySpec(integKey, integrity.jceName);
        this.blockSize = switch (encryption) {
            case DES3_CBC -> 8;
            case AES_CBC_128, AES_CBC_256 -> 16;
            default -> 1;   // AEAD transforms need no alignment (RFC 5282 §3)
        };
        this.ivLength = encryption.aead ? 8 : blockSize;
        this.icvLength = encryption.aead ? AEAD_TAG : integrity.icvLength;
        this.aeadCounter = random.nextLong() >>> 1;
    }

    /** Bytes of the SK body (IV, ciphertext with padding and pad length, ICV) for this many inner payload bytes;
     *  the caller puts prefix.length + bodyLength into the IKE header and 4 + bodyLength into the SK header. */
    public int bodyLength(int plaintextLength) {
        return ivLength + paddedLength(plaintextLength) + icvLength;
    }

    public int ivLength() { return ivLength; }
    public int icvLength() { return icvLength; }

    private int paddedLength(int plaintextLength) {
        int withPadLength = plaintextLength + 1;
        return (withPadLength + blockSize - 1) / blockSize * blockSize;
    }

    /** Encrypts the inner payload chain; returns the SK body. prefix must already carry the final lengths. */
    public byte[] seal(byte[] prefix, byte[] plaintext) {
        int padded = paddedLength(plaintext.length);
        byte[] body = new byte[ivLength + padded + icvLength];
        // Padding bytes are zero; the Pad Length byte closes the padded plaintext.
        byte[] input = Arrays.copyOf(plaintext, padded);
        input[padded - 1] = (byte) (padded - plaintext.length - 1);
        try {
            if (encryption.aead) {
                ByteBuffer.wrap(body, 0, 8).putLong(aeadCounter++);
                Cipher c = Cipher.getInstance(jceTransformation());
                c.init(Cipher.ENCRYPT_MODE, cipherKey, aeadParameters(body));
                c.updateAAD(prefix);
                c.doFinal(input, 0, padded, body, ivLength);
            } else {
                byte[] iv = new byte[ivLength];
                random.nextBytes(iv);
                System.arraycopy(iv, 0, body, 0, ivLength);
                Cipher c = Cipher.getInstance(jceTransformation());
                c.init(Cipher.ENCRYPT_MODE, cipherKey, new IvParameterSpec(iv));
                c.doFinal(input, 0, padded, body, ivLength);
                byte[] icv = icv(prefix, body, ivLength + padded);
                System.arraycopy(icv, 0, body, ivLength + padded, icvLength);
            }
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(encryption + " encryption failed", e);
        }
        return body;
    }

    /** Checks and decrypts an SK body; returns the inner payload chain without padding. */
    public byte[] open(byte[] prefix, byte[] body) throws IkeCryptoException {
        int cipherLen = body.length - ivLength - icvLength;
        if (cipherLen < 1 || cipherLen % blockSize != 0)
            throw new IkeCryptoException(IkeCryptoException.Reason.SK_MALFORMED,
                    "SK body of " + body.length + " bytes does not fit " + encryption);
        byte[] padded;
        try {
            Cipher c = Cipher.getInstance(jceTransformation());
            if (encryption.aead) {
                c.init(Cipher.DECRYPT_MODE, cipherKey, aeadParameters(body));
                c.updateAAD(prefix);
                padded = c.doFinal(body, ivLength, cipherLen + icvLength);
            } else {
                byte[] expected = icv(prefix, body, ivLength + cipherLen);
                if (!MessageDigest.isEqual(expected, Arrays.copyOfRange(body, ivLength + cipherLen, body.length)))
                    throw new IkeCryptoException(IkeCryptoException.Reason.SK_INTEGRITY, "ICV mismatch");
                c.init(Cipher.DECRYPT_MODE, cipherKey, new IvParameterSpec(body, 0, ivLength));
                padded = c.doFinal(body, ivLength, cipherLen);
            }
        } catch (AEADBadTagException e) {
            throw new IkeCryptoException(IkeCryptoException.Reason.SK_INTEGRITY, "AEAD tag mismatch", e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(encryption + " decryption failed", e);
        }
        int padLength = padded[padded.length - 1] & 0xff;
        if (padLength > padded.length - 1)
            throw new IkeCryptoException(IkeCryptoException.Reason.SK_BAD_PADDING,
                    "pad length " + padLength + " exceeds " + (padded.length - 1) + " decrypted bytes");
        return Arrays.copyOf(padded, padded.length - 1 - padLength);
    }

    private String jceTransformation() {
        return switch (encryption) {
            case AES_GCM_128, AES_GCM_256 -> "AES/GCM/NoPadding";
            case CHACHA20_POLY1305 -> "ChaCha20-Poly1305";
            case DES3_CBC -> "DESede/CBC/NoPadding";
            default -> "AES/CBC/NoPadding";
        };
    }

    /** Nonce = salt (4) | IV (8) for both AES-GCM (RFC 5282 §4) and ChaCha20-Poly1305 (RFC 7634 §2). */
    private AlgorithmParameterSpec aeadParameters(byte[] body) {
        byte[] nonce = new byte[12];
        System.arraycopy(salt, 0, nonce, 0, 4);
        System.arraycopy(body, 0, nonce, 4, 8);
        return encryption == EncryptionAlgorithm.CHACHA20_POLY1305 ? new IvParameterSpec(nonce)
                : new GCMParameterSpec(AEAD_TAG * 8, nonce);
    }

    private byte[] icv(byte[] prefix, byte[] body, int coveredBodyBytes) throws GeneralSecurityException {
        Mac mac = Mac.getInstance(integrity.jceName);
        mac.init(macKey);
        mac.update(prefix);
        mac.update(body, 0, coveredBodyBytes);
        return Arrays.copyOf(mac.doFinal(), icvLength);
    }
}
