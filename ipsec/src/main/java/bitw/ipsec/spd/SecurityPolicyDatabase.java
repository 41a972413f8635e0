// The Security Policy Database (RFC 4301 §4.4.1): an ordered list of PolicyEntry, first match wins.
// The outbound path looks up every packet here (inside -> SPD -> SA -> ESP -> outside); the inbound path looks up
// every decapsulated or cleartext packet with addresses swapped. Immutable: a reload builds a new instance.
//
// Lookup is a tuple-space search. Entries are grouped by (family, source prefix length, destination prefix length);
// within a group every entry's prefixes are exact keys, so one hash probe with the packet's masked addresses finds
// all entries of that group whose addresses match, already in list order. Protocol and ports are then checked on
// those few candidates from flat arrays. Groups are visited in order of their lowest entry index, so the search
// stops as soon as no remaining group can hold an earlier entry than the best match so far. The cost per packet is
// at most one probe per distinct (family, prefix-length pair) plus the candidates sharing the packet's address pair,
// independent of the number of entries for the usual shapes (host and subnet pairs). Nothing is allocated per lookup.
package bitw.ipsec.spd;

import bitw.ipsec.packet.IpAddress;
import bitw.ipsec.packet.IpPrefix;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

public final class SecurityPolicyDatabase {
    private static final Group[] NO_GROUPS = new Group[0];

    private final PolicyEntry[] entries;
    private final List<PolicyEntry> entryList;

    // Per entry (by index): protocol (-1 = any) and the accepted srcPort/dstPort intervals. "Any" is the whole int
    // range so it also accepts -1 (port not available); a specific port range or ICMP type/code is a bounded interval
    // that -1 never falls into. This reproduces Selector.matches without touching the Selector objects.
    private final int[] protocol, srcPortMin, srcPortMax, dstPortMin, dstPortMax;

    private final Group[] v4Groups, v6Groups;

    public SecurityPolicyDatabase(List<PolicyEntry> orderedEntries) {
        if (orderedEntries == null) throw new IllegalArgumentException("SPD needs a list of entries");
        int n = orderedEntries.size();
        entries = new PolicyEntry[n];
        Set<String> names = new HashSet<>();
        for (int i = 0; i < n; i++) {
            PolicyEntry e = orderedEntries.get(i);
            if (e == null) throw new IllegalArgumentException("SPD entry " + i + " is null");
            if (!names.add(e.name())) throw new IllegalArgumentException("duplicate SPD entry name '" + e.name() + "'");
            entries[i] = e;
        }
        for (int i = 0; i < n; i++) {
            if (entries[i].index() != -1)
                throw new IllegalArgumentException("policy '" + entries[i].name() + "' already belongs to an SPD; build new entries for a new SPD");
        }
        for (int i = 0; i < n; i++) entries[i].assignIndex(i);
        entryList = List.of(entries);

        protocol = new int[n];
        srcPortMin = new int[n];
        srcPortMax = new int[n];
        dstPortMin = new int[n];
        dstPortMax = new int[n];
        for (int i = 0; i < n; i++) {
            Selector s = entries[i].selector();
            protocol[i] = s.protocol();
            srcPortMin[i] = Integer.MIN_VALUE;
            srcPortMax[i] = Integer.MAX_VALUE;
            dstPortMin[i] = Integer.MIN_VALUE;
            dstPortMax[i] = Integer.MAX_VALUE;
            if (!s.sourcePorts().isAny()) { srcPortMin[i] = s.sourcePorts().from(); srcPortMax[i] = s.sourcePorts().to(); }
            if (!s.destinationPorts().isAny()) { dstPortMin[i] = s.destinationPorts().from(); dstPortMax[i] = s.destinationPorts().to(); }
            if (s.icmpType() != -1) { srcPortMin[i] = s.icmpType(); srcPortMax[i] = s.icmpType(); }
            if (s.icmpCode() != -1) { dstPortMin[i] = s.icmpCode(); dstPortMax[i] = s.icmpCode(); }
        }
        v4Groups = buildGroups(IpAddress.V4);
        v6Groups = buildGroups(IpAddress.V6);
    }

    /**
     * The first entry (in list order) whose selector matches, or null. IPv4: hi = 0 and the address in the low 32
     * bits of lo. For ICMP/ICMPv6 pass type as srcPort and code as dstPort; -1 means "not available" and matches only
     * entries with ANY ports and any ICMP type/code. Never throws, never allocates; an unknown family matches nothing.
     */
    public PolicyEntry lookup(int family, long srcHi, long srcLo, long dstHi, long dstLo, int protocol, int srcPort, int dstPort) {
        Group[] groups = family == IpAddress.V4 ? v4Groups : family == IpAddress.V6 ? v6Groups : NO_GROUPS;
        int best = Integer.MAX_VALUE;
        for (int gi = 0; gi < groups.length; gi++) {
            Group g = groups[gi];
            if (g.minIndex >= best) break; // groups are sorted by minIndex: nothing later can win
            long sh = srcHi & g.srcMaskHi, sl = srcLo & g.srcMaskLo, dh = dstHi & g.dstMaskHi, dl = dstLo & g.dstMaskLo;
            long[] keys = g.keys;
            int slot = g.slotMask == 0 ? 0 : (int) (hash(sh, sl, dh, dl) >>> g.hashShift);
            while (true) {
                int end = g.slotEnd[slot];
                if (end == 0) break; // empty slot: no entry of this group has these addresses
                int k = slot << 2;
                if (keys[k] == sh && keys[k + 1] == sl && keys[k + 2] == dh && keys[k + 3] == dl) {
                    int[] candidates = g.candidates;
                    for (int c = g.slotStart[slot]; c < end; c++) {
                        int e = candidates[c];
                        if (e >= best) break;
                        if (selects(e, protocol, srcPort, dstPort)) { best = e; break; }
                    }
                    break;
                }
                if (g.slotMask == 0) break; // a single-slot group has no empty slot to stop the probe
                slot = (slot + 1) & g.slotMask;
            }
        }
        return best == Integer.MAX_VALUE ? null : entries[best];
    }

    /** The entries in list order (entry i has index() == i). Immutable. */
    public List<PolicyEntry> entries() { return entryList; }

    public int size() { return entries.length; }

    /** Number of (family, prefix-length pair) groups: the most hash probes one lookup can make. For diagnostics. */
    public int groupCount() { return v4Groups.length + v6Groups.length; }

    private boolean selects(int e, int protocol, int srcPort, int dstPort) {
        int p = this.protocol[e];
        return (p == -1 || p == protocol)
                && srcPort >= srcPortMin[e] && srcPort <= srcPortMax[e]
                && dstPort >= dstPortMin[e] && dstPort <= dstPortMax[e];
    }

    // Multiplicative mixing; the slot is taken from the high bits, which depend on every input bit. Host bits that
    // the prefix masks zeroed therefore do not cluster keys.
    private static long hash(long sh, long sl, long dh, long dl) {
        long h = (sh ^ 0x2545F4914F6CDD1DL) * 0x9E3779B97F4A7C15L;
        h = (h ^ sl) * 0xC2B2AE3D27D4EB4FL;
        h = (h ^ (h >>> 29) ^ dh) * 0x9E3779B97F4A7C15L;
        h = (h ^ dl) * 0xC2B2AE3D27D4EB4FL;
        return h ^ (h >>> 31);
    }

    private Group[] buildGroups(int family) {
        // (srcLen, dstLen) -> entry indices in list order
        Map<Integer, List<Integer>> byLengths = new LinkedHashMap<>();
        for (int i = 0; i < entries.length; i++) {
            Selector s = entries[i].selector();
            if (s.family() != family) continue;
            byLengths.computeIfAbsent(s.source().length() << 8 | s.destination().length(), k -> new ArrayList<>()).add(i);
        }
        List<Group> groups = new ArrayList<>();
        for (Map.Entry<Integer, List<Integer>> g : byLengths.entrySet())
            groups.add(new Group(family, g.getKey() >>> 8, g.getKey() & 0xff, g.getValue()));
        // LinkedHashMap keeps first-seen order, which is already ascending minIndex; sort anyway to state the invariant.
        groups.sort((a, b) -> Integer.compare(a.minIndex, b.minIndex));
        return groups.isEmpty() ? NO_GROUPS : groups.toArray(Group[]::new);
    }

    /** All entries of one family with the same source and destination prefix lengths, hashed by their addresses. */
    private final class Group {
        final int minIndex;
        final long srcMaskHi, srcMaskLo, dstMaskHi, dstMaskLo;
        final int hashShift, slotMask;
        final long[] keys;        // 4 longs per slot: masked src hi, src lo, dst hi, dst lo
        final int[] slotStart;    // candidates of a slot are candidates[slotStart[s] .. slotEnd[s])
        final int[] slotEnd;      // 0 marks an empty slot (a used slot always ends at >= 1)
        final int[] candidates;   // entry indices, ascending within a slot

        Group(int family, int srcLen, int dstLen, List<Integer> members) {
            minIndex = members.getFirst();
            srcMaskHi = IpPrefix.maskHi(family, srcLen);
            srcMaskLo = IpPrefix.maskLo(family, srcLen);
            dstMaskHi = IpPrefix.maskHi(family, dstLen);
            dstMaskLo = IpPrefix.maskLo(family, dstLen);

            Map<AddressPair, List<Integer>> byAddresses = new LinkedHashMap<>();
            for (int e : members) {
                Selector s = entries[e].selector();
                AddressPair key = new AddressPair(s.source().address().hi(), s.source().address().lo(),
                        s.destination().address().hi(), s.destination().address().lo());
                byAddresses.computeIfAbsent(key, k -> new ArrayList<>()).add(e);
            }
            int distinct = byAddresses.size();
            // One key: a single slot, no hashing. Otherwise a power of two at most half full.
            int capacity = distinct == 1 ? 1 : Integer.highestOneBit(distinct * 2 - 1) << 1;
            int bits = Integer.numberOfTrailingZeros(capacity);
            slotMask = capacity - 1;
            hashShift = 64 - bits;
            keys = new long[capacity * 4];
            slotStart = new int[capacity];
            slotEnd = new int[capacity];
            candidates = new int[members.size()];
            int next = 0;
            for (Map.Entry<AddressPair, List<Integer>> a : byAddresses.entrySet()) {
                AddressPair k = a.getKey();
                int slot = slotMask == 0 ? 0 : (int) (hash(k.sh, k.sl, k.dh, k.dl) >>> hashShift);
                while (slotEnd[slot] != 0) slot = (slot + 1) & slotMask;
                keys[slot << 2] = k.sh;
                keys[(slot << 2) + 1] = k.sl;
                keys[(slot << 2) + 2] = k.dh;
                keys[(slot << 2) + 3] = k.dl;
                slotStart[slot] = next;
                for (int e : a.getValue()) candidates[next++] = e;
                slotEnd[slot] = next;
            }
        }
    }

    private record AddressPair(long sh, long sl, long dh, long dl) {}
}
