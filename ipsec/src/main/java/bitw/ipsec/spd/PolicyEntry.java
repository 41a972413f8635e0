// One SPD entry: name, selector, action, what to do without an SA, the tunnel it binds to, and its
// per-entry traffic counters. The data path finds it with SecurityPolicyDatabase.lookup and then counts on it.
package bitw.ipsec.spd;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

public final class PolicyEntry {
    private final String name;
    private final Selector selector;
    private final PolicyAction action;
    private final Fallback fallback;
    private final String tunnel;
    private int index = -1;
    public final Counters counters;

    /**
     * CONFIGURED needs a tunnel and fallback HOLD or DROP (never CLEAR); OPPORTUNISTIC needs fallback CLEAR or DROP,
     * tunnel optional; DENY and PERMIT take neither a tunnel nor a fallback (both must be null).
     */
    public PolicyEntry(String name, Selector selector, PolicyAction action, Fallback fallback, String tunnel) {
        this(name, selector, action, fallback, tunnel, new Counters());
    }

    private PolicyEntry(String name, Selector selector, PolicyAction action, Fallback fallback, String tunnel, Counters counters) {
        if (name == null || name.isBlank()) throw new IllegalArgumentException("policy needs a name");
        if (selector == null) throw new IllegalArgumentException("policy '" + name + "' needs a selector");
        if (action == null) throw new IllegalArgumentException("policy '" + name + "' needs an action");
        if (tunnel != null && tunnel.isBlank()) throw new IllegalArgumentException("policy '" + name + "': tunnel name is blank");
        switch (action) {
            case DENY, PERMIT -> {
                if (tunnel != null) throw new IllegalArgumentException("policy '" + name + "': " + action + " takes no tunnel");
                if (fallback != null) throw new IllegalArgumentException("policy '" + name + "': " + action + " takes no fallback");
            }
            case OPPORTUNISTIC -> {
                if (fallback != Fallback.CLEAR && fallback != Fallback.DROP)
                    throw new IllegalArgumentException("policy '" + name + "': OPPORTUNISTIC needs fallback CLEAR or DROP, not " + fallback);
            }
            case CONFIGURED -> {
                if (tunnel == null) throw new IllegalArgumentException("policy '" + name + "': CONFIGURED needs a tunnel");
                if (fallback != Fallback.HOLD && fallback != Fallback.DROP)
                    throw new IllegalArgumentException("policy '" + name + "': CONFIGURED needs fallback HOLD or DROP, not " + fallback);
            }
        }
        this.name = name;
        this.selector = selector;
        this.action = action;
        this.fallback = fallback;
        this.tunnel = tunnel;
        this.counters = counters;
    }

    /**
     * The same rule as a fresh entry for a new SPD, sharing this entry's counters, so a table swap that keeps the
     * rule (a commit that did not change it, an OE host pair coming or going) does not restart its counts. Both
     * entries' counters have the same writer threads (one per direction), so sharing keeps the single-writer rule.
     */
    public PolicyEntry continued() {
        return new PolicyEntry(name, selector, action, fallback, tunnel, counters);
    }

    /** Same name, selector, action, fallback and tunnel. */
    public boolean sameRule(PolicyEntry o) {
        return name.equals(o.name) && selector.equals(o.selector) && action == o.action && fallback == o.fallback
                && java.util.Objects.equals(tunnel, o.tunnel);
    }

    public String name() { return name; }
    public Selector selector() { return selector; }
    public PolicyAction action() { return action; }
    /** Null for DENY and PERMIT. */
    public Fallback fallback() { return fallback; }
    /** Null when the entry binds to no tunnel. */
    public String tunnel() { return tunnel; }

    /** Position in its SPD (0-based); -1 until a SecurityPolicyDatabase takes the entry. */
    public int index() { return index; }

    /** Called once by the SecurityPolicyDatabase constructor; an entry belongs to exactly one SPD. */
    void assignIndex(int position) {
        if (index != -1) throw new IllegalArgumentException("policy '" + name + "' already belongs to an SPD (at " + index + "); build new entries for a new SPD");
        index = position;
    }

    @Override public String toString() {
        return name + ": " + selector + " " + action + (fallback == null ? "" : " fallback " + fallback) + (tunnel == null ? "" : " tunnel " + tunnel);
    }

    // Outbound and inbound fields are written by different threads; the padding class between them keeps them on
    // different cache lines (HotSpot lays out superclass fields first) so the two data threads do not false-share.
    abstract static class OutboundSide {
        long outPackets, outBytes, outDrops;
    }

    abstract static class SidePadding extends OutboundSide {
        long p01, p02, p03, p04, p05, p06, p07, p08, p09, p10, p11, p12, p13, p14, p15, p16;
    }

    abstract static class InboundSide extends SidePadding {
        long inPackets, inBytes, inDrops;
    }

    /**
     * Per-entry counters. Each direction has exactly one writer thread; other threads read racily for display.
     * Writes are opaque so a reader never sees a torn long. clear() does not touch the writers' fields: it records a
     * baseline that readers subtract, so a management thread can clear without racing the data threads.
     */
    public static final class Counters extends InboundSide {
        private static final VarHandle OUT_PACKETS, OUT_BYTES, OUT_DROPS, IN_PACKETS, IN_BYTES, IN_DROPS;
        static {
            try {
                MethodHandles.Lookup l = MethodHandles.lookup();
                OUT_PACKETS = l.findVarHandle(OutboundSide.class, "outPackets", long.class);
                OUT_BYTES = l.findVarHandle(OutboundSide.class, "outBytes", long.class);
                OUT_DROPS = l.findVarHandle(OutboundSide.class, "outDrops", long.class);
                IN_PACKETS = l.findVarHandle(InboundSide.class, "inPackets", long.class);
                IN_BYTES = l.findVarHandle(InboundSide.class, "inBytes", long.class);
                IN_DROPS = l.findVarHandle(InboundSide.class, "inDrops", long.class);
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
        }

        // Baselines, written only by clear() (management thread); volatile so a clear is seen by later reads.
        private volatile long baseOutPackets, baseOutBytes, baseInPackets, baseInBytes, baseDrops;
        @SuppressWarnings("unused") private long q01, q02, q03, q04, q05, q06, q07, q08;

        Counters() {}

        /** Outbound data thread only. */
        public void countOutbound(int bytes) {
            OUT_PACKETS.setOpaque(this, outPackets + 1);
            OUT_BYTES.setOpaque(this, outBytes + bytes);
        }

        /** Inbound data thread only. */
        public void countInbound(int bytes) {
            IN_PACKETS.setOpaque(this, inPackets + 1);
            IN_BYTES.setOpaque(this, inBytes + bytes);
        }

        /** Outbound data thread only. */
        public void countDrop() { OUT_DROPS.setOpaque(this, outDrops + 1); }

        /** Inbound data thread only. */
        public void countInboundDrop() { IN_DROPS.setOpaque(this, inDrops + 1); }

        public long outboundPackets() { return (long) OUT_PACKETS.getOpaque(this) - baseOutPackets; }
        public long outboundBytes() { return (long) OUT_BYTES.getOpaque(this) - baseOutBytes; }
        public long inboundPackets() { return (long) IN_PACKETS.getOpaque(this) - baseInPackets; }
        public long inboundBytes() { return (long) IN_BYTES.getOpaque(this) - baseInBytes; }
        /** Drops in both directions. */
        public long drops() { return rawDrops() - baseDrops; }

        private long rawDrops() { return (long) OUT_DROPS.getOpaque(this) + (long) IN_DROPS.getOpaque(this); }

        /** Resets what the readers see to zero; safe to call from any one thread while the data threads count. */
        public synchronized void clear() {
            baseOutPackets = (long) OUT_PACKETS.getOpaque(this);
            baseOutBytes = (long) OUT_BYTES.getOpaque(this);
            baseInPackets = (long) IN_PACKETS.getOpaque(this);
            baseInBytes = (long) IN_BYTES.getOpaque(this);
            baseDrops = rawDrops();
        }
    }
}
