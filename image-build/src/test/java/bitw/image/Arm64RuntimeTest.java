// Specification of the arm64 Java runtime as build-image.sh makes it for the arm64-2nic profile (Debian trixie's
// JDK 25 jmods, cross-linked, trixie's glibc private to the runtime): inside a Debian 12 arm64 root, under qemu-user,
// it runs the appliance's configuration check and the hardware-profile tool with the options the image uses, loads
// Debian 12's libpcap through Pcap4J/JNA with its own C library, and starts children (ip, ping) that keep Debian 12's
// loader and C library. arm64-runtime-check.sh prepares the root (needs root, qemu-user-static, network to Debian).
package bitw.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class Arm64RuntimeTest {
    static final Path WORK = Command.MODULE.resolve("target/arm64-runtime-check");
    static final Path ROOT = WORK.resolve("root");
    static final Path JARS = Command.MODULE.resolveSibling("appliance/target");
    static final String JAVA = "/usr/lib/bitw/runtime/bin/java";
    /** bitw-ports' options for the profile tool. */
    static final List<String> TOOL_OPTIONS = List.of("-XX:TieredStopAtLevel=1", "-XX:-UsePerfData", "-Xmx32m");
    /** bitw.env's options on an arm64-2nic image (the profile's heap, JNA's shipped native part). */
    static List<String> applianceOptions;

    /** Missing prerequisites skip on a developer's machine; CI installs them, so there they fail. */
    private static void require(boolean ok, String what) {
        if (ok) return;
        if ("true".equals(System.getenv("CI"))) fail(what);
        assumeTrue(false, what);
    }

    @BeforeAll
    static void prepareTheArm64Root() throws Exception {
        require("root".equals(System.getProperty("user.name")), "needs root (chroot, mmdebstrap)");
        require(Command.available("qemu-aarch64-static") && Command.available("mmdebstrap") && Command.available("patchelf"),
                "needs qemu-user-static, binfmt-support, mmdebstrap, patchelf (scripts/install-deps.sh)");
        require(Files.isRegularFile(JARS.resolve("appliance.jar")) && Files.isDirectory(JARS.resolve("lib")),
                "needs the appliance's jars (mvn package; the reactor builds appliance before image-build)");
        Result prepared = run(List.of("bash", "image-build/arm64-runtime-check.sh", WORK.toString()), Command.MODULE.getParent(), 1800);
        assertEquals(0, prepared.exit(), prepared.output());

        // The probe (this module's test class) and the inputs of the checks, inside the root.
        Path probe = Files.createDirectories(ROOT.resolve("tmp/probe/bitw/image"));
        Files.copy(Path.of(Arm64Probe.class.getProtectionDomain().getCodeSource().getLocation().toURI())
                .resolve("bitw/image/Arm64Probe.class"), probe.resolve("Arm64Probe.class"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Files.copy(Command.MODULE.resolve("test/boot-test.conf"), ROOT.resolve("tmp/boot-test.conf"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);

        Path hwJar;
        try (var s = Files.list(JARS.resolve("lib"))) {
            hwJar = s.filter(p -> p.getFileName().toString().startsWith("hw-profiles-")).findFirst().orElseThrow();
        }
        Result opts = run(List.of(ProcessHandle.current().info().command().orElse("java"), "-cp", hwJar.toString(),
                "bitw.hw.HardwareProfileTool", "jvm-options", ROOT.resolve("usr/lib/bitw/hw-profile").toString()), Command.MODULE, 120);
        assertEquals(0, opts.exit(), opts.output());
        applianceOptions = new ArrayList<>(Arrays.asList(opts.output().strip().split(" ")));
        applianceOptions.addAll(List.of("--enable-native-access=ALL-UNNAMED", "-Djna.nounpack=true", "-Djna.nosys=true",
                "-Djna.boot.library.path=/usr/lib/bitw/native"));
    }

    record Result(int exit, String output) {}

    static Result run(List<String> argv, Path dir, long timeoutSeconds) throws IOException, InterruptedException {
        Path log = Files.createTempFile("arm64-check", ".log");
        try {
            Process p = new ProcessBuilder(argv).directory(dir.toFile()).redirectErrorStream(true)
                    .redirectOutput(log.toFile()).start();
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                fail("timed out after " + timeoutSeconds + " s: " + argv + "\n" + Files.readString(log));
            }
            return new Result(p.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(log);
        }
    }

    /** A program inside the arm64 root, under qemu-user (lib/arm64-runtime.sh: arm64_chroot). */
    static Result inRoot(List<String> argv) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("bash", "-c", ". image-build/lib/arm64-runtime.sh && arm64_chroot \"$@\"", "-", ROOT.toString()));
        cmd.addAll(argv);
        return run(cmd, Command.MODULE.getParent(), 600);
    }

    static Result java(List<String> options, String... args) throws Exception {
        List<String> argv = new ArrayList<>(List.of(JAVA));
        argv.addAll(options);
        argv.addAll(List.of("-cp", "/usr/lib/bitw/lib/*:/tmp/probe"));
        argv.addAll(List.of(args));
        return inRoot(argv);
    }

    @Test
    void theRootIsDebian12Arm64AndTheRuntimeIsDebiansJdk25WithItsCdsArchive() throws Exception {
        Result arch = inRoot(List.of("uname", "-m"));
        assertEquals("aarch64", arch.output().strip(), "not running under arm64 emulation");
        assertTrue(Files.readString(ROOT.resolve("etc/debian_version")).startsWith("12."));
        Result version = inRoot(List.of(JAVA, "-XX:-UsePerfData", "-version"));
        assertEquals(0, version.exit(), version.output());
        assertTrue(version.output().contains("openjdk version \"25."), version.output());
        assertTrue(version.output().contains("Debian"), version.output());
        assertTrue(version.output().contains("sharing"), "the CDS archive is not used:\n" + version.output());
    }

    // Only the paths that start the JVM, load native code or start processes run here, each one JVM start under
    // emulation (~10-20 s of CPU); the refusals (broken configuration, missing NIC) are the same bytecode and are
    // specified by ConfigParser's and HardwareProfilesTest's tests.
    @Test
    void theApplianceChecksARealConfigurationWithTheImagesJvmOptions() throws Exception {
        Result ok = java(applianceOptions, "bitw.appliance.Main", "--check", "/tmp/boot-test.conf");
        assertEquals(0, ok.exit(), ok.output());
        assertTrue(ok.output().contains("/tmp/boot-test.conf: ok"), ok.output());
    }

    /** A NanoPi R4S-class sysfs: the GMAC (WAN) and the RTL8111 behind the SoC's PCIe root port (LAN). */
    static Path boardSysfs(String name) throws Exception {
        Path sys = ROOT.resolve("tmp").resolve(name);
        if (Files.exists(sys)) run(List.of("rm", "-rf", sys.toString()), Command.MODULE, 60);
        Path classNet = Files.createDirectories(sys.resolve("class/net"));
        List<String[]> nics = new ArrayList<>();
        nics.add(new String[] {"eth0", "platform/fe300000.ethernet"});
        nics.add(new String[] {"eth1", "platform/f8000000.pcie/pci0000:00/0000:00:00.0/0000:01:00.0"});
        for (String[] nic : nics) {
            Path device = Files.createDirectories(sys.resolve("devices").resolve(nic[1]));
            Path netDir = Files.createDirectories(device.resolve("net").resolve(nic[0]));
            Files.createSymbolicLink(netDir.resolve("device"), netDir.relativize(device));
            Files.createSymbolicLink(classNet.resolve(nic[0]), classNet.relativize(netDir));
        }
        Path lo = Files.createDirectories(sys.resolve("devices/virtual/net/lo"));
        Files.createSymbolicLink(classNet.resolve("lo"), classNet.relativize(lo));
        return sys;
    }

    @Test
    void theProfileToolNamesTheBoardsPortsAsBitwPortsRunsIt() throws Exception {
        boardSysfs("sys-r4s");
        Result ports = java(TOOL_OPTIONS, "bitw.hw.HardwareProfileTool", "resolve", "/usr/lib/bitw/hw-profile", "/tmp/sys-r4s/class/net");
        assertEquals(0, ports.exit(), ports.output());
        assertEquals(List.of("inside eth1", "outside eth0"), ports.output().strip().lines().toList());
    }

    @Test
    void libpcapComesFromDebian12WithThePrivateLibcAndChildrenKeepDebian12sLibc() throws Exception {
        Result probe = java(applianceOptions, "bitw.image.Arm64Probe", "cat /proc/self/maps", "ip -V", "ping -V");
        assertEquals(0, probe.exit(), probe.output());
        List<String> lines = probe.output().lines().toList();
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("pcap libpcap version 1.10.")), probe.output());

        List<String> maps = lines.stream().filter(l -> l.startsWith("map ")).map(l -> l.substring(4)).toList();
        assertTrue(maps.contains("/usr/lib/bitw/runtime/lib/glibc/libc.so.6"), "JVM without the private libc: " + maps);
        assertTrue(maps.contains("/usr/lib/bitw/runtime/lib/glibc/ld-linux-aarch64.so.1"), maps.toString());
        assertEquals(1, maps.stream().filter(m -> m.endsWith("/libc.so.6")).count(), "two C libraries in one process: " + maps);
        assertEquals(1, maps.stream().filter(m -> m.contains("/ld-linux-aarch64.so")).count(), maps.toString());
        assertTrue(maps.stream().anyMatch(m -> m.matches("/(usr/)?lib/aarch64-linux-gnu/libpcap\\.so\\.1\\.10\\.[0-9]+")),
                "libpcap is not Debian 12's: " + maps);

        List<String> child = lines.stream().filter(l -> l.startsWith("child cat /proc/self/maps: ")).toList();
        assertTrue(child.stream().anyMatch(l -> l.matches(".* /(usr/)?lib/aarch64-linux-gnu/libc\\.so\\.6")), "child: " + child);
        assertTrue(child.stream().anyMatch(l -> l.matches(".* /(usr/)?lib/aarch64-linux-gnu/ld-linux-aarch64\\.so\\.1")), "child: " + child);
        assertFalse(child.stream().anyMatch(l -> l.contains("/usr/lib/bitw/")), "the runtime's libc leaked into a child: " + child);
        assertTrue(lines.contains("child cat /proc/self/maps: exit 0"), probe.output());
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("child ip -V: ip utility, iproute2-6.")), probe.output());
        assertTrue(lines.contains("child ip -V: exit 0"), probe.output());
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("child ping -V: ping from iputils 2022")), probe.output());
    }
}
