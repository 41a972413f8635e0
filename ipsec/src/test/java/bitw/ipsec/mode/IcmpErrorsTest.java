// Specification of the ICMP errors: byte-exact against messages scapy 2.5 built, checksums verified by a plain
// loop, quoted bytes, and the cases where RFC 1122 / RFC 4443 forbid an error.
package bitw.ipsec.mode;

import static org.junit.jupiter.api.Assertions.*;

import bitw.ipsec.packet.Bytes;
import bitw.ipsec.packet.InternetChecksum;
import bitw.ipsec.packet.IpAddress;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class IcmpErrorsTest {
    // IP(src='10.1.2.3', dst='10.4.5.6', ttl=5)/UDP(sport=5353, dport=53)/Raw(b'hello')
    static final String V4_UDP = "450000210001000005119abe0a0102030a04050614e90035000d8bd668656c6c6f";
    // IPv6(src='2001:db8::1', dst='2001:db8::2')/UDP(sport=500, dport=4500)/Raw(b'abcdefg')
    static final String V6_UDP = "60000000000f114020010db800000000000000000000000120010db800000000000000000000000201f41194"
            + "000fffa561626364656667";
    static final IpAddress FROM4 = IpAddress.parse("192.0.2.254"), FROM6 = IpAddress.parse("2001:db8::fe");

    private final byte[] out = new byte[2000];

    /** Independent ones' complement sum: 16-bit words, carries folded at every step. */
    static int onesSum(byte[] b, int off, int len, int start) {
        int s = start;
        for (int i = 0; i < len; i += 2) {
            s += (b[off + i] & 0xff) << 8 | (i + 1 < len ? b[off + i + 1] & 0xff : 0);
            s = (s & 0xffff) + (s >>> 16);
        }
        return s;
    }

    static void assertIcmpv4ChecksumValid(byte[] p, int len) {
        assertEquals(0xffff, onesSum(p, 0, 20, 0), "IPv4 header checksum");
        assertEquals(0xffff, onesSum(p, 20, len - 20, 0), "ICMP checksum");
    }

    static void assertIcmpv6ChecksumValid(byte[] p, int len) {
        int s = onesSum(p, 8, 32, 0);                 // source and destination
        s = onesSum(new byte[] {0, 0, (byte) ((len - 40) >> 8), (byte) (len - 40), 0, 0, 0, 58}, 0, 8, s);
        assertEquals(0xffff, onesSum(p, 40, len - 40, s), "ICMPv6 checksum over the pseudo-header");
    }

    static byte[] ipv4(String hex) { return Bytes.fromHex(hex); }

    static void fixIpv4Checksum(byte[] p) {
        Bytes.put16(p, 10, 0);
        Bytes.put16(p, 10, InternetChecksum.fold(InternetChecksum.sum(p, 0, (p[0] & 15) * 4, 0)));
    }

    @Test
    void fragmentationNeededMatchesScapy_rfc1191() {
        // scapy: IP(src='192.0.2.254', dst='10.1.2.3', ttl=64, tos=0xc0, id=0)/ICMP(type=3, code=4, nexthopmtu=1400)/orig[:28]
        byte[] expected = Bytes.fromHex("45c00038000000004001ab03c00002fe0a0102030304568200000578"
                + "450000210001000005119abe0a0102030a04050614e90035000d8bd6");
        byte[] orig = ipv4(V4_UDP);
        int n = IcmpErrors.fragmentationNeeded(orig, 0, orig.length, 1400, FROM4, out, 10);
        assertEquals(expected.length, n);
        assertArrayEquals(expected, Arrays.copyOfRange(out, 10, 10 + n));
    }

    @Test
    void fragmentationNeededQuotesHeaderWithOptionsPlusEightBytes() {
        // IPv4 with 24 bytes of options and 40 bytes of UDP payload (scapy: see IpPacketParserTest.V4_OPTIONS)
        byte[] orig = Bytes.fromHex("4b00005c0001000040116cf8c0000201c0000202070b04010203040000000001820b00000000000078787800"
                + "000100020030121e78787878787878787878787878787878787878787878787878787878787878787878787878787878");
        int n = IcmpErrors.fragmentationNeeded(orig, 0, orig.length, 1280, FROM4, out, 0);
        assertEquals(20 + 8 + 44 + 8, n);
        assertIcmpv4ChecksumValid(out, n);
        assertArrayEquals(Arrays.copyOf(orig, 52), Arrays.copyOfRange(out, 28, 80));
        assertEquals(3, out[20]);
        assertEquals(4, out[21]);
        assertEquals(1280, Bytes.u16(out, 26));
        assertEquals(0, Bytes.u16(out, 24));
        assertEquals(64, out[8]);
        assertArrayEquals(Arrays.copyOfRange(orig, 12, 16), Arrays.copyOfRange(out, 16, 20), "sent to the original source");
    }

    @Test
    void noErrorAboutAnIcmpError_rfc1122() {
        byte[] orig = ipv4(V4_UDP);
        int n = IcmpErrors.fragmentationNeeded(orig, 0, orig.length, 1400, FROM4, out, 0);
        byte[] error = Arrays.copyOf(out, n);
        // the error itself, travelling back, must never cause another error
        assertEquals(0, IcmpErrors.fragmentationNeeded(error, 0, error.length, 576, FROM4, new byte[200], 0));
        assertEquals(0, IcmpErrors.timeExceeded(error, 0, error.length, FROM4, new byte[200], 0));
    }

    @Test
    void errorAboutAnEchoRequestIsAllowed() {
        // IP(src='203.0.113.9', dst='192.0.2.200')/ICMP(type=8, code=0, id=7, seq=1)/Raw(b'ping')
        byte[] echo = Bytes.fromHex("450000200001000040017c0acb007109c00002c8080019270007000170696e67");
        int n = IcmpErrors.fragmentationNeeded(echo, 0, echo.length, 1400, FROM4, out, 0);
        assertEquals(56, n);
        assertIcmpv4ChecksumValid(out, n);
    }

    @Test
    void noErrorAboutANonFirstFragment_rfc1122() {
        byte[] frag = ipv4(V4_UDP);
        Bytes.put16(frag, 6, 0x00b9);
        fixIpv4Checksum(frag);
        assertEquals(0, IcmpErrors.fragmentationNeeded(frag, 0, frag.length, 1400, FROM4, out, 0));
        Bytes.put16(frag, 6, 0x2000);  // first fragment: allowed
        fixIpv4Checksum(frag);
        assertTrue(IcmpErrors.fragmentationNeeded(frag, 0, frag.length, 1400, FROM4, out, 0) > 0);
    }

    @Test
    void noErrorToSourcesThatAreNotOneHostOrAboutMulticast_rfc1122() {
        for (int[] srcDst : new int[][] {{0x00000000, 0x0a040506}, {0x7f000001, 0x0a040506}, {0xe0000001, 0x0a040506},
                {0xffffffff, 0x0a040506}, {0x0a010203, 0xe00000fb}, {0x0a010203, 0xffffffff}}) {
            byte[] p = ipv4(V4_UDP);
            Bytes.put32(p, 12, srcDst[0]);
            Bytes.put32(p, 16, srcDst[1]);
            fixIpv4Checksum(p);
            assertEquals(0, IcmpErrors.fragmentationNeeded(p, 0, p.length, 1400, FROM4, out, 0), Integer.toHexString(srcDst[0]));
        }
    }

    @Test
    void packetTooBigMatchesScapy_rfc4443() {
        // scapy: IPv6(src='2001:db8::fe', dst='2001:db8::1', hlim=64)/ICMPv6PacketTooBig(mtu=1280)/Raw(bytes(orig))
        byte[] expected = Bytes.fromHex("60000000003f3a4020010db80000000000000000000000fe20010db8000000000000000000000001"
                + "02002ae600000500" + V6_UDP);
        byte[] orig = Bytes.fromHex(V6_UDP);
        int n = IcmpErrors.packetTooBig(orig, 0, orig.length, 1280, FROM6, out, 3);
        assertEquals(expected.length, n);
        assertArrayEquals(expected, Arrays.copyOfRange(out, 3, 3 + n));
    }

    @Test
    void packetTooBigQuotesAsMuchAsFitsIn1280Bytes() {
        byte[] orig = new byte[1500];
        new Random(4).nextBytes(orig);
        System.arraycopy(Bytes.fromHex(V6_UDP), 0, orig, 0, 48);
        Bytes.put16(orig, 4, 1460);
        int n = IcmpErrors.packetTooBig(orig, 0, orig.length, 1400, FROM6, out, 0);
        assertEquals(IcmpErrors.MIN_IPV6_MTU, n);
        assertEquals(1240, Bytes.u16(out, 4));
        assertEquals(1400, Bytes.i32(out, 44));
        assertArrayEquals(Arrays.copyOf(orig, 1232), Arrays.copyOfRange(out, 48, 1280));
        assertIcmpv6ChecksumValid(out, n);
    }

    @Test
    void packetTooBigNeverReportsLessThanTheIpv6MinimumMtu() {
        byte[] orig = Bytes.fromHex(V6_UDP);
        int n = IcmpErrors.packetTooBig(orig, 0, orig.length, 1200, FROM6, out, 0);
        assertEquals(1280, Bytes.i32(out, 44));
        assertIcmpv6ChecksumValid(out, n);
    }

    @Test
    void noIcmpv6ErrorAboutAnIcmpv6Error_rfc4443() {
        byte[] orig = Bytes.fromHex(V6_UDP);
        int n = IcmpErrors.packetTooBig(orig, 0, orig.length, 1280, FROM6, out, 0);
        byte[] error = Arrays.copyOf(out, n);
        assertEquals(0, IcmpErrors.packetTooBig(error, 0, error.length, 1280, FROM6, new byte[2000], 0));
        assertEquals(0, IcmpErrors.timeExceeded(error, 0, error.length, FROM6, new byte[2000], 0));
    }

    @Test
    void packetTooBigAboutAMulticastEchoIsAllowedButTimeExceededIsNot_rfc4443() {
        // IPv6(src='fe80::1', dst='ff02::1')/ICMPv6EchoRequest(id=1, seq=2): informational, to a multicast group
        byte[] echo = Bytes.fromHex("6000000000083a40fe800000000000000000000000000001ff0200000000000000000000000000018000823400010002");
        int n = IcmpErrors.packetTooBig(echo, 0, echo.length, 1280, FROM6, out, 0);
        assertEquals(48 + 48, n);
        assertIcmpv6ChecksumValid(out, n);
        assertEquals(0, IcmpErrors.timeExceeded(echo, 0, echo.length, FROM6, out, 0));
    }

    @Test
    void noIcmpv6ErrorToUnspecifiedOrMulticastSource_rfc4443() {
        byte[] orig = Bytes.fromHex(V6_UDP);
        Arrays.fill(orig, 8, 24, (byte) 0);
        assertEquals(0, IcmpErrors.packetTooBig(orig, 0, orig.length, 1280, FROM6, out, 0));
        orig[8] = (byte) 0xff;
        assertEquals(0, IcmpErrors.packetTooBig(orig, 0, orig.length, 1280, FROM6, out, 0));
    }

    @Test
    void timeExceededForBothFamilies() {
        byte[] v4 = ipv4(V4_UDP);
        int n = IcmpErrors.timeExceeded(v4, 0, v4.length, FROM4, out, 0);
        assertEquals(56, n);
        assertEquals(11, out[20]);
        assertEquals(0, out[21]);
        assertEquals(0, Bytes.i32(out, 24));
        assertIcmpv4ChecksumValid(out, n);
        byte[] v6 = Bytes.fromHex(V6_UDP);
        n = IcmpErrors.timeExceeded(v6, 0, v6.length, FROM6, out, 0);
        assertEquals(48 + v6.length, n);
        assertEquals(3, out[40]);
        assertEquals(0, Bytes.i32(out, 44));
        assertIcmpv6ChecksumValid(out, n);
    }

    @Test
    void refusesTooSmallOutputAndWrongFamily() {
        byte[] v4 = ipv4(V4_UDP);
        assertEquals(IcmpErrors.ERR_BAD_ARGUMENT, IcmpErrors.fragmentationNeeded(v4, 0, v4.length, 1400, FROM4, new byte[55], 0));
        assertEquals(IcmpErrors.ERR_BAD_ARGUMENT, IcmpErrors.fragmentationNeeded(v4, 0, v4.length, 1400, FROM6, out, 0));
        byte[] v6 = Bytes.fromHex(V6_UDP);
        assertEquals(IcmpErrors.ERR_BAD_ARGUMENT, IcmpErrors.packetTooBig(v6, 0, v6.length, 1400, FROM4, out, 0));
        assertEquals(0, IcmpErrors.packetTooBig(v4, 0, v4.length, 1400, FROM6, out, 0), "an IPv4 packet gets no ICMPv6 error");
    }

    @Test
    void neverThrowsOnTruncatedOrRandomOriginals() {
        Random r = new Random(13);
        byte[] v4 = ipv4(V4_UDP), v6 = Bytes.fromHex(V6_UDP);
        for (int len = 0; len <= v6.length; len++) {
            int a = IcmpErrors.fragmentationNeeded(v4, 0, Math.min(len, v4.length), 1400, FROM4, out, 0);
            assertTrue(len < 20 ? a == 0 : a == 28 + Math.min(len, 28), "v4 length " + len + " gave " + a);
            if (a > 0) assertIcmpv4ChecksumValid(out, a);
            int b = IcmpErrors.packetTooBig(v6, 0, len, 1400, FROM6, out, 0);
            assertTrue(len < 40 ? b == 0 : b == 48 + len, "v6 length " + len + " gave " + b);
            if (b > 0) assertIcmpv6ChecksumValid(out, b);
        }
        for (int i = 0; i < 5000; i++) {
            byte[] p = new byte[r.nextInt(200)];
            r.nextBytes(p);
            if (p.length > 0) p[0] = (byte) ((r.nextBoolean() ? 0x40 : 0x60) | (p[0] & 15));
            int a = IcmpErrors.fragmentationNeeded(p, 0, p.length, 1400, FROM4, out, 0);
            int b = IcmpErrors.packetTooBig(p, 0, p.length, 1400, FROM6, out, 0);
            int c = IcmpErrors.timeExceeded(p, 0, p.length, r.nextBoolean() ? FROM4 : FROM6, out, 0);
            assertTrue(a >= -1 && b >= -1 && c >= -1);
            if (b > 0) assertIcmpv6ChecksumValid(out, b);
        }
    }
}
