// Measurement (not a test): CPU per forwarded 64-byte IPv4/UDP frame of one forwarding thread, like for like:
//
//   sender --veth-- [in] forwarder [out] --veth-- sink (kernel rx_packets)
//
// The forwarder is this JVM's PcapPort receive -> send loop ("java"), bitw's DataPlane permitting everything
// ("dataplane": parse, SPD lookup, neighbour learning, counters — the benchmark's permit path), or an external
// program given the two interface names, e.g. the benchmark's C reference ("... /tmp/pcap_fwd"). Only the
// forwarding thread's CPU is counted (ThreadMXBean for Java threads, /proc/PID/task/*/stat for a program), so
// the rest of a JVM (compiler threads, timers) is left out — unlike bench/run.sh, which charges whole processes.
// Run (root): java --enable-native-access=ALL-UNNAMED -cp <classes:test-classes:deps>
//      bitw.bridge.io.ForwarderCostMeasurement SECONDS [java | dataplane | command...]
package bitw.bridge.io;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicBoolean;

public final class ForwarderCostMeasurement {
    public static void main(String[] args) throws Exception {
        int seconds = Integer.parseInt(args[0]);
        try (VethPair ingress = VethPair.createPrepared(); VethPair egress = VethPair.createPrepared()) {
            Runtime.getRuntime().addShutdownHook(new Thread(() -> { ingress.close(); egress.close(); }));
            try (PcapPort source = PcapPort.open(ingress.a)) {
                MeasuredForwarder forwarder = MeasuredForwarder.start(Arrays.asList(args).subList(1, args.length), ingress.b, egress.a);
                AtomicBoolean running = new AtomicBoolean(true);
                Thread sender = Thread.ofPlatform().name("sender").start(() -> {
                    // 60 bytes (64 on the wire): host A to host B, UDP, as the benchmark's 64-byte frames
                    byte[] frame = bitw.bridge.TestFrames.udp(bitw.bridge.TestFrames.ROUTER_A_MAC, bitw.bridge.TestFrames.HOST_A_MAC,
                            "10.1.0.10", "10.2.0.20", 1000, 2000, 18, false, 1);
                    while (running.get()) source.send(frame, 0, frame.length);
                });
                Thread.sleep(2000);   // warm-up: JIT, rings filling
                long cpu0 = forwarder.cpuNanos(), sink0 = rxPackets(egress.b), t0 = System.nanoTime();
                Thread.sleep(seconds * 1000L);
                long cpu1 = forwarder.cpuNanos(), sink1 = rxPackets(egress.b), t1 = System.nanoTime();
                running.set(false);
                sender.join();
                double elapsed = (t1 - t0) / 1e9, frames = sink1 - sink0, cpu = (cpu1 - cpu0) / 1e9;
                System.out.printf("%-18s forwarded %,9.0f frames/s; forwarding thread %.0f %% of a core; %,6.0f ns CPU per frame%n",
                        forwarder.label, frames / elapsed, 100 * cpu / elapsed, cpu * 1e9 / frames);
                forwarder.close();
            }
        }
    }

    private static long rxPackets(String ifName) throws Exception {
        return Long.parseLong(Files.readString(Path.of("/sys/class/net", ifName, "statistics", "rx_packets")).strip());
    }
}
