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
                    byte[] frame = udpFrame();
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

    /** 60 bytes (64 on the wire): Ethernet, IPv4 10.1.0.10 → 10.2.0.20, UDP 1000 → 2000, 18 bytes of payload. */
    static byte[] udpFrame() {
        byte[] f = new byte[60];
        long dst = 0x02_00_00_00_0a_01L, src = 0x02_00_00_00_0a_0aL;
        for (int i = 0; i < 6; i++) { f[i] = (byte) (dst >>> (40 - 8 * i)); f[6 + i] = (byte) (src >>> (40 - 8 * i)); }
        f[12] = 0x08;
        f[14] = 0x45;
        f[16] = 0; f[17] = 46;                    // total length
        f[22] = 64; f[23] = 17;                   // TTL, UDP
        byte[] a = {10, 1, 0, 10, 10, 2, 0, 20};
        System.arraycopy(a, 0, f, 26, 8);
        int sum = 0;
        for (int i = 14; i < 34; i += 2) sum += ((f[i] & 0xff) << 8) | (f[i + 1] & 0xff);
        while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
        f[24] = (byte) (~sum >>> 8); f[25] = (byte) ~sum;
        f[34] = 1000 >>> 8; f[35] = (byte) 1000; f[36] = 2000 >>> 8; f[37] = (byte) 2000;
        f[39] = 26;                               // UDP length; checksum 0 (none)
        return f;
    }

    private static long rxPackets(String ifName) throws Exception {
        return Long.parseLong(Files.readString(Path.of("/sys/class/net", ifName, "statistics", "rx_packets")).strip());
    }
}
