// Counters shared by a group of SAs that together act as one logical interface: opportunistic encryption's. Every
// OE tunnel's SAs also count here, so traffic from (and to) opportunistic peers shows up as its own interface —
// packets and bytes each way, drops by reason — however many tunnels come and go (removed SAs' counts stay).
// Same threading as the SAs: outbound SAs' data thread writes the out words, inbound SAs' thread the in words and
// inbound drops; anyone reads racily; clear() moves baselines instead of writing the data threads' words.
// The first drop of each reason is logged once, naming the tunnel; later ones are only counted.
package bitw.ipsec.sad;

import bitw.ipsec.DropReason;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import org.tinylog.Logger;

public final class SaGroupCounters {
    private static final DropReason[] REASONS = DropReason.values();
    private static final VarHandle LONGS = MethodHandles.arrayElementVarHandle(long[].class);
    private static final VarHandle BOOLS = MethodHandles.arrayElementVarHandle(boolean[].class);
    /** Words per side: packets, bytes, then padding so the two data threads never share a cache line. */
    private static final int PACKETS = 0, BYTES = 1, SIDE = 16;

    private final String name;
    private final long[] out = new long[SIDE], in = new long[SIDE];
    private final long[] outDrops = new long[REASONS.length + SIDE], inDrops = new long[REASONS.length + SIDE];
    private final boolean[] logged = new boolean[REASONS.length];
    private final long[] base = new long[4];
    private final long[] dropsBase = new long[REASONS.length];

    /** {@code name}: the logical interface's name in logs and status, e.g. "opportunistic". */
    public SaGroupCounters(String name) { this.name = name; }

    public String name() { return name; }

    // ---- data threads (called through SecurityAssociation) ----

    void count(boolean inbound, int bytes) {
        long[] side = inbound ? in : out;
        LONGS.setOpaque(side, PACKETS, (long) LONGS.getOpaque(side, PACKETS) + 1);
        LONGS.setOpaque(side, BYTES, (long) LONGS.getOpaque(side, BYTES) + Math.max(bytes, 0));
    }

    void drop(boolean inbound, DropReason r, SecurityAssociation sa) {
        long[] d = inbound ? inDrops : outDrops;
        int i = r.ordinal();
        LONGS.setOpaque(d, i, (long) LONGS.getOpaque(d, i) + 1);
        if (!(boolean) BOOLS.getOpaque(logged, i)) {
            BOOLS.setOpaque(logged, i, true);
            Logger.warn("{}: dropped a packet of {} ({}): {} ({}); further drops of this kind are counted, not logged",
                    name, sa.params().name(), sa.params().peerAddress(), r, r.description);
        }
    }

    // ---- display (any thread, racy) ----

    public long inPackets() { return (long) LONGS.getOpaque(in, PACKETS) - (long) LONGS.getOpaque(base, 0); }
    public long inBytes() { return (long) LONGS.getOpaque(in, BYTES) - (long) LONGS.getOpaque(base, 1); }
    public long outPackets() { return (long) LONGS.getOpaque(out, PACKETS) - (long) LONGS.getOpaque(base, 2); }
    public long outBytes() { return (long) LONGS.getOpaque(out, BYTES) - (long) LONGS.getOpaque(base, 3); }

    /** Drops of this reason in both directions. */
    public long drops(DropReason r) {
        int i = r.ordinal();
        return rawDrops(i) - (long) LONGS.getOpaque(dropsBase, i);
    }

    public long dropTotal() {
        long t = 0;
        for (DropReason r : REASONS) t += drops(r);
        return t;
    }

    private long rawDrops(int i) { return (long) LONGS.getOpaque(inDrops, i) + (long) LONGS.getOpaque(outDrops, i); }

    /** Resets what readers see to zero (and lets each reason be logged once more); safe while data threads count. */
    public synchronized void clear() {
        LONGS.setOpaque(base, 0, (long) LONGS.getOpaque(in, PACKETS));
        LONGS.setOpaque(base, 1, (long) LONGS.getOpaque(in, BYTES));
        LONGS.setOpaque(base, 2, (long) LONGS.getOpaque(out, PACKETS));
        LONGS.setOpaque(base, 3, (long) LONGS.getOpaque(out, BYTES));
        for (int i = 0; i < REASONS.length; i++) {
            LONGS.setOpaque(dropsBase, i, rawDrops(i));
            BOOLS.setOpaque(logged, i, false);
        }
    }
}
