// Measurement (not a test): the round-trip time of request/response traffic through a two-thread PcapPort
// forwarder, with and without the reply spin (ReplySpin), alternating, so both see the same machine.
//
//   client --veth-- [p1] forwarder (p1->p2 thread, p2->p1 thread) [p2] --veth-- echo server
//
// The client sends one 64-byte frame every INTERVAL ms and waits for the echo; the server answers each at once.
// Every request and every reply crosses the forwarder once, as a ping crosses a bump in the wire. Client and server
// ports never spin; only the forwarder's ports do, with the window under test. Needs root.
// Run: java --enable-native-access=ALL-UNNAMED -cp <classes:test-classes:deps> bitw.bridge.io.PortRoundTripMeasurement
//      [window µs, default 500] (system properties: frames=300 per round, rounds=4, interval=10 (ms))
package bitw.bridge.io;

import java.util.Arrays;

public final class PortRoundTripMeasurement {
    public static void main(String[] args) throws Exception {
        long windowMicros = args.length > 0 ? Long.parseLong(args[0]) : 500;
        int frames = Integer.getInteger("frames", 300), rounds = Integer.getInteger("rounds", 4);
        int intervalMillis = Integer.getInteger("interval", 10);
        try (VethPair near = VethPair.createPrepared(); VethPair far = VethPair.createPrepared()) {
            Runtime.getRuntime().addShutdownHook(new Thread(() -> { near.close(); far.close(); }));
            for (int round = 0; round < rounds; round++) {
                for (long window : new long[] {0, windowMicros}) {
                    long[] rtt = run(near, far, window * 1000, frames, intervalMillis);
                    System.out.printf("round %d, spin window %4d µs: RTT median %d µs, p10 %d, p90 %d (%d of %d answered)%n",
                            round, window, rtt[rtt.length / 2], rtt[rtt.length / 10], rtt[rtt.length * 9 / 10], rtt.length, frames);
                }
            }
        }
    }

    private static long[] run(VethPair near, VethPair far, long spinNanos, int frames, int intervalMillis) throws Exception {
        try (PcapPort client = PcapPort.open(near.a, PcapPort.READ_TIMEOUT_MILLIS, 0);
             PcapPort server = PcapPort.open(far.b, PcapPort.READ_TIMEOUT_MILLIS, 0);
             PcapPort p1 = PcapPort.open(near.b, PcapPort.READ_TIMEOUT_MILLIS, spinNanos);
             PcapPort p2 = PcapPort.open(far.a, PcapPort.READ_TIMEOUT_MILLIS, spinNanos)) {
            Thread there = forward(p1, p2), back = forward(p2, p1);
            Thread echo = Thread.ofPlatform().start(() -> {
                byte[] buf = new byte[2048];
                int n;
                while ((n = server.receive(buf, 0, buf.length)) >= 0) {
                    if (n > 0 && TestFrames.isTestFrame(buf, n) && TestFrames.sender(buf) == 1) {
                        TestFrames.build(buf, 2, TestFrames.seq(buf), n);
                        server.send(buf, 0, n);
                    }
                }
            });
            byte[] out = new byte[60], in = new byte[2048];
            long[] rtt = new long[frames];
            int answered = 0;
            for (int seq = -100; seq < frames; seq++) {   // 100 unmeasured to warm the JIT up
                TestFrames.build(out, 1, seq, 60);
                long t0 = System.nanoTime();
                client.send(out, 0, 60);
                long deadline = t0 + 1_000_000_000L;
                while (System.nanoTime() < deadline) {
                    int n = client.receive(in, 0, in.length);
                    if (n > 0 && TestFrames.isTestFrame(in, n) && TestFrames.sender(in) == 2 && TestFrames.seq(in) == seq) {
                        if (seq >= 0) rtt[answered++] = (System.nanoTime() - t0) / 1000;
                        break;
                    }
                }
                Thread.sleep(intervalMillis);
            }
            server.breakLoop();
            p1.breakLoop();
            p2.breakLoop();
            echo.join();
            there.join();
            back.join();
            long[] r = Arrays.copyOf(rtt, answered);
            Arrays.sort(r);
            return r;
        }
    }

    private static Thread forward(PcapPort from, PcapPort to) {
        return Thread.ofPlatform().start(() -> {
            byte[] buf = new byte[2048];
            int n;
            while ((n = from.receive(buf, 0, buf.length)) >= 0) if (n > 0) to.send(buf, 0, n);
        });
    }
}
