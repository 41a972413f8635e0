// SK payload protection for every supported transform: round trips, tamper detection, and the exact wire layout
// checked with independent JCE calls (RFC 7296 §3.14 for CBC + HMAC, RFC 5282 / RFC 7634 for AEAD).
package bitw.ipsec.ike.crypto;

import static org.junit.jupiter.api.Assertions.*;

import java.util.Arrays;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

import bitw.ipsec.crypto.EncryptionAlgorithm;
import bitw.ipsec.crypto.IntegrityAlgorithm;
import bitw.ipsec.packet.Bytes;

class SkCipherTest {
    private static final EncryptionAlgorithm[] CBC = {EncryptionAlgorithm.AES_CBC_128, EncryptionAlgorithm.AES_CBC_256,
            EncryptionAlgorithm.DES3_CBC};
    private static final IntegrityAlgorithm[] HMACS = {IntegrityAlgorithm.HMAC_SHA1_96, IntegrityAlgorithm.HMAC_SHA256_128,
            IntegrityAlgorithm.HMAC_SHA384_192, IntegrityAlgorithm.HMAC_SHA512_256};
    private static final EncryptionAlgorithm[] AEAD = {EncryptionAlgorithm.AES_GCM_128, EncryptionAlgorithm.AES_GCM_256,
            EncryptionAlgorithm.CHACHA20_POLY1305};

    private static byte[] key(int length, int seed) {
        byte[] k = new byte[length];
        for (int i = 0; i < length; i++) k[i] = (byte) (seed + 7 * i);
        return k;
    }

    /** IKE header (28) + SK generic header (4) with lengths filled from bodyLength, as the codec will do. */
    private static byte[] prefix(SkCipher c, int plaintextLength) {
        byte[] p = new byte[32];
        Bytes.put64(p, 0, 0x0102030405060708L);
        Bytes.put64(p, 8, 0x1112131415161718L);
        p[16] = 46;                  // next payload: SK
        p[17] = 0x20;                // version 2.0
        p[18] = 35;                  // IKE_AUTH
        p[19] = 0x08;                // initiator
        Bytes.put32(p, 20, 1);       // message id
        int body = c.bodyLength(plaintextLength);
        Bytes.put32(p, 24, 32 + body);
        p[28] = 35;                  // first inner payload: IDi
        Bytes.put16(p, 30, 4 + body);
        return p;
    }

    private static void assertRoundTripAndTamper(SkCipher sender, SkCipher receiver, String what) throws Exception {
        for (int len : new int[] {0, 1, 15, 16, 17, 100}) {
            byte[] plain = key(len, len);
            byte[] prefix = prefix(sender, len);
            byte[] body = sender.seal(prefix, plain);
            assertEquals(sender.bodyLength(len), body.length, what);
            assertArrayEquals(plain, receiver.open(prefix, body), what + " len " + len);
            for (int pos : new int[] {0, body.length / 2, body.length - 1}) {
                byte[] bad = body.clone();
                bad[pos] ^= 0x40;
                assertEquals(IkeCryptoException.Reason.SK_INTEGRITY,
                        assertThrows(IkeCryptoException.class, () -> receiver.open(prefix, bad)).reason(), what + " body " + pos);
            }
            byte[] badPrefix = prefix.clone();
            badPrefix[20] ^= 1;   // message id is authenticated
            assertEquals(IkeCryptoException.Reason.SK_INTEGRITY,
                    assertThrows(IkeCryptoException.class, () -> receiver.open(badPrefix, body)).reason(), what + " prefix");
        }
        assertEquals(IkeCryptoException.Reason.SK_MALFORMED,
                assertThrows(IkeCryptoException.class, () -> receiver.open(new byte[32], new byte[sender.ivLength() + sender.icvLength()])).reason());
    }

    @Test
    void everyCbcAndHmacCombinationRoundTripsAndDetectsTampering() throws Exception {
        for (EncryptionAlgorithm e : CBC) {
            for (IntegrityAlgorithm i : HMACS) {
                byte[] ek = key(e.keyMaterialLength(), 1), ik = key(i.keyLength, 2);
                assertRoundTripAndTamper(new SkCipher(e, i, ek, ik), new SkCipher(e, i, ek, ik), e + "/" + i);
            }
        }
    }

    @Test
    void everyAeadRoundTripsAndDetectsTampering() throws Exception {
        for (EncryptionAlgorithm e : AEAD) {
            byte[] ek = key(e.keyMaterialLength(), 3);
            assertRoundTripAndTamper(new SkCipher(e, IntegrityAlgorithm.NONE, ek, new byte[0]),
                    new SkCipher(e, IntegrityAlgorithm.NONE, ek, new byte[0]), e.toString());
        }
    }

    @Test
    void cbcBodyIsIvCiphertextOfPaddedDataThenTruncatedHmacOverHeaderIvAndCiphertext() throws Exception {
        byte[] ek = key(32, 9), ik = key(32, 10);
        SkCipher c = new SkCipher(EncryptionAlgorithm.AES_CBC_256, IntegrityAlgorithm.HMAC_SHA256_128, ek, ik);
        byte[] plain = key(21, 5);
        assertEquals(16 + 32 + 16, c.bodyLength(21), "IV + 21 data + 10 padding + 1 pad length + ICV");
        byte[] prefix = prefix(c, 21);
        byte[] body = c.seal(prefix, plain);

        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(ik, "HmacSHA256"));
        mac.update(prefix);
        mac.update(body, 0, 48);
        assertArrayEquals(Arrays.copyOf(mac.doFinal(), 16), Arrays.copyOfRange(body, 48, 64), "ICV");

        Cipher aes = Cipher.getInstance("AES/CBC/NoPadding");
        aes.init(Cipher.DECRYPT_MODE, new SecretKeySpec(ek, "AES"), new IvParameterSpec(body, 0, 16));
        byte[] padded = aes.doFinal(body, 16, 32);
        assertArrayEquals(plain, Arrays.copyOf(padded, 21));
        assertEquals(10, padded[31], "Pad Length");
    }

    @Test
    void cbcIvsAreFreshPerMessage() {
        SkCipher c = new SkCipher(EncryptionAlgorithm.AES_CBC_128, IntegrityAlgorithm.HMAC_SHA1_96, key(16, 1), key(20, 2));
        byte[] prefix = prefix(c, 4);
        byte[] a = c.seal(prefix, new byte[4]), b = c.seal(prefix, new byte[4]);
        assertFalse(Arrays.equals(Arrays.copyOf(a, 16), Arrays.copyOf(b, 16)));
    }

    @Test
    void gcmBodyFollowsRfc5282WithHeadersAsAadAndSaltedNonce() throws Exception {
        byte[] ek = key(20, 11);   // 16-byte key + 4-byte salt
        SkCipher c = new SkCipher(EncryptionAlgorithm.AES_GCM_128, IntegrityAlgorithm.NONE, ek, new byte[0]);
        byte[] plain = key(30, 6);
        assertEquals(8 + 31 + 16, c.bodyLength(30), "8-byte IV, no block padding, pad length byte, 16-byte tag");
        byte[] prefix = prefix(c, 30);
        byte[] body = c.seal(prefix, plain);

        byte[] nonce = Prf.concat(Arrays.copyOfRange(ek, 16, 20), Arrays.copyOf(body, 8));
        Cipher gcm = Cipher.getInstance("AES/GCM/NoPadding");
        gcm.init(Cipher.DECRYPT_MODE, new SecretKeySpec(ek, 0, 16, "AES"), new GCMParameterSpec(128, nonce));
        gcm.updateAAD(prefix);
        byte[] padded = gcm.doFinal(body, 8, body.length - 8);
        assertArrayEquals(plain, Arrays.copyOf(padded, 30));
        assertEquals(0, padded[30], "Pad Length");
    }

    @Test
    void chacha20Poly1305BodyFollowsRfc7634() throws Exception {
        byte[] ek = key(36, 12);   // 32-byte key + 4-byte salt
        SkCipher c = new SkCipher(EncryptionAlgorithm.CHACHA20_POLY1305, IntegrityAlgorithm.NONE, ek, new byte[0]);
        byte[] plain = key(9, 7);
        byte[] prefix = prefix(c, 9);
        byte[] body = c.seal(prefix, plain);
        byte[] nonce = Prf.concat(Arrays.copyOfRange(ek, 32, 36), Arrays.copyOf(body, 8));
        Cipher cc = Cipher.getInstance("ChaCha20-Poly1305");
        cc.init(Cipher.DECRYPT_MODE, new SecretKeySpec(ek, 0, 32, "ChaCha20"), new IvParameterSpec(nonce));
        cc.updateAAD(prefix);
        byte[] padded = cc.doFinal(body, 8, body.length - 8);
        assertArrayEquals(plain, Arrays.copyOf(padded, 9));
    }

    @Test
    void aeadIvsNeverRepeatWithinOneSender() {
        SkCipher c = new SkCipher(EncryptionAlgorithm.AES_GCM_256, IntegrityAlgorithm.NONE, key(36, 1), new byte[0]);
        byte[] prefix = prefix(c, 1);
        byte[] a = c.seal(prefix, new byte[1]), b = c.seal(prefix, new byte[1]);
        assertFalse(Arrays.equals(Arrays.copyOf(a, 8), Arrays.copyOf(b, 8)));
    }

    @Test
    void rejectsPadLengthLongerThanTheDecryptedData() throws Exception {
        // Build a correctly authenticated body whose Pad Length byte claims more than is there.
        byte[] ek = key(16, 1), ik = key(20, 2);
        SkCipher c = new SkCipher(EncryptionAlgorithm.AES_CBC_128, IntegrityAlgorithm.HMAC_SHA1_96, ek, ik);
        byte[] prefix = prefix(c, 15);
        byte[] block = new byte[16];
        block[15] = 16;
        byte[] iv = new byte[16];
        Cipher aes = Cipher.getInstance("AES/CBC/NoPadding");
        aes.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(ek, "AES"), new IvParameterSpec(iv));
        byte[] ct = aes.doFinal(block);
        Mac mac = Mac.getInstance("HmacSHA1");
        mac.init(new SecretKeySpec(ik, "HmacSHA1"));
        mac.update(prefix);
        mac.update(iv);
        mac.update(ct);
        byte[] body = Prf.concat(iv, ct, Arrays.copyOf(mac.doFinal(), 12));
        assertEquals(IkeCryptoException.Reason.SK_BAD_PADDING,
                assertThrows(IkeCryptoException.class, () -> c.open(prefix, body)).reason());
    }

    @Test
    void refusesMismatchedTransformsAndKeyLengths() {
        assertThrows(IllegalArgumentException.class,
                () -> new SkCipher(EncryptionAlgorithm.AES_GCM_128, IntegrityAlgorithm.HMAC_SHA256_128, key(20, 1), key(32, 1)));
        assertThrows(IllegalArgumentException.class,
                () -> new SkCipher(EncryptionAlgorithm.AES_CBC_128, IntegrityAlgorithm.NONE, key(16, 1), new byte[0]));
        assertThrows(IllegalArgumentException.class,
                () -> new SkCipher(EncryptionAlgorithm.AES_GCM_128, IntegrityAlgorithm.NONE, key(16, 1), new byte[0]));
    }
}
