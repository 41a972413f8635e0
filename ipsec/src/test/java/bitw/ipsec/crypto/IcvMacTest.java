// Known-answer tests for every integrity algorithm, truncated as ESP/AH send it: RFC 4868 §2.7.2 (HMAC-SHA-256,
// -384, -512 with keys of the IPsec key length) and RFC 2202 §2–3 (HMAC-SHA1, HMAC-MD5).
package bitw.ipsec.crypto;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

import bitw.ipsec.packet.Bytes;

class IcvMacTest {
    private static final byte[] HI_THERE = "Hi There".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] JEFE_DATA = "what do ya want for nothing?".getBytes(StandardCharsets.US_ASCII);

    private static byte[] fill(int value, int n) { byte[] b = new byte[n]; Arrays.fill(b, (byte) value); return b; }

    private static byte[] repeat(String s, int times) { return s.repeat(times).getBytes(StandardCharsets.US_ASCII); }

    private static void assertTruncatedHmac(IntegrityAlgorithm alg, byte[] key, byte[] data, String fullHex) {
        byte[] expected = Arrays.copyOf(Bytes.fromHex(fullHex), alg.icvLength);
        IcvMac mac = new IcvMac(alg, key);
        byte[] out = new byte[alg.icvLength + 3];
        // Split the input across two updates, as ESP does for header and ciphertext.
        mac.update(data, 0, data.length / 2);
        mac.update(data, data.length / 2, data.length - data.length / 2);
        mac.finishInto(out, 3);
        assertArrayEquals(expected, Arrays.copyOfRange(out, 3, out.length), alg.toString());
        // The Mac resets after each packet: a second computation gives the same ICV and verifies.
        mac.update(data, 0, data.length);
        assertTrue(mac.finishAndVerify(out, 3));
        out[3 + alg.icvLength - 1] ^= 1;
        mac.update(data, 0, data.length);
        assertFalse(mac.finishAndVerify(out, 3));
    }

    @Test
    void hmacSha256_128MatchesRfc4868() {
        assertTruncatedHmac(IntegrityAlgorithm.HMAC_SHA256_128, fill(0x0b, 32), HI_THERE,
                "198a607eb44bfbc69903a0f1cf2bbdc5ba0aa3f3d9ae3c1c7a3b1696a0b68cf7");
        assertTruncatedHmac(IntegrityAlgorithm.HMAC_SHA256_128, repeat("Jefe", 8), JEFE_DATA,
                "167f928588c5cc2eef8e3093caa0e87c9ff566a14794aa61648d81621a2a40c6");
        assertTruncatedHmac(IntegrityAlgorithm.HMAC_SHA256_128, fill(0xaa, 32), fill(0xdd, 50),
                "cdcb1220d1ecccea91e53aba3092f962e549fe6ce9ed7fdc43191fbde45c30b0");
    }

    @Test
    void hmacSha384_192MatchesRfc4868() {
        assertTruncatedHmac(IntegrityAlgorithm.HMAC_SHA384_192, fill(0x0b, 48), HI_THERE,
                "b6a8d5636f5c6a7224f9977dcf7ee6c7fb6d0c48cbdee9737a959796489bddbc4c5df61d5b3297b4fb68dab9f1b582c2");
        assertTruncatedHmac(IntegrityAlgorithm.HMAC_SHA384_192, repeat("Jefe", 12), JEFE_DATA,
                "2c7353974f1842fd66d53c452ca42122b28c0b594cfb184da86a368e9b8e16f5349524ca4e82400cbde0686d403371c9");
    }

    @Test
    void hmacSha512_256MatchesRfc4868() {
        assertTruncatedHmac(IntegrityAlgorithm.HMAC_SHA512_256, fill(0x0b, 64), HI_THERE,
                "637edc6e01dce7e6742a99451aae82df23da3e92439e590e43e761b33e910fb8ac2878ebd5803f6f0b61dbce5e251ff8789a4722c1be65aea45fd464e89f8f5b");
        assertTruncatedHmac(IntegrityAlgorithm.HMAC_SHA512_256, repeat("Jefe", 16), JEFE_DATA,
                "cb370917ae8a7ce28cfd1d8f4705d6141c173b2a9362c15df235dfb251b154546aa334ae9fb9afc2184932d8695e397bfa0ffb93466cfcceaae38c833b7dba38");
    }

    @Test
    void hmacSha1_96MatchesRfc2202() {
        assertTruncatedHmac(IntegrityAlgorithm.HMAC_SHA1_96, fill(0x0b, 20), HI_THERE, "b617318655057264e28bc0b6fb378c8ef146be00");
        assertTruncatedHmac(IntegrityAlgorithm.HMAC_SHA1_96, fill(0xaa, 20), fill(0xdd, 50), "125d7342b9ac11cd91a39af48aa17b4f63f175d3");
    }

    @Test
    void hmacMd5_96MatchesRfc2202() {
        assertTruncatedHmac(IntegrityAlgorithm.HMAC_MD5_96, fill(0x0b, 16), HI_THERE, "9294727a3638bb1c13f48ef8158bfc9d");
        assertTruncatedHmac(IntegrityAlgorithm.HMAC_MD5_96, fill(0xaa, 16), fill(0xdd, 50), "56be34521d144c88dbb8c733f0e8b3f6");
    }

    @Test
    void esnHighBitsAreAppendedBigEndian() {
        byte[] key = fill(0x0b, 32);
        IcvMac a = new IcvMac(IntegrityAlgorithm.HMAC_SHA256_128, key), b = new IcvMac(IntegrityAlgorithm.HMAC_SHA256_128, key);
        byte[] icvA = new byte[16], icvB = new byte[16];
        a.update(HI_THERE, 0, HI_THERE.length);
        a.updateSeqHigh(0x0102030400000005L);
        a.finishInto(icvA, 0);
        byte[] withHigh = Arrays.copyOf(HI_THERE, HI_THERE.length + 4);
        System.arraycopy(Bytes.fromHex("01020304"), 0, withHigh, HI_THERE.length, 4);
        b.update(withHigh, 0, withHigh.length);
        b.finishInto(icvB, 0);
        assertArrayEquals(icvB, icvA);
    }

    @Test
    void rejectsKeysOfTheWrongLength() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new IcvMac(IntegrityAlgorithm.HMAC_SHA256_128, new byte[20]));
        assertTrue(e.getMessage().contains("32-byte key"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new IcvMac(IntegrityAlgorithm.NONE, new byte[0]));
    }
}
