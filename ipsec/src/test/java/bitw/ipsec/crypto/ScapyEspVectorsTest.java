// Cross-checks against an independent implementation: ESP packets built and verified by scapy 2.5
// (SecurityAssociation, tunnel mode, outer IPv4 stripped) with the script in
// src/test/resources/bitw/ipsec/crypto/scapy_vectors.py. We must open scapy's packets, and sealing the same
// payload with scapy's IV must give scapy's bytes exactly, which is what scapy itself verified.
package bitw.ipsec.crypto;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import bitw.ipsec.packet.Bytes;

class ScapyEspVectorsTest {
    /** The tunnelled IPv4/UDP packet every vector carries (next header 4). */
    static final String INNER = "4500004f123400003f11555a0a0100050a02000914e91092003b46db62756d702d696e2d7468652d776972652062756d702d696e2d7468652d776972652062756d702d696e2d7468652d7769726520";
    static final int SPI = 0x0badcafe;

    /** espEsn: the same packet with the ICV recomputed over the ESN high bits {@code esnHigh} (null: none). */
    record ScapyVector(String name, EncryptionAlgorithm enc, String encKey, IntegrityAlgorithm integ, String integKey,
                       String iv, long seq, String esp, String espEsn, long esnHigh) {
        @Override public String toString() { return name; }

        EspTransform transform(boolean fixedIv) {
            byte[] ik = integ == IntegrityAlgorithm.NONE ? null : Bytes.fromHex(integKey);
            return fixedIv ? EspTransforms.create(enc, Bytes.fromHex(encKey), integ, ik, new FixedIv(Bytes.fromHex(iv)))
                           : EspTransforms.create(enc, Bytes.fromHex(encKey), integ, ik);
        }
    }

    static ScapyVector[] vectors() {
        return new ScapyVector[] {
            new ScapyVector("3des-sha1", EncryptionAlgorithm.DES3_CBC, "101112131415161718191a1b1c1d1e1f2021222324252627", IntegrityAlgorithm.HMAC_SHA1_96, "404142434445464748494a4b4c4d4e4f50515253",
                "1122334455667788", 7, "0badcafe0000000711223344556677888db44bbabacac17ec5700a7809220581c64055bd8e0241933f75130856b6d77beffb7144e9bf319307182ca1c8cbe07e34b5145c26b6fc6a4c9fea4865880bc02bad443d8d62961393a1389445d43c6e32fe9f7f2005a966f594e5959e15d9f7cb3c48d1",
                "0badcafe0000000711223344556677888db44bbabacac17ec5700a7809220581c64055bd8e0241933f75130856b6d77beffb7144e9bf319307182ca1c8cbe07e34b5145c26b6fc6a4c9fea4865880bc02bad443d8d62961393a1389445d43c6e32fe9f7f2005a966fb88042c8b4bc313ad2f91b0", 0x1L),
            new ScapyVector("aes256cbc-sha256", EncryptionAlgorithm.AES_CBC_256, "808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9f", IntegrityAlgorithm.HMAC_SHA256_128, "c0c1c2c3c4c5c6c7c8c9cacbcccdcecfd0d1d2d3d4d5d6d7d8d9dadbdcdddedf",
                "000102030405060708090a0b0c0d0e0f", 1000, "0badcafe000003e8000102030405060708090a0b0c0d0e0f5884ee72febffb5698d39995fcc4995ddbd7d16f9b9c8d4d574962da869ac7653092d6abeaca0ffc7b365904a01bfae274a7094a2551089e20936f45b24b48c07c46fbf9c39462c78d64e749e10c1f8caa3ba095aa0a9041fe18c450315123a4244de68f1b8b7b61a8d541081e46e8e4",
                "0badcafe000003e8000102030405060708090a0b0c0d0e0f5884ee72febffb5698d39995fcc4995ddbd7d16f9b9c8d4d574962da869ac7653092d6abeaca0ffc7b365904a01bfae274a7094a2551089e20936f45b24b48c07c46fbf9c39462c78d64e749e10c1f8caa3ba095aa0a9041fe18c450315123a436b4d74c24431bfe89bd584f23159279", 0x2aL),
            new ScapyVector("aes128cbc-sha384", EncryptionAlgorithm.AES_CBC_128, "202122232425262728292a2b2c2d2e2f", IntegrityAlgorithm.HMAC_SHA384_192, "505152535455565758595a5b5c5d5e5f606162636465666768696a6b6c6d6e6f707172737475767778797a7b7c7d7e7f",
                "f0e0d0c0b0a090807060504030201000", 3, "0badcafe00000003f0e0d0c0b0a0908070605040302010002c698438c7caf1cec65e2d0b9428f39ba86110ff694cee1a9678cc64bba46885fd0d86c4ff0c498989dc8059610109826a6b055bc8227380afe894322ca01b521ea64ff034514d61e65938f450fdbc2c7f361e4744feed21724853565fcba42548b9567c9d7c60f58ac2f21bfb7da96825c01d375d1cf92c",
                null, 0),
            new ScapyVector("null-sha512", EncryptionAlgorithm.NULL, "", IntegrityAlgorithm.HMAC_SHA512_256, "606162636465666768696a6b6c6d6e6f707172737475767778797a7b7c7d7e7f808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9f",
                "", 9, "0badcafe000000094500004f123400003f11555a0a0100050a02000914e91092003b46db62756d702d696e2d7468652d776972652062756d702d696e2d7468652d776972652062756d702d696e2d7468652d776972652001020303048f7847b1e942e3330084985e382dd064e756243ec36cbc7ab837df0faf5d1193",
                null, 0),
            new ScapyVector("aes128cbc-md5", EncryptionAlgorithm.AES_CBC_128, "202122232425262728292a2b2c2d2e2f", IntegrityAlgorithm.HMAC_MD5_96, "707172737475767778797a7b7c7d7e7f",
                "00000000000000000000000000000000", 2, "0badcafe0000000200000000000000000000000000000000eb0a42a114bf1c589f60697c80ddccf5af90980784e360d547808f98a9db29efcfd81a367315217a77c9e969bf5afeb4e229dbdc4d4b59730608233c005c2f096d050614b88a871d16e354f2fc1e868d3d30dc0b93d4da632b5e999b566e9da8878f248d0b47902c901c4ee7",
                null, 0),
            new ScapyVector("aes128gcm", EncryptionAlgorithm.AES_GCM_128, "a0a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3", IntegrityAlgorithm.NONE, "",
                "0000000000000005", 5, "0badcafe000000050000000000000005ff53798fdd9cd1b8263d0154c673ceb37ab8d186a7750bd5b3b97bc27dbb7fb1ab84673e12c4565915e8be4bbb3de67b89d442932cc744570f97c5d6618d9046d69dfc9fb10bcf89de2cb3d0298c3dc914a350329b12e9064b6de81823c35421f91e3553",
                null, 0),
        };
    }

    @ParameterizedTest
    @MethodSource("vectors")
    void opensScapyPacket(ScapyVector v) {
        EspTransform t = v.transform(false);
        int[] code = new int[1];
        byte[] payload = EspPacket.opened(t, Bytes.fromHex(v.esp()), v.seq(), false, code);
        assertNotNull(payload, "open returned " + code[0]);
        assertEquals(INNER, Bytes.hex(payload));
        assertEquals(4, t.lastNextHeader());
    }

    @ParameterizedTest
    @MethodSource("vectors")
    void sealWithScapysIvGivesScapysBytes(ScapyVector v) {
        byte[] sealed = EspPacket.sealed(v.transform(true), Bytes.fromHex(INNER), 4, SPI, v.seq(), false);
        assertEquals(v.esp(), Bytes.hex(sealed));
    }

    static ScapyVector[] esnVectors() {
        return java.util.Arrays.stream(vectors()).filter(v -> v.espEsn() != null).toArray(ScapyVector[]::new);
    }

    @ParameterizedTest
    @MethodSource("esnVectors")
    void esnHighBitsEnterTheIcvAsRfc4303Says(ScapyVector v) {
        long seq = v.esnHigh() << 32 | v.seq();
        assertEquals(v.espEsn(), Bytes.hex(EspPacket.sealed(v.transform(true), Bytes.fromHex(INNER), 4, SPI, seq, true)));
        assertEquals(INNER, Bytes.hex(EspPacket.opened(v.transform(false), Bytes.fromHex(v.espEsn()), seq, true, null)));
        int[] code = new int[1];
        assertNull(EspPacket.opened(v.transform(false), Bytes.fromHex(v.espEsn()), v.seq(), true, code), "wrong high bits must fail");
        assertEquals(EspTransform.ERR_ICV, code[0]);
    }

}
