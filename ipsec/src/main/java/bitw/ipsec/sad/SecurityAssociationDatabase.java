// The SAD (RFC 4301 §4.4.2): where the data path finds SAs. Inbound packets look up (SPI, protocol); outbound
// packets reach their SA through the tunnel's OutboundSlot that the SPD entry names.
//
// Threads and publication:
//  - install(), remove(), tick() and outboundSlot() run on the one control thread (manual keying now, IKEv2 later).
//  - inbound() runs on the inbound data thread, lock-free and allocation-free: it reads one immutable
//    open-addressing table (primitive long keys, linear probing) through a volatile field. The control thread
//    never changes a published table; it builds a new one and publishes it with one volatile write, so a reader
//    sees either the old or the new table, each complete.
//  - OutboundSlot.current() is one volatile read on the outbound data thread. Rekeying is make-before-break:
//    install the new outbound SA (it becomes current at once), then remove the old one when IKE deletes it.
//  - Byte-based lifetime events: SecurityAssociation.account() on a data thread only flips flags (a volatile
//    "soft bytes crossed" flag, the volatile "expired" flag). tick() on the control thread collects them with the
//    time lifetimes and calls the listener, so listener code never runs on a data thread. Latency: one tick; the
//    data path stops using a hard-expired SA at once because it checks expired() per packet.
package bitw.ipsec.sad;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

public final class SecurityAssociationDatabase {

    private final SaEventListener listener;
    private volatile InboundTable inboundTable = InboundTable.build(List.of());
    private volatile List<SecurityAssociation> allSnapshot = List.of();
    private final ConcurrentHashMap<String, OutboundSlot> slots = new ConcurrentHashMap<>();
    // Control thread only.
    private final ArrayList<SecurityAssociation> inboundSas = new ArrayList<>();
    private final ArrayList<SecurityAssociation> allSas = new ArrayList<>();

    public SecurityAssociationDatabase(SaEventListener listener) {
        this.listener = Objects.requireNonNull(listener, "listener");
    }

    /**
     * Installs {@code sa} (control thread). Inbound SAs become findable by (SPI, protocol); a second inbound SA
     * with the same pair is refused with IllegalStateException. An outbound SA becomes the current SA of the
     * slot named {@code params().name()}; the slot's previous SA stays installed (and ticked) until removed.
     */
    public void install(SecurityAssociation sa) {
        Objects.requireNonNull(sa, "sa");
        if (sa.installedIn != null) throw new IllegalStateException(sa + " is already installed");
        if (sa.expired()) throw new IllegalStateException(sa + " is expired or was removed");
        if (sa.inbound()) {
            int protocol = sa.params().protocol().ipProtocol;
            if (inbound(sa.spi(), protocol) != null)
                throw new IllegalStateException("an inbound " + sa.params().protocol() + " SA with SPI 0x"
                        + Integer.toHexString(sa.spi()) + " is already installed");
            inboundSas.add(sa);
            inboundTable = InboundTable.build(inboundSas);
        } else {
            OutboundSlot slot = outboundSlot(sa.params().name());
            slot.installed.add(sa);
            slot.current = sa;
        }
        sa.installedIn = this;
        allSas.add(sa);
        allSnapshot = List.copyOf(allSas);
    }

    /**
     * Removes {@code sa} (control thread) and marks it expired, so a data thread still holding it drops instead
     * of using it. If it was its slot's current outbound SA, the slot falls back to the most recently installed
     * remaining SA of that tunnel that is not expired, or to none. Removing an SA that is not installed only marks it.
     */
    public void remove(SecurityAssociation sa) {
        sa.markExpired();
        if (sa.installedIn != this) return;
        sa.installedIn = null;
        if (sa.inbound()) {
            inboundSas.remove(sa);
            inboundTable = InboundTable.build(inboundSas);
        } else {
            OutboundSlot slot = slots.get(sa.params().name());
            slot.installed.remove(sa);
            if (slot.current == sa) slot.current = slot.newestUsable();
        }
        allSas.remove(sa);
        allSnapshot = List.copyOf(allSas);
    }

    /** The inbound SA for an SPI and IP protocol (50 ESP, 51 AH), or null. Data thread; lock- and allocation-free. */
    public SecurityAssociation inbound(int spi, int protocol) {
        InboundTable t = inboundTable;
        long key = InboundTable.key(spi, protocol);
        long[] keys = t.keys;
        int mask = keys.length - 1;
        for (int i = InboundTable.hash(spi, protocol) & mask; ; i = (i + 1) & mask) {
            long k = keys[i];
            if (k == key) return t.sas[i];
            if (k == 0) return null;
        }
    }

    /** The slot of a tunnel, created empty on first ask; the same object for the database's life. */
    public OutboundSlot outboundSlot(String tunnel) {
        return slots.computeIfAbsent(Objects.requireNonNull(tunnel, "tunnel"), OutboundSlot::new);
    }

    /** Every installed SA, inbound and outbound, in installation order: an immutable snapshot, safe from any thread. */
    public List<SecurityAssociation> all() { return allSnapshot; }

    /**
     * The control thread's periodic check. For each installed SA: time lifetimes via checkTime(), plus the flags
     * the data threads left (soft byte limit crossed; expired by bytes or sequence exhaustion). Soft -> one
     * listener.softExpired per SA, whatever the cause; hard -> remove(), then one listener.hardExpired per SA.
     * The listener may install and remove SAs from inside these calls.
     */
    public void tick(long nowNanos) {
        List<SecurityAssociation> snapshot = allSnapshot;
        for (int i = 0; i < snapshot.size(); i++) {
            SecurityAssociation sa = snapshot.get(i);
            if (sa.installedIn != this) continue;      // a listener removed it earlier in this tick
            LifetimeState time = sa.checkTime(nowNanos);
            if (time == LifetimeState.HARD_EXPIRED) {
                remove(sa);
                if (!sa.hardDelivered) {
                    sa.hardDelivered = true;
                    listener.hardExpired(sa);
                }
                continue;
            }
            boolean soft = sa.takeSoftBytesPending() | time == LifetimeState.SOFT_EXPIRED;
            if (soft && !sa.softDelivered) {
                sa.softDelivered = true;
                listener.softExpired(sa);
            }
        }
    }

    /**
     * Where the outbound data thread finds a tunnel's SA. The SPD entry keeps a reference to its slot, so a rekey
     * changes one volatile field instead of the SPD.
     */
    public static final class OutboundSlot {
        private final String tunnel;
        private volatile SecurityAssociation current;
        // Control thread only: this tunnel's installed outbound SAs, oldest first.
        private final ArrayList<SecurityAssociation> installed = new ArrayList<>(2);

        private OutboundSlot(String tunnel) { this.tunnel = tunnel; }

        public String tunnel() { return tunnel; }

        /** The SA new packets use (volatile read), or null when the tunnel has none. */
        public SecurityAssociation current() { return current; }

        private SecurityAssociation newestUsable() {
            for (int i = installed.size() - 1; i >= 0; i--) {
                SecurityAssociation sa = installed.get(i);
                if (!sa.expired()) return sa;
            }
            return null;
        }

        @Override public String toString() { return "slot " + tunnel + " -> " + current; }
    }

    /**
     * An immutable open-addressing hash table from (SPI, protocol) to inbound SA. Keys are packed into one long
     * (protocol in the high half, SPI unsigned in the low half), never 0 for a stored SA, so 0 marks an empty
     * slot. At most half full, so every probe sequence ends at an empty slot.
     */
    static final class InboundTable {
        final long[] keys;
        final SecurityAssociation[] sas;

        private InboundTable(int capacity) {
            keys = new long[capacity];
            sas = new SecurityAssociation[capacity];
        }

        static long key(int spi, int protocol) { return ((long) protocol << 32) | (spi & 0xFFFF_FFFFL); }

        /** Spreads SPIs that differ only in high bits (or step by powers of two) across the table. */
        static int hash(int spi, int protocol) {
            int h = spi ^ (protocol * 0x9E3779B9);
            h ^= h >>> 16;
            h *= 0x85EBCA6B;
            h ^= h >>> 13;
            h *= 0xC2B2AE35;
            h ^= h >>> 16;
            return h;
        }

        static InboundTable build(List<SecurityAssociation> entries) {
            int capacity = 16;
            while (capacity < entries.size() * 2) capacity <<= 1;
            InboundTable t = new InboundTable(capacity);
            int mask = capacity - 1;
            for (int n = 0; n < entries.size(); n++) {
                SecurityAssociation sa = entries.get(n);
                int protocol = sa.params().protocol().ipProtocol;
                int i = hash(sa.spi(), protocol) & mask;
                while (t.keys[i] != 0) i = (i + 1) & mask;
                t.keys[i] = key(sa.spi(), protocol);
                t.sas[i] = sa;
            }
            return t;
        }
    }
}
