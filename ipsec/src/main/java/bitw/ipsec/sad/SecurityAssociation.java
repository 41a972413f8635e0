// One unidirectional SA as the data path uses it: parameters, its transform, the sequence counter (outbound) or
// anti-replay window (inbound), counters and lifetime state. Created by manual keying or IKE, installed in the
// SecurityAssociationDatabase, then driven per packet by exactly one data thread.
//
// Threads: the SA's data thread (outbound SAs: the inside->outside thread; inbound: the outside->inside thread)
// is the only writer of the sequence, window, counters and byte lifetime. The control thread writes the time
// lifetime state, the installation bookkeeping and the counter baselines. Anyone may read counters racily for
// display. The two threads meet only in volatile fields (expired, softBytesPending) and opaque counter words.
package bitw.ipsec.sad;

import bitw.ipsec.DropReason;
import bitw.ipsec.crypto.AhTransform;
import bitw.ipsec.crypto.EspTransform;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Objects;

public final class SecurityAssociation {

    private static final DropReason[] DROP_REASONS = DropReason.values();
    private static final VarHandle PACKETS, BYTES, LAST_USED, PACKETS_BASE, BYTES_BASE;
    private static final VarHandle LONGS = MethodHandles.arrayElementVarHandle(long[].class);
    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            PACKETS = l.findVarHandle(SecurityAssociation.class, "packets", long.class);
            BYTES = l.findVarHandle(SecurityAssociation.class, "bytes", long.class);
            LAST_USED = l.findVarHandle(SecurityAssociation.class, "lastUsedNanos", long.class);
            PACKETS_BASE = l.findVarHandle(SecurityAssociation.class, "packetsBase", long.class);
            BYTES_BASE = l.findVarHandle(SecurityAssociation.class, "bytesBase", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** Last sequence number a non-ESN SA may send (RFC 4303 §3.3.3: the counter never wraps). */
    static final long LAST_SEQUENCE_32 = 0xFFFF_FFFFL;
    /** Last one with ESN: 2^64-2, because 2^64-1 is the long -1 that nextSequence() returns for "exhausted". */
    static final long LAST_SEQUENCE_64 = -2L;

    private final SaParameters params;
    private final int spi;
    private final boolean inbound;
    private final EspTransform esp;
    private final AhTransform ah;
    private final AntiReplayWindow replayWindow;
    private final long createdNanos;
    private final long lastSequenceAllowed;
    // Lifetime limits with "unlimited" as Long.MAX_VALUE, so the per-packet test is one comparison each.
    private final long softBytes, hardBytes, softNanos, hardNanos;

    // Data thread only (plain).
    private long lastSequence;
    private boolean softBytesFired;

    // Written by the data thread with opaque stores (never torn, no fences), read racily by anyone.
    @SuppressWarnings("unused") private long packets;
    @SuppressWarnings("unused") private long bytes;
    @SuppressWarnings("unused") private long lastUsedNanos;
    private final long[] drops = new long[DROP_REASONS.length];

    // Written by the control thread: clearCounters() moves baselines instead of zeroing the data thread's
    // counters, so the single-writer rule holds and the byte lifetime is unaffected by a display reset.
    @SuppressWarnings("unused") private long packetsBase;
    @SuppressWarnings("unused") private long bytesBase;
    private final long[] dropsBase = new long[DROP_REASONS.length];

    // Data thread -> control thread: the soft byte limit was crossed; tick() turns it into the listener event.
    private volatile boolean softBytesPending;
    // Either thread sets it, only ever to true: hard limit (time or bytes), sequence exhausted, or removed.
    private volatile boolean expired;

    // Set once before installation (the SAD's publication makes it visible to the data thread); null: no group.
    private SaGroupCounters group;

    // Control thread only.
    private boolean softTimeReported;
    SecurityAssociationDatabase installedIn;
    boolean softDelivered;
    boolean hardDelivered;

    /**
     * @param p         the SA's parameters
     * @param esp       the ESP transform when {@code p.protocol()} is ESP, else null
     * @param ah        the AH transform when {@code p.protocol()} is AH, else null
     * @param nowNanos  creation time on the System.nanoTime() clock; time lifetimes count from here
     */
    public SecurityAssociation(SaParameters p, EspTransform esp, AhTransform ah, long nowNanos) {
        this(p, esp, ah, nowNanos, true);
    }

    /** For tests that need no cryptography: an SA without a transform. */
    SecurityAssociation(SaParameters p, long nowNanos) {
        this(p, null, null, nowNanos, false);
    }

    private SecurityAssociation(SaParameters p, EspTransform esp, AhTransform ah, long nowNanos,
                                boolean requireTransform) {
        Objects.requireNonNull(p, "parameters");
        Objects.requireNonNull(p.direction(), "direction");
        Objects.requireNonNull(p.protocol(), "protocol");
        Objects.requireNonNull(p.name(), "name");
        if (requireTransform && p.protocol() == SaProtocol.ESP && (esp == null || ah != null))
            throw new IllegalArgumentException("ESP SA " + p.name() + " needs an ESP transform and no AH transform");
        if (requireTransform && p.protocol() == SaProtocol.AH && (ah == null || esp != null))
            throw new IllegalArgumentException("AH SA " + p.name() + " needs an AH transform and no ESP transform");
        if (Integer.compareUnsigned(p.spi(), 255) <= 0)
            throw new IllegalArgumentException("SPI " + Integer.toUnsignedString(p.spi()) + " is reserved (0..255)");
        SaParameters.Lifetime lt = p.lifetime() == null ? SaParameters.Lifetime.UNLIMITED : p.lifetime();
        if (lt.softSeconds() < 0 || lt.hardSeconds() < 0 || lt.softBytes() < 0 || lt.hardBytes() < 0)
            throw new IllegalArgumentException("negative lifetime in SA " + p.name());
        this.params = p;
        this.spi = p.spi();
        this.inbound = p.direction() == SaParameters.Direction.INBOUND;
        this.esp = esp;
        this.ah = ah;
        this.replayWindow = inbound ? new AntiReplayWindow(p.replayWindow()) : null;
        this.createdNanos = nowNanos;
        this.lastUsedNanos = nowNanos;
        this.lastSequenceAllowed = p.esn() ? LAST_SEQUENCE_64 : LAST_SEQUENCE_32;
        this.softBytes = unlimitedIfZero(lt.softBytes());
        this.hardBytes = unlimitedIfZero(lt.hardBytes());
        this.softNanos = secondsToNanos(lt.softSeconds());
        this.hardNanos = secondsToNanos(lt.hardSeconds());
    }

    private static long unlimitedIfZero(long v) { return v == 0 ? Long.MAX_VALUE : v; }

    private static long secondsToNanos(long s) {
        return s == 0 || s >= Long.MAX_VALUE / 1_000_000_000L ? Long.MAX_VALUE : s * 1_000_000_000L;
    }

    /** Makes this SA count in {@code g} as well (e.g. the OE logical interface). Call before installing it. */
    public SecurityAssociation countIn(SaGroupCounters g) {
        this.group = g;
        return this;
    }

    /** The group this SA also counts in, or null. */
    public SaGroupCounters group() { return group; }

    public SaParameters params() { return params; }
    public int spi() { return spi; }
    public boolean inbound() { return inbound; }
    public EspTransform esp() { return esp; }
    public AhTransform ah() { return ah; }

    /** The anti-replay window (inbound SAs only; null for outbound). */
    public AntiReplayWindow replayWindow() { return replayWindow; }

    // ---- outbound data thread ----

    /**
     * The sequence number for the next outbound packet: 1, 2, 3, ... Returns -1 instead of wrapping (RFC 4303
     * §3.3.3) once the last one has been handed out (2^32-1 without ESN; 2^64-2 with ESN, since 2^64-1 is -1);
     * the SA then counts as expired and the next tick() reports it hard-expired so a new SA gets negotiated.
     */
    public long nextSequence() {
        long last = lastSequence;
        if (last == lastSequenceAllowed) {
            if (!expired) expired = true;
            return -1;
        }
        lastSequence = last + 1;
        return last + 1;
    }

    /** Test hook: pretend {@code last} was the last sequence number sent. */
    void setLastSequence(long last) { lastSequence = last; }

    // ---- the SA's data thread ----

    /**
     * Counts one packet of {@code bytes} bytes against the counters and the byte lifetime. Returns SOFT_EXPIRED
     * exactly once, on the packet that makes the total reach the soft byte limit; HARD_EXPIRED on the packet that
     * reaches the hard byte limit and on every call once the SA is expired for any reason; OK otherwise.
     * The data thread only sets flags here: tick() on the control thread delivers the listener events.
     */
    public LifetimeState account(int bytes) {
        long total = this.bytes + Math.max(bytes, 0);
        BYTES.setOpaque(this, total);
        PACKETS.setOpaque(this, this.packets + 1);
        LAST_USED.setOpaque(this, System.nanoTime());
        SaGroupCounters g = group;
        if (g != null) g.count(inbound, bytes);
        if (total >= hardBytes) {
            if (!expired) expired = true;
            return LifetimeState.HARD_EXPIRED;
        }
        if (expired) return LifetimeState.HARD_EXPIRED;
        if (total >= softBytes && !softBytesFired) {
            softBytesFired = true;
            softBytesPending = true;
            return LifetimeState.SOFT_EXPIRED;
        }
        return LifetimeState.OK;
    }

    /** True once a hard limit (time, bytes, sequence numbers) was reached or the SA was removed: drop on it. */
    public boolean expired() { return expired; }

    /** Counts a drop attributed to this SA (by the data thread that owns it). */
    public void countDrop(DropReason r) {
        int i = r.ordinal();
        LONGS.setOpaque(drops, i, (long) LONGS.getOpaque(drops, i) + 1);
        SaGroupCounters g = group;
        if (g != null) g.drop(inbound, r, this);
    }

    // ---- control thread ----

    /**
     * Checks the time lifetimes at {@code nowNanos}. Returns SOFT_EXPIRED once, when the soft seconds have passed;
     * HARD_EXPIRED once the hard seconds have passed (and marks the SA expired), and on every call while the SA is
     * expired for any reason; OK otherwise.
     */
    public LifetimeState checkTime(long nowNanos) {
        long age = nowNanos - createdNanos;
        if (age >= hardNanos) {
            if (!expired) expired = true;
            return LifetimeState.HARD_EXPIRED;
        }
        if (expired) return LifetimeState.HARD_EXPIRED;
        if (age >= softNanos && !softTimeReported) {
            softTimeReported = true;
            return LifetimeState.SOFT_EXPIRED;
        }
        return LifetimeState.OK;
    }

    /** Consumes the data thread's "soft byte limit crossed" flag (control thread). */
    boolean takeSoftBytesPending() {
        if (!softBytesPending) return false;
        softBytesPending = false;
        return true;
    }

    void markExpired() { expired = true; }

    /** Resets what packets(), bytes() and drops() show; lifetimes keep counting from the real totals. */
    public void clearCounters() {
        PACKETS_BASE.setOpaque(this, (long) PACKETS.getOpaque(this));
        BYTES_BASE.setOpaque(this, (long) BYTES.getOpaque(this));
        for (int i = 0; i < drops.length; i++) LONGS.setOpaque(dropsBase, i, (long) LONGS.getOpaque(drops, i));
    }

    // ---- display (any thread, racy) ----

    public long drops(DropReason r) {
        int i = r.ordinal();
        return (long) LONGS.getOpaque(drops, i) - (long) LONGS.getOpaque(dropsBase, i);
    }

    public long packets() { return (long) PACKETS.getOpaque(this) - (long) PACKETS_BASE.getOpaque(this); }

    public long bytes() { return (long) BYTES.getOpaque(this) - (long) BYTES_BASE.getOpaque(this); }

    public long createdNanos() { return createdNanos; }

    public long lastUsedNanos() { return (long) LAST_USED.getOpaque(this); }

    @Override
    public String toString() {
        return params.name() + (inbound ? " in " : " out ") + params.protocol() + " spi 0x" + Integer.toHexString(spi);
    }
}
