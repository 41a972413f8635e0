// The forwarder a measurement puts between two interfaces: this JVM's PcapPort receive -> send loop ("java", the
// default), bitw's DataPlane permitting everything ("dataplane"), or an external program given the two interface
// names (any other arguments, e.g. "/tmp/pcap_fwd"). Also reports the forwarding thread's CPU time.
package bitw.bridge.io;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

final class MeasuredForwarder implements AutoCloseable {
    final String label;
    private final Thread loop;
    private final PcapPort loopIn, loopOut;
    private final bitw.bridge.DataPlane plane;
    private final Process process;

    private MeasuredForwarder(String label, Thread loop, PcapPort loopIn, PcapPort loopOut, bitw.bridge.DataPlane plane, Process process) {
        this.label = label;
        this.loop = loop;
        this.loopIn = loopIn;
        this.loopOut = loopOut;
        this.plane = plane;
        this.process = process;
    }

    static MeasuredForwarder start(List<String> mode, String inIf, String outIf) throws Exception {
        if (mode.isEmpty() || mode.get(0).equals("java")) {
            PcapPort in = PcapPort.open(inIf), out = PcapPort.open(outIf);
            Thread t = Thread.ofPlatform().name("forwarder").start(() -> {
                byte[] buf = new byte[2048];
                int n;
                while ((n = in.receive(buf, 0, buf.length)) >= 0) if (n > 0) out.send(buf, 0, n);
            });
            return new MeasuredForwarder("PcapPort loop", t, in, out, null, null);
        }
        if (mode.get(0).equals("dataplane")) {
            bitw.bridge.DataPlane plane = PortLatencyMeasurement.permitAll(PcapPort.open(inIf), PcapPort.open(outIf));
            plane.start();
            return new MeasuredForwarder("DataPlane (permit)", null, null, null, plane, null);
        }
        List<String> cmd = new ArrayList<>(mode);
        cmd.add(inIf);
        cmd.add(outIf);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        return new MeasuredForwarder(String.join(" ", mode), null, null, null, null, p);
    }

    /** CPU time of the forwarding thread(s): the loop, DataPlane's outbound thread, or all of the program's threads. */
    long cpuNanos() throws Exception {
        var mx = ManagementFactory.getThreadMXBean();
        if (loop != null) return mx.getThreadCpuTime(loop.threadId());
        if (process != null) {
            long ticks = 0;
            try (var tasks = Files.list(Path.of("/proc", Long.toString(process.pid()), "task"))) {
                for (Path t : tasks.toList()) {
                    String stat = Files.readString(t.resolve("stat"));
                    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    ticks += Long.parseLong(f[11]) + Long.parseLong(f[12]);   // utime, stime (fields 14 and 15)
                }
            }
            return ticks * 10_000_000L;   // USER_HZ 100
        }
        long sum = 0;
        for (Thread t : Thread.getAllStackTraces().keySet())
            if (t.getName().equals("bitw-outbound")) sum += mx.getThreadCpuTime(t.threadId());
        return sum;
    }

    @Override
    public void close() throws Exception {
        if (loop != null) { loopIn.breakLoop(); loop.join(); loopIn.close(); loopOut.close(); }
        if (plane != null) plane.close();
        if (process != null) { process.destroy(); process.waitFor(); }
    }
}
