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
// Everything a lookup reads lives in a few flat arrays (no per-group objects), so a probe costs a handful of cache
// lines even when an adversarial SPD has thousands of prefix-length pairs. IPv4, the common case, packs both
// masked addresses into one long key, so its slots are two longs and its hash a single multiplication.
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
    private static final int CHECK = 5;   // ints per entry in checks[]
    private static final int SLOT = 5;    // longs per hash slot in FamilyTable.slots (IPv6)
    private static final int SLOT4 = 2;   // longs per hash slot in FamilyTable.slots (IPv4)
    private static final int META = 4;    // ints per group in FamilyTable.meta
    private static final FamilyTable EMPTY = new FamilyTable(new int[0], new long[0], new long[0], new int[0]);

    private final PolicyEntry[] entries;
    private final List<PolicyEntry> entryList;

    // Per entry (at index * CHECK): protocol (-1 = any), then the accepted srcPort and dstPort intervals [min, max].
    // "Any" is the whole int range so it also accepts -1 (port not available); a specific port range or ICMP
    // type/code is a bounded interval that -1 never falls into. This reproduces Selector.matches exactly.
    private final int[] checks;

    private final FamilyTable v4, v6;

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

        checks = new int[n * CHECK];
        for (int i = 0; i < n; i++) {
            Selector s = entries[i].selector();
            int c = i * CHECK;
            checks[c] = s.protocol();
            checks[c + 1] = Integer.MIN_VALUE;
            checks[c + 2] = Integer.MAX_VALUE;
            checks[c + 3] = Integer.MIN_VALUE;
            checks[c + 4] = Integer.MAX_VALUE;
            if (!s.sourcePorts().isAny()) { checks[c + 1] = s.sourcePorts().from(); checks[c + 2] = s.sourcePorts().to(); }
            if (!s.destinationPorts().isAny()) { checks[c + 3] = s.destinationPorts().from(); checks[c + 4] = s.destinationPorts().to(); }
            if (s.icmpType() != -1) { checks[c + 1] = s.icmpType(); checks[c + 2] = s.icmpType(); }
            if (s.icmpCode() != -1) { checks[c + 3] = s.icmpCode(); checks[c + 4] = s.icmpCode(); }
        }
        v4 = buildTable(IpAddress.V4);
        v6 = buildTable(IpAddress.V6);
    }

    /**
     * The first entry (in list order) whose selector matches, or null. IPv4: hi = 0 and the address in the low 32
     * bits of lo. For ICMP/ICMPv6 pass type as srcPort and code as dstPort; -1 means "not available" and matches only
     * entries with ANY ports and any ICMP type/code. Never throws, never allocates; an unknown family matches nothing.
     */
    public PolicyEntry lookup(int family, long srcHi, long srcLo, long dstHi, long dstLo, int protocol, int srcPort, int dstPort) {
        int best = family == IpAddress.V4 ? lookup4(srcLo, dstLo, protocol, srcPort, dstPort)
                : family == IpAddress.V6 ? lookup6(srcHi, srcLo, dstHi, dstLo, protocol, srcPort, dstPort)
                : Integer.MAX_VALUE;
        return best == Integer.MAX_VALUE ? null : entries[best];
    }

    // IPv4: the high longs are ignored (always 0 in a valid IPv4 address; the reference masks them away too).
    private int lookup4(long srcLo, long dstLo, int protocol, int srcPort, int dstPort) {
        FamilyTable t = v4;
        int[] meta = t.meta;
        long[] masks = t.masks, slots = t.slots;
        int best = Integer.MAX_VALUE;
        for (int m = 0, k = 0; m < meta.length; m += META, k += 2) {
            if (meta[m] >= best) break; // groups are sorted by their lowest entry index: nothing later can win
            long key = (srcLo & masks[k]) << 32 | (dstLo & masks[k + 1]);
            int slotMask = meta[m + 2], base = meta[m + 3];
            int slot = slotMask == 0 ? 0 : (int) (hash4(key) >>> meta[m + 1]);
            while (true) {
                int s = (base + slot) * SLOT4;
                long range = slots[s + 1];
                if (range == 0) break; // empty slot: no entry of this group has these addresses
                if (slots[s] == key) {
                    best = firstSelected(t.candidates, range, best, protocol, srcPort, dstPort);
                    break;
                }
                if (slotMask == 0) break; // a single-slot group has no empty slot to stop the probe
                slot = (slot + 1) & slotMask;
            }
        }
        return best;
    }

    private int lookup6(long srcHi, long srcLo, long dstHi, long dstLo, int protocol, int srcPort, int dstPort) {
        FamilyTable t = v6;
        int[] meta = t.meta;
        long[] masks = t.masks, slots = t.slots;
        int best = Integer.MAX_VALUE;
        for (int m = 0, k = 0; m < meta.length; m += META, k += 4) {
            if (meta[m] >= best) break; // groups are sorted by their lowest entry index: nothing later can win
            long sh = srcHi & masks[k], sl = srcLo & masks[k + 1], dh = dstHi & masks[k + 2], dl = dstLo & masks[k + 3];
            int slotMask = meta[m + 2], base = meta[m + 3];
            int slot = slotMask == 0 ? 0 : (int) (hash(sh, sl, dh, dl) >>> meta[m + 1]);
            while (true) {
                int s = (base + slot) * SLOT;
                long range = slots[s + 4];
                if (range == 0) break; // empty slot: no entry of this group has these addresses
                if (slots[s] == sh && slots[s + 1] == sl && slots[s + 2] == dh && slots[s + 3] == dl) {
                    best = firstSelected(t.candidates, range, best, protocol, srcPort, dstPort);
                    break;
                }
                if (slotMask == 0) break; // a single-slot group has no empty slot to stop the probe
                slot = (slot + 1) & slotMask;
            }
        }
        return best;
    }

    /** The first candidate in range (start << 32 | end) before best whose protocol and ports match, else best. */
    private int firstSelected(int[] candidates, long range, int best, int protocol, int srcPort, int dstPort) {
        int[] checks = this.checks;
        for (int c = (int) (range >>> 32), end = (int) range; c < end; c++) {
            int e = candidates[c];
            if (e >= best) break;
            int x = e * CHECK, p = checks[x];
            if ((p == -1 || p == protocol)
                    && srcPort >= checks[x + 1] && srcPort <= checks[x + 2]
                    && dstPort >= checks[x + 3] && dstPort <= checks[x + 4]) return e;
        }
        return best;
    }

    /** The entries in list order (entry i has index() == i). Immutable. */
    public List<PolicyEntry> entries() { return entryList; }

    public int size() { return entries.length; }

    /** Number of (family, prefix-length pair) groups: the most hash probes one lookup can make. For diagnostics. */
    public int groupCount() { return (v4.meta.length + v6.meta.length) / META; }

    // Multiplicative mixing; the slot is taken from the high bits, which depend on every input bit. Host bits that
    // the prefix masks zeroed therefore do not cluster keys.
    private static long hash(long sh, long sl, long dh, long dl) {
        long h = (sh ^ 0x2545F4914F6CDD1DL) * 0x9E3779B97F4A7C15L;
        h = (h ^ sl) * 0xC2B2AE3D27D4EB4FL;
        h = (h ^ (h >>> 29) ^ dh) * 0x9E3779B97F4A7C15L;
        h = (h ^ dl) * 0xC2B2AE3D27D4EB4FL;
        return h ^ (h >>> 31);
    }

    // Fibonacci hashing of the packed IPv4 pair: the high bits of the product depend on every bit of the key.
    private static long hash4(long key) { return key * 0x9E3779B97F4A7C15L; }

    /**
     * The lookup structure of one address family, flat.
     * meta:  per group {lowest entry index, hash shift, slot mask, first slot}, groups ascending by lowest index.
     * masks: per group {src hi, src lo, dst hi, dst lo} prefix masks; IPv4 {src, dst}.
     * slots: per slot {src hi, src lo, dst hi, dst lo, start << 32 | end}, IPv4 {src << 32 | dst, start << 32 | end}:
     *        the masked addresses and the range of
     *        candidates[] holding the group's entries with exactly those prefixes, ascending; 0 marks an empty slot
     *        (a used slot always ends at >= 1). A group with one address pair has one slot and is not hashed;
     *        otherwise it has a power of two of slots, at most half full (linear probing).
     */
    private record FamilyTable(int[] meta, long[] masks, long[] slots, int[] candidates) {}

    private FamilyTable buildTable(int family) {
        // (srcLen, dstLen) -> (address pair -> entry indices in list order). Insertion order of the outer map is the
        // order of each group's first entry, i.e. ascending lowest index.
        Map<Integer, Map<AddressPair, List<Integer>>> groups = new LinkedHashMap<>();
        int members = 0;
        for (int i = 0; i < entries.length; i++) {
            Selector s = entries[i].selector();
            if (s.family() != family) continue;
            AddressPair pair = new AddressPair(s.source().address().hi(), s.source().address().lo(),
                    s.destination().address().hi(), s.destination().address().lo());
            groups.computeIfAbsent(s.source().length() << 8 | s.destination().length(), k -> new LinkedHashMap<>())
                    .computeIfAbsent(pair, k -> new ArrayList<>()).add(i);
            members++;
        }
        if (groups.isEmpty()) return EMPTY;
        int totalSlots = 0;
        for (Map<AddressPair, List<Integer>> g : groups.values()) totalSlots += capacity(g.size());
        boolean packed = family == IpAddress.V4;
        int slotLongs = packed ? SLOT4 : SLOT, maskLongs = packed ? 2 : 4;
        int[] meta = new int[groups.size() * META];
        long[] masks = new long[groups.size() * maskLongs];
        long[] slots = new long[totalSlots * slotLongs];
        int[] candidates = new int[members];
        int g = 0, base = 0, next = 0;
        for (Map.Entry<Integer, Map<AddressPair, List<Integer>>> group : groups.entrySet()) {
            int srcLen = group.getKey() >>> 8, dstLen = group.getKey() & 0xff;
            Map<AddressPair, List<Integer>> byPair = group.getValue();
            int capacity = capacity(byPair.size()), slotMask = capacity - 1;
            int hashShift = 64 - Integer.numberOfTrailingZeros(capacity);
            meta[g * META] = byPair.values().iterator().next().getFirst();
            meta[g * META + 1] = hashShift;
            meta[g * META + 2] = slotMask;
            meta[g * META + 3] = base;
            if (packed) {
                masks[g * 2] = IpPrefix.maskLo(family, srcLen);
                masks[g * 2 + 1] = IpPrefix.maskLo(family, dstLen);
            } else {
                masks[g * 4] = IpPrefix.maskHi(family, srcLen);
                masks[g * 4 + 1] = IpPrefix.maskLo(family, srcLen);
                masks[g * 4 + 2] = IpPrefix.maskHi(family, dstLen);
                masks[g * 4 + 3] = IpPrefix.maskLo(family, dstLen);
            }
            for (Map.Entry<AddressPair, List<Integer>> a : byPair.entrySet()) {
                AddressPair k = a.getKey();
                long key4 = k.sl << 32 | k.dl;
                int slot = slotMask == 0 ? 0 : (int) ((packed ? hash4(key4) : hash(k.sh, k.sl, k.dh, k.dl)) >>> hashShift);
                while (slots[(base + slot) * slotLongs + slotLongs - 1] != 0) slot = (slot + 1) & slotMask;
                int s = (base + slot) * slotLongs, start = next;
                for (int e : a.getValue()) candidates[next++] = e;
                if (packed) {
                    slots[s] = key4;
                } else {
                    slots[s] = k.sh;
                    slots[s + 1] = k.sl;
                    slots[s + 2] = k.dh;
                    slots[s + 3] = k.dl;
                }
                slots[s + slotLongs - 1] = (long) start << 32 | next;
            }
            g++;
            base += capacity;
        }
        return new FamilyTable(meta, masks, slots, candidates);
    }

    /** One slot for a single address pair (no hashing), else a power of two at least twice the number of pairs. */
    private static int capacity(int pairs) { return pairs == 1 ? 1 : Integer.highestOneBit(pairs * 2 - 1) << 1; }

    private record AddressPair(long sh, long sl, long dh, long dl) {}
}
