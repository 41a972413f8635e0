// Published ESP packet vectors: AES-GCM from draft-mcgrew-gcm-test-01 §4, ChaCha20-Poly1305 from RFC 7634
// Appendix A, AES-CBC from RFC 3602 §4 cases 5–8. The published IV is injected through a test-only IvSource;
// everything else (trailer, AAD, ICV) is what the production transform computes.
package bitw.ipsec.crypto;

import static org.junit.jupiter.api.Assertions.*;

import java.util.Arrays;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

import bitw.ipsec.packet.Bytes;

class EspKnownAnswerTest {

    /**
     * One AEAD vector as published: key, 12-byte nonce (salt + explicit IV), AAD (SPI + 32- or 64-bit sequence:
     * a 12-byte AAD means ESN), plaintext (payload + padding + pad length + next header), ciphertext + tag.
     */
    record AeadVector(String name, EncryptionAlgorithm alg, String key, String nonce, String aad, String plaintext, String ctTag) {
        @Override public String toString() { return name; }
    }

    static AeadVector[] aeadVectors() {
        return new AeadVector[] {
            new AeadVector("gcm-test-01 case 1 (AES-128, ESN)", EncryptionAlgorithm.AES_GCM_128,
                "4c80cdefbb5d10da906ac73c3613a634", "2e443b684956ed7e3b244cfe", "000043218765432100000000",
                "45000048699a000080114db7c0a80102c0a801010a9bf15638d301000001000000000000045f736970045f756470037369700963796265726369747902646b000021000101020201",
                "fecf537e729d5b07dc30df528dd22b768d1b98736696a6fd348509fa13ceac34cfa2436f14a3f3cf65925bf1f4a13c5d15b21e1884f5ff6247aeabb786b93bce61bc17d768fd9732"
                    + "459018148f6cbe722fd04796562dfdb4"),
            new AeadVector("gcm-test-01 case 2 (AES-128)", EncryptionAlgorithm.AES_GCM_128,
                "feffe9928665731c6d6a8f9467308308", "cafebabefacedbaddecaf888", "0000a5f80000000a",
                "4500003e698f000080114dccc0a80102c0a801010a980035002a2343b2d001000001000000000000037369700963796265726369747902646b00000100010001",
                "deb22cd9b07c72c16e3a65beeb8df304a5a5897d33ae530f1ba76d5d114d2a5c3de81827c10e9a4f51330d0eec416642cfbb85a5b47e48a4ec3b9ba95d918bd1"
                    + "83b70d3aa8bc6ee4c309e9d85a41ad4a"),
            new AeadVector("gcm-test-01 case 3 (AES-256)", EncryptionAlgorithm.AES_GCM_256,
                "abbccddef00112233445566778899aababbccddef00112233445566778899aab", "112233440102030405060708", "4a2cbfe300000002",
                "4500003069a6400080062690c0a801029389155e0a9e008b2dc57ee0000000007002400020bf0000020405b40101040201020201",
                "ff425c9b724599df7a3bcd510194e00d6a78107f1b0b1cbf06efae9d65a5d763748a637985771d347f0545659f14e99def842d8e"
                    + "b335f4eecfdbf831824b4c4915956c96"),
            new AeadVector("gcm-test-01 case 4 (AES-128, zero key)", EncryptionAlgorithm.AES_GCM_128,
                "00000000000000000000000000000000", "000000000000000000000000", "0000000000000001",
                "4500003c99c500008001cb7a40679318010101010800075c020044006162636465666768696a6b6c6d6e6f707172737475767761626364656667686901020201",
                "4688daf2f973a392732909c331d56d60f694abaa414b5e7ff5fdcdfff5e9a284456476492719ffb64de7d9dca1e1d894bc3bd57873ed4d181d19d4d5c8c18af3"
                    + "f821d496eeb096e98ad2b69e4799c71d"),
            new AeadVector("gcm-test-01 case 5 (AES-128, ESN)", EncryptionAlgorithm.AES_GCM_128,
                "3de09874b388e6491988d0c3607eae1f", "57690e434e280000a2fca1a3", "42f67e3f1010101010101010",
                "4500003c99c300008001cb7c40679318010101010800085c020043006162636465666768696a6b6c6d6e6f707172737475767761626364656667686901020201",
                "fba2caa4853cf9f0f22cb10d86dd83b0fec75691cf1a04b00d1138ec9c35791765acbd8701ad79845bf9fe3fba487bc91755e6662b4c8d0d1f5e22739530320a"
                    + "e0d731cc978ecafaeae88f00e80d6e48"),
            new AeadVector("gcm-test-01 case 6 (AES-128, ESN, short)", EncryptionAlgorithm.AES_GCM_128,
                "3de09874b388e6491988d0c3607eae1f", "57690e434e280000a2fca1a3", "42f67e3f1010101010101010",
                "4500001c42a200008001441f406793b6e00000020a00f5ff01020201",
                "fba2ca845e5df9f0f22c3e6e86dd831e1fc65792cd1af9130e1379ed" + "369f071f35e034be95f112e4e7d05d35"),
            new AeadVector("gcm-test-01 case 8 (AES-128, ESN)", EncryptionAlgorithm.AES_GCM_128,
                "abbccddef00112233445566778899aab", "decaf888cafedebaceface74", "000001000000000000000001",
                "4500004933ba00007f119106c3fb1d10c2b1d326c02831ce0035dd7b800302d500004e20001e8c18d75b81dc91baa0476b91b924b280389d92c963bac046ec959b6266c04722b14923010101",
                "18a6fd42f72cbf4ab2a2ea901f73d814e3e7f243d95412e1c349c1d2fbec168f9190feebaf2cb01984e65863965d7472b79da345e0e780191f0d2f0e0f496c226f2127b27db35724e7845d68"
                    + "651f57e65f354f75ff17015769623436"),
            new AeadVector("gcm-test-01 case 9 (AES-256, ESN)", EncryptionAlgorithm.AES_GCM_256,
                "abbccddef00112233445566778899aababbccddef00112233445566778899aab", "73616c74616e640169766563", "17405e67156f3126dd0db99b",
                "45080028732c00004006e9f90a0106120a01038f06b88023dd6bafbecb71260250101f646d540001",
                "f2d69ecdbd5a0d5b8d5ef38bad4da58d1f278fde98ef67549d524a3018d9a57ff4d3a31ce673119e" + "451626c2415771e3b7eebca614c89b35"),
            new AeadVector("gcm-test-01 case 12 (AES-128, empty payload)", EncryptionAlgorithm.AES_GCM_128,
                "7d773d00c144c525ac619d18c84a3f47", "d966426743457e9182443bc6", "335467aeffffffff",
                "01020201", "437f866b" + "cb3f699fe9b0822bac961c4504bef270"),
            new AeadVector("gcm-test-01 case 14 (AES-256, ESN, all-ones sequence)", EncryptionAlgorithm.AES_GCM_256,
                "6c6567616c697a656d6172696a75616e61616e64646f69746265666f72656961", "7475726e333021696765746d", "796b6963ffffffffffffffff",
                "45000030da3a00008001df3bc0a80005c0a800010800c6cd020007006162636465666768696a6b6c6d6e6f707172737401020201",
                "f97ab2aa356d8edce17644ac8c78e25dd24dedbb29ebf1b64a274b39b49c3a864cd3d78ca4ae68a32b42458fb57dbe821dcc63b9"
                    + "d0937ba2945f669368661a329fb4c053"),
            new AeadVector("RFC 7634 Appendix A (ChaCha20-Poly1305)", EncryptionAlgorithm.CHACHA20_POLY1305,
                "808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9f", "a0a1a2a31011121314151617", "0102030400000005",
                "45000054a6f200004001e778c6336405c000020508005b7a3a080000553bec10000736270809"
                    + "0a0b0c0d0e0f101112131415161718191a1b1c1d1e1f202122232425262728292a2b2c2d2e2f303132333435363701020204",
                "24039428b97f417e3c13753a4f05087b67c352e6a7fab1b982d466ef407ae5c614ee8099d52844eb61aa95dfab4c02f7"
                    + "2aa71e7c4c4f64c9befe2facc638e8f3cbec163fac469b502773f6fb94e664da9165b82829f641e0"
                    + "76aaa8266b7fb0f7b11b369907e1ad43"),
        };
    }

    private static byte[] cat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) n += p.length;
        byte[] out = new byte[n];
        int o = 0;
        for (byte[] p : parts) { System.arraycopy(p, 0, out, o, p.length); o += p.length; }
        return out;
    }

    /** The wire packet of a vector: SPI, low sequence, explicit IV, ciphertext, tag. */
    private static byte[] wire(AeadVector v) {
        byte[] aad = Bytes.fromHex(v.aad()), nonce = Bytes.fromHex(v.nonce());
        byte[] seqLow = Arrays.copyOfRange(aad, aad.length - 4, aad.length);
        return cat(Arrays.copyOf(aad, 4), seqLow, Arrays.copyOfRange(nonce, 4, 12), Bytes.fromHex(v.ctTag()));
    }

    private static long seq(AeadVector v) {
        byte[] aad = Bytes.fromHex(v.aad());
        return aad.length == 12 ? Bytes.i64(aad, 4) : Bytes.u32(aad, 4);
    }

    private static EspTransform transform(AeadVector v) {
        byte[] nonce = Bytes.fromHex(v.nonce());
        byte[] material = cat(Bytes.fromHex(v.key()), Arrays.copyOf(nonce, 4));
        return EspTransforms.create(v.alg(), material, IntegrityAlgorithm.NONE, null, new FixedIv(Arrays.copyOfRange(nonce, 4, 12)));
    }

    static AeadVector rfc7634() {
        AeadVector[] all = aeadVectors();
        return all[all.length - 1];
    }

    /** Seals the vector's payload through the factory's transform; true if the packet is byte for byte the published one. */
    static boolean sealsAsPublished(AeadVector v) {
        byte[] pt = Bytes.fromHex(v.plaintext());
        int padLen = pt[pt.length - 2] & 0xff;
        byte[] payload = Arrays.copyOf(pt, pt.length - 2 - padLen);
        boolean esn = Bytes.fromHex(v.aad()).length == 12;
        byte[] sealed = EspPacket.sealed(transform(v), payload, pt[pt.length - 1] & 0xff, Bytes.i32(Bytes.fromHex(v.aad()), 0), seq(v), esn);
        return Arrays.equals(wire(v), sealed);
    }

    @ParameterizedTest
    @MethodSource("aeadVectors")
    void sealReproducesPublishedAeadPacket(AeadVector v) {
        byte[] pt = Bytes.fromHex(v.plaintext());
        int padLen = pt[pt.length - 2] & 0xff;
        byte[] payload = Arrays.copyOf(pt, pt.length - 2 - padLen);
        boolean esn = Bytes.fromHex(v.aad()).length == 12;
        byte[] sealed = EspPacket.sealed(transform(v), payload, pt[pt.length - 1] & 0xff, Bytes.i32(Bytes.fromHex(v.aad()), 0), seq(v), esn);
        assertEquals(Bytes.hex(wire(v)), Bytes.hex(sealed));
    }

    @ParameterizedTest
    @MethodSource("aeadVectors")
    void openRecoversPublishedAeadPlaintext(AeadVector v) {
        byte[] pt = Bytes.fromHex(v.plaintext());
        int padLen = pt[pt.length - 2] & 0xff;
        boolean esn = Bytes.fromHex(v.aad()).length == 12;
        EspTransform t = transform(v);
        int[] code = new int[1];
        byte[] payload = EspPacket.opened(t, wire(v), seq(v), esn, code);
        assertNotNull(payload, "open returned " + code[0]);
        assertEquals(Bytes.hex(Arrays.copyOf(pt, pt.length - 2 - padLen)), Bytes.hex(payload));
        assertEquals(pt[pt.length - 1] & 0xff, t.lastNextHeader());
    }

    @ParameterizedTest
    @MethodSource("aeadVectors")
    void openRejectsPublishedPacketUnderWrongEsnMode(AeadVector v) {
        boolean esn = Bytes.fromHex(v.aad()).length == 12;
        // The high sequence bits are authenticated only through the AAD: dropping or adding them must fail the tag.
        assertNull(EspPacket.opened(transform(v), wire(v), seq(v) ^ (1L << 40), true, null));
        assertNull(EspPacket.opened(transform(v), wire(v), seq(v), !esn, null));
    }

    /** The SunJCE path AES-GCM falls back to when the JDK's GHASH is out of reach must give the same packets. */
    @ParameterizedTest
    @MethodSource("aeadVectors")
    void sunJceFallbackReproducesAndOpensPublishedAeadPacket(AeadVector v) {
        byte[] nonce = Bytes.fromHex(v.nonce());
        byte[] material = cat(Bytes.fromHex(v.key()), Arrays.copyOf(nonce, 4));
        EspTransform t = new AeadEspTransform(v.alg(), material, new FixedIv(Arrays.copyOfRange(nonce, 4, 12)), false);
        byte[] pt = Bytes.fromHex(v.plaintext());
        int padLen = pt[pt.length - 2] & 0xff;
        boolean esn = Bytes.fromHex(v.aad()).length == 12;
        byte[] payload = Arrays.copyOf(pt, pt.length - 2 - padLen);
        assertEquals(Bytes.hex(wire(v)), Bytes.hex(EspPacket.sealed(t, payload, pt[pt.length - 1] & 0xff, Bytes.i32(Bytes.fromHex(v.aad()), 0), seq(v), esn)));
        assertEquals(Bytes.hex(payload), Bytes.hex(EspPacket.opened(t, wire(v), seq(v), esn, null)));
    }

    /** RFC 3602 §4 cases 5–8: AES-128-CBC ESP packets, published without an ICV. */
    record CbcVector(String name, String key, String iv, int spi, int seq, int nextHeader, String payload, String esp) {
        @Override public String toString() { return name; }
    }

    static CbcVector[] cbcVectors() {
        return new CbcVector[] {
            new CbcVector("RFC 3602 case 5", "90d382b410eeba7ad938c46cec1a82bf", "e96e8c08ab465763fd098d45dd3ff893", 0x4321, 1, 1,
                "08000ebda70a00008e9c083db95b070008090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f202122232425262728292a2b2c2d2e2f3031323334353637",
                "0000432100000001e96e8c08ab465763fd098d45dd3ff893f663c25d325c18c6a9453e194e120849a4870b66cc6b9965330013b4898dc856a4699e523a55db080b59ec3a8e4b7e52775b07d1db34ed9c538ab50c551b874aa269add047ad2d5913ac19b7cfbad4a6"),
            new CbcVector("RFC 3602 case 6", "90d382b410eeba7ad938c46cec1a82bf", "69d08df7d203329db093fc4924e5bd80", 0x4321, 8, 1,
                "0800b5e8a80a0500a69c083d0b660e00777777777777777777777777",
                "000043210000000869d08df7d203329db093fc4924e5bd80f51995881ec4e0c4488987ce742e8109689bb379d2d750c0d915dca346a89f75"),
            new CbcVector("RFC 3602 case 7", "0123456789abcdef0123456789abcdef", "f4e765244f6407adf13dc1380f673f37", 0x8765, 2, 4,
                "45000054090400004001f988c0a87b03c0a87bc808009f76a90a0100b49c083d02a2040008090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f202122232425262728292a2b2c2d2e2f3031323334353637",
                "0000876500000002f4e765244f6407adf13dc1380f673f37773b5241a4c449225e4f3ce5ed611b0c237ca96cf74a93013c1b0ea1a0cf70f8e4ecaec78ac53aad7a0f022b859243c647752e94a859352b8a4d4d2decd136e5c177f132ad3fbfb2201ac9904c74ee0a109e0ca1e4dfe9d5a100b842f1c22f0d"),
            new CbcVector("RFC 3602 case 8", "0123456789abcdef0123456789abcdef", "85d47224b5f3dd5d2101d4ea8dffab22", 0x8765, 5, 4,
                "45000044090c00004001f990c0a87b03c0a87bc80800d63caa0a0200c69c083da3de0300ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff",
                "000087650000000585d47224b5f3dd5d2101d4ea8dffab2215b92683819596a8047232cc00f7048fe45318e11f8a0f62ede3c3fc61203bb50f980a08c9843fd3a1b06d5c07ff9639b7eb7dfb3512e5de435e7207ed971ef3d2726d9b5ef6affc6d17a0decbb13892"),
        };
    }

    /**
     * RFC 3602 gives no ICV (its cases predate the pairing with SHA-2), so we pair it with HMAC-SHA-256-128 under a
     * fixed key: the bytes up to the ICV must equal the RFC's, and the ICV must be the plain JCE HMAC of them.
     */
    @ParameterizedTest
    @MethodSource("cbcVectors")
    void sealReproducesRfc3602PacketAndAppendsItsHmac(CbcVector v) throws Exception {
        byte[] macKey = new byte[32];
        Arrays.fill(macKey, (byte) 0x5a);
        EspTransform t = EspTransforms.create(EncryptionAlgorithm.AES_CBC_128, Bytes.fromHex(v.key()), IntegrityAlgorithm.HMAC_SHA256_128,
                macKey, new FixedIv(Bytes.fromHex(v.iv())));
        byte[] sealed = EspPacket.sealed(t, Bytes.fromHex(v.payload()), v.nextHeader(), v.spi(), v.seq(), false);
        byte[] rfc = Bytes.fromHex(v.esp());
        assertEquals(rfc.length + 16, sealed.length);
        assertEquals(Bytes.hex(rfc), Bytes.hex(Arrays.copyOf(sealed, rfc.length)));
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(macKey, "HmacSHA256"));
        assertEquals(Bytes.hex(Arrays.copyOf(mac.doFinal(rfc), 16)), Bytes.hex(Arrays.copyOfRange(sealed, rfc.length, sealed.length)));

        EspTransform inbound = EspTransforms.create(EncryptionAlgorithm.AES_CBC_128, Bytes.fromHex(v.key()), IntegrityAlgorithm.HMAC_SHA256_128, macKey);
        assertEquals(v.payload(), Bytes.hex(EspPacket.opened(inbound, sealed, v.seq(), false, null)));
        assertEquals(v.nextHeader(), inbound.lastNextHeader());
    }

    @Test
    void productionGcmIvIsTheSequenceNumber() {
        byte[] material = new byte[20];
        EspTransform t = EspTransforms.create(EncryptionAlgorithm.AES_GCM_128, material, IntegrityAlgorithm.NONE, null);
        byte[] sealed = EspPacket.sealed(t, new byte[10], 4, 1, 0x0000000500000007L, true);
        assertEquals("0000000500000007", Bytes.hex(sealed, 8, 8));
        assertEquals("00000007", Bytes.hex(sealed, 4, 4));
    }
}
