// Specification of how the image wires the appliance and its serial console, checked fast on a skeleton rootfs:
// lib/common.sh's install_overlay (the same function the image build runs) for every shipped profile, then the
// image's start script bitw-start with a stand-in for the runtime's java that prints the command line it gets.
// The appliance runs the console CLI on the profile's serial port with its state on the config partition, the
// serial line carries no unit output and no getty, the ports are named by the appliance (no separate JVM), and
// the configuration follows committed > provisioned > first-boot policy.
package bitw.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class ImageWiringTest {
    static final Path PROFILES = Command.MODULE.resolve("../hw-profiles/src/main/resources/bitw/hw/profiles").normalize();

    @TempDir Path tmp;

    /** A rootfs skeleton with what install_overlay expects from Debian, then install_overlay for {@code profile}. */
    Path overlay(String profile) throws Exception {
        return overlay(profile, PROFILES.resolve(profile));
    }

    Path overlay(String profile, Path profileFile) throws Exception {
        Path r = tmp.resolve("root-" + profile);
        Files.createDirectories(r.resolve("etc"));
        Files.writeString(r.resolve("etc/shadow"), "root:$y$locked:19000:0:99999:7:::\n");
        Files.createDirectories(r.resolve("usr/lib/systemd/system"));
        Files.writeString(r.resolve("usr/lib/systemd/system/multi-user.target"), "[Unit]\nDescription=stand-in\n");
        Path lib = Files.createDirectories(r.resolve("usr/lib/bitw/lib"));
        for (String jar : List.of("tinylog-impl-2.7.0.jar", "appliance.jar", "bcprov-jdk18on-1.87.jar")) Files.writeString(lib.resolve(jar), "");
        Path keyring = Files.writeString(tmp.resolve("keyring.pem"), "test keyring\n");
        String script = """
                set -euo pipefail
                HERE=$PWD; ROOT=$(cd .. && pwd); WORK=$1
                . lib/common.sh
                PROFILE=$2; PROFILE_FILE=$3; VERSION=test-version; RAUC_KEYRING=$4
                JVM_OPTIONS="-Xms192m -Xmx192m"
                SERIAL=$(profile_field serial-console); SPEED=$(profile_field serial-speed)
                CMDLINE=$(profile_field kernel-cmdline); WATCHDOG=$(profile_field watchdog || true)
                FIRST_BOOT=$(profile_field first-boot-policy || echo fail-closed)
                install_overlay "$5"
                """;
        Command c = Command.run(List.of("bash", "-c", script, "overlay", tmp.toString(), profile,
                profileFile.toString(), keyring.toString(), r.toString()));
        assertEquals(0, c.exitCode(), c.output());
        return r;
    }

    static String field(String profileText, String key) {
        return profileText.lines().filter(l -> l.startsWith(key + " ")).findFirst().orElseThrow().substring(key.length() + 1).strip();
    }

    @ParameterizedTest
    @ValueSource(strings = {"qemu-x86_64", "generic-x86_64-2nic", "arm64-2nic"})
    void theConsoleRunsOnTheProfilesSerialPortAndNothingElseUsesIt(String profile) throws Exception {
        Path r = overlay(profile);
        String p = Files.readString(PROFILES.resolve(profile));
        String tty = field(p, "serial-console"), speed = field(p, "serial-speed");

        String env = Files.readString(r.resolve("usr/lib/bitw/bitw.env"));
        assertTrue(env.contains("\nBITW_CONSOLE=" + tty + "\n") && env.contains("\nBITW_CONSOLE_SPEED=" + speed + "\n"), env);
        // An explicit, sorted class path: the AOT cache records it, a wildcard would follow directory order.
        assertTrue(env.contains("\nBITW_CLASSPATH=/usr/lib/bitw/lib/appliance.jar:/usr/lib/bitw/lib/bcprov-jdk18on-1.87.jar:"
                + "/usr/lib/bitw/lib/tinylog-impl-2.7.0.jar\n"), env);

        // udev names the ports from the profile's bus paths (exact ID_PATH, or its tail at a '-', as the appliance matches).
        for (String role : List.of("inside", "outside")) {
            String selector = field(p, role + "-nic");
            String link = Files.readString(r.resolve("etc/systemd/network/10-bitw-" + role + ".link"));
            assertTrue(link.contains("[Match]\nPath=" + selector + " *-" + selector + "\n") && link.contains("[Link]\nName=" + role + "\n"), link);
        }

        // The appliance waits for the profile's serial device.
        String dropIn = Files.readString(r.resolve("etc/systemd/system/bitw.service.d/console.conf"));
        assertTrue(dropIn.contains("Wants=dev-" + tty + ".device") && dropIn.contains("After=dev-" + tty + ".device"), dropIn);

        // The serial line belongs to the console CLI: unit output to the journal only, systemd shows only failures.
        for (String unit : List.of("bitw.service", "bitw-health.service")) {
            String u = Files.readString(r.resolve("etc/systemd/system").resolve(unit));
            assertTrue(u.contains("StandardOutput=journal\n") && u.contains("StandardError=journal\n"), unit + ":\n" + u);
            assertTrue(u.lines().noneMatch(l -> l.startsWith("Standard") && l.contains("console") || l.startsWith("TTY")), unit + " writes to the console:\n" + u);
        }
        String service = Files.readString(r.resolve("etc/systemd/system/bitw.service"));
        assertTrue(service.contains("RestartPreventExitStatus=2 4"), "configuration refused and ports refused are final");
        // Early, with exactly its dependencies, and stopped at shutdown.
        assertTrue(service.contains("DefaultDependencies=no\nRequiresMountsFor=/var/lib/bitw /tmp\n")
                && service.contains("Conflicts=shutdown.target\nBefore=shutdown.target\n"), service);
        assertFalse(Files.exists(r.resolve("etc/systemd/system/bitw-ports.service")), "the ports are named by the appliance, no second JVM");
        assertTrue(Files.isSymbolicLink(r.resolve("etc/systemd/system/multi-user.target.wants/bitw.service")), "the appliance starts at boot");
        assertTrue(Files.readString(r.resolve("etc/systemd/system.conf.d/bitw.conf")).contains("ShowStatus=error"));
        assertTrue(Files.readString(r.resolve("etc/sysctl.d/90-bitw.conf")).contains("kernel.printk = 3 4 1 3"));
        // The hardware watchdog is the profile's, or none at all.
        String watchdog = Files.readString(r.resolve("etc/systemd/system.conf.d/watchdog.conf"));
        if (p.contains("\nwatchdog ")) assertTrue(watchdog.contains("WatchdogDevice=" + field(p, "watchdog") + "\nRuntimeWatchdogSec=30s"), watchdog);
        else assertTrue(watchdog.contains("RuntimeWatchdogSec=0\nRebootWatchdogSec=0"), watchdog);

        // No other login path: every getty masked, root locked.
        for (String getty : List.of("getty@.service", "serial-getty@.service", "console-getty.service", "autovt@.service", "getty.target", "debug-shell.service"))
            assertEquals(Path.of("/dev/null"), Files.readSymbolicLink(r.resolve("etc/systemd/system").resolve(getty)), getty + " masked");
        assertTrue(Files.readString(r.resolve("etc/shadow")).startsWith("root:*:"), "root has no password");
        assertTrue(Files.exists(r.resolve("etc/.updated")) && Files.exists(r.resolve("var/.updated")), "no update units on the read-only root");

        // State (users, committed configuration, history) on the config partition; update media read-only.
        String fstab = Files.readString(r.resolve("etc/fstab"));
        assertTrue(fstab.contains(" /var/lib/bitw  ext4 "), fstab);
        assertTrue(fstab.lines().anyMatch(l -> l.startsWith("LABEL=BITW-UPDATE  /media/update ") && l.contains(" ro,") && l.contains("x-systemd.automount")), fstab);
        assertTrue(Files.isDirectory(r.resolve("media/update")));
    }

    @Test
    void kernelNameSelectorsAreLeftToTheAppliance() throws Exception {
        Path file = tmp.resolve("by-name");
        Files.writeString(file, Files.readString(PROFILES.resolve("qemu-x86_64"))
                .replace("inside-nic pci-0000:00:03.0", "inside-nic enp0s3").replace("outside-nic pci-0000:00:04.0", "outside-nic enp0s4"));
        Path r = overlay("by-name", file);
        assertFalse(Files.exists(r.resolve("etc/systemd/network/10-bitw-inside.link")), "udev cannot match a name it gives itself");
        assertFalse(Files.exists(r.resolve("etc/systemd/network/10-bitw-outside.link")));
    }

    /** bitw-start on an overlaid tree, with runtime/bin/java replaced by a script that prints its arguments. */
    String start(Path r, Path state, String firstBoot) throws Exception {
        Path lib = r.resolve("usr/lib/bitw");
        Path java = Files.createDirectories(lib.resolve("runtime/bin")).resolve("java");
        Files.writeString(java, "#!/bin/sh\nfor a in \"$@\"; do printf '%s\\n' \"$a\"; done\n");
        java.toFile().setExecutable(true);
        Files.writeString(lib.resolve("bitw.env"), Files.readString(lib.resolve("bitw.env"))
                .replaceAll("BITW_FIRST_BOOT_POLICY=.*", "BITW_FIRST_BOOT_POLICY=" + firstBoot));
        Path out = tmp.resolve("console.out");
        Files.deleteIfExists(out);
        Command c = Command.run(List.of(lib.resolve("bitw-start").toString()),
                Map.of("BITW_LIB", lib.toString(), "BITW_STATE", state.toString(), "BITW_CONSOLE_OUT", out.toString()));
        assertEquals(0, c.exitCode(), c.output());
        return c.output() + "\n--- serial line:\n" + (Files.exists(out) ? Files.readString(out) : "");
    }

    @Test
    void bitwStartRunsTheApplianceWithConsoleStateAndPortsAndPicksTheConfiguration() throws Exception {
        Path r = overlay("qemu-x86_64");
        Path lib = r.resolve("usr/lib/bitw");
        Path state = Files.createDirectories(tmp.resolve("state"));

        // First boot, fail-closed: no --config at all (the appliance forwards nothing until a commit).
        String first = start(r, state, "fail-closed");
        List<String> args = first.lines().toList();
        String argLine = String.join(" ", args);
        assertTrue(argLine.contains("bitw.appliance.Main --state-dir " + state + " --control /run/bitw/control.sock --hw-profile "
                + lib.resolve("hw-profile") + " --console /dev/ttyS0 --console-speed 115200"), first);
        assertTrue(argLine.contains("-cp /usr/lib/bitw/lib/appliance.jar:"), first);
        assertTrue(args.contains("-Xmx192m") && args.stream().anyMatch(a -> a.startsWith("-Dbitw.firmware=test-version on slot ")), first);
        assertFalse(args.contains("--config"), first);
        assertTrue(first.contains("--- serial line:\nbitw: firmware test-version on slot"), first);
        assertTrue(first.contains("first-boot policy fail-closed: nothing forwards until one is committed on the console"), first);

        // permit-all profile, nothing configured: the shipped permit-all configuration.
        String permit = start(r, state, "permit-all");
        assertTrue(permit.contains("--config\n" + lib.resolve("permit-all.conf")), permit);

        // A factory-provisioned configuration on the config partition.
        Files.writeString(state.resolve("bitw.conf"), "hostname x\n");
        String provisioned = start(r, state, "fail-closed");
        assertTrue(provisioned.contains("--config\n" + state.resolve("bitw.conf")), provisioned);

        // What an operator committed on the console wins: the appliance reads it from the state directory itself.
        Files.createDirectories(state.resolve("config"));
        Files.writeString(state.resolve("config/running.conf"), "hostname y\n");
        String committed = start(r, state, "fail-closed");
        assertFalse(committed.lines().toList().contains("--config"), committed);
        assertTrue(committed.contains("configuration committed on the console"), committed);
    }
}
