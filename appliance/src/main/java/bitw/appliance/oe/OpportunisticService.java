// Opportunistic encryption wired end to end, on the IKE event loop (every method here runs on that one thread;
// DNS answers arrive on dnsjava's threads and are posted back to it):
//
//   initiator  acquire under an `opportunistic` policy ─> OpportunisticTunnels ─> Lookup ─> DnsClient ─┐
//              ┌──────────────────────────────── lookupResult (posted to the loop) <──────────────────┘
//              └─> Negotiate ─> host-pair SPD entry (hold) + dynamic IkeConnection (START, raw keys from DNS)
//              ─> ChildSaEstablished ─> negotiated ─> lifespan (traffic from SA counters) ─> idle: Delete
//              failure (no records, DNS failure/timeout, IKE failure) ─> entry and connection go; the
//              opportunistic policy's fallback applies, negatively cached by OpportunisticTunnels
//   responder  IKE_AUTH on the template ─> respond(): forAuthorization(initiator gateway, inner source) via DNS,
//              PENDING until answered (the initiator retransmits) ─> Accept: connection for exactly the host pair
//              ─> ChildSaEstablished ─> host-pair SPD entry; the peer's Delete ─> entry goes
// Connection and SA names are OpportunisticPolicies.tunnelName(local inner host, remote inner host).
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
import bitw.ipsec.sad.SaMode;
import bitw.ipsec.sad.SecurityAssociation;
import bitw.ipsec.spd.PolicyAction;
import bitw.ipsec.spd.PolicyEntry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import org.tinylog.Logger;

public final class OpportunisticService implements OpportunisticResponder {
    /** The responder template's engine name ('%' cannot occur in configured names). */
    public static final String TEMPLATE = "%oe-responder";
    private static final long SECOND = 1_000_000_000L;
    private static final int MAX_RESPONDER_CACHE = 1024;

    /** What the service needs of its surroundings. */
    public record Wiring(DataPlane plane, Executor loop, Runnable connectionsChanged, Consumer<List<OpportunisticPolicies.HostPairPolicy>> policies) {}

    /** Our credentials and the settings of the `opportunistic` statement, resolved. */
    public record Settings(Authentication.Signature credentials, DnsClient.Settings dns, OeDiscovery.Policy policy,
                           Duration failureCache, Duration lifespanInitial, Duration lifespanExtend,
                           List<IkeProposalSpec> ikeProposals, List<EspProposalSpec> espProposals) {}

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
    private long lastTick;

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

    /** The dynamic connections the engine must hold besides the configured ones: the template and initiators. */
    public List<IkeConnection> connections() {
        List<IkeConnection> out = new ArrayList<>();
        IkeConnection t = template();
        if (t != null) out.add(t);
        out.addAll(initiated.values());
        return out;
    }

    private IkeConnection template() {
        IpAddress own = w.plane().own().forFamily(IpAddress.V4);
        if (own == null) return null;
        return new IkeConnection(TEMPLATE, own, null, Identity.of(own), null, settings.credentials(),
                new PeerVerification.RawKeys(List.of()), settings.ikeProposals(), settings.espProposals(), SaMode.TUNNEL,
                List.of(IpPrefix.any(IpAddress.V4)), List.of(IpPrefix.any(IpAddress.V4)), 3600, 1200, 0, 60, 0, DpdAction.CLEAR,
                StartAction.NONE, false, true, 64);
    }

    /** An acquire from the data plane under an `opportunistic` policy. */
    public void acquire(AcquireQueue.Acquire a) {
        PolicyEntry e = a.entry();
        tunnels.acquire(a.source(), a.destination(), a.protocol(), a.sourcePort(), a.destinationPort(), e.fallback());
        drain();
    }

    /** Every engine event; the OE ones (by connection name) move their pair on. */
    public void event(IkeEvent e) {
        String name = e.connection();
        if (name == null || !name.startsWith("%oe-") || name.equals(TEMPLATE)) return;
        HostPair pair = pairsByName.get(name);
        switch (e) {
            case IkeEvent.ChildSaEstablished c -> {
                if (pair != null) tunnels.negotiated(pair);
                OpportunisticPolicies.HostPairPolicy p = accepted.remove(name);
                if (p != null) {   // responder: the pair's packets now go through its SA
                    policies.put(name, p);
                    publishPolicies();
                    Logger.info("OE {}: tunnel up (responder, peer {})", name, p.remote());
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
                        publishPolicies();
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

    /** Called on every IKE tick (100 ms); the OE timers run once a second. */
    public void tick(long nowNanos) {
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
                tunnels.lookupResult(l.pair(), l.lookup(), r);
                drain();
            }));
            case Action.Negotiate n -> negotiate(n);
            case Action.SendDelete d -> {
                // The first Delete: taking the connection away makes the engine send it (and retransmit it).
                if (d.attempt() == 1) forgetConnection(OpportunisticPolicies.tunnelName(d.pair().local(), d.pair().remote()));
            }
            case Action.Teardown t -> removePair(t.pair(), "torn down");
            case Action.Fallback f -> removePair(f.pair(), "fallback " + f.mode());
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
        IkeConnection c = new IkeConnection(name, own, n.gateway(), Identity.of(own), remoteId, settings.credentials(),
                new PeerVerification.RawKeys(n.keys()), settings.ikeProposals(), settings.espProposals(), SaMode.TUNNEL,
                List.of(IpPrefix.host(pair.local())), List.of(IpPrefix.host(pair.remote())), 3600, 1200, 0, 60, 0, DpdAction.CLEAR,
                StartAction.START, false, true, 64);
        initiated.put(name, c);
        pairsByName.put(name, pair);
        policies.put(name, new OpportunisticPolicies.HostPairPolicy(pair.local(), pair.remote(), name));
        publishPolicies();
        w.connectionsChanged().run();
        Logger.info("OE {}: negotiating with gateway {} ({} key(s) from DNS{})", pair, n.gateway(), n.keys().size(),
                n.dnssecValidated() ? ", DNSSEC-validated" : "");
    }

    private void forgetConnection(String name) {
        if (initiated.remove(name) != null) w.connectionsChanged().run();
    }

    private void removePair(HostPair pair, String why) {
        String name = OpportunisticPolicies.tunnelName(pair.local(), pair.remote());
        forgetConnection(name);
        pairsByName.remove(name);
        if (policies.remove(name) != null) publishPolicies();
    }

    private void publishPolicies() {
        w.policies().accept(List.copyOf(policies.values()));
    }

    // ---------------------------------------------------------------------------------------------- responder

    @Override public Answer respond(IkeConnection template, Identity peerId, Endpoint peer, List<TrafficSelector> tsi, List<TrafficSelector> tsr) {
        if (tsi.isEmpty() || tsr.isEmpty()) return new Answer.Refuse("no traffic selectors");
        // OE tunnels are host to host: the initiator's first selectors name one inner source and one destination.
        IpAddress source = tsi.get(0).start(), destination = tsr.get(0).start();
        if (!source.equals(tsi.get(0).end()) || !destination.equals(tsr.get(0).end()))
            return new Answer.Refuse("traffic selectors " + tsi.get(0) + " / " + tsr.get(0) + " are not a host pair");
        if (source.family() != destination.family()) return new Answer.Refuse("selector families differ");
        // The destination must be a host our own opportunistic policy covers towards that source.
        PolicyEntry e = w.plane().table().spd.lookup(destination.family(), destination.hi(), destination.lo(), source.hi(), source.lo(), 0, 0, 0);
        if (e == null || e.action() != PolicyAction.OPPORTUNISTIC)
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
                long ttl = r instanceof OeDiscovery.Result.Found ? 60 * SECOND : settings.failureCache().toNanos();
                verdicts.put(key, new Verdict(r, System.nanoTime() + ttl));
            }));
            return new Answer.Pending();
        }
        if (v.result() == null) return new Answer.Pending();
        return switch (v.result()) {
            case OeDiscovery.Result.NotFound nf -> {
                Logger.info("OE: refused {} at {} for {}: {} {}", peerId, peer.address(), source, nf.reason(), nf.detail());
                yield new Answer.Refuse(nf.reason() + " " + nf.detail());
            }
            case OeDiscovery.Result.Found f -> {
                String name = OpportunisticPolicies.tunnelName(destination, source);
                IkeConnection c = new IkeConnection(name, template.localAddress(), peer.address(), template.localId(), peerId,
                        template.localAuth(), new PeerVerification.RawKeys(f.keys()), template.ikeProposals(), template.espProposals(),
                        SaMode.TUNNEL, List.of(IpPrefix.host(destination)), List.of(IpPrefix.host(source)), 3600, 1200, 0, 60, 0,
                        DpdAction.CLEAR, StartAction.NONE, false, true, 64);
                accepted.put(name, new OpportunisticPolicies.HostPairPolicy(destination, source, name));
                yield new Answer.Accept(c);
            }
        };
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
                + tunnels.negativeCount() + " failed (cached), " + policies.size() + " host-pair policies, " + tunnels.rateLimitedCount() + " rate-limited\n");
        sb.append("  host pair                        gateway          key from  dnssec  lifespan\n");
        for (OpportunisticTunnels.TunnelView t : tunnels.tunnels())
            sb.append(String.format("  %-32.32s %-16.16s %-9s %-7s %ds%s%n", t.pair(), t.gateway() == null ? "?" : t.gateway(),
                    t.source() == null ? "?" : t.source().name().toLowerCase(), t.dnssecValidated() ? "yes" : "no",
                    t.lifespanLeft().toSeconds(), t.state() == OpportunisticTunnels.State.ESTABLISHED ? "" : " (" + t.state().name().toLowerCase() + ")"));
        return sb.toString();
    }
}
