// Behaviour of every ESP algorithm combination, with and without ESN: round trips at every small payload length,
// tampering anywhere fails the ICV, truncation at every length gives an error code, bad padding under a valid
// ICV gives ERR_PADDING, random input never throws, and CBC IVs are fresh and unpredictable-looking.
package bitw.ipsec.crypto;

import static org.junit.jupiter.api.Assertions.*;

import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import bitw.ipsec.packet.Bytes;

class EspTransformBehaviourTest {
    private static final int SPI = 0x1234abcd;

    /** One algorithm combination with fixed test keys; outbound and inbound are separate transforms, as in the SAD. */
    record Suite(EncryptionAlgorithm enc, IntegrityAlgorithm integ) {
        @Override public String toString() { return enc + "+" + integ; }

        byte[] encKey() { return keyBytes(enc.keyMaterialLength(), 0x11); }
        byte[] integKey() { return integ == IntegrityAlgorithm.NONE ? null : keyBytes(integ.keyLength, 0x77); }
        EspTransform create() { return EspTransforms.create(enc, encKey(), integ, integKey()); }
        int blockSize() { return enc.aead || enc == EncryptionAlgorithm.NULL ? 4 : enc.ivLength; }
        int icvLength() { return enc.aead ? enc.aeadIcvLength : integ.icvLength; }
    }

    private static byte[] keyBytes(int n, int seed) {
        byte[] k = new byte[n];
        for (int i = 0; i < n; i++) k[i] = (byte) (seed + 13 * i);
        return k;
    }

    static List<Suite> suites() {
        List<Suite> all = new ArrayList<>();
        for (EncryptionAlgorithm enc : EncryptionAlgorithm.values()) {
            if (enc.aead) { all.add(new Suite(enc, IntegrityAlgorithm.NONE)); continue; }
            for (IntegrityAlgorithm integ : IntegrityAlgorithm.values())
                if (integ != IntegrityAlgorithm.NONE) all.add(new Suite(enc, integ));
        }
        return all;
    }

    private static byte[] payload(int n, long seed) {
        byte[] p = new byte[n];
        new Random(seed).nextBytes(p);
        return p;
    }

    @ParameterizedTest
    @MethodSource("suites")
    void roundTripsEveryPayloadLengthWithAndWithoutEsn(Suite s) {
        EspTransform out = s.create(), in = s.create();
        long seq = 0xfffffff0L; // crosses the 2^32 boundary below, where ESN matters
        for (boolean esn : new boolean[] {false, true}) {
            for (int len = 0; len <= 48; len++) {
                byte[] p = payload(len, len);
                long thisSeq = seq++;
                byte[] sealed = EspPacket.sealed(out, p, 41 + len % 3, SPI, thisSeq, esn);
                int ctLen = sealed.length - 8 - out.ivLength() - out.icvLength();
                assertEquals(0, ctLen % s.blockSize(), "ciphertext aligned to the block size");
                assertTrue(ctLen - len - 2 < s.blockSize(), "minimal padding");
                assertTrue(sealed.length - 8 - out.ivLength() - len <= out.maxTrailerLength(), "within maxTrailerLength");
                assertEquals(s.icvLength(), out.icvLength());
                assertEquals(SPI, Bytes.i32(sealed, 0));
                assertEquals((int) thisSeq, Bytes.i32(sealed, 4));
                int[] code = new int[1];
                byte[] back = EspPacket.opened(in, sealed, thisSeq, esn, code);
                assertNotNull(back, "open returned " + code[0] + " at length " + len + " esn " + esn);
                assertArrayEquals(p, back);
                assertEquals(41 + len % 3, in.lastNextHeader());
            }
        }
        byte[] big = payload(1400, 7);
        assertArrayEquals(big, EspPacket.opened(in, EspPacket.sealed(out, big, 4, SPI, 1L << 33, true), 1L << 33, true, null));
    }

    @ParameterizedTest
    @MethodSource("suites")
    void payloadIsNotSentInTheClearUnlessNullEncryption(Suite s) {
        byte[] p = new byte[64];
        Arrays.fill(p, (byte) 0x42);
        byte[] sealed = EspPacket.sealed(s.create(), p, 4, SPI, 9, false);
        String wire = Bytes.hex(sealed);
        assertEquals(s.enc() == EncryptionAlgorithm.NULL, wire.contains(Bytes.hex(p)));
    }

    @ParameterizedTest
    @MethodSource("suites")
    void anyFlippedBitFailsTheIcv(Suite s) {
        EspTransform out = s.create(), in = s.create();
        for (boolean esn : new boolean[] {false, true}) {
            long seq = esn ? 0x500000003L : 3;
            byte[] sealed = EspPacket.sealed(out, payload(37, 1), 4, SPI, seq, esn);
            for (int i = 0; i < sealed.length; i++) {
                for (int bit = 0; bit < 8; bit++) {
                    byte[] bad = sealed.clone();
                    bad[i] ^= (byte) (1 << bit);
                    int[] code = new int[1];
                    assertNull(EspPacket.opened(in, bad, seq, esn, code), "byte " + i + " bit " + bit);
                    assertEquals(EspTransform.ERR_ICV, code[0], "byte " + i + " bit " + bit + " esn " + esn);
                }
            }
        }
    }

    @ParameterizedTest
    @MethodSource("suites")
    void wrongSequenceHighBitsFailTheIcvUnderEsn(Suite s) {
        byte[] sealed = EspPacket.sealed(s.create(), payload(20, 2), 4, SPI, 0x700000001L, true);
        int[] code = new int[1];
        assertNull(EspPacket.opened(s.create(), sealed, 0x600000001L, true, code));
        assertEquals(EspTransform.ERR_ICV, code[0]);
    }

    @ParameterizedTest
    @MethodSource("suites")
    void truncationAtEveryLengthGivesAnErrorCode(Suite s) {
        EspTransform in = s.create();
        byte[] sealed = EspPacket.sealed(s.create(), payload(60, 3), 4, SPI, 5, false);
        for (int len = 0; len < sealed.length; len++) {
            byte[] cut = Arrays.copyOf(sealed, len);
            // Exactly the truncated bytes in the buffer, so any read past the end would throw.
            int r = in.open(cut, 0, len, 5, false);
            assertTrue(r < 0, "length " + len + " returned " + r);
            byte[] buf = EspPacket.forOpen(cut);
            assertTrue(in.open(buf, EspPacket.OFF, len, 5, false) < 0, "length " + len);
        }
        assertEquals(EspTransform.ERR_TRUNCATED, in.open(sealed, 0, 7, 5, false));
        assertTrue(in.open(sealed, 1, sealed.length, 5, false) < 0, "espLen beyond the buffer");
    }

    // ---- bad padding under a valid ICV, built with the plain JCE (an independent encoder) ----

    /** Encodes ESP directly from a given plaintext-with-trailer, so the trailer can be anything. */
    private static byte[] referenceEsp(Suite s, byte[] iv, long seq, byte[] plaintextWithTrailer) throws GeneralSecurityException {
        byte[] header = new byte[8];
        Bytes.put32(header, 0, SPI);
        Bytes.put32(header, 4, (int) seq);
        byte[] body;
        if (s.enc().aead) {
            boolean gcm = s.enc() != EncryptionAlgorithm.CHACHA20_POLY1305;
            byte[] material = s.encKey(), nonce = new byte[12];
            System.arraycopy(material, s.enc().keyLength, nonce, 0, 4);
            System.arraycopy(iv, 0, nonce, 4, 8);
            Cipher c = Cipher.getInstance(gcm ? "AES/GCM/NoPadding" : "ChaCha20-Poly1305");
            SecretKeySpec key = new SecretKeySpec(material, 0, s.enc().keyLength, gcm ? "AES" : "ChaCha20");
            c.init(Cipher.ENCRYPT_MODE, key, gcm ? new GCMParameterSpec(128, nonce) : new IvParameterSpec(nonce));
            c.updateAAD(header);
            body = concat(iv, c.doFinal(plaintextWithTrailer));
            return concat(header, body);
        }
        if (s.enc() == EncryptionAlgorithm.NULL) {
            body = plaintextWithTrailer;
        } else {
            boolean des = s.enc() == EncryptionAlgorithm.DES3_CBC;
            Cipher c = Cipher.getInstance(des ? "DESede/CBC/NoPadding" : "AES/CBC/NoPadding");
            c.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(s.encKey(), des ? "DESede" : "AES"), new IvParameterSpec(iv));
            body = concat(iv, c.doFinal(plaintextWithTrailer));
        }
        Mac mac = Mac.getInstance(s.integ().jceName);
        mac.init(new SecretKeySpec(s.integKey(), s.integ().jceName));
        byte[] authenticated = concat(header, body);
        return concat(authenticated, Arrays.copyOf(mac.doFinal(authenticated), s.integ().icvLength));
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    @ParameterizedTest
    @MethodSource("suites")
    void referenceEncoderAgreesWithTransformOnGoodPadding(Suite s) throws Exception {
        int block = s.blockSize();
        byte[] pt = new byte[3 * block];
        int padLen = block - 2;
        for (int i = 0; i < padLen; i++) pt[pt.length - 2 - padLen + i] = (byte) (i + 1);
        pt[pt.length - 2] = (byte) padLen;
        pt[pt.length - 1] = 4;
        byte[] iv = keyBytes(s.enc().ivLength, 0x31);
        int[] code = new int[1];
        byte[] back = EspPacket.opened(s.create(), referenceEsp(s, iv, 77, pt), 77, false, code);
        assertNotNull(back, "open returned " + code[0]);
        assertArrayEquals(Arrays.copyOf(pt, pt.length - 2 - padLen), back);
    }

    @ParameterizedTest
    @MethodSource("suites")
    void badPaddingUnderAValidIcvIsErrPadding(Suite s) throws Exception {
        int block = s.blockSize();
        byte[] iv = keyBytes(s.enc().ivLength, 0x31);
        EspTransform in = s.create();
        // 1. a padding byte that is not the monotonic default
        byte[] pt = new byte[4 * block];
        int padLen = block + 1;
        for (int i = 0; i < padLen; i++) pt[pt.length - 2 - padLen + i] = (byte) (i + 1);
        pt[pt.length - 2 - padLen + 1] = 9;
        pt[pt.length - 2] = (byte) padLen;
        pt[pt.length - 1] = 4;
        int[] code = new int[1];
        assertNull(EspPacket.opened(in, referenceEsp(s, iv, 1, pt), 1, false, code));
        assertEquals(EspTransform.ERR_PADDING, code[0]);
        // 2. a pad length longer than the plaintext
        byte[] pt2 = new byte[2 * block];
        pt2[pt2.length - 2] = (byte) (2 * block - 1);
        pt2[pt2.length - 1] = 4;
        assertNull(EspPacket.opened(in, referenceEsp(s, iv, 2, pt2), 2, false, code));
        assertEquals(EspTransform.ERR_PADDING, code[0]);
    }

    @ParameterizedTest
    @MethodSource("suites")
    void randomInputNeverThrowsAndNeverAuthenticates(Suite s) {
        EspTransform in = s.create();
        Random rnd = new Random(s.toString().hashCode());
        byte[] valid = EspPacket.sealed(s.create(), payload(100, 4), 4, SPI, 11, false);
        for (int i = 0; i < 3000; i++) {
            byte[] buf = new byte[rnd.nextInt(200)];
            rnd.nextBytes(buf);
            if (i % 3 == 0 && buf.length >= valid.length) {
                // mostly-valid packets: a real header and a few random byte changes
                System.arraycopy(valid, 0, buf, 0, valid.length);
                buf[rnd.nextInt(valid.length)] ^= (byte) (1 + rnd.nextInt(255));
            }
            int off = buf.length == 0 ? 0 : rnd.nextInt(buf.length);
            int len = rnd.nextInt(buf.length - off + 1);
            int r = in.open(buf, off, len, rnd.nextLong(), rnd.nextBoolean());
            assertTrue(r == EspTransform.ERR_TRUNCATED || r == EspTransform.ERR_ICV, "iteration " + i + " returned " + r);
        }
    }

    @Test
    void cbcIvsAreFreshPerPacketAndPerSa() {
        Suite s = new Suite(EncryptionAlgorithm.AES_CBC_256, IntegrityAlgorithm.HMAC_SHA256_128);
        EspTransform a = s.create(), b = s.create();
        Set<String> seen = new HashSet<>();
        for (long seq = 1; seq <= 2000; seq++) {
            String iv = Bytes.hex(EspPacket.sealed(a, new byte[16], 4, SPI, seq, false), 8, 16);
            assertTrue(seen.add(iv), "IV repeated at " + seq);
            assertNotEquals(String.format("%032x", seq), iv, "IV must not be the bare counter");
        }
        // Same keys, same sequence number, another SA instance: its IV key is its own.
        assertFalse(seen.contains(Bytes.hex(EspPacket.sealed(b, new byte[16], 4, SPI, 1, false), 8, 16)));
    }
}
