// Specification of SecurityPolicyDatabase.lookup: exactly a linear first-match scan over Selector.matches,
// checked on hand-made edge cases and on many random SPDs against the plain reference; plus index assignment,
// construction errors and a lookup that allocates nothing.
package bitw.ipsec.spd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import bitw.ipsec.packet.IpAddress;
import bitw.ipsec.packet.IpPrefix;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SecurityPolicyDatabaseTest {
    private static final int V4 = IpAddress.V4, V6 = IpAddress.V6;

    private static Selector sel(String src, String dst, int protocol, String sport, String dport, int type, int code) {
        return new Selector(IpPrefix.parse(src), IpPrefix.parse(dst), protocol, PortRange.parse(sport), PortRange.parse(dport), type, code);
    }

    private static Selector sel(String src, String dst) { return sel(src, dst, -1, "any", "any", -1, -1); }

    private static PolicyEntry permit(String name, Selector s) { return new PolicyEntry(name, s, PolicyAction.PERMIT, null, null); }

    private static PolicyEntry find(SecurityPolicyDatabase spd, String src, String dst, int protocol, int sport, int dport) {
        IpAddress s = IpAddress.parse(src), d = IpAddress.parse(dst);
        return spd.lookup(s.family(), s.hi(), s.lo(), d.hi(), d.lo(), protocol, sport, dport);
    }

    private static String name(PolicyEntry e) { return e == null ? null : e.name(); }

    @Test
    void emptySpdMatchesNothing() {
        SecurityPolicyDatabase spd = new SecurityPolicyDatabase(List.of());
        assertEquals(0, spd.size());
        assertTrue(spd.entries().isEmpty());
        assertNull(find(spd, "10.0.0.1", "10.0.0.2", 6, 1, 2));
        assertNull(find(spd, "2001:db8::1", "::", 58, 128, 0));
    }

    @Test
    void firstMatchInListOrderWinsEvenWhenALaterEntryIsMoreSpecific() {
        SecurityPolicyDatabase spd = new SecurityPolicyDatabase(List.of(
                permit("broad", sel("10.0.0.0/8", "0.0.0.0/0")),
                permit("host", sel("10.1.2.3", "192.0.2.1")),
                permit("other", sel("192.168.0.0/16", "0.0.0.0/0"))));
        assertEquals("broad", name(find(spd, "10.1.2.3", "192.0.2.1", 6, 1000, 80)));
        assertEquals("other", name(find(spd, "192.168.9.9", "192.0.2.1", 17, 53, 53)));
        assertNull(find(spd, "172.16.0.1", "192.0.2.1", 17, 53, 53));
    }

    @Test
    void laterEntryMatchesWhenEarlierEntryPortsDoNot() {
        SecurityPolicyDatabase spd = new SecurityPolicyDatabase(List.of(
                permit("https", sel("10.0.0.0/24", "192.0.2.0/24", 6, "any", "443", -1, -1)),
                new PolicyEntry("rest", sel("10.0.0.0/24", "192.0.2.0/24"), PolicyAction.DENY, null, null)));
        assertEquals("https", name(find(spd, "10.0.0.5", "192.0.2.7", 6, 40000, 443)));
        assertEquals("rest", name(find(spd, "10.0.0.5", "192.0.2.7", 6, 40000, 444)));
        assertEquals("rest", name(find(spd, "10.0.0.5", "192.0.2.7", 17, 40000, 443)));
    }

    @Test
    void zeroLengthPrefixesMatchEveryAddressOfTheirFamilyOnly() {
        SecurityPolicyDatabase spd = new SecurityPolicyDatabase(List.of(permit("v4", Selector.any(V4))));
        assertEquals("v4", name(find(spd, "0.0.0.0", "255.255.255.255", 0, -1, -1)));
        assertEquals("v4", name(find(spd, "255.255.255.255", "0.0.0.0", 255, 65535, 0)));
        assertNull(find(spd, "::", "::", 0, -1, -1));
        SecurityPolicyDatabase v6 = new SecurityPolicyDatabase(List.of(permit("v6", Selector.any(V6))));
        assertEquals("v6", name(find(v6, "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", "::", 6, 0, 65535)));
        assertNull(find(v6, "10.0.0.1", "10.0.0.2", 6, 1, 2));
    }

    @Test
    void hostPrefixesMatchExactlyOneAddress() {
        SecurityPolicyDatabase spd = new SecurityPolicyDatabase(List.of(
                permit("h4", sel("10.0.0.1/32", "10.0.0.2/32")),
                permit("h6", sel("2001:db8::1/128", "2001:db8:0:0:8000::/128"))));
        assertEquals("h4", name(find(spd, "10.0.0.1", "10.0.0.2", 6, 1, 1)));
        assertNull(find(spd, "10.0.0.1", "10.0.0.3", 6, 1, 1));
        assertNull(find(spd, "10.0.0.0", "10.0.0.2", 6, 1, 1));
        assertEquals("h6", name(find(spd, "2001:db8::1", "2001:db8:0:0:8000::", 6, 1, 1)));
        assertNull(find(spd, "2001:db8::1", "2001:db8:0:0:8000::1", 6, 1, 1));
        assertNull(find(spd, "2001:db8::1", "2001:db8:0:1:8000::", 6, 1, 1));
    }

    @Test
    void ipv6PrefixesAcrossTheSixtyFourBitBoundary() {
        SecurityPolicyDatabase spd = new SecurityPolicyDatabase(List.of(
                permit("65", sel("2001:db8:0:1:8000::/65", "::/0")),
                permit("63", sel("2001:db8:0:0::/63", "::/0"))));
        assertEquals("65", name(find(spd, "2001:db8:0:1:8fff::1", "::1", 6, 1, 1)));
        assertEquals("63", name(find(spd, "2001:db8:0:1:7fff::1", "::1", 6, 1, 1)));
        assertEquals("63", name(find(spd, "2001:db8::", "::1", 6, 1, 1)));
        assertNull(find(spd, "2001:db8:0:2::", "::1", 6, 1, 1));
    }

    @Test
    void portBoundariesZeroAnd65535() {
        SecurityPolicyDatabase spd = new SecurityPolicyDatabase(List.of(
                permit("zero", sel("0.0.0.0/0", "0.0.0.0/0", 17, "0", "any", -1, -1)),
                permit("top", sel("0.0.0.0/0", "0.0.0.0/0", 17, "any", "65535", -1, -1)),
                permit("high", sel("0.0.0.0/0", "0.0.0.0/0", 6, "1024-65535", "0-1023", -1, -1))));
        assertEquals("zero", name(find(spd, "1.1.1.1", "2.2.2.2", 17, 0, 5)));
        assertEquals("top", name(find(spd, "1.1.1.1", "2.2.2.2", 17, 1, 65535)));
        assertNull(find(spd, "1.1.1.1", "2.2.2.2", 17, 1, 65534));
        assertEquals("high", name(find(spd, "1.1.1.1", "2.2.2.2", 6, 65535, 0)));
        assertEquals("high", name(find(spd, "1.1.1.1", "2.2.2.2", 6, 1024, 1023)));
        assertNull(find(spd, "1.1.1.1", "2.2.2.2", 6, 1023, 1023));
        assertNull(find(spd, "1.1.1.1", "2.2.2.2", 6, 1024, 1024));
    }

    @Test
    void packetWithoutPortsMatchesOnlyEntriesWithAnyPorts() {
        SecurityPolicyDatabase spd = new SecurityPolicyDatabase(List.of(
                permit("web", sel("0.0.0.0/0", "0.0.0.0/0", 6, "any", "80", -1, -1)),
                permit("src-any", sel("0.0.0.0/0", "0.0.0.0/0", 6, "any", "any", -1, -1))));
        assertEquals("web", name(find(spd, "1.1.1.1", "2.2.2.2", 6, 5555, 80)));
        assertEquals("src-any", name(find(spd, "1.1.1.1", "2.2.2.2", 6, -1, -1)), "non-initial fragment");
        assertEquals("src-any", name(find(spd, "1.1.1.1", "2.2.2.2", 6, 5555, -1)));
    }

    @Test
    void icmpTypeAndCodeArriveInThePortSlots() {
        SecurityPolicyDatabase spd = new SecurityPolicyDatabase(List.of(
                permit("unreach-frag", sel("0.0.0.0/0", "0.0.0.0/0", 1, "any", "any", 3, 4)),
                permit("echo", sel("0.0.0.0/0", "0.0.0.0/0", 1, "any", "any", 8, -1)),
                permit("nd", sel("::/0", "::/0", 58, "any", "any", 135, 0)),
                permit("icmp-any", sel("0.0.0.0/0", "0.0.0.0/0", 1, "any", "any", -1, -1))));
        assertEquals("unreach-frag", name(find(spd, "1.1.1.1", "2.2.2.2", 1, 3, 4)));
        assertEquals("icmp-any", name(find(spd, "1.1.1.1", "2.2.2.2", 1, 3, 1)));
        assertEquals("echo", name(find(spd, "1.1.1.1", "2.2.2.2", 1, 8, 0)));
        assertEquals("echo", name(find(spd, "1.1.1.1", "2.2.2.2", 1, 8, 77)));
        assertEquals("icmp-any", name(find(spd, "1.1.1.1", "2.2.2.2", 1, -1, -1)), "ICMP fragment without header");
        assertEquals("nd", name(find(spd, "fe80::1", "ff02::1", 58, 135, 0)));
        assertNull(find(spd, "fe80::1", "ff02::1", 58, 136, 0));
        assertNull(find(spd, "1.1.1.1", "2.2.2.2", 6, 8, 0), "TCP to port 0 from port 8 is not ICMP echo");
    }

    @Test
    void unknownFamilyMatchesNothingAndDoesNotThrow() {
        SecurityPolicyDatabase spd = new SecurityPolicyDatabase(List.of(permit("v4", Selector.any(V4)), permit("v6", Selector.any(V6))));
        assertNull(spd.lookup(0, 0, 0, 0, 0, 6, 1, 1));
        assertNull(spd.lookup(5, 0, 0, 0, 0, 6, 1, 1));
        assertNull(spd.lookup(-1, -1, -1, -1, -1, -1, -1, -1));
    }

    @Test
    void entriesGetTheirPositionAsIndex() {
        List<PolicyEntry> list = List.of(permit("a", Selector.any(V4)), permit("b", Selector.any(V6)), permit("c", sel("10.0.0.0/8", "0.0.0.0/0")));
        assertEquals(-1, list.get(2).index());
        SecurityPolicyDatabase spd = new SecurityPolicyDatabase(list);
        for (int i = 0; i < list.size(); i++) {
            assertEquals(i, list.get(i).index());
            assertSame(list.get(i), spd.entries().get(i));
        }
        assertEquals(3, spd.size());
        assertThrows(UnsupportedOperationException.class, () -> spd.entries().clear());
    }

    @Test
    void rejectsDuplicateNamesNullEntriesAndEntriesOfAnotherSpd() {
        PolicyEntry a = permit("a", Selector.any(V4));
        var dup = assertThrows(IllegalArgumentException.class, () -> new SecurityPolicyDatabase(List.of(a, permit("a", Selector.any(V6)))));
        assertTrue(dup.getMessage().contains("duplicate"), dup.getMessage());
        assertEquals(-1, a.index(), "a refused SPD assigns no index");
        List<PolicyEntry> withNull = new ArrayList<>();
        withNull.add(null);
        assertThrows(IllegalArgumentException.class, () -> new SecurityPolicyDatabase(withNull));
        new SecurityPolicyDatabase(List.of(a));
        var reused = assertThrows(IllegalArgumentException.class, () -> new SecurityPolicyDatabase(List.of(permit("b", Selector.any(V6)), a)));
        assertTrue(reused.getMessage().contains("already belongs"), reused.getMessage());
        assertEquals(0, a.index());
    }

    @Test
    void agreesWithLinearScanOnRandomSpdsOfEveryFamilyMix() {
        int checked = 0, matched = 0;
        for (int seed = 0; seed < 300; seed++) {
            Random r = new Random(seed);
            int family = seed % 3 == 0 ? 0 : seed % 3 == 1 ? V4 : V6;
            int size = seed % 10 == 0 ? r.nextInt(4) : 1 + r.nextInt(seed % 4 == 0 ? 400 : 60);
            List<PolicyEntry> entries = RandomPolicies.adversarial(r, size, family);
            SecurityPolicyDatabase spd = new SecurityPolicyDatabase(entries);
            RandomPolicies.Packets packets = RandomPolicies.adversarialPackets(r, entries, 2000);
            for (int i = 0; i < packets.size(); i++) {
                PolicyEntry expected = RandomPolicies.linearLookup(entries, packets, i);
                PolicyEntry actual = RandomPolicies.lookup(spd, packets, i);
                if (expected != actual)
                    throw new AssertionError("seed " + seed + " packet " + i + ": expected " + expected + " but got " + actual);
                checked++;
                if (expected != null && expected.index() > 0) matched++;
            }
        }
        // The generator must produce real work: most packets matching some entry other than the first.
        assertTrue(matched > checked / 3, "only " + matched + " of " + checked + " packets matched a non-first entry");
    }

    @Test
    void agreesWithLinearScanOnRealisticSpdsAndUsesFewGroups() {
        for (int seed = 0; seed < 5; seed++) {
            Random r = new Random(1000 + seed);
            List<PolicyEntry> entries = RandomPolicies.realistic(r, 3000);
            SecurityPolicyDatabase spd = new SecurityPolicyDatabase(entries);
            assertTrue(spd.groupCount() <= 10, "groups: " + spd.groupCount());
            RandomPolicies.Packets packets = RandomPolicies.realisticPackets(r, entries, 20000);
            for (int i = 0; i < packets.size(); i++)
                assertSame(RandomPolicies.linearLookup(entries, packets, i), RandomPolicies.lookup(spd, packets, i), "seed " + seed + " packet " + i);
        }
    }

    @Test
    void agreesWithLinearScanWhenHundredsOfLengthPairsAreUsed() {
        Random r = new Random(11);
        List<PolicyEntry> entries = RandomPolicies.everyLengthPair(r, 3000);
        SecurityPolicyDatabase spd = new SecurityPolicyDatabase(entries);
        assertTrue(spd.groupCount() > 400, "groups: " + spd.groupCount());
        RandomPolicies.Packets packets = RandomPolicies.realisticPackets(r, entries, 20000);
        for (int i = 0; i < packets.size(); i++)
            assertSame(RandomPolicies.linearLookup(entries, packets, i), RandomPolicies.lookup(spd, packets, i), "packet " + i);
    }

    @Test
    void agreesWithLinearScanWhenManyEntriesShareOneAddressPair() {
        // Adversarial for the bucket: 2,000 port rules on the same prefixes, matched deep in the list.
        Random r = new Random(7);
        List<PolicyEntry> entries = new ArrayList<>();
        for (int i = 0; i < 2000; i++) {
            int port = r.nextInt(65536);
            entries.add(permit("p" + i, sel("10.0.0.0/24", "192.0.2.0/24", 17, "any", port + "-" + Math.min(65535, port + r.nextInt(3)), -1, -1)));
        }
        entries.add(permit("rest", sel("10.0.0.0/24", "192.0.2.0/24")));
        SecurityPolicyDatabase spd = new SecurityPolicyDatabase(entries);
        RandomPolicies.Packets packets = RandomPolicies.adversarialPackets(r, entries, 20000);
        for (int i = 0; i < packets.size(); i++)
            assertSame(RandomPolicies.linearLookup(entries, packets, i), RandomPolicies.lookup(spd, packets, i), "packet " + i);
    }

    @Test
    void lookupAllocatesNothing() {
        Random r = new Random(42);
        List<PolicyEntry> entries = new ArrayList<>(RandomPolicies.realistic(r, 5000));
        entries.addAll(RandomPolicies.adversarial(new Random(43), 500, 0).stream()
                .map(e -> new PolicyEntry("adv-" + e.name(), e.selector(), e.action(), e.fallback(), e.tunnel())).toList());
        SecurityPolicyDatabase spd = new SecurityPolicyDatabase(entries);
        RandomPolicies.Packets packets = RandomPolicies.realisticPackets(r, entries, 4096);
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        threads.getCurrentThreadAllocatedBytes();
        // Cold too: the interpreter and C1 run first and cannot hide an allocation by escape analysis.
        long before = threads.getCurrentThreadAllocatedBytes();
        long sink = runLookups(spd, packets, 2_000);
        long coldAllocated = threads.getCurrentThreadAllocatedBytes() - before;
        for (int round = 0; round < 100; round++) sink += runLookups(spd, packets, 4096); // warm-up: let the JIT compile
        before = threads.getCurrentThreadAllocatedBytes();
        sink += runLookups(spd, packets, 100_000);
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        assertTrue(sink != 0, "lookups found entries");
        assertEquals(0, coldAllocated, "bytes allocated by the first 2,000 lookups");
        assertEquals(0, allocated, "bytes allocated by 100,000 lookups after warm-up");
    }

    private static long runLookups(SecurityPolicyDatabase spd, RandomPolicies.Packets p, int count) {
        long sum = 0;
        int n = p.size();
        for (int k = 0; k < count; k++) {
            int i = k & (n - 1);
            PolicyEntry e = spd.lookup(p.family[i], p.srcHi[i], p.srcLo[i], p.dstHi[i], p.dstLo[i], p.protocol[i], p.srcPort[i], p.dstPort[i]);
            if (e != null) sum += e.index() + 1;
        }
        return sum;
    }
}
