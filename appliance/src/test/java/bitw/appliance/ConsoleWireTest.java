// The serial console of a real appliance in the namespace lab, over a real pseudo-terminal, as an operator uses
// it: first-boot password, login, show commands whose counters move with traffic, a policy commit while a ping
// crosses an untouched tunnel (it loses nothing), a refused change (nothing changes), commit confirmed that
// expires and rolls back, and the committed configuration surviving a restart.
package bitw.appliance;

import static org.junit.jupiter.api.Assertions.*;

import bitw.lab.LabProcess;
import bitw.lab.NetnsLab;
import bitw.lab.NetnsLabExtension;
import bitw.lab.Result;
import bitw.mgmt.Operator;
import bitw.mgmt.PtyPair;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

@Tag("netns")
@ExtendWith(NetnsLabExtension.class)
@Timeout(300)
class ConsoleWireTest {
    static final String PW = "Serial-console-9931";

    @Test
    void operatorRunsTheApplianceOverItsSerialConsole(NetnsLab lab) throws Exception {
        TwoSites sites = new TwoSites(lab);
        SiteConfigs c = new SiteConfigs(SiteConfigs.AES128GCM, "tunnel", "tunnel", false, 41);
        // A restart resets a manually keyed sender's sequence numbers; without anti-replay the peer keeps accepting
        // (RFC 4303 §3.3.3 / §3.4.3: anti-replay is not for manually keyed SAs that restart).
        c.tunnelOptions = " replay-window 0";
        Path state = lab.directory().resolve("state-a");
        try (PtyPair pty = new PtyPair(lab.directory()).start()) {
            sites.applianceB = sites.startAppliance(sites.apB, c.siteB(), lab.directory().resolve("b.sock"));
            sites.controlB = lab.directory().resolve("b.sock");
            List<String> consoleArgs = List.of("--state-dir", state.toString(), "--console", pty.console.toString());
            List<String> jvm = List.of("-Dbitw.console.minute-ms=3000");
            sites.controlA = lab.directory().resolve("a.sock");
            sites.applianceA = sites.startAppliance(sites.apA, c.siteA(), sites.controlA, consoleArgs, jvm);
            sites.applianceA.waitForOutput(" up: ", Duration.ofSeconds(30));   // the console comes up before the data plane
            sites.applianceB.waitForOutput("data plane running", Duration.ofSeconds(30));

            try (Operator op = new Operator(pty.operator)) {
                // First boot: no default password; the admin password must be set first.
                op.expect("no default password");
                op.expect("new password for admin: ");
                op.line(PW);
                op.expect("again: ");
                op.line(PW);
                op.expect("user admin created");
                login(op);

                // Counters move when traffic flows.
                assertEquals(0, sites.hA.exec(Duration.ofSeconds(20), "ping", "-c", "5", "-i", "0.2", "-W", "2", "10.2.0.20").exitCode());
                op.line("show policies | json");
                String json = op.expect("admin@site-a> ");
                Matcher m = Pattern.compile("\"name\":\"policy-10\",\"action\":\"CONFIGURED\",\"outPackets\":(\\d+)").matcher(json);
                assertTrue(m.find(), json);
                assertEquals(5, Integer.parseInt(m.group(1)), "five echo requests counted under policy 10");
                op.line("show sas");
                String sas = op.expect("admin@site-a> ");
                assertTrue(sas.contains("to-b") && sas.contains("to-b6") && sas.contains("aes128gcm16"), sas);

                // A policy commit while a ping crosses the IPv6 tunnel, which the commit does not touch.
                LabProcess ping = sites.hA.spawn("ping", "-6", "-c", "60", "-i", "0.05", "-W", "2", "2001:db8:2::20");
                Thread.sleep(500);
                op.line("configure");
                op.expect("admin@site-a# ");
                op.line("set policy 5 from 10.1.0.10/32 to 10.2.0.20/32 proto udp dport 9 action deny");
                op.expect("admin@site-a# ");
                op.line("commit");
                op.expect("commit complete");
                op.expect("admin@site-a# ");
                assertTrue(ping.waitFor(Duration.ofSeconds(30)).isPresent());
                assertTrue(ping.output().contains("60 received"), "the untouched tunnel lost nothing:\n" + ping.output());
                sites.hA.exec("sh", "-c", "echo x | socat -u - UDP4:10.2.0.20:9");
                Thread.sleep(300);
                assertTrue(sites.status(sites.controlA, "status json").contains("\"POLICY_DENY\":1"), "the new policy is enforced");

                // A bad change is refused, naming the problem; nothing changes.
                op.line("set policy 30 from 10.1.0.0/24 to 10.9.0.0/24 action configured tunnel no-such-tunnel");
                String refused = op.expect("admin@site-a# ");
                assertTrue(refused.contains("refused") && refused.contains("no-such-tunnel"), refused);
                op.line("show configuration diff");
                String diff = op.expect("admin@site-a# ");
                assertFalse(diff.contains("policy 30"), diff);

                // commit confirmed that nobody confirms rolls back (a 'minute' is 3 s in this test).
                op.line("delete policy 5");
                op.expect("admin@site-a# ");
                op.line("commit confirmed 1");
                op.expect("unless you enter 'confirm'");
                op.expect("admin@site-a# ");
                assertFalse(sites.status(sites.controlA, "status").contains("policy-5"), "policy 5 gone while on trial");
                Thread.sleep(5000);
                assertTrue(sites.status(sites.controlA, "status").contains("policy-5"), "rolled back to the previous configuration");
                op.line("exit");
                op.expect("admin@site-a> ");
            }
            assertTrue(Files.readString(state.resolve("audit.log")).contains("rollback"), Files.readString(state.resolve("audit.log")));

            // The committed configuration survives a restart (the file given on the command line is older).
            sites.applianceA.stop();
            sites.applianceA = sites.startAppliance(sites.apA, c.siteA(), sites.controlA, List.of("--state-dir", state.toString(), "--console", pty.console.toString()), List.of());
            sites.applianceA.waitForOutput(" up: ", Duration.ofSeconds(30));   // the console comes up before the data plane
            Thread.sleep(500);
            assertTrue(sites.status(sites.controlA, "status").contains("policy-5"), "policy 5 from the state partition");
            try (Operator op = new Operator(pty.operator)) {
                op.line("");
                login(op);  // no first-boot question: the users file survived too
                Result r = sites.hA.exec(Duration.ofSeconds(20), "ping", "-c", "2", "-W", "2", "10.2.0.20");
                assertEquals(0, r.exitCode(), r.stdout());
            }
        } finally {
            sites.stop();
        }
    }

    private static void login(Operator op) throws Exception {
        op.expect("site-a login: ");
        op.line("admin");
        op.expect("Password: ");
        op.line(PW);
        op.expect("admin@site-a> ");
    }
}
