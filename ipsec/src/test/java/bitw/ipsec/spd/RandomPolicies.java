// Test-side generator of SPD contents and packets: adversarial shapes (a small address universe, every prefix
// length, overlapping ports, ICMP, mixed families) for the randomized tests, and realistic shapes (host and
// subnet pairs, a few broad rules, port rules) for the tests and SpdLookupBenchmark.
package bitw.ipsec.spd;

import bitw.ipsec.packet.IpAddress;
import bitw.ipsec.packet.IpPrefix;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

final class RandomPolicies {
    private RandomPolicies() {}

    /** Packets as parallel arrays, so replaying them allocates nothing. */
    static final class Packets {
        final int[] family, protocol, srcPort, dstPort;
        final long[] srcHi, srcLo, dstHi, dstLo;

        Packets(int n) {
            family = new int[n]; protocol = new int[n]; srcPort = new int[n]; dstPort = new int[n];
            srcHi = new long[n]; srcLo = new long[n]; dstHi = new long[n]; dstLo = new long[n];
        }

        int size() { return family.length; }
    }

    /** The reference: a linear first-match scan over Selector.matches. */
    static PolicyEntry linearLookup(List<PolicyEntry> entries, Packets p, int i) {
        for (int e = 0, n = entries.size(); e < n; e++) {
            PolicyEntry entry = entries.get(e);
            if (entry.selector().matches(p.family[i], p.srcHi[i], p.srcLo[i], p.dstHi[i], p.dstLo[i], p.protocol[i], p.srcPort[i], p.dstPort[i]))
                return entry;
        }
        return null;
    }

    static PolicyEntry lookup(SecurityPolicyDatabase spd, Packets p, int i) {
        return spd.lookup(p.family[i], p.srcHi[i], p.srcLo[i], p.dstHi[i], p.dstLo[i], p.protocol[i], p.srcPort[i], p.dstPort[i]);
    }

    // ---- adversarial shapes ----

    private static final int[] V4_LENGTHS = {0, 1, 8, 16, 23, 24, 25, 30, 31, 32};
    private static final int[] V6_LENGTHS = {0, 1, 32, 48, 63, 64, 65, 96, 120, 127, 128};
    private static final int[] PROTOCOLS = {-1, -1, 1, 6, 6, 17, 58, 132, 50};
    private static final int[] PORTS = {0, 1, 22, 53, 80, 443, 1023, 1024, 65534, 65535};

    /** Entries over a tiny address universe so that prefixes overlap heavily; families as asked (4, 6 or 0 = mixed). */
    static List<PolicyEntry> adversarial(Random r, int n, int family) {
        List<PolicyEntry> list = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            int f = family != 0 ? family : r.nextBoolean() ? IpAddress.V4 : IpAddress.V6;
            list.add(entry(r, "p" + i, adversarialSelector(r, f)));
        }
        return list;
    }

    static Selector adversarialSelector(Random r, int family) {
        IpPrefix src = prefix(r, family, universeAddress(r, family), length(r, family));
        IpPrefix dst = prefix(r, family, universeAddress(r, family), length(r, family));
        int protocol = PROTOCOLS[r.nextInt(PROTOCOLS.length)];
        if (protocol == 1 && family == IpAddress.V6) protocol = 58;
        if (protocol == 58 && family == IpAddress.V4) protocol = 1;
        PortRange sp = PortRange.ANY, dp = PortRange.ANY;
        int type = -1, code = -1;
        if (Selector.hasPorts(protocol)) {
            if (r.nextInt(3) == 0) sp = portRange(r);
            if (r.nextInt(3) != 0) dp = portRange(r);
        } else if (protocol == 1 || protocol == 58) {
            if (r.nextBoolean()) {
                type = r.nextInt(4);
                if (r.nextBoolean()) code = r.nextInt(3);
            }
        }
        return new Selector(src, dst, protocol, sp, dp, type, code);
    }

    /** Packets near the entries' selectors (inside, at edges) plus random ones, -1 ports and the other family. */
    static Packets adversarialPackets(Random r, List<PolicyEntry> entries, int n) {
        Packets p = new Packets(n);
        for (int i = 0; i < n; i++) {
            Selector s = entries.isEmpty() || r.nextInt(4) == 0 ? null : entries.get(r.nextInt(entries.size())).selector();
            int family = s != null ? s.family() : r.nextBoolean() ? IpAddress.V4 : IpAddress.V6;
            p.family[i] = family;
            setAddress(p, i, true, s != null && r.nextInt(5) != 0 ? inside(r, s.source()) : universeAddress(r, family));
            setAddress(p, i, false, s != null && r.nextInt(5) != 0 ? inside(r, s.destination()) : universeAddress(r, family));
            int protocol = s != null && s.protocol() != -1 && r.nextInt(4) != 0 ? s.protocol() : PROTOCOLS[r.nextInt(PROTOCOLS.length)];
            if (protocol == -1) protocol = r.nextInt(256);
            p.protocol[i] = protocol;
            p.srcPort[i] = packetPort(r, s == null ? PortRange.ANY : s.sourcePorts(), s == null ? -1 : s.icmpType());
            p.dstPort[i] = packetPort(r, s == null ? PortRange.ANY : s.destinationPorts(), s == null ? -1 : s.icmpCode());
        }
        return p;
    }

    private static int packetPort(Random r, PortRange range, int icmp) {
        return switch (r.nextInt(8)) {
            case 0 -> -1;
            case 1 -> range.from();
            case 2 -> range.to();
            case 3 -> Math.max(0, range.from() - 1);
            case 4 -> Math.min(65535, range.to() + 1);
            case 5 -> icmp >= 0 ? icmp : r.nextInt(4);
            case 6 -> PORTS[r.nextInt(PORTS.length)];
            default -> range.from() + r.nextInt(range.to() - range.from() + 1);
        };
    }

    private static int length(Random r, int family) {
        if (r.nextInt(4) == 0) return r.nextInt(family == IpAddress.V4 ? 33 : 129);
        int[] lengths = family == IpAddress.V4 ? V4_LENGTHS : V6_LENGTHS;
        return lengths[r.nextInt(lengths.length)];
    }

    // Addresses share most bits so prefixes of all lengths overlap: 10.0.0.0/22 and 2001:db8::/32 with few
    // varying bits in each 64-bit half.
    private static IpAddress universeAddress(Random r, int family) {
        if (family == IpAddress.V4) return IpAddress.v4(0x0a000000 | r.nextInt(4) << 8 | (r.nextBoolean() ? r.nextInt(4) : r.nextInt(256)));
        long hi = 0x20010db800000000L | (long) r.nextInt(3) << 16 | (r.nextBoolean() ? 1L : 0L);
        long lo = (long) r.nextInt(3) << 62 | r.nextInt(4);
        return new IpAddress(IpAddress.V6, hi, lo);
    }

    static IpPrefix prefix(Random r, int family, IpAddress a, int length) {
        long mh = IpPrefix.maskHi(family, length), ml = IpPrefix.maskLo(family, length);
        return new IpPrefix(new IpAddress(family, a.hi() & mh, a.lo() & ml), length);
    }

    /** A random address inside the prefix. */
    static IpAddress inside(Random r, IpPrefix p) {
        int f = p.family();
        long hostHi = ~IpPrefix.maskHi(f, p.length()) & (f == IpAddress.V4 ? 0 : -1L);
        long hostLo = ~IpPrefix.maskLo(f, p.length()) & (f == IpAddress.V4 ? 0xffffffffL : -1L);
        // Mostly small host parts (so they also hit other entries' narrower prefixes), sometimes all ones.
        long bitsHi = r.nextInt(8) == 0 ? -1L : r.nextInt(4), bitsLo = r.nextInt(8) == 0 ? -1L : r.nextLong() & (r.nextBoolean() ? 3 : -1L);
        return new IpAddress(f, p.address().hi() | (bitsHi & hostHi), p.address().lo() | (bitsLo & hostLo));
    }

    private static void setAddress(Packets p, int i, boolean source, IpAddress a) {
        if (source) { p.srcHi[i] = a.hi(); p.srcLo[i] = a.lo(); }
        else { p.dstHi[i] = a.hi(); p.dstLo[i] = a.lo(); }
    }

    private static PortRange portRange(Random r) {
        int a = r.nextBoolean() ? PORTS[r.nextInt(PORTS.length)] : r.nextInt(65536);
        int b = r.nextInt(3) == 0 ? a : r.nextBoolean() ? PORTS[r.nextInt(PORTS.length)] : r.nextInt(65536);
        return new PortRange(Math.min(a, b), Math.max(a, b));
    }

    static PolicyEntry entry(Random r, String name, Selector s) {
        return switch (r.nextInt(4)) {
            case 0 -> new PolicyEntry(name, s, PolicyAction.DENY, null, null);
            case 1 -> new PolicyEntry(name, s, PolicyAction.PERMIT, null, null);
            case 2 -> new PolicyEntry(name, s, PolicyAction.OPPORTUNISTIC, r.nextBoolean() ? Fallback.CLEAR : Fallback.DROP, null);
            default -> new PolicyEntry(name, s, PolicyAction.CONFIGURED, r.nextBoolean() ? Fallback.HOLD : Fallback.DROP, "t" + r.nextInt(50));
        };
    }

    /**
     * The worst shape for tuple-space search: IPv4 entries over random addresses with random prefix lengths 8..32
     * on both sides (625 length pairs), so a lookup may probe hundreds of groups; ports on a third of them.
     */
    static List<PolicyEntry> everyLengthPair(Random r, int n) {
        List<PolicyEntry> list = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            IpPrefix src = prefix(r, IpAddress.V4, IpAddress.v4(r.nextInt()), 8 + r.nextInt(25));
            IpPrefix dst = prefix(r, IpAddress.V4, IpAddress.v4(r.nextInt()), 8 + r.nextInt(25));
            boolean ports = r.nextInt(3) == 0;
            list.add(entry(r, "p" + i, new Selector(src, dst, ports ? 6 : -1, PortRange.ANY, ports ? portRange(r) : PortRange.ANY, -1, -1)));
        }
        return list;
    }

    // ---- realistic shapes ----

    /**
     * A site's SPD: a few broad rules first (deny a quarantine /16, permit ICMP, protect a management /24), then
     * mostly inside-host to remote-host /32 pairs (half of them TCP to one port) and subnet /24 pairs, some host to
     * subnet, a tenth IPv6 (/128 pairs and /64 to /48), and catch-alls for both families last.
     */
    static List<PolicyEntry> realistic(Random r, int n) {
        List<PolicyEntry> list = new ArrayList<>(n);
        int v4 = IpAddress.V4, v6 = IpAddress.V6;
        list.add(entry(r, "quarantine", new Selector(IpPrefix.parse("10.66.0.0/16"), IpPrefix.any(v4), -1, PortRange.ANY, PortRange.ANY, -1, -1)));
        list.add(entry(r, "icmp", new Selector(IpPrefix.any(v4), IpPrefix.any(v4), 1, PortRange.ANY, PortRange.ANY, 8, -1)));
        list.add(entry(r, "mgmt", new Selector(IpPrefix.parse("10.255.0.0/24"), IpPrefix.parse("172.16.0.0/12"), 6, PortRange.ANY, PortRange.parse("22"), -1, -1)));
        while (list.size() < n - 2) {
            int i = list.size(), k = r.nextInt(100);
            Selector s;
            if (k < 45) {
                s = new Selector(IpPrefix.host(IpAddress.v4(0x0a000000 | r.nextInt(1 << 16))), IpPrefix.host(IpAddress.v4(0xc6336400 | r.nextInt(1 << 10))),
                        r.nextBoolean() ? 6 : -1, PortRange.ANY, PortRange.ANY, -1, -1);
                if (s.protocol() == 6) s = new Selector(s.source(), s.destination(), 6, PortRange.ANY, PortRange.single(PORTS[r.nextInt(PORTS.length)]), -1, -1);
            } else if (k < 80) {
                s = new Selector(new IpPrefix(IpAddress.v4(0x0a000000 | r.nextInt(1 << 16) << 8 & 0xffff00), 24),
                        new IpPrefix(IpAddress.v4(0xac100000 | r.nextInt(1 << 12) << 8 & 0xfff00), 24), -1, PortRange.ANY, PortRange.ANY, -1, -1);
            } else if (k < 90) {
                s = new Selector(IpPrefix.host(IpAddress.v4(0x0a000000 | r.nextInt(1 << 16))),
                        new IpPrefix(IpAddress.v4(0xc0a80000 | r.nextInt(1 << 8) << 8), 24), 17, PortRange.ANY, PortRange.parse("1024-65535"), -1, -1);
            } else if (k < 95) {
                s = new Selector(IpPrefix.host(new IpAddress(v6, 0x20010db800010000L, r.nextInt(1 << 16))),
                        IpPrefix.host(new IpAddress(v6, 0x20010db8ff000000L, r.nextInt(1 << 10))), -1, PortRange.ANY, PortRange.ANY, -1, -1);
            } else {
                s = new Selector(new IpPrefix(new IpAddress(v6, 0x20010db800020000L | r.nextInt(1 << 16), 0), 64),
                        new IpPrefix(new IpAddress(v6, 0x2001db90L << 32 | (long) r.nextInt(1 << 16) << 16, 0), 48), -1, PortRange.ANY, PortRange.ANY, -1, -1);
            }
            list.add(entry(r, "p" + i, s));
        }
        list.add(new PolicyEntry("default-v4", Selector.any(v4), PolicyAction.OPPORTUNISTIC, Fallback.CLEAR, null));
        list.add(new PolicyEntry("default-v6", Selector.any(v6), PolicyAction.OPPORTUNISTIC, Fallback.CLEAR, null));
        return list;
    }

    /** Three quarters of packets inside a random entry's selector, the rest random inside-to-remote traffic. */
    static Packets realisticPackets(Random r, List<PolicyEntry> entries, int n) {
        Packets p = new Packets(n);
        for (int i = 0; i < n; i++) {
            Selector s = entries.get(r.nextInt(entries.size())).selector();
            boolean hit = r.nextInt(4) != 0;
            int family = s.family();
            p.family[i] = family;
            if (hit) {
                setAddress(p, i, true, inside(r, s.source()));
                setAddress(p, i, false, inside(r, s.destination()));
                p.protocol[i] = s.protocol() == -1 ? 6 : s.protocol();
                p.srcPort[i] = s.icmpType() != -1 ? s.icmpType() : s.sourcePorts().isAny() ? 1024 + r.nextInt(60000) : s.sourcePorts().from();
                p.dstPort[i] = s.icmpCode() != -1 ? s.icmpCode() : s.destinationPorts().isAny() ? 443 : s.destinationPorts().to();
            } else {
                if (family == IpAddress.V4) {
                    setAddress(p, i, true, IpAddress.v4(0x0a000000 | r.nextInt(1 << 24)));
                    setAddress(p, i, false, IpAddress.v4(r.nextInt()));
                } else {
                    setAddress(p, i, true, new IpAddress(family, 0x20010db800010000L, r.nextLong()));
                    setAddress(p, i, false, new IpAddress(family, r.nextLong(), r.nextLong()));
                }
                p.protocol[i] = r.nextBoolean() ? 6 : 17;
                p.srcPort[i] = r.nextInt(65536);
                p.dstPort[i] = r.nextInt(65536);
            }
        }
        return p;
    }
}
