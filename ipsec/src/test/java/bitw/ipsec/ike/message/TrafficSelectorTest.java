// Traffic selector set logic for narrowing (RFC 7296 §2.9): coverage and intersection across subset, superset,
// partial overlap, disjoint ranges, protocol and port mixes, OPAQUE ports, IPv4 and IPv6; prefix conversions.
// A randomized check compares the set operations with brute force over a small address space.
package bitw.ipsec.ike.message;

import static org.junit.jupiter.api.Assertions.*;

import bitw.ipsec.packet.IpAddress;
import bitw.ipsec.packet.IpPrefix;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

class TrafficSelectorTest {
    static TrafficSelector ts(String prefix) { return TrafficSelector.of(IpPrefix.parse(prefix)); }

    static TrafficSelector ts(String prefix, int proto, int sp, int ep) { return TrafficSelector.of(IpPrefix.parse(prefix), proto, sp, ep); }

    static TrafficSelector range(String from, String to, int proto, int sp, int ep) {
        IpAddress a = IpAddress.parse(from);
        return new TrafficSelector(a.family() == IpAddress.V4 ? 7 : 8, proto, sp, ep, a, IpAddress.parse(to));
    }

    @Test
    void prefixBecomesAFullRangeWithAnyProtocolAndPort() {
        TrafficSelector t = ts("10.1.0.0/16");
        assertEquals(TrafficSelector.TS_IPV4_ADDR_RANGE, t.tsType());
        assertEquals(IpAddress.parse("10.1.0.0"), t.start());
        assertEquals(IpAddress.parse("10.1.255.255"), t.end());
        assertEquals(0, t.ipProtocol());
        assertTrue(t.isAnyPort());
        TrafficSelector v6 = ts("2001:db8:1::/48");
        assertEquals(IpAddress.parse("2001:db8:1:ffff:ffff:ffff:ffff:ffff"), v6.end());
        assertEquals(IpAddress.parse("::"), ts("::/0").start());
        assertEquals(IpAddress.parse("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff"), ts("::/0").end());
        assertEquals(IpAddress.parse("255.255.255.255"), ts("0.0.0.0/0").end());
        assertEquals(Optional.of(IpPrefix.parse("10.1.0.0/16")), t.asPrefix());
    }

    @Test
    void logsShowSelectorsAsPrefixesWithProtocolAndPorts() {
        assertEquals("10.1.0.0/16", ts("10.1.0.0/16").toString());
        assertEquals("10.1.2.0/24[tcp/80]", ts("10.1.2.0/24", 6, 80, 80).toString());
        assertEquals("2001:db8::/32[udp/1000-2000]", ts("2001:db8::/32", 17, 1000, 2000).toString());
        assertEquals("10.0.0.0/24[50]", ts("10.0.0.0/24", 50, 0, 0xffff).toString());
    }

    @Test
    void rangeSplitsIntoTheFewestPrefixes() {
        assertEquals(List.of(IpPrefix.parse("10.0.0.1/32"), IpPrefix.parse("10.0.0.2/31"), IpPrefix.parse("10.0.0.4/30"), IpPrefix.parse("10.0.0.8/32")),
                range("10.0.0.1", "10.0.0.8", 0, 0, 65535).toPrefixes());
        assertEquals(Optional.empty(), range("10.0.0.1", "10.0.0.8", 0, 0, 65535).asPrefix());
        assertEquals(List.of(IpPrefix.parse("0.0.0.0/0")), ts("0.0.0.0/0").toPrefixes());
        assertEquals(List.of(IpPrefix.parse("::/0")), ts("::/0").toPrefixes());
        assertEquals(List.of(IpPrefix.parse("2001:db8::/127"), IpPrefix.parse("2001:db8::2/128")),
                range("2001:db8::", "2001:db8::2", 0, 0, 65535).toPrefixes());
    }

    @Test
    void subsetIsCoveredAndIntersectsToItself() {
        TrafficSelector big = ts("10.0.0.0/8"), small = ts("10.1.2.0/24", 6, 80, 80);
        assertTrue(big.covers(small));
        assertFalse(small.covers(big));
        assertEquals(Optional.of(small), big.intersect(small));
        assertEquals(Optional.of(small), small.intersect(big));
    }

    @Test
    void partialOverlapIntersectsToTheCommonRange() {
        TrafficSelector a = range("10.0.0.0", "10.0.0.100", 0, 1000, 2000), b = range("10.0.0.50", "10.0.0.200", 17, 1500, 3000);
        assertFalse(a.covers(b));
        assertFalse(b.covers(a));
        assertEquals(Optional.of(range("10.0.0.50", "10.0.0.100", 17, 1500, 2000)), a.intersect(b));
        assertEquals(a.intersect(b), b.intersect(a));
    }

    @Test
    void disjointAddressesProtocolsPortsOrFamiliesDoNotIntersect() {
        assertEquals(Optional.empty(), ts("10.0.0.0/24").intersect(ts("10.0.1.0/24")));
        assertEquals(Optional.empty(), ts("10.0.0.0/24", 6, 0, 65535).intersect(ts("10.0.0.0/24", 17, 0, 65535)));
        assertEquals(Optional.empty(), ts("10.0.0.0/24", 6, 80, 80).intersect(ts("10.0.0.0/24", 6, 443, 443)));
        assertEquals(Optional.empty(), ts("0.0.0.0/0").intersect(ts("::/0")));
        assertFalse(ts("0.0.0.0/0").covers(ts("::/0")));
    }

    @Test
    void anyProtocolCoversASpecificOneButNotTheReverse() {
        assertTrue(ts("10.0.0.0/24").covers(ts("10.0.0.0/24", 6, 22, 22)));
        assertFalse(ts("10.0.0.0/24", 6, 0, 65535).covers(ts("10.0.0.0/24")));
        assertEquals(Optional.of(ts("10.0.0.0/24", 6, 0, 65535)), ts("10.0.0.0/24").intersect(ts("10.0.0.0/24", 6, 0, 65535)));
    }

    @Test
    void opaquePortsMatchOnlyAnyOrOpaque() {
        TrafficSelector opaque = ts("10.0.0.0/24", 6, 65535, 0), any = ts("10.0.0.0/24", 6, 0, 65535), web = ts("10.0.0.0/24", 6, 80, 80);
        assertTrue(opaque.isOpaquePorts());
        assertTrue(any.covers(opaque));
        assertFalse(web.covers(opaque));
        assertFalse(opaque.covers(web));
        assertTrue(opaque.covers(opaque));
        assertEquals(Optional.of(opaque), any.intersect(opaque));
        assertEquals(Optional.of(opaque), opaque.intersect(opaque));
        assertEquals(Optional.empty(), web.intersect(opaque));
    }

    @Test
    void narrowingAProposalToPolicy() {
        // Initiator proposes 10.0.0.0/8 any; our policy allows 10.1.0.0/16 and TCP/443 to 10.2.0.0/16.
        List<TrafficSelector> proposed = List.of(ts("10.0.0.0/8"));
        List<TrafficSelector> policy = List.of(ts("10.1.0.0/16"), ts("10.2.0.0/16", 6, 443, 443), ts("192.168.0.0/16"));
        assertEquals(List.of(ts("10.1.0.0/16"), ts("10.2.0.0/16", 6, 443, 443)), TrafficSelector.intersect(proposed, policy));
        // Proposal inside policy: unchanged.
        assertEquals(List.of(ts("10.1.5.0/24")), TrafficSelector.intersect(List.of(ts("10.1.5.0/24")), policy));
        // Nothing in common: empty, the engine answers TS_UNACCEPTABLE.
        assertEquals(List.of(), TrafficSelector.intersect(List.of(ts("172.16.0.0/12")), policy));
        // IPv4 and IPv6 in one proposal: each family narrows on its own.
        assertEquals(List.of(ts("2001:db8:1::/48")), TrafficSelector.intersect(List.of(ts("10.9.0.0/16"), ts("2001:db8::/32")),
                List.of(ts("2001:db8:1::/48"), ts("10.10.0.0/16"))));
    }

    @Test
    void intersectionDropsResultsAnotherResultCovers() {
        List<TrafficSelector> a = List.of(ts("10.0.0.0/8"), ts("10.1.0.0/16"));
        assertEquals(List.of(ts("10.1.0.0/16")), TrafficSelector.intersect(a, List.of(ts("10.1.0.0/16"))));
        assertEquals(List.of(ts("10.1.0.0/16")), TrafficSelector.intersect(List.of(ts("10.1.0.0/16"), ts("10.1.0.0/16")), List.of(ts("0.0.0.0/0"))));
    }

    @Test
    void aUnionCanCoverWhatNoSingleSelectorCovers() {
        List<TrafficSelector> halves = List.of(ts("10.0.0.0/9"), ts("10.128.0.0/9"));
        assertTrue(TrafficSelector.covers(halves, ts("10.0.0.0/8")));
        assertFalse(halves.get(0).covers(ts("10.0.0.0/8")));
        List<TrafficSelector> ports = List.of(ts("10.0.0.0/8", 6, 0, 1023), ts("10.0.0.0/8", 6, 1024, 65535));
        assertTrue(TrafficSelector.covers(ports, ts("10.0.0.0/8", 6, 0, 2047)));
        assertFalse(TrafficSelector.covers(ports, ts("10.0.0.0/8", 6, 0, 65535)), "any port also means OPAQUE, which no real range holds");
        assertFalse(TrafficSelector.covers(ports, ts("10.0.0.0/8", 6, 65535, 0)), "OPAQUE is not in any real port range");
        assertFalse(TrafficSelector.covers(ports, ts("10.0.0.0/8")), "UDP is not covered");
        assertFalse(TrafficSelector.covers(List.of(ts("10.0.0.0/9"), ts("10.128.0.0/10")), ts("10.0.0.0/8")), "a hole remains");
        assertTrue(TrafficSelector.covers(List.of(ts("::/1"), ts("8000::/1")), List.of(ts("::/0"))));
    }

    /** Brute force over a tiny universe: IPv4 addresses 10.0.0.0-10.0.0.15, protocols {0,6,17}, ports 0..7 and OPAQUE. */
    @Test
    void setOperationsAgreeWithBruteForce() {
        Random r = new Random(42);
        for (int round = 0; round < 400; round++) {
            List<TrafficSelector> a = randomSet(r), b = randomSet(r);
            List<TrafficSelector> meet = TrafficSelector.intersect(a, b);
            for (int addr = 0; addr < 16; addr++) for (int proto : new int[] {1, 6, 17}) for (int port = -1; port < 8; port++) {
                boolean inA = matchesAny(a, addr, proto, port), inB = matchesAny(b, addr, proto, port);
                assertEquals(inA && inB, matchesAny(meet, addr, proto, port), a + " ^ " + b + " at " + addr + "/" + proto + "/" + port);
            }
            for (TrafficSelector t : b) {
                boolean all = true;
                for (int addr = 0; addr < 16; addr++) for (int proto : new int[] {1, 6, 17}) for (int port = -1; port < 8; port++)
                    if (matches(t, addr, proto, port) && !matchesAny(a, addr, proto, port)) all = false;
                assertEquals(all, TrafficSelector.covers(a, t), a + " covers " + t);
            }
        }
    }

    static List<TrafficSelector> randomSet(Random r) {
        List<TrafficSelector> s = new ArrayList<>();
        for (int n = 1 + r.nextInt(3); n > 0; n--) {
            int x = r.nextInt(16), y = r.nextInt(16), p = r.nextInt(8), q = r.nextInt(8);
            int[] protos = {0, 6, 17};
            int kind = r.nextInt(4);
            int sp = kind == 0 ? 0 : kind == 1 ? 65535 : Math.min(p, q), ep = kind == 0 ? 65535 : kind == 1 ? 0 : Math.max(p, q);
            s.add(new TrafficSelector(7, protos[r.nextInt(3)], sp, ep, IpAddress.v4(0x0a000000 | Math.min(x, y)), IpAddress.v4(0x0a000000 | Math.max(x, y))));
        }
        return s;
    }

    /** A packet is (address, protocol, port) with port -1 meaning OPAQUE; "any port" also matches ports above 7. */
    static boolean matches(TrafficSelector t, int addr, int proto, int port) {
        long a = 0x0a000000L | addr;
        if (a < t.start().lo() || a > t.end().lo()) return false;
        if (t.ipProtocol() != 0 && t.ipProtocol() != proto) return false;
        if (t.isAnyPort()) return true;
        if (t.isOpaquePorts()) return port == -1;
        return port >= t.startPort() && port <= t.endPort();
    }

    static boolean matchesAny(List<TrafficSelector> s, int addr, int proto, int port) {
        for (TrafficSelector t : s) if (matches(t, addr, proto, port)) return true;
        return false;
    }

    @Test
    void constructorRefusesInconsistentSelectors() {
        IpAddress v4 = IpAddress.parse("10.0.0.1"), v6 = IpAddress.parse("2001:db8::1");
        assertThrows(IllegalArgumentException.class, () -> new TrafficSelector(7, 0, 0, 65535, v4, v6));
        assertThrows(IllegalArgumentException.class, () -> new TrafficSelector(8, 0, 0, 65535, v4, v4));
        assertThrows(IllegalArgumentException.class, () -> new TrafficSelector(9, 0, 0, 65535, v4, v4));
        assertThrows(IllegalArgumentException.class, () -> new TrafficSelector(7, 0, 10, 9, v4, v4));
        assertThrows(IllegalArgumentException.class, () -> new TrafficSelector(7, 0, 0, 65535, IpAddress.parse("10.0.0.2"), v4));
    }
}
