// AH (RFC 4302) against scapy 2.5: packets scapy built and verified (scapy_vectors.py in the test resources)
// must open, and sealing the same IP packet must reproduce scapy's bytes. Then mutable-field handling,
// tampering, malformed headers, truncation and random input.
package bitw.ipsec.crypto;

import static org.junit.jupiter.api.Assertions.*;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

import bitw.ipsec.packet.Bytes;

class AhTransformTest {
    private static final int OFF = 14; // an Ethernet header in front of the IP packet
    private static final int SPI = 0x00a4a4a4;

    /** Tunnel-mode AH over IPv4 or IPv6, outer header with non-zero TOS/DF/TTL or traffic class/flow label/hop limit. */
    record ScapyAh(String name, int family, IntegrityAlgorithm integ, String key, long seq, boolean esn, String packet) {
        @Override public String toString() { return name; }
        AhTransform transform() { return AhTransforms.create(integ, Bytes.fromHex(key)); }
        int ahOff() { return OFF + (family == 4 ? 20 : 40); }
    }

    static ScapyAh[] vectors() {
        return new ScapyAh[] {
            new ScapyAh("ah4-sha256", 4, IntegrityAlgorithm.HMAC_SHA256_128, "c0c1c2c3c4c5c6c7c8c9cacbcccdcecfd0d1d2d3d4d5d6d7d8d9dadbdcdddedf", 0L << 32 | 11, false,
                "4528007f42424000393312abc0000201c63364020405000000a4a4a40000000baae5262ee1caa4d12c19509f5bfd57a74500004f123400003f11555a0a0100050a02000914e91092003b46db62756d702d696e2d7468652d776972652062756d702d696e2d7468652d776972652062756d702d696e2d7468652d7769726520"),
            new ScapyAh("ah4-sha1", 4, IntegrityAlgorithm.HMAC_SHA1_96, "404142434445464748494a4b4c4d4e4f50515253", 0L << 32 | 12, false,
                "4528007b42424000393312afc0000201c63364020404000000a4a4a40000000ce2deffe5fae8a40ba12d38544500004f123400003f11555a0a0100050a02000914e91092003b46db62756d702d696e2d7468652d776972652062756d702d696e2d7468652d776972652062756d702d696e2d7468652d7769726520"),
            new ScapyAh("ah6-sha256", 6, IntegrityAlgorithm.HMAC_SHA256_128, "c0c1c2c3c4c5c6c7c8c9cacbcccdcecfd0d1d2d3d4d5d6d7d8d9dadbdcdddedf", 0L << 32 | 13, false,
                "6b812345006f333d20010db800000000000000000000000120010db80001000000000000000000020406000000a4a4a40000000d2f4ff220faddeb9f57e8f264af12e120000000004500004f123400003f11555a0a0100050a02000914e91092003b46db62756d702d696e2d7468652d776972652062756d702d696e2d7468652d776972652062756d702d696e2d7468652d7769726520"),
            new ScapyAh("ah6-sha1", 6, IntegrityAlgorithm.HMAC_SHA1_96, "404142434445464748494a4b4c4d4e4f50515253", 0L << 32 | 14, false,
                "6b8123450067333d20010db800000000000000000000000120010db80001000000000000000000020404000000a4a4a40000000e0bee22aa89090768572b4dcd4500004f123400003f11555a0a0100050a02000914e91092003b46db62756d702d696e2d7468652d776972652062756d702d696e2d7468652d776972652062756d702d696e2d7468652d7769726520"),
            new ScapyAh("ah4-sha256-esn", 4, IntegrityAlgorithm.HMAC_SHA256_128, "c0c1c2c3c4c5c6c7c8c9cacbcccdcecfd0d1d2d3d4d5d6d7d8d9dadbdcdddedf", 3L << 32 | 15, true,
                "4528007f42424000393312abc0000201c63364020405000000a4a4a40000000fdf0851b0b8af8babd0868d0cfa0208544500004f123400003f11555a0a0100050a02000914e91092003b46db62756d702d696e2d7468652d776972652062756d702d696e2d7468652d776972652062756d702d696e2d7468652d7769726520"),
            new ScapyAh("ah6-sha512-esn", 6, IntegrityAlgorithm.HMAC_SHA512_256, "606162636465666768696a6b6c6d6e6f707172737475767778797a7b7c7d7e7f808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9f", 7L << 32 | 16, true,
                "6b812345007f333d20010db800000000000000000000000120010db8000100000000000000000002040a000000a4a4a400000010a0f4377f7e04d0d4cea43e9b086a8497083becc9aa488a103f5950bf076193fa000000004500004f123400003f11555a0a0100050a02000914e91092003b46db62756d702d696e2d7468652d776972652062756d702d696e2d7468652d776972652062756d702d696e2d7468652d7769726520"),
        };
    }

    private static byte[] framed(byte[] packet) {
        byte[] buf = new byte[OFF + packet.length + 5];
        System.arraycopy(packet, 0, buf, OFF, packet.length);
        return buf;
    }

    @ParameterizedTest
    @MethodSource("vectors")
    void opensScapyPacket(ScapyAh v) {
        byte[] pkt = Bytes.fromHex(v.packet());
        byte[] buf = framed(pkt);
        AhTransform t = v.transform();
        int payloadOff = t.open(buf, OFF, pkt.length, v.ahOff(), v.seq(), v.esn());
        assertEquals(v.ahOff() + t.headerLength(v.family()), payloadOff);
        assertEquals(4, t.lastNextHeader());
        assertEquals(ScapyEspVectorsTest.INNER, Bytes.hex(buf, payloadOff, pkt.length - (payloadOff - OFF)));
        assertArrayEquals(pkt, Arrays.copyOfRange(buf, OFF, OFF + pkt.length), "open leaves the packet as it was");
    }

    @ParameterizedTest
    @MethodSource("vectors")
    void sealReproducesScapysPacket(ScapyAh v) {
        byte[] pkt = Bytes.fromHex(v.packet());
        byte[] buf = framed(pkt);
        AhTransform t = v.transform();
        int ahLen = t.headerLength(v.family());
        Arrays.fill(buf, v.ahOff(), v.ahOff() + ahLen, (byte) 0xee); // whatever was there before
        t.seal(buf, OFF, pkt.length, v.ahOff(), 4, SPI, v.seq(), v.esn());
        assertEquals(v.packet(), Bytes.hex(buf, OFF, pkt.length));
    }

    @ParameterizedTest
    @MethodSource("vectors")
    void mutableFieldsDoNotEnterTheIcvButEverythingElseDoes(ScapyAh v) {
        byte[] pkt = Bytes.fromHex(v.packet());
        AhTransform t = v.transform();
        int[] mutable = v.family() == 4 ? new int[] {1, 6, 7, 8, 10, 11} : new int[] {1, 2, 3, 7};
        for (int i = 0; i < pkt.length; i++) {
            byte[] buf = framed(pkt);
            buf[OFF + i] ^= (byte) 0x01;
            // In IPv6 byte 0, bit 0x01 belongs to the traffic class, so that flip is mutable too.
            boolean isMutable = contains(mutable, i) || (v.family() == 6 && i == 0);
            int r = t.open(buf, OFF, pkt.length, v.ahOff(), v.seq(), v.esn());
            if (isMutable) assertTrue(r > 0, "mutable byte " + i + " returned " + r);
            else if (i == v.ahOff() - OFF + 1 || (v.family() == 4 && (i == 0 || i == 2 || i == 3 || i == 9))
                    || (v.family() == 6 && (i == 4 || i == 5 || i == 6))) assertTrue(r < 0, "header byte " + i);
            else assertEquals(AhTransform.ERR_ICV, r, "byte " + i);
        }
    }

    private static boolean contains(int[] a, int x) {
        for (int v : a) if (v == x) return true;
        return false;
    }

    @ParameterizedTest
    @MethodSource("vectors")
    void wrongEsnHighBitsFailTheIcv(ScapyAh v) {
        byte[] pkt = Bytes.fromHex(v.packet());
        assertEquals(AhTransform.ERR_ICV, v.transform().open(framed(pkt), OFF, pkt.length, v.ahOff(), v.seq() + (1L << 32), true));
    }

    @ParameterizedTest
    @MethodSource("vectors")
    void truncationAtEveryLengthGivesAnErrorCode(ScapyAh v) {
        byte[] pkt = Bytes.fromHex(v.packet());
        AhTransform t = v.transform();
        for (int len = 0; len < pkt.length; len++) {
            byte[] cut = Arrays.copyOf(pkt, len);
            assertTrue(t.open(cut, 0, len, v.ahOff() - OFF, v.seq(), v.esn()) < 0, "length " + len);
        }
    }

    @Test
    void ipv4OptionsAreMalformed() {
        ScapyAh v = vectors()[0];
        byte[] pkt = Bytes.fromHex(v.packet());
        byte[] withOptions = new byte[pkt.length + 4];
        System.arraycopy(pkt, 0, withOptions, 0, 20);
        System.arraycopy(pkt, 20, withOptions, 24, pkt.length - 20);
        withOptions[0] = 0x46;
        withOptions[20] = 1; withOptions[21] = 1; withOptions[22] = 1; withOptions[23] = 0; // NOP NOP NOP EOL
        Bytes.put16(withOptions, 2, withOptions.length);
        assertEquals(AhTransform.ERR_MALFORMED, v.transform().open(withOptions, 0, withOptions.length, 24, v.seq(), false));
        assertEquals(AhTransform.ERR_MALFORMED, v.transform().open(withOptions, 0, withOptions.length, 20, v.seq(), false));
        assertThrows(IllegalArgumentException.class, () -> v.transform().seal(withOptions, 0, withOptions.length, 24, 4, SPI, 1, false));
    }

    @Test
    void ipv6ExtensionHeaderBeforeAhIsMalformed() {
        ScapyAh v = vectors()[2];
        assertEquals(6, v.family());
        byte[] pkt = Bytes.fromHex(v.packet());
        byte[] withExt = new byte[pkt.length + 8];
        System.arraycopy(pkt, 0, withExt, 0, 40);
        System.arraycopy(pkt, 40, withExt, 48, pkt.length - 40);
        withExt[6] = 0;        // hop-by-hop options header …
        withExt[40] = 51;      // … followed by AH
        withExt[42] = 1; withExt[43] = 4; // PadN
        Bytes.put16(withExt, 4, withExt.length - 40);
        assertEquals(AhTransform.ERR_MALFORMED, v.transform().open(withExt, 0, withExt.length, 48, v.seq(), false));
    }

    @Test
    void inconsistentLengthsAreMalformed() {
        ScapyAh v = vectors()[0];
        byte[] pkt = Bytes.fromHex(v.packet());
        AhTransform t = v.transform();
        byte[] longer = Arrays.copyOf(pkt, pkt.length + 4);
        assertEquals(AhTransform.ERR_MALFORMED, t.open(longer, 0, longer.length, 20, v.seq(), false), "IP total length disagrees");
        byte[] badPayloadLen = pkt.clone();
        badPayloadLen[21] = 3;
        assertEquals(AhTransform.ERR_MALFORMED, t.open(badPayloadLen, 0, pkt.length, 20, v.seq(), false), "AH payload length");
    }

    @ParameterizedTest
    @EnumSource(value = IntegrityAlgorithm.class, names = "NONE", mode = EnumSource.Mode.EXCLUDE)
    void headerLengthIsPaddedPerFamilyAndRoundTrips(IntegrityAlgorithm integ) {
        AhTransform out = AhTransforms.create(integ, new byte[integ.keyLength]), in = AhTransforms.create(integ, new byte[integ.keyLength]);
        for (int family : new int[] {4, 6}) {
            int ahLen = out.headerLength(family);
            assertEquals(0, ahLen % (family == 4 ? 4 : 8));
            assertTrue(ahLen >= 12 + integ.icvLength && ahLen < 12 + integ.icvLength + (family == 4 ? 4 : 8));
            ScapyAh template = vectors()[family == 4 ? 0 : 2];
            int ipLen = family == 4 ? 20 : 40;
            byte[] inner = Bytes.fromHex(ScapyEspVectorsTest.INNER);
            int len = ipLen + ahLen + inner.length;
            byte[] buf = new byte[OFF + len];
            System.arraycopy(Bytes.fromHex(template.packet()), 0, buf, OFF, ipLen);
            if (family == 4) Bytes.put16(buf, OFF + 2, len); else Bytes.put16(buf, OFF + 4, len - 40);
            System.arraycopy(inner, 0, buf, OFF + ipLen + ahLen, inner.length);
            for (boolean esn : new boolean[] {false, true}) {
                long seq = 0x900000021L;
                out.seal(buf, OFF, len, OFF + ipLen, 4, SPI, seq, esn);
                assertEquals(ahLen / 4 - 2, buf[OFF + ipLen + 1] & 0xff, "Payload Len field");
                assertEquals(SPI, Bytes.i32(buf, OFF + ipLen + 4));
                assertEquals((int) seq, Bytes.i32(buf, OFF + ipLen + 8));
                assertEquals(OFF + ipLen + ahLen, in.open(buf, OFF, len, OFF + ipLen, seq, esn));
                assertEquals(AhTransform.ERR_ICV, in.open(buf, OFF, len, OFF + ipLen, seq, !esn), "other ESN mode");
            }
        }
    }

    @Test
    void randomInputNeverThrowsAndNeverAuthenticates() {
        for (ScapyAh v : vectors()) {
            AhTransform t = v.transform();
            byte[] valid = Bytes.fromHex(v.packet());
            int[] mutable = v.family() == 4 ? new int[] {1, 6, 7, 8, 10, 11} : new int[] {0, 1, 2, 3, 7};
            Random rnd = new Random(v.name().hashCode());
            for (int i = 0; i < 3000; i++) {
                byte[] buf = new byte[rnd.nextInt(260)];
                rnd.nextBytes(buf);
                int changed = -1;
                if (i % 2 == 0 && buf.length >= valid.length) {
                    // a real packet with one byte changed, at its usual place
                    System.arraycopy(valid, 0, buf, 0, valid.length);
                    changed = rnd.nextInt(valid.length);
                    buf[changed] ^= (byte) (1 + rnd.nextInt(255));
                    int r = t.open(buf, 0, valid.length, v.ahOff() - OFF, v.seq(), v.esn());
                    boolean mayPass = contains(mutable, changed) && !(v.family() == 6 && changed == 0 && (buf[0] & 0xf0) != 0x60);
                    assertTrue(r < 0 || mayPass, "byte " + changed + " changed, open returned " + r);
                    continue;
                }
                int ipOff = buf.length == 0 ? 0 : rnd.nextInt(Math.min(buf.length, 8));
                int len = rnd.nextInt(buf.length - ipOff + 1);
                int ahOff = ipOff + (rnd.nextBoolean() ? (v.family() == 4 ? 20 : 40) : rnd.nextInt(64));
                int r = t.open(buf, ipOff, len, ahOff, rnd.nextLong(), rnd.nextBoolean());
                assertTrue(r < 0, "iteration " + i + " authenticated random bytes: " + r);
            }
        }
    }
}
