// The I/O shell around the sans-I/O IKEv2 engine: Netty UDP channels on ports 500 and 4500 of the appliance's
// own address (carried by the kernel through the TAP), a 100 ms timer, acquires from the data plane, and the
// engine's outputs applied to the SAD. Every engine call runs on the one Netty event-loop thread, so the
// engine needs no locking.
//
//   UDP 500  ──────────────────────────────┐
//   UDP 4500 ── strip non-ESP marker ──────┼──> IkeEngine.receive ──> send / installChildSa / removeChildSa / event
//   timer (100 ms) ── tick, drain acquires ┘
// Opportunistic encryption (bitw.appliance.oe.OpportunisticService) lives on the same loop: acquires of
// opportunistic policies go to it, engine events reach it after the engine call that raised them, and its dynamic
// connections (the responder templates and one per negotiating host pair) join the configured ones. A commit that
// changes the `opportunistic` statement replaces the service (reconfigureOpportunistic); every OE SA counts in one
// SaGroupCounters, OE's logical interface, which outlives the services.
// -Dbitw.ike.save-keys=FILE appends every Child SA's keys to FILE (tests inject and decode ESP with them; like
// strongSwan's save-keys plugin, for labs only: never set it on a deployed appliance).
package bitw.appliance;

import bitw.bridge.AcquireQueue;
import bitw.bridge.DataPlane;
import bitw.ipsec.crypto.AhTransforms;
import bitw.ipsec.crypto.EspTransforms;
import bitw.ipsec.ike.Datagram;
import bitw.ipsec.ike.Endpoint;
import bitw.ipsec.ike.IkeConnection;
import bitw.ipsec.ike.IkeEngine;
import bitw.ipsec.ike.IkeEvent;
import bitw.ipsec.ike.IkeOutput;
import bitw.ipsec.packet.IpAddress;
import bitw.ipsec.sad.SaParameters;
import bitw.ipsec.sad.SaProtocol;
import bitw.ipsec.sad.SecurityAssociation;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.socket.nio.NioDatagramChannel;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.tinylog.Logger;

final class IkeService implements IkeOutput, AutoCloseable {
    static final int IKE_PORT = 500, NAT_T_PORT = 4500;
    private static final int MAX_RECENT_EVENTS = 200;

    private final DataPlane plane;
    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, (java.util.concurrent.ThreadFactory) r -> new Thread(r, "bitw-ike"), NioIoHandler.newFactory());
    private final List<Channel> channels = new ArrayList<>();
    private Channel ike500, ike4500;
    private IkeEngine engine;
    private final Deque<String> recentEvents = new ArrayDeque<>();
    /** Outbound SAs of pairs we made as rekey responder, held back until the old pair goes (event loop only). */
    private final java.util.Map<String, List<SaParameters>> pendingOutbound = new java.util.HashMap<>();
    private List<IkeConnection> configured = List.of();
    private bitw.appliance.oe.OpportunisticService oe;
    private OeHooks oeHooks;
    /** OE's logical interface: every OE SA counts here too. */
    final bitw.ipsec.sad.SaGroupCounters oeCounters = new bitw.ipsec.sad.SaGroupCounters("opportunistic");
    private final java.nio.file.Path saveKeys;

    /**
     * What OE needs of the configuration side: where its host-pair SPD entries go, and whether the running
     * configuration puts local -> remote under an opportunistic policy.
     */
    record OeHooks(java.util.function.Consumer<List<bitw.appliance.oe.OpportunisticPolicies.HostPairPolicy>> policies,
                   java.util.function.BiPredicate<IpAddress, IpAddress> opportunistic) {}

    IkeService(DataPlane plane) {
        this.plane = plane;
        plane.alsoClear(oeCounters::clear);
        String keys = System.getProperty("bitw.ike.save-keys");
        this.saveKeys = keys == null || keys.isBlank() ? null : java.nio.file.Path.of(keys);
        if (saveKeys != null) Logger.warn("bitw.ike.save-keys: Child SA keys are written to {} (for tests only)", saveKeys);
    }

    /** Binds the sockets and starts the engine with these connections. */
    void start(List<IkeConnection> connections) throws InterruptedException {
        start(connections, null, null);
    }

    /** With opportunistic encryption when {@code oeSettings} is not null (it may also come later by a commit). */
    void start(List<IkeConnection> connections, bitw.appliance.oe.OpportunisticService.Settings oeSettings, OeHooks hooks) throws InterruptedException {
        ike500 = bind(IKE_PORT);
        ike4500 = bind(NAT_T_PORT);
        configured = List.copyOf(connections);
        oeHooks = hooks;
        group.next().submit(() -> {
            long now = System.nanoTime();
            if (oeSettings != null && hooks != null) oe = newOe(oeSettings, now);
            engine = new IkeEngine(all(), this, new SecureRandom(), now);
            if (oe != null) engine.setOpportunisticResponder(bitw.appliance.oe.OpportunisticService.templateNames(), oe);
            // Lab tests shorten the retransmission schedule so a dead peer is found in seconds, not minutes.
            long baseMs = Long.getLong("bitw.ike.retransmit-base-ms", 0);
            if (baseMs > 0) engine.setRetransmission(baseMs * 1_000_000L, Integer.getInteger("bitw.ike.retransmit-tries", 5));
        }).sync();
        group.next().scheduleAtFixedRate(this::tick, 100, 100, TimeUnit.MILLISECONDS);
        // A first packet's acquire need not wait up to a tick: the data plane wakes the loop (one preallocated task).
        Runnable drain = this::drainAcquires;
        plane.acquires.onFirstRequest(() -> {
            try {
                group.next().execute(drain);
            } catch (java.util.concurrent.RejectedExecutionException stopping) {
                // IKE is shutting down: nobody to ask any more (never let the data-plane thread die of it)
            }
        });
        Logger.info("IKE listening on UDP 500 and 4500 with {} connection(s)", connections.size());
    }

    private bitw.appliance.oe.OpportunisticService newOe(bitw.appliance.oe.OpportunisticService.Settings s, long now) {
        return new bitw.appliance.oe.OpportunisticService(new bitw.appliance.oe.OpportunisticService.Wiring(plane, group.next(),
                this::connectionsChanged, oeHooks.policies(), oeHooks.opportunistic(),
                name -> engine.terminate(name, System.nanoTime()), oeCounters,
                key -> engine.resumeDeferred(key, System.nanoTime())), s, now);
    }

    /**
     * A commit changed the `opportunistic` statement (null: removed). The running service stops — its tunnels are
     * deleted with a Delete to each peer, its host-pair entries leave the table (the opportunistic policies' own
     * fallback applies to those pairs until they are negotiated again) — and a new one starts with the new
     * settings. Configured connections and their SAs are not touched.
     */
    void reconfigureOpportunistic(bitw.appliance.oe.OpportunisticService.Settings settings) {
        group.next().execute(() -> {
            if (engine == null || oeHooks == null) return;
            long now = System.nanoTime();
            // The old service's tunnels go now (Delete to each peer), before a successor may reuse their names.
            for (String name : oe == null ? List.<String>of() : oe.shutdown()) engine.terminateNow(name, now);
            oe = settings == null ? null : newOe(settings, now);
            engine.setOpportunisticResponder(oe == null ? List.of() : bitw.appliance.oe.OpportunisticService.templateNames(), oe);
            engine.reconfigure(all(), now);
            engine.resumeDeferred(null, now);   // requests the old service deferred: the new one decides them
            Logger.info("opportunistic encryption {}", settings == null ? "off" : "restarted with the new settings");
        });
    }

    /** A commit changed the policies: OE drops host pairs they no longer put under an opportunistic policy. */
    void policiesChanged() {
        group.next().execute(() -> { if (oe != null) oe.revalidate(); });
    }

    private Channel bind(int port) throws InterruptedException {
        Channel c = new Bootstrap().group(group).channel(NioDatagramChannel.class)
                .handler(new SimpleChannelInboundHandler<DatagramPacket>() {
                    @Override protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket p) { received(port, p); }
                })
                .bind(new InetSocketAddress(port)).sync().channel(); // "::" — dual stack, both families
        channels.add(c);
        return c;
    }

    private void received(int port, DatagramPacket p) {
        ByteBuf b = p.content();
        int skip = 0;
        if (port == NAT_T_PORT) {
            if (b.readableBytes() == 1 && b.getUnsignedByte(b.readerIndex()) == 0xff) return; // NAT-T keepalive
            if (b.readableBytes() < 4 || b.getInt(b.readerIndex()) != 0) return;           // ESP goes to the data plane, not here
            skip = 4;
        }
        byte[] data = new byte[b.readableBytes() - skip];
        b.getBytes(b.readerIndex() + skip, data);
        IpAddress remoteIp = address(p.sender());
        IpAddress localIp = plane.own().forFamily(remoteIp.family());
        if (localIp == null || engine == null) return;
        engine.receive(new Datagram(new Endpoint(localIp, port), new Endpoint(remoteIp, p.sender().getPort()), data), System.nanoTime());
    }

    private static IpAddress address(InetSocketAddress a) {
        byte[] raw = a.getAddress().getAddress();
        if (raw.length == 16 && isV4Mapped(raw)) return IpAddress.v4(((raw[12] & 0xff) << 24) | ((raw[13] & 0xff) << 16) | ((raw[14] & 0xff) << 8) | (raw[15] & 0xff));
        return IpAddress.parse(a.getAddress().getHostAddress().replaceAll("%.*$", ""));
    }

    private static boolean isV4Mapped(byte[] r) {
        for (int i = 0; i < 10; i++) if (r[i] != 0) return false;
        return (r[10] & 0xff) == 0xff && (r[11] & 0xff) == 0xff;
    }

    private void tick() {
        if (engine == null) return;
        long now = System.nanoTime();
        drainAcquires();
        engine.tick(now);
        if (oe != null) oe.tick(now);
    }

    /** Acquires from the data plane: on every tick, and at once when one lands in an empty queue (see start). */
    private void drainAcquires() {
        if (engine == null) return;
        long now = System.nanoTime();
        for (AcquireQueue.Acquire a; (a = plane.acquires.poll()) != null; ) {
            if (a.entry().tunnel() != null) engine.acquire(a.entry().tunnel(), a.source(), a.destination(), a.protocol(), now);
            else if (oe != null && a.entry().action() == bitw.ipsec.spd.PolicyAction.OPPORTUNISTIC) oe.acquire(a);
        }
    }

    // ---- IkeOutput: called on the event loop by the engine ----

    @Override public void send(Datagram d) {
        boolean natT = d.local().port() == NAT_T_PORT;
        ByteBuf buf = Unpooled.buffer(d.data().length + (natT ? 4 : 0));
        if (natT) buf.writeInt(0); // non-ESP marker (RFC 3948 §2.2)
        buf.writeBytes(d.data());
        (natT ? ike4500 : ike500).writeAndFlush(new DatagramPacket(buf, new InetSocketAddress(d.remote().address().toInetAddress(), d.remote().port())));
    }

    @Override public void installChildSa(String connection, SaParameters inbound, SaParameters outbound) {
        if (oe != null && connection.startsWith(bitw.appliance.oe.OpportunisticPolicies.PREFIX)) oe.childSaInstalling(connection);
        long now = System.nanoTime();
        plane.sad().install(sa(inbound, now));   // inbound first: the peer may use the SA as soon as it has it
        plane.sad().install(sa(outbound, now));  // then ours becomes current for the tunnel (make-before-break)
        plane.releaseHeld();                     // the first packet held for this tunnel leaves now
    }

    /** An SA for the SAD; OE's count in its logical interface too; keys saved when the test option asks. */
    private SecurityAssociation sa(SaParameters p, long now) {
        SecurityAssociation sa = newSa(p, now);
        if (p.name().startsWith(bitw.appliance.oe.OpportunisticPolicies.PREFIX)) sa.countIn(oeCounters);
        if (saveKeys != null) saveKeys(p);
        return sa;
    }

    /** One line per SA: name, direction, SPI, outer addresses, algorithms and keys in hex (what scapy/tshark need). */
    private void saveKeys(SaParameters p) {
        String line = String.format("%s %s spi=0x%08x src=%s dst=%s enc=%s key=%s integ=%s integ-key=%s encap=%s%n", p.name(),
                p.direction() == SaParameters.Direction.INBOUND ? "in" : "out", p.spi(),
                p.direction() == SaParameters.Direction.INBOUND ? p.peerAddress() : p.localAddress(),
                p.direction() == SaParameters.Direction.INBOUND ? p.localAddress() : p.peerAddress(),
                p.encryption().configName, java.util.HexFormat.of().formatHex(p.encryptionKey() == null ? new byte[0] : p.encryptionKey()),
                p.integrity().configName, java.util.HexFormat.of().formatHex(p.integrityKey() == null ? new byte[0] : p.integrityKey()),
                p.udpEncapsulation() ? "udp" : "none");
        try {
            java.nio.file.Files.writeString(saveKeys, line, java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
        } catch (java.io.IOException e) {
            Logger.warn("bitw.ike.save-keys: cannot write {}: {}", saveKeys, e.getMessage());
        }
    }

    /** The peer rekeyed: its new inbound SA exists only once our response arrives, so our old outbound stays current. */
    @Override public void installRekeyedChildSaAsResponder(String connection, SaParameters inbound, SaParameters outbound) {
        if (plane.sad().outboundSlot(connection).current() == null) {
            installChildSa(connection, inbound, outbound);
            return;
        }
        plane.sad().install(sa(inbound, System.nanoTime()));
        pendingOutbound.computeIfAbsent(connection, k -> new ArrayList<>()).add(outbound);
    }

    private static SecurityAssociation newSa(SaParameters p, long now) {
        return p.protocol() == SaProtocol.ESP
                ? new SecurityAssociation(p, EspTransforms.create(p.encryption(), p.encryptionKey(), p.integrity(), p.integrityKey()), null, now)
                : new SecurityAssociation(p, null, AhTransforms.create(p.integrity(), p.integrityKey()), now);
    }

    @Override public void removeChildSa(String connection, SaParameters inbound, SaParameters outbound) {
        List<SaParameters> pending = pendingOutbound.remove(connection);
        if (pending != null) {
            // The old pair goes (the peer's Delete, or expiry): held-back outbound SAs become current first, so the
            // tunnel is never without one; a held-back SA whose own pair is removed is simply dropped.
            long now = System.nanoTime();
            for (SaParameters o : pending) if (o.spi() != outbound.spi()) plane.sad().install(sa(o, now));
        }
        for (SecurityAssociation sa : plane.sad().all()) {
            SaParameters p = sa.params();
            if (p.name().equals(connection) && ((p.spi() == inbound.spi() && sa.inbound()) || (p.spi() == outbound.spi() && !sa.inbound())))
                plane.sad().remove(sa);
        }
    }

    @Override public void event(IkeEvent e) {
        // Failures name their reason (the notify, a timeout, ...) and, for negotiations, when the next attempt comes.
        if (e instanceof IkeEvent.Failed || e instanceof IkeEvent.PeerDead) Logger.warn("ike: {}", e);
        else Logger.info("ike: {}", e);
        // After the engine call that raised it: OE may reconfigure the engine, which must not happen inside one.
        // To the service in charge when the event was raised (an event of a replaced service's SA is not the new one's).
        bitw.appliance.oe.OpportunisticService target = oe;
        if (target != null) group.next().execute(() -> target.event(e));
        synchronized (recentEvents) {
            recentEvents.addLast(e.toString());
            if (recentEvents.size() > MAX_RECENT_EVENTS) recentEvents.removeFirst();
        }
    }

    List<String> recentEvents() { synchronized (recentEvents) { return List.copyOf(recentEvents); } }

    /** What `show ike` and `show opportunistic` render, taken on the event loop (null if the loop does not answer). */
    IkeStatusView.Snapshot snapshot() {
        try {
            return group.next().submit(() -> new IkeStatusView.Snapshot(engine.status(), engine.retrying(), engine.dropCounters(),
                    oe == null ? null : oe.statusView(), oeCounted() ? bitw.appliance.oe.OpportunisticService.interfaceText(oeCounters) : null,
                    oeCounted() ? bitw.appliance.oe.OpportunisticService.interfaceJson(oeCounters) : null)).get(2, TimeUnit.SECONDS);
        } catch (Exception e) {
            Logger.warn("IKE status unavailable: {}", e.toString());
            return null;
        }
    }

    /** The control socket's `status`: the IKE SAs and OE's own summary (or its counters, if OE was on before). */
    String status() {
        IkeStatusView.Snapshot s = snapshot();
        if (s == null) return "IKE status unavailable\n";
        return IkeStatusView.ikeText(s) + (oe != null ? onLoop(oe::status) : s.oeInterfaceText() != null ? s.oeInterfaceText() + "\n" : "");
    }

    /** The OE logical interface counted something (on the loop). */
    private boolean oeCounted() { return oe != null || oeCounters.inPackets() + oeCounters.outPackets() + oeCounters.dropTotal() > 0; }

    private String onLoop(java.util.concurrent.Callable<String> c) {
        try {
            return group.next().submit(c).get(2, TimeUnit.SECONDS) + "\n";
        } catch (Exception e) {
            return "unavailable: " + e + "\n";
        }
    }

    /** `clear sas`: every IKE SA is deleted with a Delete to its peer; returns how many. */
    int clearAll() {
        try {
            return group.next().submit(() -> engine.terminateAll(System.nanoTime())).get(2, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("IKE did not answer: " + e.getMessage(), e);
        }
    }

    /** OE's part of "status json" (null when OE is off and never counted anything). */
    String opportunisticJson() {
        try {
            return group.next().submit(() -> oe != null ? oe.statusJson()
                    : oeCounters.inPackets() + oeCounters.outPackets() + oeCounters.dropTotal() > 0
                    ? "{\"interface\":" + bitw.appliance.oe.OpportunisticService.interfaceJson(oeCounters) + "}" : null).get(2, TimeUnit.SECONDS);
        } catch (Exception e) {
            return null;
        }
    }

    /** A NAT-T keepalive (RFC 3948 §2.3): one 0xFF byte from our port 4500, no non-ESP marker. */
    void sendKeepalive(IpAddress peer, int port) {
        if (ike4500 == null) return;
        ike4500.writeAndFlush(new DatagramPacket(Unpooled.wrappedBuffer(new byte[] {(byte) 0xff}), new InetSocketAddress(peer.toInetAddress(), port)));
    }

    /** The SAD reports a Child SA's soft or hard lifetime (bytes or time); the engine rekeys or cleans up. */
    void childSaExpired(int inboundSpi, boolean hard) {
        group.next().execute(() -> { if (engine != null) engine.childSaExpired(inboundSpi, hard, System.nanoTime()); });
    }

    /** Operator command: delete the connection's SAs (a Delete goes to the peer). */
    String terminate(String connection) { return onLoop(connection, () -> engine.terminate(connection, System.nanoTime())); }

    /** Operator command: bring the connection up now. */
    String initiate(String connection) { return onLoop(connection, () -> engine.initiate(connection, System.nanoTime())); }

    private String onLoop(String connection, Runnable r) {
        try {
            group.next().submit(r).get(2, TimeUnit.SECONDS);
            return "ok\n";
        } catch (Exception e) {
            return "error: " + connection + ": " + e.getMessage() + "\n";
        }
    }

    void reconfigure(List<IkeConnection> connections) {
        group.next().execute(() -> {
            configured = List.copyOf(connections);
            engine.reconfigure(all(), System.nanoTime());
        });
    }

    /** Configured connections, then OE's (their names start with '%', so they never clash). On the loop. */
    private List<IkeConnection> all() {
        if (oe == null) return configured;
        List<IkeConnection> l = new ArrayList<>(configured);
        l.addAll(oe.connections());
        return l;
    }

    private void connectionsChanged() {
        if (engine != null) engine.reconfigure(all(), System.nanoTime());
    }

    @Override public void close() {
        for (Channel c : channels) c.close().awaitUninterruptibly(1000);
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(2000);
    }
}
