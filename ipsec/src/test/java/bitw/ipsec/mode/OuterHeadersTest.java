// Specification of the outer header writers: byte-exact against headers scapy 2.5 built, and readable by our parser.
package bitw.ipsec.mode;

import static org.junit.jupiter.api.Assertions.*;

import bitw.ipsec.packet.Bytes;
import bitw.ipsec.packet.FlowKey;
import bitw.ipsec.packet.InternetChecksum;
import bitw.ipsec.packet.IpAddress;
import bitw.ipsec.packet.IpPacketParser;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class OuterHeadersTest {
    @Test
    void writesIpv4HeaderByteForByteLikeScapy() {
        // scapy: IP(src='192.0.2.1', dst='198.51.100.2', tos=0x2a, ttl=63, id=0x1234, flags='DF', proto=6, len=40)
        byte[] expected = Bytes.fromHex("452a0028123440003f063d3bc0000201c6336402");
        byte[] b = new byte[30];
        OuterHeaders.writeIpv4(b, 5, 40, 0x2a, 0x1234, true, 63, 6, IpAddress.parse("192.0.2.1"), IpAddress.parse("198.51.100.2"));
        assertArrayEquals(expected, Arrays.copyOfRange(b, 5, 25));
        assertEquals(0, b[4]);
        assertEquals(0, b[25]);
    }

    @Test
    void ipv4HeaderWithoutDfHasZeroFlagsAndValidChecksum() {
        byte[] b = new byte[20];
        OuterHeaders.writeIpv4(b, 0, 1400, 0xff, 0xffff, false, 255, 50, 0x0a000001, 0xc0000202);
        assertEquals(0, Bytes.u16(b, 6));
        assertEquals(0, InternetChecksum.fold(InternetChecksum.sum(b, 0, 20, 0)));
        assertEquals(50, b[9]);
    }

    @Test
    void writesIpv6HeaderByteForByteLikeScapy() {
        // scapy: IPv6(src='2001:db8::1', dst='2001:db8:1::2', tc=0xb8, hlim=17, fl=0x12345, nh=6, plen=20)
        byte[] expected = Bytes.fromHex("6b8123450014061120010db800000000000000000000000120010db8000100000000000000000002");
        byte[] b = new byte[40];
        OuterHeaders.writeIpv6(b, 0, 20, 0xb8, 0x12345, 17, 6, IpAddress.parse("2001:db8::1"), IpAddress.parse("2001:db8:1::2"));
        assertArrayEquals(expected, b);
    }

    @Test
    void udpHeaderOverIpv4CarriesZeroChecksumAndParses() {
        byte[] b = new byte[20 + 8 + 8];
        OuterHeaders.writeIpv4(b, 0, b.length, 0, 1, false, 64, 17, IpAddress.parse("192.0.2.1"), IpAddress.parse("192.0.2.2"));
        Arrays.fill(b, 20, b.length, (byte) 0x55);
        OuterHeaders.writeUdp(b, 20, 4500, 4501, 16);
        assertEquals(0, Bytes.u16(b, 26));
        assertEquals(16, Bytes.u16(b, 24));
        FlowKey k = new FlowKey();
        assertEquals(IpPacketParser.OK, IpPacketParser.parse(b, 0, b.length, k));
        assertEquals(4500, k.srcPort);
        assertEquals(4501, k.dstPort);
    }

    @Test
    void fillsIpv6UdpChecksumLikeScapy() {
        // scapy: IPv6(src='2001:db8::1', dst='2001:db8::2')/UDP(sport=4500, dport=4500)/Raw(b'\0\0\0\x01payload!')
        byte[] scapy = Bytes.fromHex("600000000014114020010db800000000000000000000000120010db8000000000000000000000002"
                + "119411940014c3d7000000017061796c6f616421");
        byte[] b = new byte[scapy.length];
        OuterHeaders.writeIpv6(b, 0, 20, 0, 0, 64, 17, IpAddress.parse("2001:db8::1"), IpAddress.parse("2001:db8::2"));
        OuterHeaders.writeUdp(b, 40, 4500, 4500, 20);
        System.arraycopy(scapy, 48, b, 48, 12);
        OuterHeaders.fillUdpChecksumV6(b, 0, 40, 20);
        assertArrayEquals(scapy, b);
    }

    @Test
    void sendsComputedZeroIpv6UdpChecksumAsAllOnes() {
        byte[] b = new byte[40 + 10];
        OuterHeaders.writeIpv6(b, 0, 10, 0, 0, 64, 17, IpAddress.parse("2001:db8::1"), IpAddress.parse("2001:db8::2"));
        OuterHeaders.writeUdp(b, 40, 1, 2, 10);
        OuterHeaders.fillUdpChecksumV6(b, 0, 40, 10);
        // Choose the last payload word so that the ones' complement sum is 0xffff and the computed checksum 0.
        int folded = ~Bytes.u16(b, 46) & 0xffff;
        Bytes.put16(b, 48, 0xffff - folded);
        OuterHeaders.fillUdpChecksumV6(b, 0, 40, 10);
        assertEquals(0xffff, Bytes.u16(b, 46));
        int s = InternetChecksum.pseudoHeaderSum(IpAddress.V6, b, 8, 24, 17, 10);
        assertEquals(0, InternetChecksum.fold(InternetChecksum.sum(b, 40, 10, s)), "receiver verification");
    }
}
