// One IKE SA: its SPIs, endpoints, keys, message-ID windows in both directions (window size 1), the request in
// flight with its retransmission state, the last response kept for duplicate requests (RFC 7296 §2.1), the queue
// of exchanges to initiate, and the Child SAs it owns. Exchanges are composed from IkeTasks; this class only
// moves messages: seal/open, fragment, match responses to requests, and run the tasks in order.
package bitw.ipsec.ike;

import bitw.ipsec.ike.crypto.IkeCryptoException;
import bitw.ipsec.ike.crypto.IkeSaKeys;
import bitw.ipsec.ike.crypto.SkCipher;
import bitw.ipsec.ike.message.EncryptedFragmentPayload;
import bitw.ipsec.ike.message.EncryptedPayload;
import bitw.ipsec.ike.message.ExchangeType;
import bitw.ipsec.ike.message.IkeHeader;
import bitw.ipsec.ike.message.IkeMessage;
import bitw.ipsec.ike.message.IkeMessageCodec;
import bitw.ipsec.ike.message.IkeParseException;
import bitw.ipsec.ike.message.NotifyPayload;
import bitw.ipsec.ike.message.Payload;
import bitw.ipsec.ike.message.Proposal;
import bitw.ipsec.ike.message.SaPayload;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

final class IkeSa {
    enum State { CONNECTING, ESTABLISHED, REKEYED, DELETING, DEAD }

    final IkeEngine engine;
    IkeConnection conn;
    /** True when we were the original initiator of this IKE SA (the I flag; which keys seal which direction). */
    final boolean initiator;
    long spiI, spiR;
    Endpoint local, remote;
    State state = State.CONNECTING;
    boolean natLocal, natRemote;
    boolean peerFragmentation, peerSignatureHashes, peerIntermediate;
    Proposals.IkeAlgorithms algorithms;
    IkeSaKeys keys;
    SkCipher sealer, opener;
    byte[] ni, nr, initRequest, initResponse;
    /** RFC 9242 IntAuth chain values (null until an IKE_INTERMEDIATE exchange happened). */
    byte[] intAuthI, intAuthR;
    /** IKE_INTERMEDIATE exchanges (RFC 9370 additional key exchanges) completed so far. */
    int intermediateDone;
    /** Work that must wait until our response is sealed (key switch after an additional key exchange). */
    Runnable afterResponseSent;
    Identity remoteIdentity;
    /** Set by a request that deletes this IKE SA: it goes once the response is sent. */
    String deleteAfterResponse;
    /** Initiator: the Child SA task of our IKE_AUTH (acquire() adds the triggering packet to it). */
    ChildCreateTask pendingFirstChild;
    /** Responder in IKE_SA_INIT: the connections the addresses allow, narrowed by proposals and identities. */
    List<IkeConnection> candidates = List.of();
    final List<ChildSa> children = new ArrayList<>();
    final long createdAt;
    final long createdSeq;
    long establishedSeq;
    long establishedAt, rekeyAt = Long.MAX_VALUE, expireAt = Long.MAX_VALUE, lastHeard;
    /** Nonces of the CREATE_CHILD_SA that made this SA by rekeying (§2.8 collisions), else null. */
    byte[] rekeyNi, rekeyNr;
    /** Set when the peer rekeyed this IKE SA while our own rekey of it was in flight (§2.8.2). */
    IkeSa peerRekeyedSa;
    /** Responder: the key (initiator SPI, address) it is filed under in the engine's half-open and responder maps. */
    IkeEngine.HalfOpenKey initKey;
    /** When the engine's tick() next needs to look at this SA (IkeEngine keeps SAs ordered by it); MAX: never. */
    long dueAt = Long.MAX_VALUE;
    /** In the engine's timer set / in its list of SAs to reschedule at the end of the current call. */
    boolean scheduled, retimePending;
    /** Responder: the IKE_AUTH request the OpportunisticResponder could not decide yet, kept unanswered (with the
     *  key its answer comes under) until IkeEngine.resumeDeferred processes it again; null when none. */
    Received deferred;
    Object deferredKey;

    // Requests we initiate.
    private final ArrayDeque<Exchange> queue = new ArrayDeque<>();
    Exchange active;
    /** True while the tasks of a completed exchange read its response (exchanges they queue wait for the end). */
    private boolean inResponse;
    private long activeId;
    private List<byte[]> activeDatagrams = List.of();
    private int retransmits;
    private long retransmitAt = Long.MAX_VALUE;
    long nextRequestId;
    // Requests the peer initiates.
    long expectedRequestId;
    private long lastResponseId = -1;
    private List<byte[]> lastResponse = List.of();
    private final MessageProtection.Reassembly requestFragments = new MessageProtection.Reassembly();
    private final MessageProtection.Reassembly responseFragments = new MessageProtection.Reassembly();

    IkeSa(IkeEngine engine, IkeConnection conn, boolean initiator, long spiI, long spiR, Endpoint local, Endpoint remote, long now) {
        this.engine = engine;
        this.conn = conn;
        this.initiator = initiator;
        this.spiI = spiI;
        this.spiR = spiR;
        this.local = local;
        this.remote = remote;
        this.createdAt = now;
        this.createdSeq = engine.nextSeq();
        this.lastHeard = now;
        engine.track(this);
    }

    long localSpi() { return initiator ? spiI : spiR; }

    boolean natDetected() { return natLocal || natRemote; }

    boolean udpEncapsulation() { return natDetected() || conn.forceUdpEncapsulation(); }

    boolean established() { return state == State.ESTABLISHED; }

    boolean idle() { return active == null && queue.isEmpty(); }

    /** When the request in flight is retransmitted (or given up); MAX when none is in flight. */
    long retransmitDue() { return active == null ? Long.MAX_VALUE : retransmitAt; }

    /** The responder's choice of connection (by proposals, then identities) replaces the first guess. */
    void switchConnection(IkeConnection c) {
        if (c == conn) return;
        IkeConnection old = conn;
        conn = c;
        engine.connectionSwitched(this, old);
    }

    /** Installs the IKE SA keys after IKE_SA_INIT (or an additional key exchange, or a rekey). */
    void setKeys(IkeSaKeys k) {
        keys = k;
        byte[] ourEnc = initiator ? k.skEi() : k.skEr(), ourInteg = initiator ? k.skAi() : k.skAr();
        byte[] theirEnc = initiator ? k.skEr() : k.skEi(), theirInteg = initiator ? k.skAr() : k.skAi();
        sealer = new SkCipher(algorithms.enc(), algorithms.integ(), ourEnc, ourInteg);
        opener = new SkCipher(algorithms.enc(), algorithms.integ(), theirEnc, theirInteg);
    }

    // --------------------------------------------------------------------------------------------- initiating

    void queue(Exchange e, long now) {
        queue.addLast(e);
        startNext(now);
    }

    void queueFirst(Exchange e) { queue.addFirst(e); }

    boolean queued(Class<? extends IkeTask> kind) {
        if (active != null && active.task(kind) != null) return true;
        for (Exchange e : queue) if (e.task(kind) != null) return true;
        return false;
    }

    void startNext(long now) {
        engine.touch(this);
        if (inResponse) return;   // handleResponse starts the next exchange once the current one is fully processed
        while (active == null && !queue.isEmpty() && state != State.DEAD) {
            Exchange e = queue.pollFirst();
            if (!e.wanted()) continue;
            if (e.type != ExchangeType.IKE_SA_INIT && sealer == null) continue;
            active = e;
            activeId = e.type == ExchangeType.IKE_SA_INIT ? 0 : nextRequestId;
            if (!buildAndSend(now)) active = null;
        }
    }

    private boolean buildAndSend(long now) {
        List<Payload> out = new ArrayList<>();
        try {
            for (IkeTask t : active.tasks) t.buildRequest(out);
        } catch (ExchangeFailure f) {
            engine.exchangeFailed(this, active, f.failure, f.getMessage());
            for (IkeTask t : active.tasks) t.abort();
            if (f.fatal) engine.destroy(this, null);
            return false;
        }
        IkeHeader h = IkeHeader.of(spiI, spiR, active.type, initiator, false, activeId);
        activeDatagrams = protect(active.type, h, out);
        retransmits = 0;
        retransmitAt = now + engine.retransmitBase;
        for (byte[] d : activeDatagrams) send(d);
        return true;
    }

    private List<byte[]> protect(ExchangeType type, IkeHeader h, List<Payload> out) {
        if (type == ExchangeType.IKE_SA_INIT) {
            byte[] b = IkeMessageCodec.encode(new IkeMessage(h, out));
            if (!h.response()) initRequest = b;
            else initResponse = b;
            return List.of(b);
        }
        List<byte[]> sealed = MessageProtection.seal(h, out, sealer, peerFragmentation && conn.fragmentation() ? engine.fragmentSize : 0);
        if (type == ExchangeType.IKE_INTERMEDIATE) IntermediateAuth.record(this, h, out, !h.response());
        return sealed;
    }

    /** One INFORMATIONAL request we do not wait for (§2.21.2: the initiator reports a failed AUTH this way). */
    private void tellPeer(NotifyPayload n) {
        if (sealer == null) return;
        IkeHeader h = IkeHeader.of(spiI, spiR, ExchangeType.INFORMATIONAL, initiator, false, nextRequestId);
        for (byte[] d : protect(ExchangeType.INFORMATIONAL, h, List.of(n))) send(d);
    }

    private void send(byte[] data) { engine.send(new Datagram(local, remote, data)); }

    /** Retransmits the request in flight (RFC 7296 §2.1, exponential back-off) or gives up on the peer. */
    void tick(long now) {
        engine.touch(this);
        if (active == null || now < retransmitAt) return;
        if (retransmits >= engine.retransmitTries) {
            Exchange e = active;
            active = null;
            for (IkeTask t : e.tasks) t.abort();
            engine.peerUnreachable(this, e, now);
            return;
        }
        retransmits++;
        retransmitAt = now + (engine.retransmitBase << Math.min(retransmits, 20));
        for (byte[] d : activeDatagrams) send(d);
    }

    // --------------------------------------------------------------------------------------------- receiving

    /** A datagram addressed to this SA. Returns a drop reason, or null when it was used. */
    String receive(IkeMessage m, Datagram d, long now) {
        engine.touch(this);   // whatever the message does to timers, the engine reschedules after this call
        IkeHeader h = m.header();
        if (h.initiator() == initiator) return "I flag says the message came from our own role";
        if (h.response()) {
            if (active == null || h.messageId() != activeId) return "response to no request in flight";
            if (h.exchangeType() != active.type.value()) return "response exchange type differs from request";
            Received r = open(m, d, true);
            if (r == null) return lastOpenFailure;
            if (r == PARTIAL) return null;
            lastHeard = now;
            followPeer(d);
            handleResponse(r, now);
            return null;
        }
        if (h.messageId() == expectedRequestId - 1 && lastResponseId == h.messageId()) {
            // A retransmitted request: answer with the kept response (only once per fragmented request).
            if (m.payloads().getLast() instanceof EncryptedFragmentPayload f && f.fragmentNumber() != 1) return null;
            for (byte[] b : lastResponse) engine.send(new Datagram(d.local(), d.remote(), b));
            return null;
        }
        if (deferred != null && h.messageId() == deferred.header().messageId())
            return "retransmission of a request whose answer is deferred";   // the kept one is answered on resume
        if (h.messageId() != expectedRequestId) return "request message ID " + h.messageId() + " outside the window";
        Received r = open(m, d, false);
        if (r == null) return lastOpenFailure;
        if (r == PARTIAL) return null;
        lastHeard = now;
        followPeer(d);
        handleRequest(r, now);
        return null;
    }

    /** Behind a NAT the peer's address and port are whatever the last authenticated message came from (§2.23). */
    private void followPeer(Datagram d) {
        if (keys == null || !udpEncapsulation()) return;
        local = d.local();
        remote = d.remote();
    }

    private static final Received PARTIAL = new Received(null, List.of(), null);
    private String lastOpenFailure;

    private Received open(IkeMessage m, Datagram d, boolean response) {
        if (m.header().exchange() == ExchangeType.IKE_SA_INIT) {
            if (m.isEncrypted()) { lastOpenFailure = "encrypted IKE_SA_INIT"; return null; }
            return new Received(m.header(), m.payloads(), d);
        }
        if (!m.isEncrypted() || opener == null) { lastOpenFailure = "unprotected message after IKE_SA_INIT"; return null; }
        byte[] plain;
        try {
            plain = MessageProtection.open(m, d.data(), opener);
        } catch (IkeCryptoException e) {
            lastOpenFailure = "SK check failed: " + e.reason();
            return null;
        }
        int first;
        if (m.payloads().getLast() instanceof EncryptedFragmentPayload f) {
            if (!conn.fragmentation()) { lastOpenFailure = "fragment without negotiated fragmentation"; return null; }
            MessageProtection.Reassembly ra = response ? responseFragments : requestFragments;
            plain = ra.add(m.header().messageId(), f, plain);
            if (plain == null) return PARTIAL;
            first = ra.firstInner;
        } else {
            first = ((EncryptedPayload) m.payloads().getLast()).firstInnerPayload();
        }
        List<Payload> inner;
        try {
            inner = IkeMessageCodec.decodeChain(first, plain, 0, plain.length);
        } catch (IkeParseException e) {
            lastOpenFailure = "inner payloads: " + e.getMessage();
            if (!response) answerInvalidSyntax(m.header(), d);
            return null;
        }
        if (m.header().exchange() == ExchangeType.IKE_INTERMEDIATE && algorithms != null)
            IntermediateAuth.record(this, m.header(), first, plain, !response);
        List<Payload> all = new ArrayList<>(m.payloads().subList(0, m.payloads().size() - 1));
        all.addAll(inner);
        return new Received(m.header(), all, d);
    }

    /** An authenticated request whose contents do not parse: INVALID_SYNTAX (RFC 7296 §2.21.2 lets us answer). */
    private void answerInvalidSyntax(IkeHeader h, Datagram d) {
        List<Payload> out = List.of(new NotifyPayload(NotifyPayload.INVALID_SYNTAX, new byte[0]));
        IkeHeader rh = IkeHeader.of(spiI, spiR, h.exchange() == ExchangeType.UNKNOWN ? ExchangeType.INFORMATIONAL : h.exchange(), initiator, true, h.messageId());
        lastResponse = protect(h.exchange(), rh, out);
        lastResponseId = h.messageId();
        expectedRequestId = h.messageId() + 1;
        for (byte[] b : lastResponse) engine.send(new Datagram(d.local(), d.remote(), b));
    }

    private void handleResponse(Received r, long now) {
        // The exchange is over once its response is in, whatever the tasks do with it: a duplicate of this
        // response must never be processed a second time.
        Exchange e = active;
        active = null;
        boolean retry = false;
        inResponse = true;
        try {
            for (IkeTask t : e.tasks) if (t.processResponse(r) == IkeTask.Result.RETRY) retry = true;
        } catch (ExchangeFailure f) {
            inResponse = false;
            nextRequestId = activeId + 1;
            for (IkeTask t : e.tasks) t.abort();
            engine.exchangeFailed(this, e, f.failure, f.getMessage());
            if (f.fatal && e.type == ExchangeType.IKE_AUTH && f.failure == IkeEvent.Failure.AUTHENTICATION_FAILED && r.error().isEmpty())
                tellPeer(new NotifyPayload(NotifyPayload.AUTHENTICATION_FAILED, new byte[0]));
            if (f.fatal) engine.destroy(this, null);
            else startNext(now);
            return;
        }
        inResponse = false;
        if (retry && state != State.DEAD) {
            active = e;
            if (!buildAndSend(now)) active = null;
            return;
        }
        nextRequestId = activeId + 1;
        if (state != State.DEAD) startNext(now);
    }

    private void handleRequest(Received r, long now) {
        ExchangeType type = r.header().exchange();
        List<IkeTask> tasks = responderTasks(type, r);
        List<Payload> out = new ArrayList<>();
        ExchangeFailure failure = null;
        if (tasks == null) {
            if (type == ExchangeType.UNKNOWN) return;   // unknown exchange types are ignored (§2.21.1: no answer)
            failure = ExchangeFailure.of(IkeEvent.Failure.INVALID_SYNTAX, NotifyPayload.INVALID_SYNTAX, type + " request in state " + state);
        } else {
            try {
                for (IkeTask t : tasks) t.processRequest(r);
                for (IkeTask t : tasks) t.buildResponse(out);
            } catch (ExchangeFailure f) {
                failure = f;
                for (IkeTask t : tasks) t.abort();
            }
        }
        if (failure != null && failure.isDeferral()) {   // no answer, no state change: kept until resumed
            deferred = r;
            deferredKey = failure.deferralKey;
            engine.deferred(this);
            return;
        }
        if (failure != null) {
            out.clear();
            if (failure.notify != null) out.add(failure.notify);
            IkeEvent.Failed ev = new IkeEvent.Failed(conn.name(), failure.failure, "peer " + remote + ": " + failure.getMessage());
            // Before authentication anyone can cause these: rate-limited so that a flood cannot flood the log.
            if (state == State.CONNECTING) engine.unauthenticatedEvent(ev);
            else engine.event(ev);
        }
        IkeHeader h = IkeHeader.of(spiI, spiR, type, initiator, true, r.header().messageId());
        lastResponse = protect(type, h, out);
        if (afterResponseSent != null) {
            Runnable r2 = afterResponseSent;
            afterResponseSent = null;
            if (failure == null) r2.run();
        }
        lastResponseId = r.header().messageId();
        expectedRequestId = lastResponseId + 1;
        for (byte[] b : lastResponse) engine.send(new Datagram(r.datagram().local(), r.datagram().remote(), b));
        if (failure != null && failure.fatal) engine.destroy(this, null);
        else engine.afterResponse(this, now);
    }

    /** The tasks that answer a request of this type in the current state, or null when it is not acceptable. */
    private List<IkeTask> responderTasks(ExchangeType type, Received r) {
        return switch (type) {
            case IKE_SA_INIT -> state == State.CONNECTING && keys == null && !initiator
                    ? List.of(new InitTask(this, candidates), new NatDetectionTask(this)) : null;
            case IKE_INTERMEDIATE -> state == State.CONNECTING && peerIntermediate && keys != null ? List.of(new AdditionalKeTask(this, -1)) : null;
            case IKE_AUTH -> state == State.CONNECTING && remoteIdentity == null && keys != null && intermediateDone == algorithms.additionalKe().size()
                    ? List.of(new AuthTask(this), new ChildCreateTask(this, true)) : null;
            case CREATE_CHILD_SA -> {
                if (state != State.ESTABLISHED && state != State.REKEYED) yield null;
                SaPayload sa = r.first(SaPayload.class).orElse(null);
                if (sa != null && sa.proposals().get(0).protocolId() == Proposal.IKE) yield List.of(new IkeRekeyTask(this));
                if (r.notify(NotifyPayload.REKEY_SA).isPresent()) yield List.of(new ChildRekeyTask(this, null));
                yield List.of(new ChildCreateTask(this, false));
            }
            case INFORMATIONAL -> List.of(new InformationalTask(this));
            default -> null;
        };
    }

    // --------------------------------------------------------------------------------------------- deferred

    /** The answer the deferred request waited for is known: processes it now (it may be deferred again). */
    void resumeDeferred(long now) {
        Received r = deferred;
        if (r == null || state == State.DEAD) return;
        deferred = null;
        deferredKey = null;
        handleRequest(r, now);
    }

    /** The deferred request's answer never came: AUTHENTICATION_FAILED to the initiator; the caller removes the SA. */
    void refuseDeferred(String why) {
        Received r = deferred;
        if (r == null || state == State.DEAD) return;
        deferred = null;
        deferredKey = null;
        ExchangeType type = r.header().exchange();
        IkeHeader h = IkeHeader.of(spiI, spiR, type, initiator, true, r.header().messageId());
        lastResponse = protect(type, h, List.of(new NotifyPayload(NotifyPayload.AUTHENTICATION_FAILED, new byte[0])));
        lastResponseId = r.header().messageId();
        expectedRequestId = lastResponseId + 1;
        for (byte[] b : lastResponse) engine.send(new Datagram(r.datagram().local(), r.datagram().remote(), b));
        engine.unauthenticatedEvent(new IkeEvent.Failed(conn.name(), IkeEvent.Failure.AUTHENTICATION_FAILED, "peer " + remote + ": " + why));
    }

    // --------------------------------------------------------------------------------------------- children

    ChildSa childByInboundSpi(int spi) {
        for (ChildSa c : children) if (c.inboundSpi == spi) return c;
        return null;
    }

    ChildSa childByOutboundSpi(int spi) {
        for (ChildSa c : children) if (c.outboundSpi == spi) return c;
        return null;
    }

    void addChild(ChildSa c, boolean rekeyResponder) {
        children.add(c);
        engine.childAdded(this, c);
        engine.install(conn.name(), c.inbound, c.outbound, rekeyResponder);
    }

    void removeChild(ChildSa c, String why) {
        if (!children.remove(c)) return;
        engine.releaseSpi(c.inboundSpi);   // also forgets which IKE SA owned it
        engine.remove(conn.name(), c.inbound, c.outbound);
        engine.event(new IkeEvent.ChildSaDeleted(conn.name(), "Child SA " + c.describe() + " removed: " + why));
    }

    /** Takes over every Child SA of {@code from} (an IKE rekey: the children live on under the new IKE SA). */
    void adoptChildren(IkeSa from) {
        for (ChildSa c : from.children) {
            children.add(c);
            engine.childAdded(this, c);
        }
        from.children.clear();
    }

    String describe() {
        return String.format("IKE SA %016x_i %016x_r %s %s <-> %s", spiI, spiR, algorithms, local, remote);
    }
}
