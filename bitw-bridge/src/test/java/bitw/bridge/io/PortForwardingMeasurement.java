// Measurement (not a test): how many frames per second one thread forwards between two PcapPorts.
//
//   sender --veth-- [in] forwarder thread: in.receive -> out.send [out] --veth-- sink (kernel counter)
//
// A sender thread blasts 64-byte frames (60 bytes without FCS) into the first veth pair as fast as it can; the
// forwarder runs the appliance's receive->send loop; the sink is the peer interface's rx_packets counter. Needs root.
// Run: java --enable-native-access=ALL-UNNAMED -cp <classes:test-classes:deps> bitw.bridge.io.PortForwardingMeasurement [seconds]
package bitw.bridge.io;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;

public final class PortForwardingMeasurement {
    public static void main(String[] args) throws Exception {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        try (VethPair ingress = VethPair.createPrepared(); VethPair egress = VethPair.createPrepared()) {
            Runtime.getRuntime().addShutdownHook(new Thread(() -> { ingress.close(); egress.close(); }));
            steady(ingress, egress, seconds);
            drain(ingress, egress, 5, 15_000);
        }
    }

    private static void steady(VethPair ingress, VethPair egress, int seconds) throws Exception {
        try (PcapPort source = PcapPort.open(ingress.a); PcapPort in = PcapPort.open(ingress.b);
             PcapPort out = PcapPort.open(egress.a)) {
            AtomicBoolean running = new AtomicBoolean(true);
            Thread sender = Thread.ofPlatform().name("sender").start(() -> {
                byte[] frame = new byte[60];
                int seq = 0;
                while (running.get()) {
                    TestFrames.build(frame, 1, seq++, 60);
                    source.send(frame, 0, 60);
                }
            });
            long[] forwarded = new long[1];
            Thread forwarder = Thread.ofPlatform().name("forwarder").start(() -> {
                byte[] buf = new byte[2048];
                int n;
                while ((n = in.receive(buf, 0, buf.length)) >= 0)
                    if (n > 0 && out.send(buf, 0, n)) forwarded[0]++;
            });

            Thread.sleep(1000);   // warm-up: JIT, rings filling
            long sinkStart = rxPackets(egress.b), inStart = in.stats().received(), outStart = out.stats().sent();
            long dropStart = in.stats().kernelDropped(), sentStart = source.stats().sent();
            var cpu = java.lang.management.ManagementFactory.getThreadMXBean();
            long cpuStart = cpu.getThreadCpuTime(forwarder.threadId());
            long t0 = System.nanoTime();
            Thread.sleep(seconds * 1000L);
            double elapsed = (System.nanoTime() - t0) / 1e9;
            double forwarderCpu = (cpu.getThreadCpuTime(forwarder.threadId()) - cpuStart) / 1e9;
            long sink = rxPackets(egress.b) - sinkStart;
            long received = in.stats().received() - inStart, sent = out.stats().sent() - outStart;
            long drops = in.stats().kernelDropped() - dropStart, offered = source.stats().sent() - sentStart;

            running.set(false);
            in.breakLoop();
            sender.join();
            forwarder.join();

            System.out.printf("offered by sender:        %,10.0f frames/s%n", offered / elapsed);
            System.out.printf("received by forwarder:    %,10.0f frames/s (ring drops %,.0f/s)%n", received / elapsed, drops / elapsed);
            System.out.printf("forwarded (port sends):   %,10.0f frames/s (send failures %d)%n", sent / elapsed, out.stats().sendFailed());
            System.out.printf("forwarder CPU: %.2f s of %.2f s; per CPU-second: %,.0f frames%n",
                    forwarderCpu, elapsed, sent / forwarderCpu);
            System.out.printf("arrived at sink:          %,10.0f frames/s%n", sink / elapsed);
            System.out.printf("forwarder loop total: %,d frames over %.1f s + warm-up%n", forwarded[0], elapsed);
        }
    }

    /**
     * With two shared cores the sender cannot always outrun the forwarder, so this phase fills the forwarder's
     * ring while nothing forwards, then times the forwarding of the backlog alone (the forwarder is then the only
     * busy thread and never waits for frames).
     */
    private static void drain(VethPair ingress, VethPair egress, int rounds, int burst) throws Exception {
        try (PcapPort source = PcapPort.open(ingress.a); PcapPort in = PcapPort.open(ingress.b);
             PcapPort out = PcapPort.open(egress.a)) {
            byte[] frame = new byte[60], buf = new byte[2048];
            for (int r = 0; r <= rounds; r++) {   // round 0 is warm-up
                for (int seq = 0; seq < burst; seq++) {
                    TestFrames.build(frame, 2, seq, 60);
                    source.send(frame, 0, 60);
                }
                Thread.sleep(50);
                int forwarded = 0, n;
                long t0 = System.nanoTime(), last = t0;
                while (forwarded < burst && (n = in.receive(buf, 0, buf.length)) > 0) {
                    if (out.send(buf, 0, n)) forwarded++;
                    last = System.nanoTime();
                }
                while (in.receive(buf, 0, buf.length) > 0) { /* discard anything left over */ }
                if (r > 0)
                    System.out.printf("drain round %d: %,d of %,d frames forwarded at %,.0f frames/s%n",
                            r, forwarded, burst, forwarded / ((last - t0) / 1e9));
            }
            System.out.printf("drain: ring drops %d, send failures %d%n", in.stats().kernelDropped(), out.stats().sendFailed());
        }
    }

    private static long rxPackets(String ifName) throws Exception {
        return Long.parseLong(Files.readString(Path.of("/sys/class/net", ifName, "statistics", "rx_packets")).strip());
    }
}
