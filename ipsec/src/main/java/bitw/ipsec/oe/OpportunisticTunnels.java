// The OE state of every host pair (inner source, destination) the appliance has tried to encrypt for, sans-I/O
// with an injectable clock. Inputs: acquires from the data plane (bitw.bridge.AcquireQueue), DNS lookup results,
// IKE outcomes, traffic and Delete events, and tick() for time. Outputs: Actions the lead wires to the DNS
// shell (Lookup), the IKE engine (Negotiate, SendDelete), the SAD/SPD (Teardown, Fallback) and the log.
//
//   (none) --acquire, token--> PENDING --discovery Found--> (Negotiate) --negotiated--> ESTABLISHED
//   PENDING --NotFound / IKE failed / timeout--> FAILED (fallback drop) or CLEAR (fallback clear), both a
//            negative cache that expires after negativeCacheTime so a dead peer is not re-tried on every packet;
//            Fallback tells the lead to install the decision for the pair, FallbackExpired to take it away again
//   PENDING --evicted by the pending cap--> (none): no decision, the pair's next packet asks again
//   ESTABLISHED --lifespan over, idle in its second half--> DELETING (Delete sent up to 3 times, 10 s apart)
//   ESTABLISHED --lifespan over, busy in its second half--> ESTABLISHED for extendedLifespan, then looked at again
// Lifespans (FreeS/WAN OE design, "Tunnel teardown"): 1 minute first, because most flows last seconds; 20 minutes
// after that; independent of rekeying, which the IKE engine does on its own lifetimes.
// Memory is bounded: each state has a cap and evicts its least recently used entry; new lookups are limited by a
// token bucket so a flood towards unknown destinations costs at most `lookupBurst` lookups at once.
// Not thread-safe: one key-management thread owns it (DNS answers and IKE events are handed to that thread).
package bitw.ipsec.oe;

import bitw.ipsec.packet.IpAddress;
import bitw.ipsec.spd.Fallback;
import java.security.PublicKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

public final class OpportunisticTunnels {

    public record Config(Duration negativeCacheTime, Duration initialLifespan, Duration extendedLifespan,
                         Duration deleteRetryInterval, int deleteAttempts, Duration pendingTimeout,
                         int maxPending, int maxEstablished, int maxNegative, int heldSelectorsPerPair,
                         double lookupsPerSecond, int lookupBurst, OeDiscovery.Policy policy) {
        public static final Config DEFAULTS = new Config(Duration.ofSeconds(60), Duration.ofMinutes(1), Duration.ofMinutes(20),
                Duration.ofSeconds(10), 3, Duration.ofSeconds(60), 1024, 4096, 8192, 8, 50, 100, OeDiscovery.Policy.DEFAULT);

        public Config {
            if (deleteAttempts < 1 || maxPending < 1 || maxEstablished < 1 || maxNegative < 1 || heldSelectorsPerPair < 1
                    || lookupBurst < 1 || !(lookupsPerSecond > 0)) throw new IllegalArgumentException("OE limits must be positive: " + this);
        }

        public Config withLifespans(Duration initial, Duration extended) {
            return new Config(negativeCacheTime, initial, extended, deleteRetryInterval, deleteAttempts, pendingTimeout, maxPending,
                    maxEstablished, maxNegative, heldSelectorsPerPair, lookupsPerSecond, lookupBurst, policy);
        }

        public Config withCaps(int pending, int established, int negative) {
            return new Config(negativeCacheTime, initialLifespan, extendedLifespan, deleteRetryInterval, deleteAttempts, pendingTimeout,
                    pending, established, negative, heldSelectorsPerPair, lookupsPerSecond, lookupBurst, policy);
        }

        public Config withRateLimit(double perSecond, int burst) {
            return new Config(negativeCacheTime, initialLifespan, extendedLifespan, deleteRetryInterval, deleteAttempts, pendingTimeout,
                    maxPending, maxEstablished, maxNegative, heldSelectorsPerPair, perSecond, burst, policy);
        }

        public Config withNegativeCacheTime(Duration d) {
            return new Config(d, initialLifespan, extendedLifespan, deleteRetryInterval, deleteAttempts, pendingTimeout, maxPending,
                    maxEstablished, maxNegative, heldSelectorsPerPair, lookupsPerSecond, lookupBurst, policy);
        }

        public Config withPolicy(OeDiscovery.Policy p) {
            return new Config(negativeCacheTime, initialLifespan, extendedLifespan, deleteRetryInterval, deleteAttempts, pendingTimeout,
                    maxPending, maxEstablished, maxNegative, heldSelectorsPerPair, lookupsPerSecond, lookupBurst, p);
        }
    }

    /** OE keys tunnels per host pair: local is the inner source we protect, remote the destination. */
    public record HostPair(IpAddress local, IpAddress remote) {
        @Override public String toString() { return local + "->" + remote; }
    }

    public enum State { PENDING, ESTABLISHED, DELETING, FAILED, CLEAR }

    /** What the data plane does with the packet that caused an acquire. */
    public enum Disposition {
        /** Keep it (the one held packet of its selector pair) until the tunnel is up or the pair falls back. */
        HOLD,
        /**
         * Drop it: a packet of the same selector pair is already held, the pair failed and its fallback is drop, or
         * no lookup can start now (rate limit: nothing is decided, a later packet asks again).
         */
        DROP,
        /** Forward in the clear: discovery or IKE failed and the fallback is clear (negatively cached). */
        CLEAR,
        /** An SA exists: encrypt (the acquire raced with the SA install). */
        ENCRYPT
    }

    public sealed interface Action {
        HostPair pair();

        record Lookup(HostPair pair, bitw.ipsec.oe.Lookup lookup) implements Action {}
        /** Start IKE with the gateway; authenticate it with one of the keys; expect ID_FQDN gatewayFqdn if not null. */
        record Negotiate(HostPair pair, IpAddress gateway, String gatewayFqdn, List<PublicKey> keys, OeRecord.KeySource source,
                         boolean dnssecValidated) implements Action {}
        /** Send (again) a Delete for the pair's inbound SAs; attempt counts from 1. */
        record SendDelete(HostPair pair, int attempt) implements Action {}
        /** Remove the pair's SAs (and its IKE SA if nothing else uses it). */
        record Teardown(HostPair pair) implements Action {}
        /** The pair has no tunnel for now: pass its packets in the clear or drop them; release held packets so. */
        record Fallback(HostPair pair, bitw.ipsec.spd.Fallback mode) implements Action {}
        /** The pair's Fallback decision ends (negative cache expired, evicted or withdrawn): its next packet asks again. */
        record FallbackExpired(HostPair pair) implements Action {}
        record Log(HostPair pair, String line) implements Action {}
    }

    private static final class Entry {
        final HostPair pair;
        final Fallback fallback;
        State state = State.PENDING;
        OeDiscovery discovery;
        OeDiscovery.Result.Found found;   // what DNS said, kept for status
        long deadline, periodStart, lastTraffic = Long.MIN_VALUE;
        int deleteAttempt;
        final long[] held;
        int heldCount;

        Entry(HostPair pair, Fallback fallback, int heldCap) {
            this.pair = pair;
            this.fallback = fallback == Fallback.CLEAR ? Fallback.CLEAR : Fallback.DROP;
            this.held = new long[heldCap];
        }
    }

    private final Config config;
    private final LongSupplier nanoClock;
    private final LinkedHashMap<HostPair, Entry> pending = new LinkedHashMap<>(16, 0.75f, true);
    /** ESTABLISHED and DELETING: both still hold SAs. */
    private final LinkedHashMap<HostPair, Entry> established = new LinkedHashMap<>(16, 0.75f, true);
    private final LinkedHashMap<HostPair, Entry> negative = new LinkedHashMap<>(16, 0.75f, true);
    private final List<Action> actions = new ArrayList<>();
    private double tokens;
    private long tokensAt;
    /** Failure lines per second; a flood of dead destinations is summarized by tick() instead of logged line by line. */
    static final int FAILURE_LOGS_PER_SECOND = 20;
    private long failureLogSecond;
    private int failureLogsThisSecond;
    private long failureLogsSuppressed;
    private long rateLimited, rateLimitedLogged, evictions;

    public OpportunisticTunnels(Config config, LongSupplier nanoClock) {
        this.config = config;
        this.nanoClock = nanoClock;
        this.tokens = config.lookupBurst();
        this.tokensAt = nanoClock.getAsLong();
    }

    // ---- inputs ----

    /** The data plane found no SA for a packet of an opportunistic policy with fallback {@code fallback}. */
    public Disposition acquire(IpAddress source, IpAddress destination, int protocol, int sourcePort, int destinationPort, Fallback fallback) {
        long now = nanoClock.getAsLong();
        HostPair pair = new HostPair(source, destination);
        Entry e = established.get(pair);
        if (e != null) return Disposition.ENCRYPT;
        e = negative.get(pair);
        if (e != null) {
            if (now - e.deadline < 0) return fallbackDisposition(e.fallback);
            negative.remove(pair); // expired: try again
            emit(new Action.FallbackExpired(pair));
        }
        e = pending.get(pair);
        if (e != null) return hold(e, protocol, sourcePort, destinationPort);
        if (!takeToken(now)) {
            rateLimited++;
            return Disposition.DROP;   // undecided: no cleartext for a pair whose peer may well support OE
        }
        if (pending.size() >= config.maxPending()) {
            // Abandoned, not failed: nothing is known about that peer, so no fallback decision (no cleartext);
            // whatever its attempt set up goes, and its next packet asks again.
            Entry old = evictEldest(pending);
            emit(new Action.Teardown(old.pair));
            emit(new Action.Log(old.pair, "OE " + old.pair + ": lookup abandoned, " + config.maxPending() + " pending lookups (cap)"));
        }
        e = new Entry(pair, fallback, config.heldSelectorsPerPair());
        e.deadline = now + config.pendingTimeout().toNanos();
        e.discovery = OeDiscovery.forDestination(destination, config.policy());
        pending.put(pair, e);
        for (Lookup l : e.discovery.start()) emit(new Action.Lookup(pair, l));
        return hold(e, protocol, sourcePort, destinationPort);
    }

    /** A lookup this pair asked for was answered. Late answers for pairs no longer pending are ignored. */
    public void lookupResult(HostPair pair, Lookup lookup, LookupResult result) {
        Entry e = pending.get(pair);
        if (e == null || e.discovery == null) return;
        for (Lookup l : e.discovery.accept(lookup, result)) emit(new Action.Lookup(pair, l));
        if (!e.discovery.isDone()) return;
        switch (e.discovery.result()) {
            case OeDiscovery.Result.Found f -> {
                e.discovery = null; // IKE's turn; the pending deadline still bounds it
                e.found = f;
                emit(new Action.Negotiate(pair, f.gateway(), f.gatewayFqdn(), f.keys(), f.source(), f.dnssecValidated()));
            }
            case OeDiscovery.Result.NotFound nf -> fail(e, "DNS " + nf.reason() + (nf.detail().isEmpty() ? "" : ": " + nf.detail()));
        }
    }

    /** IKE established the pair's child SAs: the tunnel's first (short) lifespan starts. */
    public void negotiated(HostPair pair) {
        Entry e = pending.remove(pair);
        if (e == null) return;
        long now = nanoClock.getAsLong();
        if (established.size() >= config.maxEstablished()) {
            // Under pressure there is no time for retried Deletes: one Delete, then the SAs go.
            Entry old = evictEldest(established);
            emit(new Action.SendDelete(old.pair, 1));
            emit(new Action.Teardown(old.pair));
            emit(new Action.Log(old.pair, "OE " + old.pair + ": torn down, " + config.maxEstablished() + " tunnels (cap)"));
        }
        e.state = State.ESTABLISHED;
        e.heldCount = 0;
        e.periodStart = now;
        e.deadline = now + config.initialLifespan().toNanos();
        established.put(pair, e);
    }

    /** IKE gave up (no answer, authentication failed, proposal refused). */
    public void negotiationFailed(HostPair pair, String reason) {
        Entry e = pending.get(pair);
        if (e != null) fail(e, "IKE " + reason);
    }

    /** The pair's SAs carried traffic (the lead reports SA counter changes, at most once per poll). */
    public void trafficSeen(HostPair pair) {
        Entry e = established.get(pair);
        if (e != null) e.lastTraffic = nanoClock.getAsLong();
    }

    /** The peer deleted the pair's SAs. Crossed with our own Delete, or for a tunnel already gone: no message. */
    public void deleteReceived(HostPair pair) {
        Entry e = established.remove(pair);
        if (e == null) return;
        emit(new Action.Teardown(pair));
        emit(new Action.Log(pair, "OE " + pair + ": peer deleted the tunnel" + (e.state == State.DELETING ? " (Deletes crossed)" : "")));
    }

    /** The peer answered our Delete. */
    public void deleteAcknowledged(HostPair pair) {
        Entry e = established.get(pair);
        if (e == null || e.state != State.DELETING) return;
        established.remove(pair);
        emit(new Action.Teardown(pair));
    }

    /**
     * The configuration no longer puts this pair under an opportunistic policy (a commit changed the policies):
     * its tunnel or attempt goes at once (Teardown: the IKE side deletes it), and no negative entry remains.
     */
    public void withdraw(HostPair pair, String why) {
        if (negative.remove(pair) != null) emit(new Action.FallbackExpired(pair));
        Entry e = established.remove(pair);
        if (e == null) e = pending.remove(pair);
        if (e == null) return;
        emit(new Action.Teardown(pair));
        emit(new Action.Log(pair, "OE " + pair + ": " + why + "; tunnel removed"));
    }

    /** Host pairs with a pending attempt or a tunnel (for re-checking them against a new configuration). */
    public List<HostPair> activePairs() {
        List<HostPair> out = new ArrayList<>(pending.keySet());
        out.addAll(established.keySet());
        return out;
    }

    /** Advances timers: pending timeouts, lifespan checks, Delete retries, negative-cache expiry. Call ~1/s. */
    public void tick() {
        long now = nanoClock.getAsLong();
        for (Entry e : new ArrayList<>(pending.values())) {
            if (now - e.deadline >= 0) fail(e, e.discovery != null ? "DNS lookups timed out" : "IKE negotiation timed out");
        }
        for (Entry e : new ArrayList<>(established.values())) {
            if (now - e.deadline < 0) continue;
            if (e.state == State.ESTABLISHED) {
                long half = e.periodStart + (e.deadline - e.periodStart) / 2;
                if (e.lastTraffic != Long.MIN_VALUE && e.lastTraffic - half >= 0) {
                    e.periodStart = now;
                    e.deadline = now + config.extendedLifespan().toNanos();
                } else {
                    e.state = State.DELETING;
                    e.deleteAttempt = 1;
                    e.deadline = now + config.deleteRetryInterval().toNanos();
                    emit(new Action.SendDelete(e.pair, 1));
                    emit(new Action.Log(e.pair, "OE " + e.pair + ": idle, deleting"));
                }
            } else if (e.deleteAttempt < config.deleteAttempts()) {
                e.deleteAttempt++;
                e.deadline = now + config.deleteRetryInterval().toNanos();
                emit(new Action.SendDelete(e.pair, e.deleteAttempt));
            } else {
                established.remove(e.pair);
                emit(new Action.Teardown(e.pair));
                emit(new Action.Log(e.pair, "OE " + e.pair + ": peer did not answer " + e.deleteAttempt + " Deletes; SAs removed"));
            }
        }
        for (Iterator<Entry> it = negative.values().iterator(); it.hasNext(); ) {
            Entry e = it.next();
            if (now - e.deadline < 0) continue;
            it.remove();
            emit(new Action.FallbackExpired(e.pair));
        }
        if (failureLogsSuppressed > 0) {
            emit(new Action.Log(null, "OE: " + failureLogsSuppressed + " more host pairs fell back (not logged one by one: "
                    + FAILURE_LOGS_PER_SECOND + " lines/s)"));
            failureLogsSuppressed = 0;
        }
        if (rateLimited != rateLimitedLogged) {
            emit(new Action.Log(null, "OE: " + (rateLimited - rateLimitedLogged) + " new destinations fell back: lookup rate limit "
                    + config.lookupsPerSecond() + "/s"));
            rateLimitedLogged = rateLimited;
        }
    }

    // ---- outputs and queries ----

    /** The actions produced since the last call, oldest first. Drain after every input so the list stays short. */
    public List<Action> drainActions() {
        List<Action> out = List.copyOf(actions);
        actions.clear();
        return out;
    }

    /** The pair's state, or null if none is kept. An expired negative entry still shows until tick() or acquire(). */
    public State state(HostPair pair) {
        Entry e = established.get(pair);
        if (e == null) e = pending.get(pair);
        if (e == null) e = negative.get(pair);
        return e == null ? null : e.state;
    }

    /** An established opportunistic tunnel as the console shows it. */
    public record TunnelView(HostPair pair, State state, IpAddress gateway, String gatewayFqdn, OeRecord.KeySource source,
                             boolean dnssecValidated, java.time.Duration lifespanLeft) {}

    /** Established (and deleting) tunnels: peer gateway, where its key came from, DNSSEC, lifespan left. */
    public List<TunnelView> tunnels() {
        long now = nanoClock.getAsLong();
        List<TunnelView> out = new ArrayList<>();
        for (Entry e : established.values()) {
            OeDiscovery.Result.Found f = e.found;
            out.add(new TunnelView(e.pair, e.state, f == null ? null : f.gateway(), f == null ? null : f.gatewayFqdn(),
                    f == null ? null : f.source(), f != null && f.dnssecValidated(), java.time.Duration.ofNanos(Math.max(0, e.deadline - now))));
        }
        return out;
    }

    public int pendingCount() { return pending.size(); }
    public int establishedCount() { return established.size(); }
    public int negativeCount() { return negative.size(); }
    /** Acquires of new pairs refused by the lookup rate limit. */
    public long rateLimitedCount() { return rateLimited; }
    /** Entries evicted by a cap. */
    public long evictionCount() { return evictions; }

    // ---- plumbing ----

    private Disposition hold(Entry e, int protocol, int sourcePort, int destinationPort) {
        long selector = ((long) (protocol & 0xff) << 32) | ((long) (sourcePort & 0xffff) << 16) | (destinationPort & 0xffff);
        for (int i = 0; i < e.heldCount; i++) if (e.held[i] == selector) return Disposition.DROP;
        if (e.heldCount == e.held.length) return Disposition.DROP;
        e.held[e.heldCount++] = selector;
        return Disposition.HOLD;
    }

    private void fail(Entry e, String why) {
        pending.remove(e.pair);
        e.discovery = null;
        e.heldCount = 0;
        e.state = e.fallback == Fallback.CLEAR ? State.CLEAR : State.FAILED;
        e.deadline = nanoClock.getAsLong() + config.negativeCacheTime().toNanos();
        if (negative.size() >= config.maxNegative()) emit(new Action.FallbackExpired(evictEldest(negative).pair));
        negative.put(e.pair, e);
        emit(new Action.Fallback(e.pair, e.fallback));
        long second = nanoClock.getAsLong() / 1_000_000_000L;
        if (second != failureLogSecond) { failureLogSecond = second; failureLogsThisSecond = 0; }
        if (++failureLogsThisSecond > FAILURE_LOGS_PER_SECOND) { failureLogsSuppressed++; return; }
        // DNSSEC failure reasons quote whole RRsets: the log line keeps their start.
        if (why.length() > 300) why = why.substring(0, 297) + "...";
        emit(new Action.Log(e.pair, "OE " + e.pair + ": " + why + "; " + (e.fallback == Fallback.CLEAR ? "clear" : "drop")
                + " for " + config.negativeCacheTime().toSeconds() + " s"));
    }

    private Entry evictEldest(LinkedHashMap<HostPair, Entry> map) {
        Iterator<Map.Entry<HostPair, Entry>> it = map.entrySet().iterator();
        Entry old = it.next().getValue();
        it.remove();
        evictions++;
        return old;
    }

    private static Disposition fallbackDisposition(Fallback f) {
        return f == Fallback.CLEAR ? Disposition.CLEAR : Disposition.DROP;
    }

    private boolean takeToken(long now) {
        tokens = Math.min(config.lookupBurst(), tokens + (now - tokensAt) * config.lookupsPerSecond() / 1e9);
        tokensAt = now;
        if (tokens < 1) return false;
        tokens -= 1;
        return true;
    }

    private void emit(Action a) {
        actions.add(a);
    }
}
