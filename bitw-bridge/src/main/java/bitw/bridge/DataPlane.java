// The bridge: two ports, the TAP to the kernel stack, the policy table and the SAD, and one thread per
// direction (outbound: inside → outside, inbound: outside → inside, host: TAP → ports). Fail closed: until a
// policy table is installed nothing is forwarded, and when the process stops nothing forwards at all (the
// ports carry no kernel bridge or routing behind them).
package bitw.bridge;

import bitw.ipsec.DropReason;
import bitw.ipsec.packet.Bytes;
import bitw.ipsec.packet.FlowKey;
import bitw.ipsec.packet.IpAddress;
import bitw.ipsec.sad.SecurityAssociationDatabase;
import java.util.ArrayList;
import java.util.List;
import org.tinylog.Logger;

public final class DataPlane implements AutoCloseable {
    final FramePort inside, outside, tap;
    final OwnAddress own;
    final SecurityAssociationDatabase sad;
    volatile PolicyTable table;
    final NeighbourTable neighbours = new NeighbourTable(4096);
    /** Protect policies without an SA ask here; IKE (or opportunistic discovery) answers by installing SAs. */
    public final AcquireQueue acquires = new AcquireQueue();
    final PortCounters insideCounters, outsideCounters, tapCounters;
    private final OutboundPath outbound;

    OutboundPath outbound() { return outbound; }
    final InboundPath inbound;
    private final HostPath host;
    private final DropCounters hostDrops = new DropCounters("host");
    private final List<Thread> threads = new ArrayList<>();
    private volatile long gatewayMac = -1;
    private final Object tapLock = new Object();

    public DataPlane(FramePort inside, FramePort outside, FramePort tap, OwnAddress own, SecurityAssociationDatabase sad) {
        this.inside = inside;
        this.outside = outside;
        this.tap = tap;
        this.own = own;
        this.sad = sad;
        this.table = PolicyTable.closed(sad);
        this.insideCounters = new PortCounters(inside.name());
        this.outsideCounters = new PortCounters(outside.name());
        this.tapCounters = new PortCounters(tap.name());
        this.outbound = new OutboundPath(this);
        this.inbound = new InboundPath(this);
        this.host = new HostPath(this);
    }

    /** Swaps in a new policy table atomically; frames in flight finish under the old one. */
    public void install(PolicyTable t) {
        table = t;
        releaseHeld();
    }

    /**
     * Tells the outbound thread that held frames may be sendable now (an SA or a table arrived), so they leave at
     * once instead of at the inside port's next poll timeout. Call after installing an outbound SA.
     */
    public void releaseHeld() {
        if (outbound.holding()) inside.wake();   // a racy read: a missed wake costs one poll interval, not a frame
    }

    public PolicyTable table() { return table; }

    public SecurityAssociationDatabase sad() { return sad; }

    public OwnAddress own() { return own; }

    public void start() {
        start("bitw-outbound", outbound);
        start("bitw-inbound", inbound);
        start("bitw-host", host);
        Logger.info("data plane running: inside {}, outside {}, host {}", inside.name(), outside.name(), tap.name());
    }

    private void start(String name, Runnable r) {
        Thread t = new Thread(() -> {
            try { r.run(); }
            catch (Throwable e) {
                // A data thread must never die silently: stop everything so nothing forwards half-configured.
                Logger.error(e, "{} failed; stopping the data plane (fail closed)", name);
                close();
            }
        }, name);
        t.setDaemon(true);
        threads.add(t);
        t.start();
    }

    @Override public void close() {
        inside.breakLoop();
        outside.breakLoop();
        tap.breakLoop();
        for (Thread t : threads) {
            if (t == Thread.currentThread()) continue;
            try { t.join(2000); } catch (InterruptedException e) { Thread.currentThread().interrupt(); }
        }
        inside.close();
        outside.close();
        tap.close();
    }

    void sendOutside(byte[] b, int off, int len) {
        if (outside.send(b, off, len)) outsideCounters.sent(len); else outsideCounters.sendFailed();
    }

    void sendInside(byte[] b, int off, int len) {
        if (inside.send(b, off, len)) insideCounters.sent(len); else insideCounters.sendFailed();
    }

    void toHost(byte[] b, int off, int len) {
        boolean ok;
        synchronized (tapLock) { ok = tap.send(b, off, len); }
        if (ok) tapCounters.sent(len);
        else { tapCounters.sendFailed(); synchronized (hostDrops) { hostDrops.drop(DropReason.HOST_PATH_FULL); } }
    }

    void learnGateway(long mac) { if (mac != gatewayMac) gatewayMac = mac; }

    long gatewayMac() { return gatewayMac; }

    /** Sends a frame from the appliance itself out of the outside port (e.g. NAT-T keepalives). */
    public void sendOwnFrame(byte[] b, int off, int len) { sendOutside(b, off, len); }

    /** The MAC frames to the router go to: learned from traffic for our address; -1 until known. */
    public long learnedGatewayMac() { return gatewayMac; }

    /** True for an ND NS/NA whose target is our IPv6 address, or any ND packet sent to it. */
    boolean ndTargetsOwn(byte[] b, int ip, FlowKey k) {
        IpAddress own6 = own.ipv6();
        if (own6 == null) return false;
        if (own6.hi() == k.dstHi && own6.lo() == k.dstLo) return true;
        int icmp = ip + k.headerLength;
        if ((k.srcPort == 135 || k.srcPort == 136) && k.totalLength - k.headerLength >= 24)
            return Bytes.i64(b, icmp + 8) == own6.hi() && Bytes.i64(b, icmp + 16) == own6.lo();
        return false;
    }

    private final List<Runnable> counterClearers = new java.util.concurrent.CopyOnWriteArrayList<>();

    /** Counters kept outside the data plane (e.g. the OE logical interface) that clearCounters() resets too. */
    public void alsoClear(Runnable clear) { counterClearers.add(clear); }

    /** Zeroes every counter (ports, drops, policies, SAs); racing increments from data threads may survive. */
    public void clearCounters() {
        for (Runnable r : counterClearers) r.run();
        insideCounters.clear();
        outsideCounters.clear();
        tapCounters.clear();
        outbound.drops.clear();
        inbound.drops.clear();
        synchronized (hostDrops) { hostDrops.clear(); }
        for (bitw.ipsec.spd.PolicyEntry e : table.spd.entries()) e.counters.clear();
        for (bitw.ipsec.sad.SecurityAssociation sa : sad.all()) sa.clearCounters();
    }

    public Status status() {
        return new Status(insideCounters, outsideCounters, tapCounters, List.of(outbound.drops, inbound.drops, hostDrops));
    }

    public record Status(PortCounters inside, PortCounters outside, PortCounters host, List<DropCounters> drops) {}
}
