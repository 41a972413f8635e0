// The two-site lab on NetnsLab, the same topology as scripts/lib/two-sites.sh (the demo and the benchmark):
//
//   hA ──eth0/in── apA ──out/lan── rA ──wan/wan── rB ──lan/out── apB ──in/eth0── hB
//
// Appliances run as the real program in apA/apB; the WAN link between the routers is where captures look.
package bitw.appliance;

import bitw.lab.Capture;
import bitw.lab.Host;
import bitw.lab.LabProcess;
import bitw.lab.NetnsLab;
import bitw.lab.Result;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

final class TwoSites {
    final NetnsLab lab;
    final Host hA, apA, rA, rB, apB, hB;
    LabProcess applianceA, applianceB;
    Path controlA, controlB;

    TwoSites(NetnsLab lab) {
        this.lab = lab;
        hA = lab.host("hA"); apA = lab.host("apA"); rA = lab.host("rA");
        rB = lab.host("rB"); apB = lab.host("apB"); hB = lab.host("hB");
        lab.link(hA, "eth0", apA, "in");
        lab.link(apA, "out", rA, "lan");
        lab.link(rA, "wan", rB, "wan");
        lab.link(rB, "lan", apB, "out");
        lab.link(apB, "in", hB, "eth0");
        site(hA, rA, 1, "192.0.2", "198.51.100", "a", "b", 1, 2, 10);
        site(hB, rB, 2, "198.51.100", "192.0.2", "b", "a", 2, 1, 20);
    }

    private static void site(Host h, Host r, int lan, String ownNet, String peerNet, String own, String peerOwn, int wanMe, int wanPeer, int hostId) {
        int other = lan == 1 ? 2 : 1;
        h.addr("eth0", "10." + lan + ".0." + hostId + "/24").addr("eth0", "2001:db8:" + lan + "::" + hostId + "/64");
        h.route("default", "10." + lan + ".0.1").route("default", "2001:db8:" + lan + "::1");
        r.forwarding(true);
        r.addr("lan", "10." + lan + ".0.1/24").addr("lan", ownNet + ".1/29")
         .addr("lan", "2001:db8:" + lan + "::1/64").addr("lan", "2001:db8:" + own + "::1/64");
        r.addr("wan", "203.0.113." + wanMe + "/30").addr("wan", "2001:db8:ff::" + wanMe + "/64");
        r.route("10." + other + ".0.0/24", "203.0.113." + wanPeer).route(peerNet + ".0/29", "203.0.113." + wanPeer);
        r.route("2001:db8:" + other + "::/64", "2001:db8:ff::" + wanPeer).route("2001:db8:" + peerOwn + "::/64", "2001:db8:ff::" + wanPeer);
    }

    /** Starts both appliances with these configuration texts and waits until their data planes run. */
    void start(String configA, String configB) {
        start(configA, configB, List.of(), List.of());
    }

    /** With JVM options per appliance (e.g. shortened IKE retransmissions). */
    void start(String configA, String configB, List<String> jvmA, List<String> jvmB) {
        stop();
        controlA = lab.directory().resolve("a-" + System.nanoTime() + ".sock");
        controlB = lab.directory().resolve("b-" + System.nanoTime() + ".sock");
        applianceA = startAppliance(apA, configA, controlA, List.of(), jvmA);
        applianceB = startAppliance(apB, configB, controlB, List.of(), jvmB);
        applianceA.waitForOutput("data plane running", Duration.ofSeconds(30));
        applianceB.waitForOutput("data plane running", Duration.ofSeconds(30));
        awaitControl(controlA);
        awaitControl(controlB);
    }

    /** Restarts appliance B alone with this configuration (and JVM options). */
    void restartB(String configB, List<String> jvmB) {
        if (applianceB != null) applianceB.stop();
        controlB = lab.directory().resolve("b-" + System.nanoTime() + ".sock");
        applianceB = startAppliance(apB, configB, controlB, List.of(), jvmB);
        applianceB.waitForOutput("data plane running", Duration.ofSeconds(30));
        awaitControl(controlB);
    }

    LabProcess startAppliance(Host ap, String config, Path control) {
        return startAppliance(ap, config, control, List.of(), List.of());
    }

    /** With extra program arguments (e.g. --console, --state-dir) and JVM options. */
    LabProcess startAppliance(Host ap, String config, Path control, List<String> extraArgs, List<String> jvmOptions) {
        try {
            Path file = lab.directory().resolve(ap.name() + "-" + System.nanoTime() + ".conf");
            Files.writeString(file, config);
            List<String> args = new java.util.ArrayList<>(List.of("--config", file.toString(), "--control", control.toString()));
            args.addAll(extraArgs);
            return lab.startJava(ap, jvmOptions, "bitw.appliance.Main", args);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static void awaitControl(Path p) {
        long end = System.nanoTime() + 20_000_000_000L;
        while (!Files.exists(p)) {
            if (System.nanoTime() > end) throw new AssertionError("control socket " + p + " did not appear");
            try { Thread.sleep(50); } catch (InterruptedException e) { throw new AssertionError(e); }
        }
    }

    void stop() {
        if (applianceA != null) applianceA.stop();
        if (applianceB != null) applianceB.stop();
        applianceA = applianceB = null;
    }

    String status(Path control, String command) {
        try { return ControlSocket.query(control, command); }
        catch (IOException e) { throw new AssertionError("control socket " + control + ": " + e.getMessage(), e); }
    }

    String statusA() { return status(controlA, "status"); }
    String statusB() { return status(controlB, "status"); }

    Result ping(Host from, String to, String... extra) {
        String[] cmd = new String[6 + extra.length];
        cmd[0] = "ping"; cmd[1] = "-c"; cmd[2] = "3"; cmd[3] = "-i"; cmd[4] = "0.2";
        System.arraycopy(extra, 0, cmd, 5, extra.length);
        cmd[5 + extra.length] = to;
        return from.exec(Duration.ofSeconds(30), cmd);
    }

    Capture captureWan() { return rA.capture("wan", "not arp and not icmp6"); }

    /** Sends a file over TCP with socat (IPv4 or IPv6 by the address) and checks the receiver's SHA-256. */
    void transfer(Host from, Host to, String dst, Path file, String sum, java.util.function.Supplier<String> context) throws Exception {
        Path out = lab.directory().resolve("received-" + System.nanoTime());
        String listen = dst.contains(":") ? "TCP6-LISTEN:5001,reuseaddr" : "TCP4-LISTEN:5001,reuseaddr";
        var receiver = to.spawn("socat", "-d", "-d", "-u", listen, "OPEN:" + out + ",creat,trunc");
        receiver.waitForOutput("listening on", Duration.ofSeconds(10));
        String target = dst.contains(":") ? "TCP6:[" + dst + "]:5001" : "TCP4:" + dst + ":5001";
        Result r = from.exec(Duration.ofSeconds(60), "socat", "-u", "OPEN:" + file, target);
        org.junit.jupiter.api.Assertions.assertEquals(0, r.exitCode(), () -> "sender: " + r.stderr() + context.get());
        org.junit.jupiter.api.Assertions.assertTrue(receiver.waitFor(Duration.ofSeconds(30)).isPresent(), "receiver finished");
        org.junit.jupiter.api.Assertions.assertEquals(sum, TwoSiteWireTest.sha256(Files.readAllBytes(out)), "bytes arrived intact to " + dst);
        Files.delete(out);
    }

    /** {@code bytes} of random data from hA to hB and back over IPv4, each checked by SHA-256 at the receiver. */
    void transfersBothWays(int bytes, long seed, java.util.function.Supplier<String> context) throws Exception {
        byte[] data = new byte[bytes];
        new java.util.Random(seed).nextBytes(data);
        Path file = lab.directory().resolve("payload-" + System.nanoTime());
        Files.write(file, data);
        String sum = TwoSiteWireTest.sha256(data);
        transfer(hA, hB, "10.2.0.20", file, sum, context);
        transfer(hB, hA, "10.1.0.10", file, sum, context);
    }
}
