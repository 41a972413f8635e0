// Specification of the header parser on real packets (hex generated once with scapy 2.5, script quoted per
// packet), on every truncation of them, on corrupted headers, and on random bytes.
package bitw.ipsec.packet;

import static org.junit.jupiter.api.Assertions.*;

import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class IpPacketParserTest {
    // IP(src='192.0.2.1', dst='198.51.100.2', tos=0x2a, ttl=63, id=0x1234, flags='DF')/TCP(sport=40000, dport=443, flags='S')
    static final String V4_TCP = "452a0028123440003f063d3bc0000201c63364029c4001bb00000000000000005002200005b00000";
    // IP(src='10.1.2.3', dst='10.4.5.6', ttl=5)/UDP(sport=5353, dport=53)/Raw(b'hello')
    static final String V4_UDP = "450000210001000005119abe0a0102030a04050614e90035000d8bd668656c6c6f";
    // IP(src='203.0.113.9', dst='192.0.2.200')/ICMP(type=8, code=0, id=7, seq=1)/Raw(b'ping')
    static final String V4_ICMP = "450000200001000040017c0acb007109c00002c8080019270007000170696e67";
    // IP(src='192.0.2.1', dst='192.0.2.2', options=[IPOption_RR(routers=['1.2.3.4','0.0.0.0']), IPOption_NOP(),
    //    IPOption_Security(security=0)])/UDP(sport=1, dport=2)/Raw(b'x'*40)
    static final String V4_OPTIONS = "4b00005c0001000040116cf8c0000201c0000202070b04010203040000000001820b00000000000078787800"
            + "000100020030121e78787878787878787878787878787878787878787878787878787878787878787878787878787878";
    // IPv6(src='2001:db8::1', dst='2001:db8:1::2', tc=0xb8, hlim=17, fl=0x12345)/TCP(sport=22, dport=50000)
    static final String V6_TCP = "6b8123450014061120010db800000000000000000000000120010db80001000000000000000000020016c350"
            + "00000000000000005002200071060000";
    // IPv6(src='2001:db8::1', dst='2001:db8::2')/UDP(sport=500, dport=4500)/Raw(b'abcdefg')
    static final String V6_UDP = "60000000000f114020010db800000000000000000000000120010db800000000000000000000000201f41194"
            + "000fffa561626364656667";
    // IPv6(src='fe80::1', dst='ff02::1')/ICMPv6EchoRequest(id=1, seq=2)
    static final String V6_ICMP = "6000000000083a40fe800000000000000000000000000001ff0200000000000000000000000000018000823400010002";
    // IPv6(src='2001:db8::a', dst='2001:db8::b')/IPv6ExtHdrHopByHop(options=[PadN(optdata=b'\0'*4)])/IPv6ExtHdrDestOpt()
    //    /IPv6ExtHdrRouting(addresses=['2001:db8::c'])/IPv6ExtHdrDestOpt(options=[PadN(optdata=b'\0'*12)])/UDP(sport=7, dport=9)/Raw(b'chain')
    static final String V6_CHAIN = "600000000045004020010db800000000000000000000000a20010db800000000000000000000000b3c000104000000002b00"
            + "0104000000003c0200010000000020010db800000000000000000000000c1101010c00000000000000000000000000070009000d716a636861696e";
    // IPv6(src='2001:db8::a', dst='2001:db8::b')/IPv6ExtHdrDestOpt(nh=50)/ESP-looking bytes (SPI 0x1000, seq 1)
    static final String V6_ESP = "6000000000243c4020010db800000000000000000000000a20010db800000000000000000000000b32000104000000"
            + "0000001000000000017a7a7a7a7a7a7a7a7a7a7a7a7a7a7a7a7a7a7a7a";

    // fragment(IP(src='192.0.2.1', dst='192.0.2.2', id=0x4242)/UDP(sport=1000, dport=2000)/Raw(bytes(range(256))*12), fragsize=1480):
    // headers as scapy wrote them; the payload is the byte pattern i & 0xff, rebuilt here instead of embedding 3000 bytes.
    static byte[] v4FirstFragment() { return withPattern("450005dc4242200040118ecbc0000201c000020203e807d00c085525", 0, 1472); }
    static byte[] v4SecondFragment() { return withPattern("450005dc424220b940118e12c0000201c0000202", 1472, 1480); }
    // fragment6(IPv6(src='2001:db8::1', dst='2001:db8::2')/IPv6ExtHdrFragment(id=0xabcdef)/UDP(sport=3000, dport=4000)
    //    /Raw(bytes(range(256))*8), 1280): first and second fragment, same pattern convention.
    static byte[] v6FirstFragment() {
        return withPattern("6000000004d82c4020010db800000000000000000000000120010db8000000000000000000000002"
                + "1100000100abcdef0bb80fa008087713", 0, 1224);
    }
    static byte[] v6SecondFragment() {
        return withPattern("6000000003402c4020010db800000000000000000000000120010db8000000000000000000000002"
                + "110004d000abcdef", 1224, 824);
    }

    static byte[] withPattern(String headerHex, int start, int count) {
        byte[] h = Bytes.fromHex(headerHex);
        byte[] p = java.util.Arrays.copyOf(h, h.length + count);
        for (int i = 0; i < count; i++) p[h.length + i] = (byte) (start + i);
        return p;
    }

    static List<byte[]> samples() {
        return List.of(Bytes.fromHex(V4_TCP), Bytes.fromHex(V4_UDP), Bytes.fromHex(V4_ICMP), Bytes.fromHex(V4_OPTIONS),
                Bytes.fromHex(V6_TCP), Bytes.fromHex(V6_UDP), Bytes.fromHex(V6_ICMP), Bytes.fromHex(V6_CHAIN), Bytes.fromHex(V6_ESP),
                v4FirstFragment(), v4SecondFragment(), v6FirstFragment(), v6SecondFragment());
    }

    private final FlowKey key = new FlowKey();

    private FlowKey parseOk(byte[] p) {
        assertEquals(IpPacketParser.OK, IpPacketParser.parse(p, 0, p.length, key));
        return key;
    }

    @Test
    void readsIpv4TcpSelectorsAndHeaderFacts() {
        FlowKey k = parseOk(Bytes.fromHex(V4_TCP));
        assertEquals(IpAddress.V4, k.family);
        assertEquals(6, k.protocol);
        assertEquals(40000, k.srcPort);
        assertEquals(443, k.dstPort);
        assertEquals(IpAddress.parse("192.0.2.1"), k.source());
        assertEquals(IpAddress.parse("198.51.100.2"), k.destination());
        assertEquals(0, k.srcHi);
        assertEquals(0xc0000201L, k.srcLo);
        assertEquals(0x2a, k.tos);
        assertEquals(63, k.ttl);
        assertEquals(20, k.headerLength);
        assertEquals(40, k.totalLength);
        assertTrue(k.dontFragment);
        assertFalse(k.fragment);
        assertFalse(k.firstFragment);
    }

    @Test
    void readsIpv4UdpPortsAndClearDf() {
        FlowKey k = parseOk(Bytes.fromHex(V4_UDP));
        assertEquals(17, k.protocol);
        assertEquals(5353, k.srcPort);
        assertEquals(53, k.dstPort);
        assertEquals(5, k.ttl);
        assertEquals(33, k.totalLength);
        assertFalse(k.dontFragment);
    }

    @Test
    void putsIcmpTypeAndCodeInThePorts() {
        FlowKey k = parseOk(Bytes.fromHex(V4_ICMP));
        assertEquals(1, k.protocol);
        assertEquals(8, k.srcPort);
        assertEquals(0, k.dstPort);
    }

    @Test
    void skipsIpv4OptionsToTheTransportHeader() {
        FlowKey k = parseOk(Bytes.fromHex(V4_OPTIONS));
        assertEquals(44, k.headerLength);
        assertEquals(1, k.srcPort);
        assertEquals(2, k.dstPort);
    }

    @Test
    void readsIpv6TcpWithTrafficClassAndHopLimit() {
        FlowKey k = parseOk(Bytes.fromHex(V6_TCP));
        assertEquals(IpAddress.V6, k.family);
        assertEquals(6, k.protocol);
        assertEquals(22, k.srcPort);
        assertEquals(50000, k.dstPort);
        assertEquals(0xb8, k.tos);
        assertEquals(17, k.ttl);
        assertEquals(40, k.headerLength);
        assertEquals(60, k.totalLength);
        assertTrue(k.dontFragment, "IPv6 is never fragmented on path");
        assertEquals(IpAddress.parse("2001:db8::1"), k.source());
        assertEquals(IpAddress.parse("2001:db8:1::2"), k.destination());
    }

    @Test
    void readsIpv6UdpAndIcmpv6TypeCode() {
        FlowKey k = parseOk(Bytes.fromHex(V6_UDP));
        assertEquals(17, k.protocol);
        assertEquals(500, k.srcPort);
        assertEquals(4500, k.dstPort);
        k = parseOk(Bytes.fromHex(V6_ICMP));
        assertEquals(58, k.protocol);
        assertEquals(128, k.srcPort);
        assertEquals(0, k.dstPort);
    }

    @Test
    void walksHopByHopDestinationRoutingDestinationChain() {
        FlowKey k = parseOk(Bytes.fromHex(V6_CHAIN));
        assertEquals(17, k.protocol);
        assertEquals(40 + 8 + 8 + 24 + 16, k.headerLength);
        assertEquals(7, k.srcPort);
        assertEquals(9, k.dstPort);
    }

    @Test
    void stopsAtEspAfterDestinationOptions() {
        FlowKey k = parseOk(Bytes.fromHex(V6_ESP));
        assertEquals(50, k.protocol);
        assertEquals(48, k.headerLength);
        assertEquals(FlowKey.NO_PORT, k.srcPort);
        assertEquals(FlowKey.NO_PORT, k.dstPort);
    }

    @Test
    void firstIpv4FragmentHasPortsAndNonFirstHasNone() {
        FlowKey k = parseOk(v4FirstFragment());
        assertTrue(k.fragment);
        assertTrue(k.firstFragment);
        assertEquals(1000, k.srcPort);
        assertEquals(2000, k.dstPort);
        k = parseOk(v4SecondFragment());
        assertTrue(k.fragment);
        assertFalse(k.firstFragment);
        assertTrue(k.nonFirstFragment());
        assertEquals(17, k.protocol);
        assertEquals(FlowKey.NO_PORT, k.srcPort);
        assertEquals(FlowKey.NO_PORT, k.dstPort);
    }

    @Test
    void firstIpv6FragmentHasPortsAndNonFirstHasNone() {
        FlowKey k = parseOk(v6FirstFragment());
        assertTrue(k.fragment);
        assertTrue(k.firstFragment);
        assertEquals(17, k.protocol);
        assertEquals(48, k.headerLength);
        assertEquals(3000, k.srcPort);
        assertEquals(4000, k.dstPort);
        k = parseOk(v6SecondFragment());
        assertTrue(k.nonFirstFragment());
        assertEquals(17, k.protocol);
        assertEquals(48, k.headerLength);
        assertEquals(FlowKey.NO_PORT, k.srcPort);
    }

    @Test
    void treatsIpv6AtomicFragmentAsWholePacket() {
        // RFC 6946: fragment header with offset 0 and M clear.
        byte[] p = Bytes.fromHex("6000000000102c4020010db800000000000000000000000120010db8000000000000000000000002"
                + "1100000000000001" + "0bb80fa000080000");
        FlowKey k = parseOk(p);
        assertFalse(k.fragment);
        assertEquals(17, k.protocol);
        assertEquals(3000, k.srcPort);
        assertEquals(4000, k.dstPort);
    }

    @Test
    void firstFragmentTooShortForPortsLeavesThemUnavailable() {
        // An IPv4 first fragment (MF) whose payload is only 2 bytes: the UDP ports are not both present.
        byte[] p = Bytes.fromHex("4500001600012000401100000a0000010a0000020400");
        Bytes.put16(p, 10, InternetChecksum.fold(InternetChecksum.sum(p, 0, 20, 0)));
        FlowKey k = parseOk(p);
        assertTrue(k.firstFragment);
        assertEquals(FlowKey.NO_PORT, k.srcPort);
        assertEquals(FlowKey.NO_PORT, k.dstPort);
    }

    @Test
    void ignoresBytesAfterTheTotalLengthAndHonoursTheOffset() {
        byte[] inner = Bytes.fromHex(V4_UDP);
        byte[] framed = new byte[inner.length + 14 + 30];
        System.arraycopy(inner, 0, framed, 14, inner.length);
        assertEquals(IpPacketParser.OK, IpPacketParser.parse(framed, 14, inner.length + 30, key));
        assertEquals(5353, key.srcPort);
        assertEquals(33, key.totalLength);
    }

    @Test
    void reportsEveryTruncationOfEverySampleAsTruncated() {
        for (byte[] p : samples()) {
            for (int len = 0; len < p.length; len++) {
                byte[] cut = java.util.Arrays.copyOf(p, len);
                assertEquals(IpPacketParser.ERR_TRUNCATED, IpPacketParser.parse(cut, 0, len, key), "length " + len + " of " + Bytes.hex(p, 0, 4));
            }
            assertEquals(IpPacketParser.OK, IpPacketParser.parse(p, 0, p.length, key));
        }
    }

    @Test
    void rejectsBadIpv4HeaderChecksum() {
        byte[] p = Bytes.fromHex(V4_TCP);
        p[10] ^= 1;
        assertEquals(IpPacketParser.ERR_MALFORMED, IpPacketParser.parse(p, 0, p.length, key));
    }

    @Test
    void rejectsIhlBelowFiveAndUnknownVersion() {
        byte[] p = Bytes.fromHex(V4_TCP);
        p[0] = 0x44;
        assertEquals(IpPacketParser.ERR_MALFORMED, IpPacketParser.parse(p, 0, p.length, key));
        p = Bytes.fromHex(V4_TCP);
        p[0] = 0x55;
        assertEquals(IpPacketParser.ERR_MALFORMED, IpPacketParser.parse(p, 0, p.length, key));
    }

    @Test
    void rejectsIpv4TotalLengthBelowHeaderLength() {
        byte[] p = Bytes.fromHex(V4_TCP);
        Bytes.put16(p, 2, 19);
        Bytes.put16(p, 10, 0);
        Bytes.put16(p, 10, InternetChecksum.fold(InternetChecksum.sum(p, 0, 20, 0)));
        assertEquals(IpPacketParser.ERR_MALFORMED, IpPacketParser.parse(p, 0, p.length, key));
    }

    @Test
    void rejectsHopByHopAfterAnotherExtensionHeader() {
        byte[] p = Bytes.fromHex(V6_CHAIN);
        p[40 + 8] = 0;  // the destination options header now names hop-by-hop as the next header
        assertEquals(IpPacketParser.ERR_MALFORMED, IpPacketParser.parse(p, 0, p.length, key));
    }

    @Test
    void rejectsExtensionHeaderCrossingThePayloadLength() {
        byte[] p = Bytes.fromHex(V6_CHAIN);
        p[40 + 16 + 1] = 20;  // routing header claims 168 bytes
        assertEquals(IpPacketParser.ERR_MALFORMED, IpPacketParser.parse(p, 0, p.length, key));
        byte[] q = Bytes.fromHex(V6_CHAIN);
        Bytes.put16(q, 4, 12);  // payload length ends inside the second header
        assertEquals(IpPacketParser.ERR_MALFORMED, IpPacketParser.parse(q, 0, q.length, key));
    }

    @Test
    void neverThrowsOnRandomBytesAndStaysInsideTheGivenRange() {
        Random r = new Random(42);
        byte[] framed = new byte[200];
        byte[] exact = new byte[160];
        FlowKey other = new FlowKey();
        int ok = 0;
        for (int i = 0; i < 20000; i++) {
            int len = r.nextInt(120);
            r.nextBytes(framed);
            if (r.nextBoolean()) framed[20] = (byte) ((r.nextBoolean() ? 0x40 : 0x60) | (framed[20] & 0x0f));
            int rc = IpPacketParser.parse(framed, 20, len, key);
            assertTrue(rc == IpPacketParser.OK || rc == IpPacketParser.ERR_TRUNCATED || rc == IpPacketParser.ERR_MALFORMED);
            // The same bytes with nothing around them must parse the same: nothing outside [ipOff, ipOff+len) was read.
            System.arraycopy(framed, 20, exact, 0, len);
            assertEquals(rc, IpPacketParser.parse(exact, 0, len, other));
            if (rc == IpPacketParser.OK) { ok++; assertConsistent(key, len); assertSame(key, other); }
        }
        assertTrue(ok > 0, "some random IPv6 headers should parse");
    }

    @Test
    void neverThrowsOnMutatedRealPackets() {
        Random r = new Random(7);
        List<byte[]> samples = samples();
        int ok = 0, bad = 0;
        for (int i = 0; i < 20000; i++) {
            byte[] p = samples.get(r.nextInt(samples.size())).clone();
            int flips = 1 + r.nextInt(4);
            for (int f = 0; f < flips; f++) p[r.nextInt(Math.min(p.length, 100))] ^= (byte) (1 << r.nextInt(8));
            if (p[0] >> 4 == 4 && r.nextBoolean()) { Bytes.put16(p, 10, 0); Bytes.put16(p, 10, InternetChecksum.fold(InternetChecksum.sum(p, 0, Math.min(p.length, (p[0] & 15) * 4), 0))); }
            int len = r.nextInt(4) == 0 ? r.nextInt(p.length + 1) : p.length;
            int rc = IpPacketParser.parse(p, 0, len, key);
            if (rc == IpPacketParser.OK) { ok++; assertConsistent(key, len); } else { bad++; assertTrue(rc == -1 || rc == -2); }
        }
        assertTrue(ok > 100 && bad > 100, "ok=" + ok + " bad=" + bad);
    }

    @Test
    void parsingAllocatesNothing() {
        List<byte[]> samples = samples();
        for (int i = 0; i < 20000; i++) { byte[] p = samples.get(i % samples.size()); IpPacketParser.parse(p, 0, p.length, key); }
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long tid = Thread.currentThread().threadId();
        long before = threads.getThreadAllocatedBytes(tid);
        int sum = 0;
        for (int i = 0; i < 100000; i++) { byte[] p = samples.get(i % 13); sum += IpPacketParser.parse(p, 0, p.length, key) + key.srcPort; }
        long allocated = threads.getThreadAllocatedBytes(tid) - before;
        assertTrue(allocated < 4096, "allocated " + allocated + " bytes (" + sum + ")");
    }

    private static void assertSame(FlowKey a, FlowKey b) {
        assertEquals(a.family, b.family); assertEquals(a.protocol, b.protocol); assertEquals(a.srcPort, b.srcPort);
        assertEquals(a.dstPort, b.dstPort); assertEquals(a.headerLength, b.headerLength); assertEquals(a.totalLength, b.totalLength);
        assertEquals(a.srcLo, b.srcLo); assertEquals(a.dstHi, b.dstHi); assertEquals(a.fragment, b.fragment);
    }

    private static void assertConsistent(FlowKey k, int available) {
        assertTrue(k.family == 4 || k.family == 6);
        assertTrue(k.headerLength <= k.totalLength && k.totalLength <= available, "lengths");
        assertTrue(k.headerLength >= (k.family == 4 ? 20 : 40));
        assertTrue((k.srcPort == -1) == (k.dstPort == -1));
        if (k.srcPort != -1) {
            assertFalse(k.nonFirstFragment());
            assertTrue(k.headerLength + (k.protocol == 1 || k.protocol == 58 ? 2 : 4) <= k.totalLength);
            assertTrue(k.srcPort <= 0xffff && k.dstPort <= 0xffff);
        }
        if (k.firstFragment) assertTrue(k.fragment);
    }
}
