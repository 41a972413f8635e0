// Packets held while no SA exists for a configured policy: one per SPD entry (later ones are dropped and
// counted), released when the entry's tunnel gets an SA, dropped after a timeout. Each remembers when it last asked
// key management for an SA, so a packet that waits long asks again. Each remembers the policy table
// it was held under: after a table swap (a commit, or an OE host pair coming or going) it is run through the new
// table instead of being lost. OE host pairs hold one packet each because each pair is its own entry
// (bitw.appliance.oe.OpportunisticPolicies); under an opportunistic policy itself (fallback drop, while its
// discovery runs) the queue keeps one packet per (entry, source, destination), the oldest of those giving way when
// the queue is full. Owned by the outbound thread.
package bitw.bridge;

import bitw.ipsec.spd.PolicyEntry;

final class HoldQueue {
    static final int MAX_HELD = 256;
    static final long HOLD_NANOS = 10_000_000_000L;

    private final PolicyEntry[] entries = new PolicyEntry[MAX_HELD];
    private final PolicyTable[] tables = new PolicyTable[MAX_HELD];
    private final boolean[] perPair = new boolean[MAX_HELD];
    private final long[] srcHi = new long[MAX_HELD], srcLo = new long[MAX_HELD], dstHi = new long[MAX_HELD], dstLo = new long[MAX_HELD];
    private final byte[][] frames = new byte[MAX_HELD][];
    private final int[] lengths = new int[MAX_HELD];
    private final long[] since = new long[MAX_HELD], askedAt = new long[MAX_HELD];
    private int count;

    /** False if a packet is already held for this entry or the queue is full. */
    boolean hold(PolicyEntry e, PolicyTable t, byte[] buf, int off, int len, long now) {
        for (int i = 0; i < count; i++) if (entries[i] == e) return false;
        if (count == MAX_HELD) return false;
        perPair[count] = false;
        return put(e, t, buf, off, len, now);
    }

    /** holdPair's answers: held; not held (its pair already has one, or no room); held in place of the oldest per-pair packet. */
    static final int HELD = 0, REFUSED = 1, HELD_EVICTING = 2;

    /**
     * Per host pair: REFUSED if a packet of this entry, source and destination is already held. When the queue is
     * full, the oldest per-pair packet makes room (HELD_EVICTING; one packet dropped either way): a flood towards
     * unknown destinations must not keep the next real host pair's first packet out for the hold time.
     */
    int holdPair(PolicyEntry e, PolicyTable t, long sHi, long sLo, long dHi, long dLo, byte[] buf, int off, int len, long now) {
        for (int i = 0; i < count; i++)
            if (entries[i] == e && (!perPair[i] || srcHi[i] == sHi && srcLo[i] == sLo && dstHi[i] == dHi && dstLo[i] == dLo)) return REFUSED;
        int result = HELD;
        if (count == MAX_HELD) {
            int oldest = -1;
            for (int i = 0; i < count; i++) if (perPair[i] && (oldest < 0 || since[i] - since[oldest] < 0)) oldest = i;
            if (oldest < 0) return REFUSED;   // held for configured policies: those are never pushed out
            remove(oldest);
            result = HELD_EVICTING;
        }
        perPair[count] = true;
        srcHi[count] = sHi; srcLo[count] = sLo; dstHi[count] = dHi; dstLo[count] = dLo;
        put(e, t, buf, off, len, now);
        return result;
    }

    private boolean put(PolicyEntry e, PolicyTable t, byte[] buf, int off, int len, long now) {
        if (count == MAX_HELD) return false;
        if (frames[count] == null || frames[count].length < len) frames[count] = new byte[Math.max(len, 1600)]; // first hold only
        System.arraycopy(buf, off, frames[count], 0, len);
        entries[count] = e;
        tables[count] = t;
        lengths[count] = len;
        since[count] = now;
        askedAt[count] = now;
        count++;
        return true;
    }

    int size() { return count; }

    PolicyEntry entry(int i) { return entries[i]; }

    /** The table frame i was held under. */
    PolicyTable table(int i) { return tables[i]; }

    /** Copies held frame i into buf at off, removes it, returns its length. */
    int take(int i, byte[] buf, int off) {
        int len = lengths[i];
        System.arraycopy(frames[i], 0, buf, off, len);
        remove(i);
        return len;
    }

    boolean expired(int i, long now) { return now - since[i] > HOLD_NANOS; }

    /** When frame i was first held. */
    long since(int i) { return since[i]; }

    /** When held frame i last asked key management for an SA (its hold time when it has not asked again since). */
    long askedAt(int i) { return askedAt[i]; }

    void asked(int i, long now) { askedAt[i] = now; }

    /** Held frame i (its first length(i) bytes, from offset 0); read only, and only until the next change of the queue. */
    byte[] frame(int i) { return frames[i]; }

    int length(int i) { return lengths[i]; }

    void remove(int i) {
        count--;
        byte[] f = frames[i];
        entries[i] = entries[count];
        tables[i] = tables[count];
        perPair[i] = perPair[count];
        srcHi[i] = srcHi[count]; srcLo[i] = srcLo[count]; dstHi[i] = dstHi[count]; dstLo[i] = dstLo[count];
        frames[i] = frames[count];
        lengths[i] = lengths[count];
        since[i] = since[count];
        askedAt[i] = askedAt[count];
        entries[count] = null;
        tables[count] = null;
        frames[count] = f; // keep the buffer for reuse
    }

    void clear() { for (int i = 0; i < count; i++) { entries[i] = null; tables[i] = null; } count = 0; }
}
