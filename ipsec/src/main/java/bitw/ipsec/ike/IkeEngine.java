// The IKEv2 engine (RFC 7296), sans I/O: datagrams and timer ticks in; datagrams, Child SA installs/removals and
// events out through IkeOutput. It owns the IKE SAs (routed by our SPI), the half-open responder state (bounded,
// with cookies above a threshold, §2.6), the Child SA SPI space, and the timers that drive rekeys, DPD and expiry.
// Timers: every IKE SA sits in a set ordered by when tick() next has something to do for it (dueAt), so a tick
// costs what is due, not the number of SAs; whatever may move an SA's timers marks it (touch), and each public call
// reschedules the marked SAs before it returns.
// The exchanges themselves are composed from tasks inside IkeSa. Not thread-safe: the shell calls it from one
// thread. Bad input never throws: it is counted per reason (dropCounters) and logged rarely.
package bitw.ipsec.ike;

import bitw.ipsec.ike.crypto.CookieGenerator;
import bitw.ipsec.ike.message.ExchangeType;
import bitw.ipsec.ike.message.IkeHeader;
import bitw.ipsec.ike.message.IkeMessage;
import bitw.ipsec.ike.message.IkeMessageCodec;
import bitw.ipsec.ike.message.IkeParseException;
import bitw.ipsec.ike.message.NoncePayload;
import bitw.ipsec.ike.message.NotifyPayload;
import bitw.ipsec.ike.message.Payload;
import bitw.ipsec.packet.IpAddress;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.random.RandomGenerator;
import org.tinylog.Logger;

public final class IkeEngine {
    private static final long SECOND = 1_000_000_000L;

    final IkeOutput out;
    final RandomGenerator rng;
    /** The time of the call being handled (tasks read it instead of taking it as a parameter everywhere). */
    long now;

    // Tunables (package-private so tests can shrink them; defaults follow strongSwan's magnitudes).
    long retransmitBase = 2 * SECOND;
    int retransmitTries = 5;
    int fragmentSize = 1280;
    int cookieThreshold = 32;
    int maxHalfOpen = 512;
    long halfOpenTimeout = 30 * SECOND;
    long cookieRotation = 120 * SECOND;
    long startRetry = 30 * SECOND;
    /** Back-off after failed negotiations: the first automatic retry after retryBase, doubling up to retryMax. */
    long retryBase = 5 * SECOND, retryMax = 300 * SECOND;
    private long seq;

    private final Map<String, IkeConnection> connections = new LinkedHashMap<>();
    private final Map<Long, IkeSa> byLocalSpi = new HashMap<>();
    private final Map<HalfOpenKey, IkeSa> halfOpen = new HashMap<>();
    /** Every responder SA made by IKE_SA_INIT (half-open or not), by the initiator's SPI and address. */
    private final Map<HalfOpenKey, IkeSa> responders = new HashMap<>();
    /** Established IKE SAs by peer identity: INITIAL_CONTACT looks here instead of scanning every SA, which made each
     *  set-up O(number of SAs) (see docs/BENCHMARKS.md, IKE section). */
    private final Map<Identity, List<IkeSa>> byRemoteIdentity = new HashMap<>();
    /** Our inbound Child SA SPIs: allocated ones map to null until their Child SA exists, then to its IKE SA. */
    private final Map<Integer, IkeSa> childSpis = new HashMap<>();
    /** Live IKE SAs per connection name, oldest first (findSa, hasOtherIkeSa, resolveDuplicates look only here). */
    private final Map<String, Set<IkeSa>> byConnection = new HashMap<>();
    /** IKE SAs with a timer, by dueAt (then creation order); SAs whose timers may have moved, to reschedule. */
    private final TreeSet<IkeSa> timers = new TreeSet<>(Comparator.comparingLong((IkeSa s) -> s.dueAt).thenComparingLong(s -> s.createdSeq));
    private final List<IkeSa> retime = new ArrayList<>();
    private int depth;
    /** Test hook: tick every SA in timer order, due or not (a tick of one that is not due must change nothing). */
    boolean tickEverySa;
    /** Connections whose peer died with DpdAction.HOLD: the next acquire re-initiates. */
    private final Set<String> held = new HashSet<>();
    private final Map<Integer, Long> invalidSpiReported = new HashMap<>();
    private final Map<String, Long> lastStartAttempt = new HashMap<>();
    /** Connections whose last negotiation failed: how often in a row, and when an automatic attempt may come again. */
    private record Backoff(int failures, long notBefore) {}
    private final Map<String, Backoff> backoff = new HashMap<>();
    /** Automatic attempts (acquires, start-up retries) refused during a back-off, for status pages and tests. */
    long attemptsDeferred;
    private final CookieGenerator cookies = new CookieGenerator(new SecureRandom());
    private long cookieRotatedAt;
    private final Map<String, Long> drops = new TreeMap<>();
    private long logTokens = 20, logRefilledAt;
    private long eventTokens = 20, eventRefilledAt;
    /** Log lines written for dropped input (tests check the rate limit). */
    long logLines;

    record HalfOpenKey(long spiI, Endpoint remote) {}

    /** Opportunistic encryption as responder: the template connections' names (one per own address family) and who decides (null: none). */
    private Set<String> opportunisticTemplates = Set.of();
    private OpportunisticResponder opportunisticResponder;
    /** Responder SAs whose IKE_AUTH request waits for the OpportunisticResponder's answer (IkeSa.deferred). */
    private final Set<IkeSa> deferred = new java.util.LinkedHashSet<>();

    public IkeEngine(List<IkeConnection> connections, IkeOutput out, RandomGenerator rng, long nowNanos) {
        this.out = Objects.requireNonNull(out);
        this.rng = Objects.requireNonNull(rng);
        this.now = nowNanos;
        this.cookieRotatedAt = nowNanos;
        this.logRefilledAt = nowNanos;
        this.eventRefilledAt = nowNanos;
        for (IkeConnection c : connections) this.connections.put(c.name(), c);
        for (IkeConnection c : connections) if (c.startAction() == StartAction.START) initiate(c.name(), nowNanos);   // schedules its SAs
    }

    // ================================================================================================ input

    /** One datagram from the network. Never throws on bad input; bounded work per datagram. */
    public void receive(Datagram d, long nowNanos) {
        enter(nowNanos);
        try {
            receiveChecked(d);
        } catch (RuntimeException e) {
            // A bug, not bad input; still never allowed to take the shell down.
            drop("internal error " + e.getClass().getSimpleName(), e.toString());
        } finally {
            leave();
        }
    }

    private void receiveChecked(Datagram d) {
        IkeMessage m;
        try {
            m = IkeMessageCodec.decode(d.data(), 0, d.data().length);
        } catch (IkeParseException e) {
            drop("unparsable: " + e.reason(), e.getMessage());
            return;
        }
        IkeHeader h = m.header();
        if (h.exchange() == ExchangeType.IKE_SA_INIT && !h.response() && h.responderSpi() == 0) {
            initRequest(m, d);
            return;
        }
        long ourSpi = h.initiator() ? h.responderSpi() : h.initiatorSpi();
        IkeSa sa = byLocalSpi.get(ourSpi);
        if (sa == null) {
            drop("unknown IKE SPI", String.format("%016x from %s", ourSpi, d.remote()));
            return;
        }
        long theirSpi = h.initiator() ? h.initiatorSpi() : h.responderSpi();
        boolean initResponse = h.exchange() == ExchangeType.IKE_SA_INIT && h.response();
        if (!initResponse && theirSpi != (sa.initiator ? sa.spiR : sa.spiI)) {
            drop("peer SPI mismatch", String.format("%016x", theirSpi));
            return;
        }
        String reason = sa.receive(m, d, now);
        if (reason != null) drop(reason, sa.conn.name());
    }

    private void initRequest(IkeMessage m, Datagram d) {
        HalfOpenKey key = new HalfOpenKey(m.header().initiatorSpi(), d.remote());
        IkeSa existing = halfOpen.get(key);
        if (existing != null) {
            String reason = existing.receive(m, d, now);   // a retransmission: the kept response goes out again
            if (reason != null) drop(reason, existing.conn.name());
            return;
        }
        if (responders.containsKey(key)) {
            drop("IKE_SA_INIT retransmission for an established SA", d.remote().toString());
            return;
        }
        List<IkeConnection> candidates = connectionsFor(d.local().address(), d.remote().address());
        if (candidates.isEmpty()) {
            drop("IKE_SA_INIT for no connection", d.local() + " <- " + d.remote());
            return;
        }
        if (halfOpen.size() >= cookieThreshold && !cookieValid(m, d)) return;
        if (halfOpen.size() >= maxHalfOpen) {
            drop("half-open limit reached", d.remote().toString());
            return;
        }
        IkeSa sa = new IkeSa(this, candidates.get(0), false, m.header().initiatorSpi(), newIkeSpi(), d.local(), d.remote(), now);
        sa.candidates = candidates;
        byLocalSpi.put(sa.spiR, sa);
        sa.initKey = key;
        halfOpen.put(key, sa);
        responders.put(key, sa);
        String reason = sa.receive(m, d, now);
        if (reason != null) drop(reason, sa.conn.name());
    }

    /** Under load (§2.6): a request must return our cookie; without one it gets a COOKIE and no state. */
    private boolean cookieValid(IkeMessage m, Datagram d) {
        NoncePayload nonce = m.first(NoncePayload.class).orElse(null);
        if (nonce == null) {
            drop("IKE_SA_INIT without nonce", d.remote().toString());
            return false;
        }
        byte[] addr = d.remote().address().toBytes();
        if (!m.payloads().isEmpty() && m.payloads().get(0) instanceof NotifyPayload n && n.notifyType() == NotifyPayload.COOKIE
                && cookies.verify(n.data(), nonce.nonce(), addr, m.header().initiatorSpi()))
            return true;
        byte[] cookie = cookies.cookie(nonce.nonce(), addr, m.header().initiatorSpi());
        IkeHeader h = IkeHeader.of(m.header().initiatorSpi(), 0, ExchangeType.IKE_SA_INIT, false, true, 0);
        send(new Datagram(d.local(), d.remote(), IkeMessageCodec.encode(new IkeMessage(h, List.<Payload>of(new NotifyPayload(NotifyPayload.COOKIE, cookie))))));
        drop("cookie demanded", d.remote().toString());
        return false;
    }

    // ================================================================================================ timers

    /** Retransmissions (§2.1 back-off), rekeys, DPD, expiry of half-open and hard-expired SAs. */
    public void tick(long nowNanos) {
        enter(nowNanos);
        try {
            if (now - cookieRotatedAt >= cookieRotation) {
                cookies.rotate();
                cookieRotatedAt = now;
            }
            keepStartConnectionsUp();
            List<IkeSa> due = new ArrayList<>();
            while (!timers.isEmpty() && (timers.first().dueAt <= now || tickEverySa)) {
                IkeSa sa = timers.pollFirst();
                sa.scheduled = false;
                due.add(sa);
            }
            if (tickEverySa) for (IkeSa sa : byLocalSpi.values()) if (!due.contains(sa)) due.add(sa);
            for (IkeSa sa : due) {
                touch(sa);
                try {
                    tick(sa);
                } catch (RuntimeException e) {
                    drop("internal error " + e.getClass().getSimpleName(), e.toString());
                }
            }
        } finally {
            leave();
        }
    }

    /**
     * The first moment tick(sa) would act on {@code sa} as it is now, or MAX. Must mirror tick(sa) exactly: a later
     * time delays an action, an earlier one only costs a look. Conditions that wait for a state (idle, a rekey not
     * queued, a Child SA's state) are left out while the state blocks them: the change of state touches the SA.
     */
    private long dueAt(IkeSa sa) {
        if (sa.state == IkeSa.State.DEAD) return Long.MAX_VALUE;
        long due = sa.retransmitDue();
        if (sa.state == IkeSa.State.CONNECTING) return sa.initiator ? due : Math.min(due, plus(sa.createdAt, halfOpenTimeout));
        due = Math.min(due, sa.expireAt);
        boolean idle = sa.idle();
        if (sa.state == IkeSa.State.REKEYED && idle) due = Math.min(due, plus(sa.lastHeard, halfOpenTimeout));
        if (sa.state != IkeSa.State.ESTABLISHED) return due;
        if (!sa.queued(IkeRekeyTask.class)) due = Math.min(due, sa.rekeyAt);
        for (ChildSa c : sa.children) {
            if (c.state != ChildSa.State.DELETING) due = Math.min(due, c.expireAt);
            if (c.state == ChildSa.State.INSTALLED) due = Math.min(due, c.rekeyAt);
        }
        if (sa.conn.dpdSeconds() > 0 && idle) due = Math.min(due, plus(sa.lastHeard, sa.conn.dpdSeconds() * SECOND));
        return due;
    }

    private static long plus(long t, long d) { return t > Long.MAX_VALUE - d ? Long.MAX_VALUE : t + d; }

    /** Marks {@code sa}: its timers may move during the current call. */
    void touch(IkeSa sa) {
        if (sa.retimePending) return;
        sa.retimePending = true;
        retime.add(sa);
    }

    /** Every public call that may change SAs is bracketed by enter/leave; the outermost leave reschedules. */
    private void enter(long nowNanos) {
        now = nowNanos;
        if (depth++ == 0) retimeTouched();   // SAs touched outside any call (tests queue exchanges directly)
    }

    private void leave() {
        if (--depth == 0) retimeTouched();
    }

    /** Reschedules every touched SA by its timers as they are now. */
    private void retimeTouched() {
        for (int i = 0; i < retime.size(); i++) {
            IkeSa sa = retime.get(i);
            sa.retimePending = false;
            if (sa.scheduled) timers.remove(sa);
            sa.scheduled = false;
            sa.dueAt = dueAt(sa);
            if (sa.dueAt != Long.MAX_VALUE && sa.state != IkeSa.State.DEAD) {
                timers.add(sa);
                sa.scheduled = true;
            }
        }
        retime.clear();
    }


    private void tick(IkeSa sa) {
        if (sa.state == IkeSa.State.DEAD) return;
        sa.tick(now);
        if (sa.state == IkeSa.State.DEAD) return;
        if (sa.state == IkeSa.State.CONNECTING) {
            // Responders bound half-open state by time; initiators by their retransmission budget.
            if (!sa.initiator && now - sa.createdAt >= halfOpenTimeout) {
                sa.refuseDeferred("the opportunistic responder did not decide before the half-open IKE SA expired");
                drop("half-open IKE SA expired", sa.remote.toString());
                destroy(sa, null);
            }
            return;
        }
        if (now >= sa.expireAt) {
            // Tell the peer if we can do so at once; either way the SA is gone within one retransmission budget.
            sa.expireAt = Long.MAX_VALUE;
            if (sa.idle() && sa.state == IkeSa.State.ESTABLISHED) sa.queue(new Exchange(ExchangeType.INFORMATIONAL, new DeleteTask(sa, "IKE SA lifetime expired")), now);
            else destroy(sa, "IKE SA lifetime expired");
            return;
        }
        if (sa.state == IkeSa.State.REKEYED && sa.idle() && now - sa.lastHeard >= halfOpenTimeout) {
            // Replaced by a rekey but the peer never deleted it (its Delete lost for good): let it go.
            destroy(sa, null);
            return;
        }
        if (sa.state != IkeSa.State.ESTABLISHED) return;
        if (now >= sa.rekeyAt && !sa.queued(IkeRekeyTask.class)) sa.queue(new Exchange(ExchangeType.CREATE_CHILD_SA, new IkeRekeyTask(sa)), now);
        for (ChildSa c : new ArrayList<>(sa.children)) {
            if (now >= c.expireAt) {
                if (c.state != ChildSa.State.DELETING) {
                    c.state = ChildSa.State.DELETING;
                    sa.queue(new Exchange(ExchangeType.INFORMATIONAL, new DeleteTask(sa, c, "hard lifetime expired")), now);
                }
            } else if (now >= c.rekeyAt && c.state == ChildSa.State.INSTALLED) {
                rekeyChild(sa, c);
            }
        }
        IkeConnection conn = sa.conn;
        if (conn.dpdSeconds() > 0 && sa.idle() && now - sa.lastHeard >= conn.dpdSeconds() * SECOND)
            sa.queue(new Exchange(ExchangeType.INFORMATIONAL, new DpdTask(sa)), now);
    }

    /** START connections are kept up: when one has no IKE SA (failed, deleted, dead) it is initiated again,
     *  at most once per startRetry. */
    private void keepStartConnectionsUp() {
        for (IkeConnection c : connections.values()) {
            if (c.startAction() != StartAction.START || c.peerAddress() == null || findSa(c.name()) != null) continue;
            Long last = lastStartAttempt.get(c.name());
            if (last != null && now - last < startRetry) continue;
            if (backingOff(c.name())) continue;
            initiate(c.name());
        }
    }

    private void rekeyChild(IkeSa sa, ChildSa c) {
        sa.queue(new Exchange(ExchangeType.CREATE_CHILD_SA, new ChildRekeyTask(sa, c)), now);
        c.state = ChildSa.State.REKEYING;
    }

    /** Called by the shell when the SAD reports a soft (rekey) or hard expiry of an SA we installed, e.g. by bytes. */
    public void childSaExpired(int inboundSpi, boolean hard, long nowNanos) {
        enter(nowNanos);
        try {
            IkeSa sa = childSpis.get(inboundSpi);
            ChildSa c = sa == null ? null : sa.childByInboundSpi(inboundSpi);
            if (c == null || sa.state != IkeSa.State.ESTABLISHED) return;
            touch(sa);
            if (hard) {
                c.state = ChildSa.State.DELETING;
                sa.queue(new Exchange(ExchangeType.INFORMATIONAL, new DeleteTask(sa, c, "hard limit reached")), now);
            } else if (c.state == ChildSa.State.INSTALLED) {
                rekeyChild(sa, c);
            }
        } finally {
            leave();
        }
    }

    /**
     * The data path received ESP with an SPI it does not know from this peer (RFC 7296 §2.21.4): tell the peer with
     * INVALID_SPI over an IKE SA we share with it, at most once per SPI per minute. Returns false when no IKE SA
     * with that peer exists (the packet is then just dropped).
     */
    public boolean invalidSpi(IpAddress peer, int spi, long nowNanos) {
        enter(nowNanos);
        try {
            Long last = invalidSpiReported.get(spi);
            if (last != null && now - last < 60 * SECOND) return true;
            for (IkeSa sa : byLocalSpi.values()) {
                if (sa.state != IkeSa.State.ESTABLISHED || !sa.remote.address().equals(peer)) continue;
                if (invalidSpiReported.size() > 1024) invalidSpiReported.clear();
                invalidSpiReported.put(spi, now);
                sa.queue(new Exchange(ExchangeType.INFORMATIONAL, new InvalidSpiTask(sa, spi)), now);
                return true;
            }
            return false;
        } finally {
            leave();
        }
    }

    // ================================================================================================ control

    /** The first packet under a configured policy without an SA (TRAP, or a HOLD after a dead peer). */
    public void acquire(String connection, IpAddress src, IpAddress dst, int protocol, long nowNanos) {
        enter(nowNanos);
        try {
            acquire(connection, src, dst, protocol);
        } finally {
            leave();
        }
    }

    private void acquire(String connection, IpAddress src, IpAddress dst, int protocol) {
        IkeConnection c = connections.get(connection);
        if (c == null) return;
        if (c.startAction() != StartAction.TRAP && !held.contains(connection) && c.startAction() != StartAction.START) return;
        IkeSa existing = findSa(connection);
        if (existing != null) {
            // Up but without a Child SA (e.g. the peer deleted it, or it failed): traffic asks for a new one.
            if (existing.established() && existing.children.isEmpty() && !existing.queued(ChildCreateTask.class) && !backingOff(connection))
                existing.queue(new Exchange(ExchangeType.CREATE_CHILD_SA, triggered(new ChildCreateTask(existing, false), src, dst, protocol)), now);
            return;
        }
        if (backingOff(connection)) return;
        IkeSa sa = start(c);
        if (sa != null) triggered(sa.pendingFirstChild, src, dst, protocol);
    }

    /** RFC 7296 §2.9: the packet that triggered the negotiation goes first in TSi/TSr, so a narrowing responder
     *  can pick the part of its policy that covers it. */
    private static ChildCreateTask triggered(ChildCreateTask t, IpAddress src, IpAddress dst, int protocol) {
        if (t != null && src != null && dst != null && protocol >= 0 && protocol <= 255) t.trigger(src, dst, protocol);
        return t;
    }

    /** True (and counted) while a failed connection's back-off forbids an automatic attempt. */
    private boolean backingOff(String connection) {
        Backoff b = backoff.get(connection);
        if (b == null || now >= b.notBefore) return false;
        attemptsDeferred++;
        return true;
    }

    /**
     * An exchange we initiated failed. When it was a negotiation (setting up the IKE SA, or a new Child SA that
     * traffic or start-up asked for) the connection backs off: automatic attempts wait retryBase, then twice as
     * long after each further failure, up to retryMax; the event says when the next one may come.
     */
    void exchangeFailed(IkeSa sa, Exchange e, IkeEvent.Failure f, String message) {
        boolean negotiation = sa.initiator && sa.state == IkeSa.State.CONNECTING
                || e != null && e.tasks.stream().anyMatch(t -> t.getClass() == ChildCreateTask.class);
        if (!negotiation) {
            event(new IkeEvent.Failed(sa.conn.name(), f, message));
            return;
        }
        event(new IkeEvent.Failed(sa.conn.name(), f, message + "; " + backOff(sa.conn)));
    }

    /** Records one more failed negotiation of {@code c}; says when the next automatic attempt may come. */
    private String backOff(IkeConnection c) {
        Backoff before = backoff.get(c.name());
        int failures = before == null ? 1 : before.failures + 1;
        long wait = Math.min(retryMax, retryBase << Math.min(failures - 1, 20));
        backoff.put(c.name(), new Backoff(failures, now + wait));
        if (c.startAction() == StartAction.START) {   // start-up retries also keep startRetry apart
            Long last = lastStartAttempt.get(c.name());
            if (last != null) wait = Math.max(wait, last + startRetry - now);
        }
        String when = ((wait + SECOND - 1) / SECOND) + " s";
        return "failure " + failures + " in a row: " + switch (c.startAction()) {
            case START -> "next attempt in " + when;
            case TRAP -> "next attempt on traffic, not before " + when;
            case NONE -> "start wait: no automatic attempt, the peer (or an operator) initiates";
        };
    }

    /** A Child SA of {@code c} came up: its negotiations work again. */
    void negotiated(IkeConnection c) { backoff.remove(c.name()); }

    /** Brings a connection up (no-op if an IKE SA for it exists or is being set up). */
    public void initiate(String connection, long nowNanos) {
        enter(nowNanos);
        try {
            initiate(connection);
        } finally {
            leave();
        }
    }

    private void initiate(String connection) {
        IkeConnection c = connections.get(connection);
        if (c == null) return;
        held.remove(connection);
        IkeSa existing = findSa(connection);
        if (existing != null) {
            if (existing.established() && existing.children.isEmpty() && !existing.queued(ChildCreateTask.class))
                existing.queue(new Exchange(ExchangeType.CREATE_CHILD_SA, new ChildCreateTask(existing, false)), now);
            return;
        }
        start(c);
    }

    private IkeSa start(IkeConnection c) {
        if (c.peerAddress() == null) {
            event(new IkeEvent.Failed(c.name(), IkeEvent.Failure.INTERNAL, "cannot initiate: the connection accepts any peer and names none"));
            return null;
        }
        held.remove(c.name());
        lastStartAttempt.put(c.name(), now);
        IkeSa sa = new IkeSa(this, c, true, newIkeSpi(), 0, new Endpoint(c.localAddress(), Endpoint.IKE_PORT),
                new Endpoint(c.peerAddress(), Endpoint.IKE_PORT), now);
        byLocalSpi.put(sa.spiI, sa);
        sa.pendingFirstChild = new ChildCreateTask(sa, true);
        sa.queue(new Exchange(ExchangeType.IKE_SA_INIT, new InitTask(sa), new NatDetectionTask(sa)), now);
        sa.queue(new Exchange(ExchangeType.IKE_AUTH, new AuthTask(sa), sa.pendingFirstChild), now);
        return sa;
    }

    /** Deletes the connection's SAs (Delete to the peer, SAs removed when it answers or gives up). */
    public void terminate(String connection, long nowNanos) {
        enter(nowNanos);
        try {
            terminate(connection);
        } finally {
            leave();
        }
    }

    private void terminate(String connection) {
        held.remove(connection);
        for (IkeSa sa : new ArrayList<>(byLocalSpi.values())) {
            if (!sa.conn.name().equals(connection) || sa.state == IkeSa.State.DEAD) continue;
            if (sa.state == IkeSa.State.CONNECTING) destroy(sa, "terminated");
            else if (!deleting(sa)) sa.queue(new Exchange(ExchangeType.INFORMATIONAL, new DeleteTask(sa, "terminated locally")), now);
        }
    }

    /**
     * Deletes every IKE SA (an operator's "clear sas"): a Delete goes to each peer, so neither side keeps stale
     * SAs; connections then come back as their start action says (start-up ones at once, on-traffic ones with the
     * next packet, wait-for-peer ones when the peer initiates). Returns how many IKE SAs were told to go.
     */
    public int terminateAll(long nowNanos) {
        enter(nowNanos);
        try {
            int n = 0;
            for (IkeSa sa : new ArrayList<>(byLocalSpi.values())) {
                if (sa.state == IkeSa.State.DEAD) continue;
                n++;
                if (sa.state == IkeSa.State.CONNECTING) destroy(sa, "cleared by the operator");
                else if (!deleting(sa)) sa.queue(new Exchange(ExchangeType.INFORMATIONAL, new DeleteTask(sa, "cleared by the operator")), now);
            }
            held.clear();
            backoff.clear();
            lastStartAttempt.clear();   // start-up connections come back as soon as their SA is gone
            return n;
        } finally {
            leave();
        }
    }

    /**
     * Deletes the connection's SAs at once: the peer gets a Delete when the IKE SA is idle (sent once, its answer
     * not awaited), and the SAs and their events are gone when this returns. For retiring a whole set of dynamic
     * connections (OE restarted with new settings) whose names a successor may reuse at once: no late event of an
     * old SA can then be taken for the successor's.
     */
    public void terminateNow(String connection, long nowNanos) {
        enter(nowNanos);
        try {
            held.remove(connection);
            Set<IkeSa> same = byConnection.get(connection);
            if (same == null) return;
            for (IkeSa sa : new ArrayList<>(same)) {
                if (sa.state == IkeSa.State.DEAD) continue;
                if (sa.state == IkeSa.State.ESTABLISHED && sa.idle())
                    sa.queue(new Exchange(ExchangeType.INFORMATIONAL, new DeleteTask(sa, "terminated locally")), now);
                destroy(sa, "terminated locally");
            }
        } finally {
            leave();
        }
    }

    private static boolean deleting(IkeSa sa) {
        return sa.state == IkeSa.State.DELETING || sa.queued(DeleteTask.class) && hasIkeDelete(sa);
    }

    private static boolean hasIkeDelete(IkeSa sa) {
        return sa.active != null && sa.active.task(DeleteTask.class) != null && sa.active.task(DeleteTask.class).deletesIkeSa();
    }

    /** New configuration: SAs of removed or changed connections are deleted, unchanged ones keep theirs. */
    public void reconfigure(List<IkeConnection> updated, long nowNanos) {
        enter(nowNanos);
        try {
            reconfigure(updated);
        } finally {
            leave();
        }
    }

    private void reconfigure(List<IkeConnection> updated) {
        Map<String, IkeConnection> next = new LinkedHashMap<>();
        for (IkeConnection c : updated) next.put(c.name(), c);
        for (IkeConnection old : new ArrayList<>(connections.values())) {
            IkeConnection n = next.get(old.name());
            if (n == null || !n.equals(old)) terminate(old.name());
        }
        Set<String> changed = new HashSet<>();
        for (IkeConnection n : updated) if (!n.equals(connections.get(n.name()))) changed.add(n.name());
        connections.clear();
        connections.putAll(next);
        for (IkeConnection n : updated) if (changed.contains(n.name()) && n.startAction() == StartAction.START) initiate(n.name());
    }

    public List<IkeSaStatus> status() {
        List<IkeSaStatus> list = new ArrayList<>();
        for (IkeSa sa : byLocalSpi.values()) {
            if (sa.state == IkeSa.State.DEAD) continue;
            List<IkeSaStatus.Child> kids = new ArrayList<>();
            for (ChildSa c : sa.children)
                kids.add(new IkeSaStatus.Child(c.inboundSpi, c.outboundSpi, sa.conn.mode().name(), c.algorithms.toString(), c.inbound.udpEncapsulation(),
                        c.inbound.localSelectors(), c.inbound.remoteSelectors(), (now - c.createdAt) / SECOND, secondsUntil(c.rekeyAt), secondsUntil(c.expireAt)));
            list.add(new IkeSaStatus(sa.conn.name(), sa.local, sa.remote, sa.state.name(), sa.initiator, sa.spiI, sa.spiR,
                    sa.algorithms == null ? "" : sa.algorithms.toString(), sa.conn.localId(), sa.remoteIdentity, sa.natDetected(), (now - sa.createdAt) / SECOND,
                    secondsUntil(sa.rekeyAt), secondsUntil(sa.expireAt), kids));
        }
        return list;
    }

    /** A connection whose negotiations failed and that is backing off (for status pages). */
    public record Retry(String connection, int failures, long nextAttemptInSeconds) {}

    /** Connections backing off now, by name. */
    public List<Retry> retrying() {
        List<Retry> out = new ArrayList<>();
        for (var e : new TreeMap<>(backoff).entrySet())
            out.add(new Retry(e.getKey(), e.getValue().failures(), Math.max(0, (e.getValue().notBefore() - now + SECOND - 1) / SECOND)));
        return out;
    }

    private long secondsUntil(long t) { return t == Long.MAX_VALUE ? -1 : Math.max(0, (t - now) / SECOND); }

    /** Bad-input counters by reason (bounded set of reasons), for status pages and tests. */
    public Map<String, Long> dropCounters() { return Map.copyOf(drops); }

    /**
     * IKE_AUTH requests that no connection but {@code templateName} accepts are decided by {@code responder}
     * (see OpportunisticResponder). Null for both turns it off.
     */
    public void setOpportunisticResponder(String templateName, OpportunisticResponder responder) {
        setOpportunisticResponder(templateName == null ? List.of() : List.of(templateName), responder);
    }

    /** As above with several templates (e.g. one per own address: a template's local address selects it). */
    public void setOpportunisticResponder(java.util.Collection<String> templateNames, OpportunisticResponder responder) {
        opportunisticTemplates = Set.copyOf(templateNames);
        opportunisticResponder = responder;
    }

    /**
     * The OpportunisticResponder's answer for {@code key} (what its Pending carried) is known: every IKE_AUTH request
     * deferred under that key is processed again now, so the initiator is answered without waiting for its next
     * retransmission. A null key resumes every deferred request (e.g. after the responder was replaced).
     */
    public void resumeDeferred(Object key, long nowNanos) {
        enter(nowNanos);
        try {
            for (IkeSa sa : new ArrayList<>(deferred)) {
                if (key != null && !key.equals(sa.deferredKey)) continue;
                deferred.remove(sa);
                touch(sa);   // answered: established (new timers) or refused (gone)
                try {
                    sa.resumeDeferred(now);
                } catch (RuntimeException e) {
                    drop("internal error " + e.getClass().getSimpleName(), e.toString());
                }
            }
        } finally {
            leave();
        }
    }

    /** {@code sa} keeps a request unanswered until resumeDeferred (bounded: only half-open responder SAs do). */
    void deferred(IkeSa sa) { deferred.add(sa); }

    /** Requests kept unanswered (tests check that nothing stays behind). */
    int deferredCount() { return deferred.size(); }

    boolean isOpportunisticTemplate(IkeConnection c) {
        return opportunisticResponder != null && opportunisticTemplates.contains(c.name());
    }

    OpportunisticResponder opportunisticResponder() { return opportunisticResponder; }

    boolean isOpportunisticInitiator(IkeConnection c) {
        if (opportunisticResponder == null) return false;
        try {
            return opportunisticResponder.initiatesOnly(c);
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** IKE message size above which IKE_AUTH and later messages are fragmented when both sides support RFC 7383. */
    /** Retransmission schedule (RFC 7296 §2.1): first after {@code baseNanos}, doubling, given up after {@code tries}. */
    public void setRetransmission(long baseNanos, int tries) {
        if (baseNanos <= 0 || tries < 0) throw new IllegalArgumentException("retransmission base must be positive, tries not negative");
        retransmitBase = baseNanos;
        retransmitTries = tries;
    }

    public void setFragmentSize(int bytes) {
        if (bytes < 256 || bytes > 65535) throw new IllegalArgumentException("fragment size out of range");
        fragmentSize = bytes;
    }

    // ================================================================================================ for IkeSa and tasks

    /** The live IKE SAs. Tests reach into them to force timers, so each is marked to be rescheduled at the next call. */
    List<IkeSa> ikeSas() {
        List<IkeSa> l = new ArrayList<>();
        for (IkeSa sa : byLocalSpi.values()) if (sa.state != IkeSa.State.DEAD) { l.add(sa); touch(sa); }
        return l;
    }

    List<IkeConnection> connectionsFor(IpAddress local, IpAddress remote) {
        List<IkeConnection> out = new ArrayList<>();
        for (IkeConnection c : connections.values())
            if (c.localAddress().equals(local) && (c.peerAddress() == null || c.peerAddress().equals(remote))) out.add(c);
        return out;
    }

    private IkeSa findSa(String connection) {
        Set<IkeSa> same = byConnection.get(connection);
        if (same == null) return null;
        for (IkeSa sa : same)
            if (sa.state == IkeSa.State.ESTABLISHED || sa.state == IkeSa.State.CONNECTING && sa.initiator) return sa;
        return null;
    }

    /** A new IKE SA (IkeSa's constructor): indexed by connection, and its timers scheduled when this call ends. */
    void track(IkeSa sa) {
        byConnection.computeIfAbsent(sa.conn.name(), k -> new LinkedHashSet<>()).add(sa);
        touch(sa);
    }

    void connectionSwitched(IkeSa sa, IkeConnection old) {
        untrack(sa, old.name());
        if (sa.state != IkeSa.State.DEAD) byConnection.computeIfAbsent(sa.conn.name(), k -> new LinkedHashSet<>()).add(sa);
        touch(sa);   // its DPD interval may differ
    }

    private void untrack(IkeSa sa, String connection) {
        Set<IkeSa> same = byConnection.get(connection);
        if (same != null && same.remove(sa) && same.isEmpty()) byConnection.remove(connection);
    }

    /** A Child SA now belongs to {@code sa} (created, or moved by an IKE rekey). */
    void childAdded(IkeSa sa, ChildSa c) {
        childSpis.put(c.inboundSpi, sa);
        negotiated(sa.conn);
        touch(sa);
    }

    // Calls into the shell. A failing shell must not leave an exchange half done, so its exceptions stop here.

    void event(IkeEvent e) {
        try {
            out.event(e);
        } catch (RuntimeException x) {
            drop("output error in event()", x.toString());
        }
    }

    /** Events any unauthenticated sender can trigger (failed IKE_SA_INIT / IKE_AUTH as responder): at most
     *  20 in a burst and 5 per second after that; the rest are only counted. */
    void unauthenticatedEvent(IkeEvent e) {
        long refill = (now - eventRefilledAt) / (SECOND / 5);
        if (refill > 0) {
            eventTokens = Math.min(20, eventTokens + refill);
            eventRefilledAt += refill * (SECOND / 5);
        }
        if (eventTokens > 0) {
            eventTokens--;
            event(e);
        } else {
            drop("event suppressed (rate limit)", e.message());
        }
    }

    void send(Datagram d) {
        try {
            out.send(d);
        } catch (RuntimeException x) {
            drop("output error in send()", x.toString());
        }
    }

    void install(String connection, bitw.ipsec.sad.SaParameters in, bitw.ipsec.sad.SaParameters o, boolean rekeyResponder) {
        try {
            if (rekeyResponder) out.installRekeyedChildSaAsResponder(connection, in, o);
            else out.installChildSa(connection, in, o);
        } catch (RuntimeException x) {
            drop("output error in installChildSa()", x.toString());
            event(new IkeEvent.Failed(connection, IkeEvent.Failure.INTERNAL, "installing Child SA " + Integer.toHexString(in.spi()) + " failed: " + x));
        }
    }

    void remove(String connection, bitw.ipsec.sad.SaParameters in, bitw.ipsec.sad.SaParameters o) {
        try {
            out.removeChildSa(connection, in, o);
        } catch (RuntimeException x) {
            drop("output error in removeChildSa()", x.toString());
        }
    }

    byte[] nonce() {
        byte[] n = new byte[32];
        rng.nextBytes(n);
        return n;
    }

    long newIkeSpi() {
        long spi;
        do spi = rng.nextLong(); while (spi == 0 || byLocalSpi.containsKey(spi));
        return spi;
    }

    void register(IkeSa sa) { byLocalSpi.put(sa.localSpi(), sa); }

    /** A fresh inbound Child SA SPI: unique in this engine and never in the reserved range 0..255. */
    int allocateSpi() {
        int spi;
        do spi = rng.nextInt(); while (Integer.compareUnsigned(spi, 256) < 0 || childSpis.containsKey(spi));
        childSpis.put(spi, null);
        return spi;
    }

    void releaseSpi(int spi) { childSpis.remove(spi); }

    /** Soft lifetime in seconds: lifetime - margin, minus up to a third of the margin at random so that the two
     *  peers rarely rekey at the same moment. */
    long softLifetime(long lifetime, long margin) {
        long jitter = margin / 3 > 0 ? rng.nextLong(margin / 3 + 1) : 0;
        return Math.max(1, lifetime - margin - jitter);
    }

    /** Orders SA creation and establishment events (time alone cannot: several happen within one call). */
    long nextSeq() { return ++seq; }

    void scheduleIkeLifetime(IkeSa sa) {
        touch(sa);
        sa.establishedAt = now;
        sa.establishedSeq = nextSeq();
        sa.rekeyAt = now + softLifetime(sa.conn.ikeLifetimeSeconds(), sa.conn.rekeyMarginSeconds()) * SECOND;
        sa.expireAt = now + sa.conn.ikeLifetimeSeconds() * SECOND;
        notHalfOpen(sa);
        if (sa.remoteIdentity != null) {
            List<IkeSa> same = byRemoteIdentity.computeIfAbsent(sa.remoteIdentity, k -> new ArrayList<>(1));
            if (!same.contains(sa)) same.add(sa);
        }
    }

    boolean hasOtherIkeSa(IkeSa sa) {
        Set<IkeSa> same = byConnection.get(sa.conn.name());
        if (same != null)
            for (IkeSa o : same) if (o != sa && (o.state == IkeSa.State.ESTABLISHED || o.state == IkeSa.State.REKEYED)) return true;
        return false;
    }

    /** INITIAL_CONTACT (§2.4): the peer lost its state; all other IKE SAs with the same identity are stale. */
    void initialContact(IkeSa sa) {
        // Only SAs that were up before this one began are stale; one that completed meanwhile (both sides
        // initiating at once) is the peer's current state too, and resolveDuplicates() handles it.
        List<IkeSa> same = byRemoteIdentity.get(sa.remoteIdentity);
        if (same == null) return;
        for (IkeSa o : new ArrayList<>(same))
            if (o != sa && o.conn.name().equals(sa.conn.name()) && o.establishedSeq < sa.createdSeq)
                destroy(o, "replaced after INITIAL_CONTACT from the peer");
    }

    /**
     * Both sides initiated at once and now share two IKE SAs (each with its Child SAs) for one connection. Both
     * apply the same rule: the SA with the higher initiator SPI goes, deleted by the side that initiated it
     * (the other side learns of it by that Delete), so exactly one survives.
     */
    void resolveDuplicates(IkeSa sa) {
        // Only established SAs can be duplicates, and those are indexed by peer identity.
        List<IkeSa> same = sa.remoteIdentity == null ? null : byRemoteIdentity.get(sa.remoteIdentity);
        if (same == null) return;
        for (IkeSa o : new ArrayList<>(same)) {
            if (o == sa || o.state != IkeSa.State.ESTABLISHED || !o.conn.name().equals(sa.conn.name())) continue;
            IkeSa doomed = Long.compareUnsigned(o.spiI, sa.spiI) > 0 ? o : sa;
            if (doomed.initiator && !doomed.queued(DeleteTask.class))
                doomed.queue(new Exchange(ExchangeType.INFORMATIONAL, new DeleteTask(doomed, "duplicate of an IKE SA the peer initiated at the same time")), now);
        }
    }

    /** By the key it was filed under (a scan of the map's values would cost O(number of SAs)). */
    private void notHalfOpen(IkeSa sa) {
        if (sa.initKey != null) halfOpen.remove(sa.initKey, sa);
    }

    /** After we answered a request: apply deferred actions, start queued exchanges. */
    void afterResponse(IkeSa sa, long now) {
        if (sa.deleteAfterResponse != null) {
            destroy(sa, sa.deleteAfterResponse);
            return;
        }
        if (sa.state != IkeSa.State.CONNECTING) notHalfOpen(sa);
        sa.startNext(now);
    }

    /** Removes an IKE SA and all its children; why == null: silently (never established or already reported). */
    void destroy(IkeSa sa, String why) {
        if (sa.state == IkeSa.State.DEAD) return;
        boolean wasUp = sa.remoteIdentity != null;
        if (sa.state == IkeSa.State.REKEYED && why != null) why += " (replaced by a rekey; its Child SAs live on)";
        sa.state = IkeSa.State.DEAD;
        for (ChildSa c : new ArrayList<>(sa.children)) sa.removeChild(c, why == null ? "IKE SA removed" : why);
        byLocalSpi.remove(sa.localSpi(), sa);
        untrack(sa, sa.conn.name());
        if (sa.scheduled) timers.remove(sa);
        sa.scheduled = false;
        notHalfOpen(sa);
        if (sa.initKey != null) responders.remove(sa.initKey, sa);
        deferred.remove(sa);
        List<IkeSa> same = sa.remoteIdentity == null ? null : byRemoteIdentity.get(sa.remoteIdentity);
        if (same != null && same.remove(sa) && same.isEmpty()) byRemoteIdentity.remove(sa.remoteIdentity);
        if (wasUp && why != null) event(new IkeEvent.IkeSaDeleted(sa.conn.name(), sa.describe() + ": " + why));
    }

    /** Retransmissions of a request were exhausted. */
    void peerUnreachable(IkeSa sa, Exchange e, long now) {
        if (sa.state == IkeSa.State.CONNECTING) {
            if (sa.initiator) exchangeFailed(sa, e, IkeEvent.Failure.TIMEOUT, "no answer to " + e.type + " from " + sa.remote);
            else event(new IkeEvent.Failed(sa.conn.name(), IkeEvent.Failure.TIMEOUT, "no answer to " + e.type + " from " + sa.remote));
            destroy(sa, null);
            return;
        }
        if (sa.state == IkeSa.State.DEAD) return;
        IkeConnection c = sa.conn;
        event(new IkeEvent.PeerDead(c.name(), "peer " + sa.remote + " did not answer " + e.type + " after " + retransmitTries + " retransmissions; action " + c.dpdAction()));
        destroy(sa, "peer dead");
        switch (c.dpdAction()) {
            case RESTART -> initiate(c.name());
            case HOLD -> held.add(c.name());
            case CLEAR -> { }
        }
    }

    /** Counts a dropped datagram by reason; logs rarely so that floods of junk cannot flood the log. */
    void drop(String reason, String detail) {
        String key = reason.length() > 60 ? reason.substring(0, 60) : reason;
        if (!drops.containsKey(key) && drops.size() >= 63) key = "other";   // 63 reasons + "other": bounded
        drops.merge(key, 1L, Long::sum);
        long refill = (now - logRefilledAt) / SECOND;
        if (refill > 0) {
            logTokens = Math.min(20, logTokens + refill);
            logRefilledAt = now;
        }
        if (logTokens > 0) {
            logTokens--;
            logLines++;
            Logger.debug("IKE drop: {} ({})", reason, detail);
        }
    }
}
