// Opportunistic encryption wired end to end, on the IKE event loop (every method here runs on that one thread;
// DNS answers arrive on dnsjava's threads and are posted back to it):
//
//   initiator  acquire under an `opportunistic` policy ─> OpportunisticTunnels ─> Lookup ─> DnsClient ─┐
//              ┌──────────────────────────────── lookupResult (posted to the loop) <──────────────────┘
//              └─> Negotiate ─> host-pair SPD entry (hold) + dynamic IkeConnection (START, raw keys from DNS)
//              ─> ChildSaEstablished ─> negotiated ─> lifespan (traffic from SA counters) ─> idle: Delete
//              failure (no records, DNS failure/timeout, IKE failure) ─> connection goes; the pair's entry becomes
//              its fallback decision (permit or deny) while OpportunisticTunnels caches the failure, then goes
//              (FallbackExpired) and the next packet asks again. Until a pair has an entry, the data plane holds
//              its first packet whatever the fallback (PolicyTable.opportunisticKeying).
//   responder  IKE_AUTH on the template ─> respond(): forAuthorization(initiator gateway, inner source) via DNS,
//              PENDING(key) while it runs; its answer resumes the engine's deferred request at once
//              (IkeEngine.resumeDeferred) ─> Accept: connection for exactly the host pair
//              ─> ChildSaEstablished ─> host-pair SPD entry; the peer's Delete ─> entry goes
//   commit     policies changed ─> revalidate(): pairs no longer under an opportunistic policy are torn down;
//              `opportunistic` statement changed ─> the shell shuts this service down (all its tunnels deleted)
//              and starts a new one with the new settings
// Connection and SA names are OpportunisticPolicies.tunnelName(local inner host, remote inner host). There is one
// responder template per own address (IPv4 and IPv6 outer); the inner pair may be of either family.
// OE SAs also count in one SaGroupCounters, OE's logical interface (Wiring.counters), shown by status().
package bitw.appliance.oe;

import bitw.bridge.AcquireQueue;
import bitw.bridge.DataPlane;
import bitw.ipsec.ike.Authentication;
import bitw.ipsec.ike.DpdAction;
import bitw.ipsec.ike.Endpoint;
import bitw.ipsec.ike.EspProposalSpec;
import bitw.ipsec.ike.Identity;
import bitw.ipsec.ike.IkeConnection;
import bitw.ipsec.ike.IkeEvent;
import bitw.ipsec.ike.IkeProposalSpec;
import bitw.ipsec.ike.OpportunisticResponder;
import bitw.ipsec.ike.PeerVerification;
import bitw.ipsec.ike.StartAction;
import bitw.ipsec.ike.message.TrafficSelector;
import bitw.ipsec.oe.OeDiscovery;
import bitw.ipsec.oe.OpportunisticTunnels;
import bitw.ipsec.oe.OpportunisticTunnels.Action;
import bitw.ipsec.oe.OpportunisticTunnels.HostPair;
import bitw.ipsec.packet.IpAddress;
import bitw.ipsec.packet.IpPrefix;
import bitw.ipsec.DropReason;
import bitw.ipsec.sad.SaGroupCounters;
import bitw.ipsec.sad.SaMode;
import bitw.ipsec.sad.SecurityAssociation;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.function.BiPredicate;
import java.util.function.Consumer;
import org.tinylog.Logger;

public final class OpportunisticService implements OpportunisticResponder {
    /** The responder templates' engine names, IPv4 and IPv6 outer ('%' cannot occur in configured names). */
    public static final String TEMPLATE = "%oe-responder", TEMPLATE6 = "%oe-responder6";
    private static final long SECOND = 1_000_000_000L;
    private static final int MAX_RESPONDER_CACHE = 1024;
    /** Host-pair entries are published at once unless the last table swap is this recent; then on the next tick. */
    static final long MIN_PUBLISH_GAP = 50_000_000L;

    /**
     * What the service needs of its surroundings: the data plane (own addresses, SAD), the IKE loop, "my
     * connections changed", where the host-pair SPD entries go, whether the running configuration puts traffic
     * local -> remote under an opportunistic policy, how to delete an IKE SA by connection name, the OE logical
     * interface's counters, and how to resume the IKE_AUTH requests deferred on a responder lookup's key
     * (IkeEngine.resumeDeferred, on the loop).
     */
    public record Wiring(DataPlane plane, Executor loop, Runnable connectionsChanged, Consumer<List<OpportunisticPolicies.HostPairPolicy>> policies,
                         BiPredicate<IpAddress, IpAddress> opportunistic, Consumer<String> terminate, SaGroupCounters counters,
                         Consumer<Object> resumeDeferred) {}

    /** Our credentials and the settings of the `opportunistic` statement, resolved; identityFqdn null: our address. */
    public record Settings(Authentication.Signature credentials, DnsClient.Settings dns, OeDiscovery.Policy policy,
                           Duration failureCache, Duration lifespanInitial, Duration lifespanExtend,
                           List<IkeProposalSpec> ikeProposals, List<EspProposalSpec> espProposals, String identityFqdn) {}

    private final Wiring w;
    private final Settings settings;
    private final DnsClient dns;
    private final OpportunisticTunnels tunnels;
    /** Initiator connections by name, while negotiating and established. */
    private final Map<String, IkeConnection> initiated = new LinkedHashMap<>();
    private final Map<String, HostPair> pairsByName = new HashMap<>();
    /** Host-pair SPD entries by tunnel name (both roles). */
    private final Map<String, OpportunisticPolicies.HostPairPolicy> policies = new LinkedHashMap<>();
    /** Responder: connections handed to the engine, by name, until their Child SA is up (then an SPD entry). */
    private final Map<String, OpportunisticPolicies.HostPairPolicy> accepted = new HashMap<>();
    /** Responder: DNS verdicts by (gateway, identity, inner source); a null verdict is a lookup under way. */
    private final LinkedHashMap<String, Verdict> verdicts = new LinkedHashMap<>(16, 0.75f, true);
    private final Map<String, Long> packetsSeen = new HashMap<>();
    private long lastTick, lastPublish = Long.MIN_VALUE;
    /** Host-pair entries changed since the last publication (published by the next tick). */
    private boolean publishDue;
    /** After shutdown(): late DNS answers and events change nothing any more. */
    private boolean closed;

    private record Verdict(OeDiscovery.Result result, long expiresAt) {}

    public OpportunisticService(Wiring wiring, Settings settings, long nowNanos) {
        this.w = wiring;
        this.settings = settings;
        this.dns = new DnsClient(settings.dns());
        OpportunisticTunnels.Config c = OpportunisticTunnels.Config.DEFAULTS.withNegativeCacheTime(settings.failureCache())
                .withLifespans(settings.lifespanInitial(), settings.lifespanExtend()).withPolicy(settings.policy());
        // Delete retries must fit in the shortest lifespan a test configures; the engine retransmits each Delete itself.
        this.tunnels = new OpportunisticTunnels(c, System::nanoTime);
        this.lastTick = nowNanos;
    }

    // ---------------------------------------------------------------------------------------------- engine side

    /** The dynamic connections the engine must hold besides the configured ones: the templates and initiators. */
    public List<IkeConnection> connections() {
        if (closed) return List.of();
        List<IkeConnection> out = new ArrayList<>(templates());
        out.addAll(initiated.values());
        return out;
    }

    /** The engine names of the responder templates (for IkeEngine.setOpportunisticResponder). */
    public static List<String> templateNames() { return List.of(TEMPLATE, TEMPLATE6); }

    /** One template per own address: the IKE_SA_INIT's local address picks it; inner pairs of both families. */
    private List<IkeConnection> templates() {
        List<IkeConnection> out = new ArrayList<>();
        for (int family : new int[] {IpAddress.V4, IpAddress.V6}) {
            IpAddress own = w.plane().own().forFamily(family);
            if (own == null) continue;
            out.add(new IkeConnection(family == IpAddress.V4 ? TEMPLATE : TEMPLATE6, own, null, Identity.of(own), null, settings.credentials(),
                    new PeerVerification.RawKeys(List.of()), settings.ikeProposals(), settings.espProposals(), SaMode.TUNNEL,
                    List.of(IpPrefix.any(IpAddress.V4), IpPrefix.any(IpAddress.V6)), List.of(IpPrefix.any(IpAddress.V4), IpPrefix.any(IpAddress.V6)),
                    3600, 1200, 0, 60, 0, DpdAction.CLEAR, StartAction.NONE, false, true, 64));
        }
        return out;
    }

    /** Our identity as initiator: the FQDN when configured, else the outside address the IKE SA leaves from. */
    private Identity localIdentity(IpAddress own) {
        return settings.identityFqdn() != null ? Identity.fqdn(settings.identityFqdn()) : Identity.of(own);
    }

    @Override public boolean initiatesOnly(IkeConnection c) {
        return initiated.get(c.name()) == c;
    }

    @Override public boolean ownsIdentity(Identity id) {
        if (settings.identityFqdn() != null && id.equals(Identity.fqdn(settings.identityFqdn()))) return true;
        for (int family : new int[] {IpAddress.V4, IpAddress.V6}) {
            IpAddress own = w.plane().own().forFamily(family);
            if (own != null && id.equals(Identity.of(own))) return true;
        }
        return false;
    }

    /** An acquire from the data plane under an `opportunistic` policy. */
    public void acquire(AcquireQueue.Acquire a) {
        if (closed) return;
        tunnels.acquire(a.source(), a.destination(), a.protocol(), a.sourcePort(), a.destinationPort(), a.entry().fallback());
        drain();
        // A pair still negatively cached but without its decision in the table (a responder tunnel of the pair
        // came and went meanwhile): the decision goes back, so the held packet does not wait for nothing.
        HostPair pair = new HostPair(a.source(), a.destination());
        OpportunisticTunnels.State s = tunnels.state(pair);
        String name = OpportunisticPolicies.tunnelName(pair.local(), pair.remote());
        if ((s == OpportunisticTunnels.State.CLEAR || s == OpportunisticTunnels.State.FAILED) && !policies.containsKey(name))
            decide(pair, s == OpportunisticTunnels.State.CLEAR ? bitw.ipsec.spd.Fallback.CLEAR : bitw.ipsec.spd.Fallback.DROP);
    }

    /** Every engine event; the OE ones (by connection name) move their pair on. */
    public void event(IkeEvent e) {
        String name = e.connection();
        if (closed || name == null || !name.startsWith("%oe-") || templateNames().contains(name)) return;
        HostPair pair = pairsByName.get(name);
        switch (e) {
            case IkeEvent.ChildSaEstablished c -> {
                if (pair != null) tunnels.negotiated(pair);
                if (accepted.containsKey(name)) {   // responder (normally done in childSaInstalling already)
                    childSaInstalling(name);
                } else if (pair != null) {
                    Logger.info("OE {}: tunnel up", pair);
                }
            }
            case IkeEvent.Failed f -> {
                if (f.failure() == IkeEvent.Failure.INVALID_KE_PAYLOAD) return;   // a retry, not the end
                if (pair == null) {   // responder: an accepted peer that then failed (e.g. its signature) leaves nothing behind
                    if (!policies.containsKey(name)) accepted.remove(name);
                    return;
                }
                if (tunnels.state(pair) == OpportunisticTunnels.State.PENDING) tunnels.negotiationFailed(pair, f.failure() + " (" + f.message() + ")");
            }
            case IkeEvent.IkeSaDeleted d -> {
                if (pair == null) {   // responder side: the tunnel is gone
                    accepted.remove(name);
                    if (policies.remove(name) != null) {
                        publishPolicies(false);
                        Logger.info("OE {}: tunnel deleted ({})", name, d.message());
                    }
                    return;
                }
                if (tunnels.state(pair) == OpportunisticTunnels.State.DELETING) tunnels.deleteAcknowledged(pair);
                else if (tunnels.state(pair) == OpportunisticTunnels.State.ESTABLISHED) tunnels.deleteReceived(pair);
                else if (tunnels.state(pair) == OpportunisticTunnels.State.PENDING) tunnels.negotiationFailed(pair, "IKE SA deleted");
            }
            default -> { }
        }
        drain();
    }

    /**
     * The engine is about to install a Child SA of connection {@code name}. A responder pair's host-pair entry goes
     * into the table first: the initiator sends its held packet the moment its side is up, and that packet must
     * meet the entry naming this tunnel (under the bare opportunistic policy it would be refused as not ours).
     */
    public void childSaInstalling(String name) {
        if (closed) return;
        OpportunisticPolicies.HostPairPolicy p = accepted.remove(name);
        if (p == null) return;
        policies.put(name, p);
        publishPolicies(true);   // before the initiator's first ESP arrives
        Logger.info("OE {}: tunnel up (responder, peer {})", name, p.remote());
    }

    /** Called on every IKE tick (100 ms): host-pair entries held back are published; the OE timers run once a second. */
    public void tick(long nowNanos) {
        if (closed) return;
        if (publishDue) publishPolicies(true);
        if (nowNanos - lastTick < SECOND) return;
        lastTick = nowNanos;
        reportTraffic();
        tunnels.tick();
        drain();
    }

    /** Outbound SA packet counters that moved since the last look count as traffic (for the lifespan rule). */
    private void reportTraffic() {
        for (SecurityAssociation sa : w.plane().sad().all()) {
            HostPair pair = pairsByName.get(sa.params().name());
            if (pair == null) continue;
            String key = sa.params().name() + "/" + sa.spi() + (sa.inbound() ? "i" : "o");
            long n = sa.packets();
            Long before = packetsSeen.put(key, n);
            if (before != null && before != n) tunnels.trafficSeen(pair);
        }
        if (packetsSeen.size() > 4 * Math.max(16, pairsByName.size())) packetsSeen.clear();   // keys of removed SAs
    }

    // ---------------------------------------------------------------------------------------------- actions

    private void drain() {
        if (closed) { tunnels.drainActions(); return; }
        for (Action a : tunnels.drainActions()) {
            try {
                apply(a);
            } catch (RuntimeException x) {
                Logger.warn("OE {}: {} failed: {}", a.pair(), a.getClass().getSimpleName(), x.toString());
            }
        }
    }

    private void apply(Action a) {
        switch (a) {
            case Action.Lookup l -> dns.lookup(l.lookup()).thenAccept(r -> w.loop().execute(() -> {
                if (closed) return;
                tunnels.lookupResult(l.pair(), l.lookup(), r);
                drain();
            }));
            case Action.Negotiate n -> negotiate(n);
            case Action.SendDelete d -> {
                // The first Delete: taking the connection away makes the engine send it (and retransmit it).
                if (d.attempt() == 1) forgetConnection(OpportunisticPolicies.tunnelName(d.pair().local(), d.pair().remote()));
            }
            case Action.Teardown t -> removePair(t.pair(), "torn down");
            case Action.Fallback f -> {
                removePair(f.pair(), "fallback " + f.mode());
                decide(f.pair(), f.mode());
            }
            case Action.FallbackExpired x -> {
                String name = OpportunisticPolicies.tunnelName(x.pair().local(), x.pair().remote());
                OpportunisticPolicies.HostPairPolicy p = policies.get(name);
                if (p != null && p.kind() != OpportunisticPolicies.Kind.TUNNEL) {
                    policies.remove(name);
                    publishPolicies(false);
                }
            }
            case Action.Log l -> Logger.info(l.line());
        }
    }

    private void negotiate(Action.Negotiate n) {
        HostPair pair = n.pair();
        IpAddress own = w.plane().own().forFamily(n.gateway().family());
        if (own == null) {
            tunnels.negotiationFailed(pair, "no own IPv" + n.gateway().family() + " address to reach gateway " + n.gateway());
            return;
        }
        String name = OpportunisticPolicies.tunnelName(pair.local(), pair.remote());
        Identity remoteId = n.gatewayFqdn() != null ? Identity.fqdn(n.gatewayFqdn()) : Identity.of(n.gateway());
        IkeConnection c = new IkeConnection(name, own, n.gateway(), localIdentity(own), remoteId, settings.credentials(),
                new PeerVerification.RawKeys(n.keys()), settings.ikeProposals(), settings.espProposals(), SaMode.TUNNEL,
                List.of(IpPrefix.host(pair.local())), List.of(IpPrefix.host(pair.remote())), 3600, 1200, 0, 60, 0, DpdAction.CLEAR,
                StartAction.START, false, true, 64);
        initiated.put(name, c);
        pairsByName.put(name, pair);
        policies.put(name, new OpportunisticPolicies.HostPairPolicy(pair.local(), pair.remote(), name));
        publishPolicies(false);
        w.connectionsChanged().run();
        Logger.info("OE {}: negotiating with gateway {}{} as {} ({} key(s) from DNS {}, {})", pair, n.gateway(),
                n.gatewayFqdn() != null ? " (@" + n.gatewayFqdn() + ")" : "", c.localId(), n.keys().size(),
                n.source() == null ? "?" : n.source().name(), n.dnssecValidated() ? "DNSSEC-validated" : "not validated by DNSSEC");
    }

    private void forgetConnection(String name) {
        if (initiated.remove(name) != null) w.connectionsChanged().run();
    }

    private void removePair(HostPair pair, String why) {
        String name = OpportunisticPolicies.tunnelName(pair.local(), pair.remote());
        forgetConnection(name);
        // Only what the initiator side put there: a responder tunnel of the same pair stays.
        if (pairsByName.remove(name) != null && policies.remove(name) != null) publishPolicies(false);
    }

    /** The pair failed: its fallback becomes a host-pair entry (unless a responder tunnel carries the pair). */
    private void decide(HostPair pair, bitw.ipsec.spd.Fallback mode) {
        String name = OpportunisticPolicies.tunnelName(pair.local(), pair.remote());
        if (policies.containsKey(name)) return;
        policies.put(name, OpportunisticPolicies.HostPairPolicy.decision(pair.local(), pair.remote(), mode));
        publishPolicies(false);
    }

    /**
     * Hands the host-pair entries to the table, at once when {@code now} or when the last swap is older than
     * MIN_PUBLISH_GAP, else on the next tick: a burst of decisions (a flood of failing destinations) costs a few
     * table swaps instead of one each, at most a tick's delay for the pairs concerned.
     */
    private void publishPolicies(boolean now) {
        long t = System.nanoTime();
        if (!now && lastPublish != Long.MIN_VALUE && t - lastPublish < MIN_PUBLISH_GAP) {
            publishDue = true;
            return;
        }
        publishDue = false;
        lastPublish = t;
        w.policies().accept(List.copyOf(policies.values()));
    }

    // ---------------------------------------------------------------------------------------------- responder

    @Override public Answer respond(IkeConnection template, Identity peerId, Endpoint peer, List<TrafficSelector> tsi, List<TrafficSelector> tsr) {
        return respond(template, peerId, null, peer, tsi, tsr);
    }

    @Override public Answer respond(IkeConnection template, Identity peerId, Identity requestedLocalId, Endpoint peer,
                                    List<TrafficSelector> tsi, List<TrafficSelector> tsr) {
        if (closed) return new Answer.Refuse("opportunistic encryption is being reconfigured");
        if (tsi.isEmpty() || tsr.isEmpty()) return new Answer.Refuse("no traffic selectors");
        // OE tunnels are host to host: the initiator's first selectors name one inner source and one destination.
        IpAddress source = tsi.get(0).start(), destination = tsr.get(0).start();
        if (!source.equals(tsi.get(0).end()) || !destination.equals(tsr.get(0).end()))
            return new Answer.Refuse("traffic selectors " + tsi.get(0) + " / " + tsr.get(0) + " are not a host pair");
        if (source.family() != destination.family()) return new Answer.Refuse("selector families differ");
        // The destination must be a host our own opportunistic policy covers towards that source (configured
        // policies only: a host-pair entry of ours in front of them is no authority).
        if (!w.opportunistic().test(destination, source))
            return new Answer.Refuse(destination + " -> " + source + " is not under an opportunistic policy here");
        String fqdn = null;
        switch (peerId.type()) {
            case IPV4_ADDR, IPV6_ADDR -> {
                if (!Identity.of(peer.address()).equals(peerId)) return new Answer.Refuse("identity " + peerId + " is not its address " + peer.address());
            }
            case FQDN -> fqdn = new String(peerId.data(), StandardCharsets.US_ASCII);
            default -> { return new Answer.Refuse("OE identities are addresses or FQDNs, not " + peerId); }
        }
        long now = System.nanoTime();
        String key = peer.address() + "|" + fqdn + "|" + source;
        Verdict v = verdicts.get(key);
        if (v != null && v.result() != null && now - v.expiresAt() >= 0) { verdicts.remove(key); v = null; }
        if (v == null) {
            if (verdicts.size() >= MAX_RESPONDER_CACHE) verdicts.remove(verdicts.keySet().iterator().next());
            verdicts.put(key, new Verdict(null, 0));
            dns.discover(OeDiscovery.forAuthorization(peer.address(), fqdn, source, settings.policy())).thenAccept(r -> w.loop().execute(() -> {
                if (closed) return;
                long ttl = r instanceof OeDiscovery.Result.Found ? 60 * SECOND : settings.failureCache().toNanos();
                // Evicted meanwhile by a storm of other initiators: it comes back only within the cap.
                if (!verdicts.containsKey(key) && verdicts.size() >= MAX_RESPONDER_CACHE) verdicts.remove(verdicts.keySet().iterator().next());
                verdicts.put(key, new Verdict(r, System.nanoTime() + ttl));
                w.resumeDeferred().accept(key);   // the initiator's IKE_AUTH is answered now, not at its retransmission
            }));
            return new Answer.Pending(key);
        }
        if (v.result() == null) return new Answer.Pending(key);
        return switch (v.result()) {
            case OeDiscovery.Result.NotFound nf -> {
                Logger.info("OE: refused {} at {} for {}: {} {}", peerId, peer.address(), source, nf.reason(), nf.detail());
                yield new Answer.Refuse(nf.reason() + " " + nf.detail());
            }
            case OeDiscovery.Result.Found f -> {
                String name = OpportunisticPolicies.tunnelName(destination, source);
                // Answer with the identity asked for when it is ours (an FQDN delegation), else the template's.
                Identity localId = requestedLocalId != null && ownsIdentity(requestedLocalId) ? requestedLocalId : template.localId();
                IkeConnection c = new IkeConnection(name, template.localAddress(), peer.address(), localId, peerId,
                        template.localAuth(), new PeerVerification.RawKeys(f.keys()), template.ikeProposals(), template.espProposals(),
                        SaMode.TUNNEL, List.of(IpPrefix.host(destination)), List.of(IpPrefix.host(source)), 3600, 1200, 0, 60, 0,
                        DpdAction.CLEAR, StartAction.NONE, false, true, 64);
                accepted.put(name, new OpportunisticPolicies.HostPairPolicy(destination, source, name));
                Logger.info("OE: accepting {} at {} for {} ({} key(s) from DNS {}), answering as {}", peerId, peer.address(), source,
                        f.keys().size(), f.source(), localId);
                yield new Answer.Accept(c);
            }
        };
    }

    // ---------------------------------------------------------------------------------------------- commits

    /**
     * The policies changed (a commit): host pairs the running configuration no longer puts under an opportunistic
     * policy lose their tunnel at once (Delete to the peer), in both roles. ConfigApplier already left their
     * host-pair entries out of the new table, so nothing of theirs is sent through OE meanwhile.
     */
    public void revalidate() {
        if (closed) return;
        for (HostPair pair : tunnels.activePairs())
            if (!w.opportunistic().test(pair.local(), pair.remote())) tunnels.withdraw(pair, "no longer under an opportunistic policy");
        boolean changed = false;
        for (var it = policies.entrySet().iterator(); it.hasNext(); ) {
            var e = it.next();
            OpportunisticPolicies.HostPairPolicy p = e.getValue();
            if (pairsByName.containsKey(e.getKey()) || w.opportunistic().test(p.local(), p.remote())) continue;
            it.remove();
            changed = true;
            if (p.kind() != OpportunisticPolicies.Kind.TUNNEL) continue;   // a fallback decision: nothing to delete
            w.terminate().accept(e.getKey());   // responder side: delete the IKE SA; its Child SAs go with it
            Logger.info("OE {}: no longer under an opportunistic policy; tunnel removed", e.getKey());
        }
        accepted.values().removeIf(p -> !w.opportunistic().test(p.local(), p.remote()));
        if (changed) publishPolicies(false);
        drain();
    }

    /**
     * Ends this service (the `opportunistic` statement changed or went): its host-pair entries leave the table, its
     * connections leave the engine, and the names of all its tunnels (both roles) are returned for the shell to
     * delete at once (IkeEngine.terminateNow). Events that arrive later are ignored. Later calls change nothing.
     */
    public List<String> shutdown() {
        if (closed) return List.of();
        java.util.Set<String> names = new java.util.LinkedHashSet<>(initiated.keySet());
        for (var e : policies.entrySet()) if (e.getValue().kind() == OpportunisticPolicies.Kind.TUNNEL) names.add(e.getKey());
        names.addAll(accepted.keySet());
        int n = tunnels.establishedCount();
        long responders = names.stream().filter(x -> !initiated.containsKey(x) && !pairsByName.containsKey(x)).count();
        closed = true;
        initiated.clear();
        pairsByName.clear();
        accepted.clear();
        policies.clear();
        w.policies().accept(List.of());
        Logger.info("OE: stopped; {} initiated tunnel(s) and {} responder tunnel(s) deleted", n, responders);
        return List.copyOf(names);
    }

    // ---------------------------------------------------------------------------------------------- status

    /** The data of `show opportunistic` (rendered by bitw.appliance.IkeStatusView); on the IKE loop. */
    public record StatusView(int pending, int established, int failedCached, int hostPairPolicies, long rateLimited,
                             List<OpportunisticTunnels.TunnelView> tunnels) {}

    public StatusView statusView() {
        return new StatusView(tunnels.pendingCount(), tunnels.establishedCount(), tunnels.negativeCount(), policies.size(),
                tunnels.rateLimitedCount(), tunnels.tunnels());
    }

    public String status() {
        StringBuilder sb = new StringBuilder("OE: " + tunnels.pendingCount() + " pending, " + tunnels.establishedCount() + " established, "
                + tunnels.negativeCount() + " failed (cached), " + policies.size() + " host-pair policies, " + tunnels.rateLimitedCount() + " rate-limited, "
                + w.plane().acquires.dropped() + " acquires lost (queue full)\n");
        sb.append("  host pair                        gateway          key from  dnssec  lifespan\n");
        for (OpportunisticTunnels.TunnelView t : tunnels.tunnels())
            sb.append(String.format("  %-32.32s %-16.16s %-9s %-7s %ds%s%n", t.pair(), t.gateway() == null ? "?" : t.gateway(),
                    t.source() == null ? "?" : t.source().name().toLowerCase(), t.dnssecValidated() ? "yes" : "no",
                    t.lifespanLeft().toSeconds(), t.state() == OpportunisticTunnels.State.ESTABLISHED ? "" : " (" + t.state().name().toLowerCase() + ")"));
        sb.append(interfaceText(w.counters()));
        return sb.toString();
    }

    /** OE's logical interface: traffic of every OE tunnel (live or gone) and its drops by reason. */
    public static String interfaceText(SaGroupCounters c) {
        StringBuilder sb = new StringBuilder(String.format("OE interface %s: in %d packets %d bytes, out %d packets %d bytes, %d dropped%n",
                c.name(), c.inPackets(), c.inBytes(), c.outPackets(), c.outBytes(), c.dropTotal()));
        for (DropReason r : DropReason.values()) {
            long n = c.drops(r);
            if (n > 0) sb.append(String.format("  %-24s %12d%n", r.name().toLowerCase().replace('_', '-'), n));
        }
        return sb.toString();
    }

    /** The same as JSON: {"inPackets":..,"inBytes":..,"outPackets":..,"outBytes":..,"drops":{"SELECTOR_MISMATCH":1,..}}. */
    public static String interfaceJson(SaGroupCounters c) {
        StringBuilder sb = new StringBuilder("{\"name\":\"").append(c.name()).append("\",\"inPackets\":").append(c.inPackets())
                .append(",\"inBytes\":").append(c.inBytes()).append(",\"outPackets\":").append(c.outPackets())
                .append(",\"outBytes\":").append(c.outBytes()).append(",\"drops\":{");
        boolean first = true;
        for (DropReason r : DropReason.values()) {
            if (!first) sb.append(',');
            first = false;
            sb.append('"').append(r.name()).append("\":").append(c.drops(r));
        }
        return sb.append("}}").toString();
    }

    /** Counts for status json: tunnels by state and the rate limit. */
    public String statusJson() {
        return "{\"pending\":" + tunnels.pendingCount() + ",\"established\":" + tunnels.establishedCount() + ",\"failedCached\":"
                + tunnels.negativeCount() + ",\"hostPairPolicies\":" + policies.size() + ",\"rateLimited\":" + tunnels.rateLimitedCount()
                + ",\"acquiresLost\":" + w.plane().acquires.dropped()
                + ",\"interface\":" + interfaceJson(w.counters()) + "}";
    }

    /** Read-only access for tests of bounds. */
    public OpportunisticTunnels tunnels() { return tunnels; }

    /** Responder verdicts cached (bounded). */
    public int responderCacheSize() { return verdicts.size(); }
}
