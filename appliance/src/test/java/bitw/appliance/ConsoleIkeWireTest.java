// The serial console of an appliance whose tunnel is negotiated by IKE with strongSwan 5.9, over a real pty in the
// namespace lab: show ike (completed with tab) agrees with strongSwan's SPIs and algorithms, show sas gives
// lifetime left and counts the traffic, show opportunistic says OE is off, clear sas deletes the IKE SA at the
// peer too (strongSwan logs our Delete) and the start-up connection comes back with new SPIs, and a commit that the
// appliance refuses (a connection whose key file does not exist) names the line and changes nothing — the running
// IKE SA keeps its SPIs. Every audit line carries its time and user.
package bitw.appliance;

import static org.junit.jupiter.api.Assertions.*;

import bitw.lab.NetnsLab;
import bitw.lab.NetnsLabExtension;
import bitw.lab.Result;
import bitw.lab.StrongSwan;
import bitw.mgmt.Operator;
import bitw.mgmt.PtyPair;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

@Tag("netns")
@ExtendWith(NetnsLabExtension.class)
@Timeout(300)
class ConsoleIkeWireTest {
    static final String PW = "Serial-console-ike-4471", PROMPT = "admin@site-a> ", CONFIG_PROMPT = "admin@site-a# ";

    @Test
    void operatorWatchesClearsAndChangesAnIkeTunnelOverTheSerialConsole(NetnsLab lab) throws Exception {
        TwoSites sites = new TwoSites(lab);
        sites.apB.bridge("br0", "in", "out");
        StrongSwan charon = StrongSwan.start(sites.rB, "");
        charon.load(IkeLifecycleWireTest.charonConfig("192.0.2.2", "psk", "", ""));
        Path state = lab.directory().resolve("state-a");
        Instant started = Instant.now();
        try (PtyPair pty = new PtyPair(lab.directory()).start()) {
            sites.controlA = lab.directory().resolve("a.sock");
            sites.applianceA = sites.startAppliance(sites.apA, IkeLifecycleWireTest.applianceConfig(IkeLifecycleWireTest.pskAuth(), "", "at-start"),
                    sites.controlA, List.of("--state-dir", state.toString(), "--console", pty.console.toString()), List.of());
            sites.applianceA.waitForOutput("serial console on", Duration.ofSeconds(30));
            try (Operator op = new Operator(pty.operator)) {
                op.expect("new password for admin: ");
                op.line(PW);
                op.expect("again: ");
                op.line(PW);
                op.expect("user admin created");
                op.expect("site-a login: ");
                op.line("admin");
                op.expect("Password: ");
                op.line(PW);
                op.expect(PROMPT);

                await("the IKE SA and its Child SA", () -> charonChildSpis(charon).size() == 2 && sites.status(sites.controlA, "show ike json").contains("\"inboundSpi\""));
                Result ping = sites.hA.exec(Duration.ofSeconds(20), "ping", "-c", "3", "-i", "0.2", "-W", "3", "10.2.0.20");
                assertEquals(0, ping.exitCode(), ping.stdout() + context(sites, charon));

                // show ike, completed with tab: what strongSwan holds, seen from our side.
                op.type("show ik\t");
                op.expect("show ike");
                op.type("\r");
                String ike = op.expect(PROMPT);
                fits(ike);
                assertTrue(ike.contains("to-b  established  initiator"), ike);
                assertTrue(ike.contains("  local 192.0.2.2:4500, id 192.0.2.2"), ike);
                assertTrue(ike.contains("  peer  203.0.113.2:4500, id 203.0.113.2"), ike);
                assertTrue(ike.contains("  algs  aes128gcm16-prfsha256-ecp256"), ike);
                assertTrue(ike.contains("        10.1.0.0/24 === 10.2.0.0/24"), ike);
                Matcher spis = Pattern.compile("spis  ([0-9a-f]{16})_i\\* ([0-9a-f]{16})_r").matcher(ike);
                assertTrue(spis.find(), ike);
                String ikeSpis = spis.group(1) + "_i " + spis.group(2) + "_r";
                assertEquals(Set.of(ikeSpis), charonIkeSpis(charon), "the same IKE SA on both sides");
                Matcher child = Pattern.compile("child in 0x([0-9a-f]{8}) out 0x([0-9a-f]{8}) tunnel aes128gcm16 esp-in-udp").matcher(ike);
                assertTrue(child.find(), ike);
                assertEquals(Set.of(Long.parseLong(child.group(1), 16), Long.parseLong(child.group(2), 16)), charonChildSpis(charon));

                op.line("show ike | json");
                String json = op.expect(PROMPT);
                assertTrue(json.contains("\"connection\":\"to-b\",\"state\":\"ESTABLISHED\",\"initiator\":true"), json);
                assertTrue(json.contains("\"initiatorSpi\":\"" + spis.group(1) + "\""), json);

                // show sas: the negotiated pair with its traffic and the lifetime it has left.
                op.line("show sas | json");
                String sas = op.expect(PROMPT);
                Matcher out = Pattern.compile("\"tunnel\":\"to-b\",\"direction\":\"out\",\"spi\":" + Long.parseLong(child.group(2), 16)
                        + ".*?\"lifetimeSecondsLeft\":(\\d+),\"lifetimeBytesLeft\":-1,\"packets\":(\\d+)").matcher(sas);
                assertTrue(out.find(), sas);
                assertTrue(Long.parseLong(out.group(1)) > 3000, "child-lifetime 3600 by default: " + out.group(1));
                assertTrue(Long.parseLong(out.group(2)) >= 3, "the pings went out under it: " + out.group(2));
                op.line("show sas");
                String sasText = op.expect(PROMPT);
                fits(sasText);
                assertTrue(sasText.contains("esp aes128gcm16/none in udp 4500"), sasText);
                assertTrue(sasText.matches("(?s).*lifetime 3\\d{3}s left.*"), sasText);

                op.line("show opportunistic");
                op.expect("opportunistic encryption is not configured");
                op.expect(PROMPT);

                // clear sas: a Delete goes to strongSwan, which drops its SAs; the start-up connection comes back.
                int logBefore = charon.log().length();
                op.line("clear sas");
                op.expect("1 IKE SA(s) deleted with a Delete to their peers");
                op.expect(PROMPT);
                await("strongSwan to receive our Delete", () -> charon.log().substring(logBefore).contains("received DELETE for IKE_SA a["));
                await("a new IKE SA", () -> !charonIkeSpis(charon).isEmpty() && !charonIkeSpis(charon).contains(ikeSpis)
                        && charonChildSpis(charon).size() == 2 && sites.status(sites.controlA, "show ike json").contains("\"inboundSpi\""));
                Set<Long> newChild = charonChildSpis(charon);
                assertFalse(newChild.contains(Long.parseLong(child.group(1), 16)), "new Child SAs");
                ping = sites.hA.exec(Duration.ofSeconds(20), "ping", "-c", "3", "-i", "0.2", "-W", "3", "10.2.0.20");
                assertEquals(0, ping.exitCode(), ping.stdout() + context(sites, charon));
                String ikeNow = sites.status(sites.controlA, "show ike json");

                // A commit the appliance refuses names the line and changes nothing.
                op.line("configure");
                op.expect(CONFIG_PROMPT);
                op.line("set connection to-c peer 203.0.113.9 remote-id 203.0.113.9 auth pubkey private-key /nonexistent/c.key"
                        + " peer-key /nonexistent/c.pub local-net 10.1.0.0/24 remote-net 10.3.0.0/24");
                op.expect(CONFIG_PROMPT);
                op.line("commit");
                String refused = op.expect(CONFIG_PROMPT);
                assertTrue(refused.contains("commit failed, nothing changed: not applied"), refused);
                Matcher line = Pattern.compile("line (\\d+): connection to-c: /nonexistent/c.key").matcher(refused);
                assertTrue(line.find(), refused);
                assertTrue(refused.contains("\n    " + line.group(1) + " | connection to-c peer 203.0.113.9"), "the statement is quoted: " + refused);
                op.line("show configuration diff");
                op.expect("+connection to-c");
                op.expect(CONFIG_PROMPT);
                op.line("exit");
                op.expect("uncommitted changes discarded");
                op.expect(PROMPT);
                assertEquals(spiOf(ikeNow), spiOf(sites.status(sites.controlA, "show ike json")), "the IKE SA was not touched");
                assertFalse(Files.exists(state.resolve("config/running.conf")), "nothing persisted");
                op.line("logout");
                op.expect("site-a login: ");
            }
            // Audit: every line says when (UTC, during this test) and who.
            List<String> audit = Files.readAllLines(state.resolve("audit.log"));
            assertTrue(audit.stream().anyMatch(l -> l.contains("login admin (admin)")), audit.toString());
            assertTrue(audit.stream().anyMatch(l -> l.contains("clear sas by admin")), audit.toString());
            assertTrue(audit.stream().anyMatch(l -> l.contains("commit by admin refused: line")), audit.toString());
            for (String l : audit) {
                Instant t = Instant.parse(l.substring(0, l.indexOf(' ')));
                assertFalse(t.isBefore(started.minusSeconds(1)) || t.isAfter(Instant.now()), "audit time " + l);
                assertTrue(l.contains("admin"), "audit names the user: " + l);
            }
        } finally {
            sites.stop();
            charon.stop();
        }
    }

    private static String spiOf(String showIkeJson) {
        Matcher m = Pattern.compile("\"initiatorSpi\":\"([0-9a-f]{16})\"").matcher(showIkeJson);
        assertTrue(m.find(), showIkeJson);
        return m.group(1);
    }

    private static void fits(String text) {
        for (String l : text.lines().toList()) assertTrue(l.length() <= 80, "over 80 columns: " + l);
    }

    /** strongSwan's IKE SA SPI pairs ("spi_i spi_r"). */
    private static Set<String> charonIkeSpis(StrongSwan charon) {
        Matcher m = Pattern.compile("([0-9a-f]{16})_i\\*? ([0-9a-f]{16})_r\\*?").matcher(charon.listSas());
        Set<String> spis = new HashSet<>();
        while (m.find()) spis.add(m.group(1) + "_i " + m.group(2) + "_r");
        return spis;
    }

    /** ESP SPIs of strongSwan's INSTALLED child SAs. */
    private static Set<Long> charonChildSpis(StrongSwan charon) {
        Set<Long> spis = new HashSet<>();
        for (String c : charon.listSas().split("(?m)^(?=\\s+net: #)")) {
            if (!c.contains(", INSTALLED,")) continue;
            Matcher m = Pattern.compile("(?m)^\\s+(?:in|out)\\s+([0-9a-f]{8})").matcher(c);
            while (m.find()) spis.add(Long.parseLong(m.group(1), 16));
        }
        return spis;
    }

    private static String context(TwoSites sites, StrongSwan charon) {
        return "\n--- appliance:\n" + sites.applianceA.output() + "\n--- charon:\n" + charon.listSas();
    }

    private static void await(String what, java.util.function.BooleanSupplier condition) throws InterruptedException {
        long end = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) fail("timed out waiting for " + what);
            Thread.sleep(200);
        }
    }
}
