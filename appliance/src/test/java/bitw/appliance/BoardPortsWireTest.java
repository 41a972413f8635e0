// The appliance as the firmware image starts it (Main --hw-profile, --state-dir, --console, no configuration) on a
// box in the namespace lab whose two NICs carry kernel names: it names them inside/outside from the hardware
// profile in its own JVM, comes up fail-closed (nothing crosses) with the console asking for the admin password and
// a running configuration that names the two ports (a first commit only adds policies), finds the renamed ports
// again after a restart, and refuses a profile whose NIC is missing — exit status 4, the
// reason naming the expected NIC and every interface present, in the log and on the serial console.
package bitw.appliance;

import static org.junit.jupiter.api.Assertions.*;

import bitw.lab.Host;
import bitw.lab.LabProcess;
import bitw.lab.NetnsLab;
import bitw.lab.NetnsLabExtension;
import bitw.mgmt.Operator;
import bitw.mgmt.PtyPair;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

@Tag("netns")
@ExtendWith(NetnsLabExtension.class)
@Timeout(240)
class BoardPortsWireTest {
    static final String PW = "Board-ports-4711";

    static String profile(String inside, String outside) {
        return """
                name lab-board
                architecture amd64
                inside-nic %s
                outside-nic %s
                serial-console ttyS0
                serial-speed 115200
                memory-budget-mib 512
                kernel-cmdline console=ttyS0,115200n8 quiet
                first-boot-policy fail-closed
                """.formatted(inside, outside);
    }

    @Test
    void namesThePortsFromTheProfileAndStartsFailClosedWithTheConsole(NetnsLab lab) throws Exception {
        Host a = lab.host("a"), box = lab.host("box"), b = lab.host("b");
        lab.link(a, "eth0", box, "nicA");
        lab.link(box, "nicB", b, "eth0");
        a.addr("eth0", "10.7.0.1/24");
        b.addr("eth0", "10.7.0.2/24");
        Path profile = lab.directory().resolve("board");
        Files.writeString(profile, profile("nicA", "nicB"));
        Path state = lab.directory().resolve("state");
        Path control = lab.directory().resolve("box.sock");
        try (PtyPair pty = new PtyPair(lab.directory()).start()) {
            List<String> args = List.of("--hw-profile", profile.toString(), "--state-dir", state.toString(),
                    "--control", control.toString(), "--console", pty.console.toString());
            LabProcess app = lab.startJava(box, "bitw.appliance.Main", args);
            app.waitForOutput("ports from hardware profile lab-board: inside = nicA \\(nicA\\), outside = nicB", Duration.ofSeconds(60));
            app.waitForOutput("up: 0 tunnels, 0 policies", Duration.ofSeconds(60));
            String links = box.run("ip", "-o", "link", "show");
            assertTrue(links.contains(": inside@") && links.contains(": outside@"), links);
            assertFalse(links.contains("nicA") || links.contains("nicB"), links);
            try (Operator op = new Operator(pty.operator)) {
                op.expect("no default password", Duration.ofSeconds(30));
                op.expect("new password for admin: ");
                // No configuration, fail-closed: nothing crosses the box.
                assertNotEquals(0, a.exec(Duration.ofSeconds(20), "ping", "-c", "2", "-W", "1", "10.7.0.2").exitCode());
                op.line(PW);
                op.expect("again: ");
                op.line(PW);
                op.expect("bitw login: ");
                op.line("admin");
                op.expect("Password: ");
                op.line(PW);
                op.expect("admin@bitw> ");
                // The running configuration names the profile's ports and nothing else: a first commit adds policies only.
                op.line("configure");
                op.expect("admin@bitw# ");
                op.line("set policy 10 from any to any action permit");
                op.expect("admin@bitw# ");
                op.line("commit");
                op.expect("commit complete");
                op.expect("admin@bitw# ");
                op.line("show configuration");
                String shown = op.expect("admin@bitw# ");
                assertTrue(shown.contains("interface inside device inside") && shown.contains("interface outside device outside"), shown);
                assertEquals(0, a.exec(Duration.ofSeconds(20), "ping", "-c", "2", "-W", "2", "10.7.0.2").exitCode(), "forwards what was committed");
            }

            // A restart in the same boot finds the ports under their new names.
            app.stop();
            app = lab.startJava(box, "bitw.appliance.Main", args);
            app.waitForOutput("ports from hardware profile lab-board: inside = inside \\(nicA\\), outside = outside \\(nicB\\)", Duration.ofSeconds(60));
            app.waitForOutput("up: 0 tunnels", Duration.ofSeconds(60));
            app.stop();

            // A profile whose outside NIC is not there: refused, named, on the console too; nothing renamed.
            Files.writeString(profile, profile("inside", "pci-0000:09:00.0"));
            try (Operator op = new Operator(pty.operator)) {
                LabProcess refused = lab.startJava(box, List.of("-Dbitw.ports.wait-ms=1000"), "bitw.appliance.Main", args);
                OptionalInt exit = refused.waitFor(Duration.ofSeconds(60));
                assertEquals(OptionalInt.of(Main.EXIT_PORTS), exit, refused.output());
                assertTrue(refused.output().contains("ports refused, nothing started"), refused.output());
                assertTrue(refused.output().contains("outside NIC pci-0000:09:00.0 not found; present: "), refused.output());
                assertTrue(refused.output().contains("outside (virtual)"), refused.output());
                String onLine = op.expect("outside NIC pci-0000:09:00.0 not found", Duration.ofSeconds(15));
                assertTrue(onLine.contains("ports refused"), onLine);
                assertFalse(Files.exists(control), "no control socket: nothing started");
            }
        }
    }
}
