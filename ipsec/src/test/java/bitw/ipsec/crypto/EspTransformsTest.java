// The factory's checks: key lengths, AEAD with integrity NONE only, non-AEAD (and NULL) only with an HMAC.
package bitw.ipsec.crypto;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;

class EspTransformsTest {
    private static String rejection(EncryptionAlgorithm enc, int encLen, IntegrityAlgorithm integ, int integLen) {
        return assertThrows(IllegalArgumentException.class,
                () -> EspTransforms.create(enc, new byte[encLen], integ, integLen < 0 ? null : new byte[integLen])).getMessage();
    }

    @Test
    void aeadKeyMaterialMustIncludeTheSalt() {
        assertTrue(rejection(EncryptionAlgorithm.AES_GCM_128, 16, IntegrityAlgorithm.NONE, -1).contains("16-byte key + 4-byte salt"));
        assertTrue(rejection(EncryptionAlgorithm.CHACHA20_POLY1305, 32, IntegrityAlgorithm.NONE, -1).contains("36 bytes"));
        assertNotNull(EspTransforms.create(EncryptionAlgorithm.AES_GCM_256, new byte[36], IntegrityAlgorithm.NONE, null));
    }

    @Test
    void aeadRefusesAnIntegrityAlgorithm() {
        assertTrue(rejection(EncryptionAlgorithm.AES_GCM_128, 20, IntegrityAlgorithm.HMAC_SHA256_128, 32).contains("AEAD"));
    }

    @Test
    void nonAeadNeedsAnIntegrityAlgorithm() {
        assertTrue(rejection(EncryptionAlgorithm.AES_CBC_128, 16, IntegrityAlgorithm.NONE, -1).contains("needs an integrity algorithm"));
        assertTrue(rejection(EncryptionAlgorithm.NULL, 0, IntegrityAlgorithm.NONE, -1).contains("RFC 2410"));
    }

    @Test
    void cipherAndHmacKeyLengthsAreChecked() {
        assertTrue(rejection(EncryptionAlgorithm.AES_CBC_256, 16, IntegrityAlgorithm.HMAC_SHA256_128, 32).contains("32 bytes"));
        assertTrue(rejection(EncryptionAlgorithm.DES3_CBC, 16, IntegrityAlgorithm.HMAC_SHA1_96, 20).contains("24 bytes"));
        assertTrue(rejection(EncryptionAlgorithm.AES_CBC_128, 16, IntegrityAlgorithm.HMAC_SHA512_256, 32).contains("64-byte key"));
        assertTrue(rejection(EncryptionAlgorithm.NULL, 4, IntegrityAlgorithm.HMAC_SHA1_96, 20).contains("0 bytes"));
    }

    @Test
    void reportsIvAndIcvLengthsOfTheCombination() {
        EspTransform cbc = EspTransforms.create(EncryptionAlgorithm.AES_CBC_256, new byte[32], IntegrityAlgorithm.HMAC_SHA384_192, new byte[48]);
        assertEquals(16, cbc.ivLength());
        assertEquals(24, cbc.icvLength());
        assertEquals(15 + 2 + 24, cbc.maxTrailerLength());
        EspTransform nul = EspTransforms.create(EncryptionAlgorithm.NULL, null, IntegrityAlgorithm.HMAC_SHA1_96, new byte[20]);
        assertEquals(0, nul.ivLength());
        assertEquals(3 + 2 + 12, nul.maxTrailerLength());
        EspTransform gcm = EspTransforms.create(EncryptionAlgorithm.AES_GCM_128, new byte[20], IntegrityAlgorithm.NONE, null);
        assertEquals(8, gcm.ivLength());
        assertEquals(16, gcm.icvLength());
    }
}
