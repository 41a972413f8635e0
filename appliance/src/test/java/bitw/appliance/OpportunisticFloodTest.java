// Opportunistic encryption under a flood of packets to unknown destinations, with the real classes: the data plane
// (hold queue, acquire queue), the configuration applier, OpportunisticService with its OpportunisticTunnels and
// DnsClient, against a DNS server that swallows every query (the worst case: each lookup waits for its timeout).
// 60 000 frames, each to a new destination under an opportunistic policy, must leave every structure bounded (held
// packets, pending lookups, negative cache and the host-pair entries of its decisions, responder cache), limit the
// DNS queries to the token bucket, and not hold up other traffic: a permitted flow sent during the flood all comes
// out. Under fallback clear only pairs whose lookup did fail (timed out) may go out in the clear: a pair the rate
// limit kept from a lookup is undecided and sends nothing.
package bitw.appliance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import bitw.appliance.oe.DnsClient;
import bitw.appliance.oe.OpportunisticService;
import bitw.bridge.AcquireQueue;
import bitw.bridge.DataPlane;
import bitw.bridge.FramePort;
import bitw.bridge.OwnAddress;
import bitw.config.ConfigParser;
import bitw.config.EspProposal;
import bitw.config.IkeProposal;
import bitw.ipsec.DropReason;
import bitw.ipsec.ike.Authentication;
import bitw.ipsec.ike.Endpoint;
import bitw.ipsec.ike.Identity;
import bitw.ipsec.ike.IkeConnection;
import bitw.ipsec.ike.OpportunisticResponder;
import bitw.ipsec.ike.message.TrafficSelector;
import bitw.ipsec.oe.OeDiscovery;
import bitw.ipsec.oe.OpportunisticTunnels;
import bitw.ipsec.packet.InternetChecksum;
import bitw.ipsec.packet.IpAddress;
import bitw.ipsec.sad.SaEventListener;
import bitw.ipsec.sad.SaGroupCounters;
import bitw.ipsec.sad.SecurityAssociation;
import bitw.ipsec.sad.SecurityAssociationDatabase;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(240)
class OpportunisticFloodTest {
    static final long HOST_MAC = 0x02_00_00_00_00_10L, ROUTER_MAC = 0x02_00_00_00_00_01L;

    /** Inside port: frames the test queues; outside port: counts what leaves. */
    static final class QueuePort implements FramePort {
        final LinkedBlockingQueue<byte[]> rx = new LinkedBlockingQueue<>();
        final AtomicLong sent = new AtomicLong(), sentToPermitted = new AtomicLong();
        private final String name;
        private volatile boolean closed;

        QueuePort(String name) { this.name = name; }

        @Override public int receive(byte[] buf, int off, int maxLen) {
            if (closed) return -1;
            try {
                byte[] f = rx.poll(5, TimeUnit.MILLISECONDS);
                if (f == null) return closed ? -1 : 0;
                System.arraycopy(f, 0, buf, off, f.length);
                return f.length;
            } catch (InterruptedException e) {
                return -1;
            }
        }

        @Override public boolean send(byte[] buf, int off, int len) {
            sent.incrementAndGet();
            if (len >= 34 && buf[off + 30] == (byte) 192 && buf[off + 31] == (byte) 168) sentToPermitted.incrementAndGet();
            return true;
        }

        @Override public void breakLoop() { closed = true; }
        @Override public String name() { return name; }
        @Override public void close() { closed = true; }
    }

    /** Ethernet + IPv4 + UDP with 16 bytes of payload. */
    static byte[] udp(int src, int dst) {
        byte[] f = new byte[14 + 20 + 8 + 16];
        for (int i = 0; i < 6; i++) { f[i] = (byte) (ROUTER_MAC >>> (40 - 8 * i)); f[6 + i] = (byte) (HOST_MAC >>> (40 - 8 * i)); }
        f[12] = 0x08;
        int ip = 14;
        f[ip] = 0x45;
        int total = 20 + 8 + 16;
        f[ip + 2] = (byte) (total >>> 8); f[ip + 3] = (byte) total;
        f[ip + 8] = 64;
        f[ip + 9] = 17;
        for (int i = 0; i < 4; i++) { f[ip + 12 + i] = (byte) (src >>> (24 - 8 * i)); f[ip + 16 + i] = (byte) (dst >>> (24 - 8 * i)); }
        int sum = InternetChecksum.fold(InternetChecksum.sum(f, ip, 20, 0));
        f[ip + 10] = (byte) (sum >>> 8); f[ip + 11] = (byte) sum;
        f[ip + 20] = 0x30; f[ip + 21] = 0x39; f[ip + 22] = 0x00; f[ip + 23] = 0x35;
        f[ip + 25] = 24;
        return f;
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.EnumSource(bitw.ipsec.spd.Fallback.class)
    void aFloodToUnknownDestinationsStaysBoundedAndDoesNotHoldUpOtherTraffic(bitw.ipsec.spd.Fallback fallback) throws Exception {
        if (fallback == bitw.ipsec.spd.Fallback.HOLD) return;   // not an opportunistic fallback
        try (DatagramSocket blackHole = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            AtomicLong queries = new AtomicLong();
            Thread swallow = new Thread(() -> {
                byte[] b = new byte[4096];
                while (!blackHole.isClosed()) {
                    try {
                        blackHole.receive(new DatagramPacket(b, b.length));
                        queries.incrementAndGet();
                    } catch (java.io.IOException e) {
                        return;
                    }
                }
            }, "dns-black-hole");
            swallow.setDaemon(true);
            swallow.start();

            QueuePort inside = new QueuePort("in"), outside = new QueuePort("out"), tap = new QueuePort("tap");
            SecurityAssociationDatabase sad = new SecurityAssociationDatabase(new SaEventListener() {
                @Override public void softExpired(SecurityAssociation sa) {}
                @Override public void hardExpired(SecurityAssociation sa) {}
            });
            DataPlane plane = new DataPlane(inside, outside, tap, new OwnAddress(0x020000000002L, IpAddress.parse("192.0.2.2"), null, 1500), sad);
            ConfigApplier applier = new ConfigApplier(plane);
            applier.apply(ConfigParser.parse("""
                    interface inside device in
                    interface outside device out
                    address 192.0.2.2/29 gateway 192.0.2.1
                    opportunistic private-key k.pem dns 192.0.2.53
                    policy 10 from 10.1.0.0/24 to 10.0.0.0/8 action opportunistic fallback %s
                    policy 20 from 10.1.0.0/24 to 192.168.0.0/16 action permit
                    default-action deny
                    """.formatted(fallback.name().toLowerCase())));
            plane.start();

            ExecutorService loop = Executors.newSingleThreadExecutor(r -> new Thread(r, "oe-loop"));
            KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
            g.initialize(2048);
            var key = g.generateKeyPair().getPrivate();
            OpportunisticService.Settings settings = new OpportunisticService.Settings(
                    new Authentication.Signature(key, List.of(), IkeConnections.scheme(key)),
                    new DnsClient.Settings(List.of((InetSocketAddress) blackHole.getLocalSocketAddress()), Duration.ofSeconds(2), null),
                    OeDiscovery.Policy.DEFAULT, Duration.ofSeconds(60), Duration.ofSeconds(60), Duration.ofSeconds(1200),
                    IkeConnections.ikeSpecs(IkeProposal.DEFAULTS), IkeConnections.espSpecs(EspProposal.DEFAULTS), null);
            SaGroupCounters counters = new SaGroupCounters("opportunistic");
            OpportunisticService oe = loop.submit(() -> new OpportunisticService(new OpportunisticService.Wiring(plane, loop, () -> {},
                    applier::setDynamicPolicies, applier::isOpportunistic, name -> {}, counters, resumeKey -> {}), settings, System.nanoTime())).get();
            // The IKE loop's part: drain acquires, tick, every 10 ms (IkeService does it every 100 ms).
            var ticker = Executors.newSingleThreadScheduledExecutor();
            ticker.scheduleAtFixedRate(() -> loop.execute(() -> {
                for (AcquireQueue.Acquire a; (a = plane.acquires.poll()) != null; ) oe.acquire(a);
                oe.tick(System.nanoTime());
            }), 10, 10, TimeUnit.MILLISECONDS);
            try {
                long t0 = System.nanoTime();
                int flood = 60_000, permitted = 2_000;
                int src = 0x0A01000A;   // 10.1.0.10
                for (int i = 0; i < flood; i++) {
                    inside.rx.add(udp(src, 0x0A000000 | (i + 1)));   // 10.0.0.1, 10.0.0.2, ...: all new
                    if (i % (flood / permitted) == 0) inside.rx.add(udp(src, 0xC0A80001 + (i % 250)));
                }
                long end = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                while (!inside.rx.isEmpty() && System.nanoTime() < end) Thread.sleep(20);
                assertTrue(inside.rx.isEmpty(), "the data plane kept up with the flood");
                Thread.sleep(300);   // the last frames through the pipeline and the loop
                assertEquals(permitted, outside.sentToPermitted.get(), "every permitted frame left during the flood");
                // Then the held packets' pairs are looked up as the bucket refills (each asks again every second),
                // and each lookup times out against the black hole: the pair fails and gets its fallback.
                OpportunisticTunnels t = loop.submit(oe::tunnels).get();
                long settle = System.nanoTime() + Duration.ofSeconds(40).toNanos();
                while (System.nanoTime() < settle && (loop.submit(t::pendingCount).get() > 0
                        || flood - drops(plane, DropReason.HOLD_QUEUE_FULL) - drops(plane, DropReason.POLICY_DENY) - drops(plane, DropReason.NO_SA)
                           - (outside.sent.get() - outside.sentToPermitted.get()) > 0))
                    Thread.sleep(100);
                Thread.sleep(100);
                double seconds = (System.nanoTime() - t0) / 1e9;

                long clear = outside.sent.get() - outside.sentToPermitted.get();
                // Each flood frame was dropped as the hold queue was full, dropped by its pair's decision (deny),
                // expired undecided, went out in the clear by its pair's decision, or is still held (at most 256).
                long held = flood - drops(plane, DropReason.HOLD_QUEUE_FULL) - drops(plane, DropReason.POLICY_DENY) - drops(plane, DropReason.NO_SA) - clear;
                assertTrue(held >= 0 && held <= 256, "at most 256 packets held; " + held + " unaccounted for");
                int pending = loop.submit(t::pendingCount).get(), negative = loop.submit(t::negativeCount).get();
                long limited = loop.submit(t::rateLimitedCount).get();
                int entries = plane.table().spd.size();
                assertTrue(pending <= OpportunisticTunnels.Config.DEFAULTS.maxPending(), "pending lookups capped: " + pending);
                assertTrue(negative <= OpportunisticTunnels.Config.DEFAULTS.maxNegative(), "negative cache capped: " + negative);
                assertTrue(entries <= 3 + pending + negative, "host-pair entries only for decided or negotiating pairs: " + entries);
                assertTrue(limited > 0, "the rate limit refused new destinations");
                // Token bucket: burst 100 + 50/s; each lookup asks TXT and IPSECKEY (dnsjava may retry a query once).
                double allowedLookups = 100 + 50 * (seconds + 1);
                assertTrue(queries.get() <= 4 * allowedLookups, queries.get() + " DNS queries in " + seconds + " s; at most " + allowedLookups + " lookups allowed");
                assertTrue(queries.get() >= 100, "lookups did go out: " + queries.get());
                // Each flood pair sends one frame: what its decision passed or dropped is at most one per failed pair.
                long decided = fallback == bitw.ipsec.spd.Fallback.CLEAR ? clear : drops(plane, DropReason.POLICY_DENY);
                assertTrue(decided > 0 && decided <= negative, "held packets met their pair's decision once its lookup failed: " + decided + " of " + negative);
                if (fallback == bitw.ipsec.spd.Fallback.DROP) assertEquals(0, clear, "fallback drop: nothing of the flood in the clear");
                System.out.printf("flood (fallback %s): %d frames in %.1f s, %d still held, %d in the clear, %d DNS queries, %d pending, %d negative, %d SPD entries, %d rate-limited, acquire queue dropped %d%n",
                        fallback, flood, seconds, held, clear, queries.get(), pending, negative, entries, limited, plane.acquires.dropped());

                // The responder side: a storm of initiators nobody knows fills the verdict cache only up to its cap.
                IkeConnection template = loop.submit(() -> oe.connections().getFirst()).get();
                for (int i = 0; i < 3000; i++) {
                    IpAddress peer = IpAddress.v4(0xCB007100 | (i & 0xff) | ((i >>> 8) << 16));
                    IpAddress inner = IpAddress.v4(0x0A090000 | i);
                    loop.submit(() -> oe.respond(template, Identity.of(peer), null, new Endpoint(peer, 500),
                            List.of(TrafficSelector.of(bitw.ipsec.packet.IpPrefix.host(inner))),
                            List.of(TrafficSelector.of(bitw.ipsec.packet.IpPrefix.host(IpAddress.parse("10.1.0.10")))))).get();
                }
                assertTrue(loop.submit(oe::responderCacheSize).get() <= 1024, "responder verdicts capped");
            } finally {
                ticker.shutdownNow();
                loop.shutdownNow();
                plane.close();
            }
        }
    }

    static long drops(DataPlane p, DropReason r) {
        long n = 0;
        for (var d : p.status().drops()) n += d.count(r);
        return n;
    }
}
