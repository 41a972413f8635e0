// Measurement (not a test): how long a frame spends inside a forwarder at low load, the latency a bump adds.
//
//   sender --veth-- [in] forwarder [out] --veth-- sink
//                ^ observer                     ^ observer
//
// The sender sends one 64-byte frame every INTERVAL ms. Two observer ports capture each frame where it enters the
// forwarder's ingress interface and where it leaves on the egress interface's peer; the difference of the two
// kernel receive timestamps is the forwarder's residence time (its wake-up, its work and its send). The forwarder
// is this JVM's PcapPort receive -> send loop ("java"), bitw's DataPlane on two PcapPorts with a permit-all
// policy ("dataplane"; the test frames take its L2 path), or an external program run with the two interface
// names appended, e.g. the benchmark's C reference: "... PortLatencyMeasurement /tmp/pcap_fwd". Needs root.
// Run: java --enable-native-access=ALL-UNNAMED -cp <classes:test-classes:deps> bitw.bridge.io.PortLatencyMeasurement
//      [java | dataplane | command...]   (system properties: frames=1000, interval=10 (ms))
package bitw.bridge.io;

import java.util.Arrays;

public final class PortLatencyMeasurement {
    public static void main(String[] args) throws Exception {
        int frames = Integer.getInteger("frames", 1000);
        int intervalMillis = Integer.getInteger("interval", 10);
        String label;
        try (VethPair ingress = VethPair.createPrepared(); VethPair egress = VethPair.createPrepared()) {
            Runtime.getRuntime().addShutdownHook(new Thread(() -> { ingress.close(); egress.close(); }));
            long[] in = new long[frames], out = new long[frames];
            try (PcapPort source = PcapPort.open(ingress.a); PcapPort seenIn = PcapPort.open(ingress.b);
                 PcapPort seenOut = PcapPort.open(egress.b)) {
                Thread inObserver = observe(seenIn, in), outObserver = observe(seenOut, out);
                MeasuredForwarder forwarder = MeasuredForwarder.start(java.util.List.of(args), ingress.b, egress.a);
                label = forwarder.label;
                Thread.sleep(1000);
                byte[] frame = new byte[60];
                for (int seq = 0; seq < frames + 200; seq++) {   // the first 200 warm the forwarder up, unmeasured
                    TestFrames.build(frame, 9, seq - 200, 60);
                    source.send(frame, 0, 60);
                    Thread.sleep(intervalMillis);
                }
                Thread.sleep(200);
                seenIn.breakLoop();
                seenOut.breakLoop();
                inObserver.join();
                outObserver.join();
                forwarder.close();
            }
            long[] residence = new long[frames];
            int n = 0;
            for (int i = 0; i < frames; i++) if (in[i] != 0 && out[i] != 0) residence[n++] = out[i] - in[i];
            long[] r = Arrays.copyOf(residence, n);
            Arrays.sort(r);
            System.out.printf("%s: %d of %d frames, residence in the forwarder (µs): min %d, median %d, p90 %d, p99 %d, max %d%n",
                    label, n, frames,
                    r[0], r[n / 2], r[n * 9 / 10], r[n * 99 / 100], r[n - 1]);
        }
    }

    /** bitw's data plane between two ports, permitting everything; its TAP never delivers a frame. */
    static bitw.bridge.DataPlane permitAll(PcapPort inside, PcapPort outside) {
        var sad = new bitw.ipsec.sad.SecurityAssociationDatabase(new bitw.ipsec.sad.SaEventListener() {
            @Override public void softExpired(bitw.ipsec.sad.SecurityAssociation sa) {}
            @Override public void hardExpired(bitw.ipsec.sad.SecurityAssociation sa) {}
        });
        var own = new bitw.bridge.OwnAddress(0x02_00_5e_00_53_0aL, bitw.ipsec.packet.IpAddress.parse("192.0.2.2"), null, 1500);
        var plane = new bitw.bridge.DataPlane(port(inside), port(outside), new bitw.bridge.FramePort() {
            private volatile boolean stopped;
            @Override public int receive(byte[] buf, int off, int maxLen) {
                if (stopped) return -1;
                try { Thread.sleep(100); } catch (InterruptedException e) { return -1; }
                return 0;
            }
            @Override public boolean send(byte[] buf, int off, int len) { return true; }
            @Override public void breakLoop() { stopped = true; }
            @Override public String name() { return "no-tap"; }
            @Override public void close() { stopped = true; }
        }, own, sad);
        plane.install(new bitw.bridge.PolicyTable(java.util.List.of(), bitw.ipsec.spd.PolicyAction.PERMIT, bitw.bridge.L2Policy.PASS_ALL, sad));
        return plane;
    }

    private static bitw.bridge.FramePort port(PcapPort p) {
        return new bitw.bridge.FramePort() {
            @Override public int receive(byte[] buf, int off, int maxLen) { return p.receive(buf, off, maxLen); }
            @Override public boolean send(byte[] buf, int off, int len) { return p.send(buf, off, len); }
            @Override public void breakLoop() { p.breakLoop(); }
            @Override public String name() { return p.name(); }
            @Override public void close() { p.close(); }
        };
    }

    /** A thread recording the kernel receive time of each test frame by sequence number. */
    private static Thread observe(PcapPort port, long[] micros) {
        return Thread.ofPlatform().start(() -> {
            byte[] buf = new byte[2048];
            int n;
            while ((n = port.receive(buf, 0, buf.length)) >= 0) {
                if (n > 0 && TestFrames.isTestFrame(buf, n) && TestFrames.sender(buf) == 9) {
                    int seq = TestFrames.seq(buf);
                    if (seq >= 0 && seq < micros.length) micros[seq] = port.lastFrameMicros();
                }
            }
        });
    }
}
