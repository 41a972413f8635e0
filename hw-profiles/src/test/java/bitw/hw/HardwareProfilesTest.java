// Specification of the hardware profile format and of every shipped profile: each parses, derives sane JVM
// options, and resolves its two NICs against a fake sysfs of its board; bad text is refused with line numbers.
package bitw.hw;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

class HardwareProfilesTest {
    static final List<String> SHIPPED = HardwareProfiles.SHIPPED;

    @TempDir Path tmp;

    /** A fake sysfs with the board's NICs where its profile expects them, plus a virtual interface. */
    private FakeSysfs boardFor(String profile) throws IOException {
        FakeSysfs s = new FakeSysfs(tmp).virtual("lo");
        switch (profile) {
            case "generic-x86_64-2nic" -> s.nic("enp1s0", "pci0000:00/0000:00:02.2/0000:01:00.0")
                    .nic("enp2s0", "pci0000:00/0000:00:02.3/0000:02:00.0")
                    .nic("enp3s0", "pci0000:00/0000:00:02.4/0000:03:00.0");
            case "arm64-2nic" -> s.nic("eth0", "platform/fe300000.ethernet")
                    .nic("eth1", "platform/f8000000.pcie/pci0000:00/0000:00:00.0/0000:01:00.0");
            case "qemu-x86_64" -> s.nic("enp0s3", "pci0000:00/0000:00:03.0/virtio0")
                    .nic("enp0s4", "pci0000:00/0000:00:04.0/virtio1");
            default -> throw new IllegalArgumentException(profile);
        }
        return s;
    }

    @ParameterizedTest
    @FieldSource("SHIPPED")
    void everyShippedProfileLoadsAndResolvesOnItsBoard(String name) throws Exception {
        HardwareProfile p = HardwareProfiles.load(name);
        assertEquals(name, p.name());
        assertTrue(p.kernelCmdline().contains("console=" + p.serialConsole() + "," + p.serialSpeed()));
        assertEquals(FirstBootPolicy.FAIL_CLOSED, p.firstBootPolicy(), "shipped boards fail closed");
        ResolvedPorts r = p.resolveNics(boardFor(name).classNet);
        assertNotEquals(r.inside(), r.outside());
        assertTrue(p.heapMib() >= 64 && p.heapMib() < p.memoryBudgetMib() / 2, "heap " + p.heapMib());
    }

    @Test
    void resolvesEachBoardToTheExpectedPorts() throws Exception {
        assertEquals(new ResolvedPorts("enp1s0", "enp2s0"),
                HardwareProfiles.load("generic-x86_64-2nic").resolveNics(boardFor("generic-x86_64-2nic").classNet));
    }

    @Test
    void resolvesPlatformAndNestedPciPathsOnTheArmBoard() throws Exception {
        HardwareProfile p = HardwareProfiles.load("arm64-2nic");
        assertEquals(new ResolvedPorts("eth1", "eth0"), p.resolveNics(boardFor("arm64-2nic").classNet));
        assertEquals(Architecture.ARM64, p.architecture());
    }

    @Test
    void resolvesVirtioNicsByTheirPciFunction() throws Exception {
        HardwareProfile p = HardwareProfiles.load("qemu-x86_64");
        assertEquals(new ResolvedPorts("enp0s3", "enp0s4"), p.resolveNics(boardFor("qemu-x86_64").classNet));
    }

    @Test
    void busPathFollowsUdevPathIdNaming() {
        assertEquals("pci-0000:00:03.0", HardwareProfile.busPath(Path.of("/sys/devices/pci0000:00/0000:00:03.0/virtio0")));
        assertEquals("platform-f8000000.pcie-pci-0000:01:00.0",
                HardwareProfile.busPath(Path.of("/sys/devices/platform/f8000000.pcie/pci0000:00/0000:00:00.0/0000:01:00.0")));
        assertEquals("pci-0000:01:00.0", HardwareProfile.busPath(Path.of("/sys/devices/pci0000:00/0000:00:02.2/0000:01:00.0")));
        assertEquals("platform-fe300000.ethernet", HardwareProfile.busPath(Path.of("/sys/devices/platform/fe300000.ethernet")));
    }

    @Test
    void missingNicIsRefusedNamingExpectedAndPresentPorts() throws Exception {
        FakeSysfs s = new FakeSysfs(tmp).virtual("lo").nic("enp0s3", "pci0000:00/0000:00:03.0/virtio0");
        PortResolutionException e = assertThrows(PortResolutionException.class,
                () -> HardwareProfiles.load("qemu-x86_64").resolveNics(s.classNet));
        assertTrue(e.getMessage().contains("outside NIC pci-0000:00:04.0 not found"), e.getMessage());
        assertTrue(e.getMessage().contains("enp0s3 (pci-0000:00:03.0)"), e.getMessage());
        assertTrue(e.getMessage().contains("lo (virtual)"), e.getMessage());
    }

    @Test
    void bothSelectorsOnOnePortAreRefused() throws Exception {
        // By name and by bus path, the two selectors end up on the same port: never bridge a port to itself.
        HardwareProfile p = parse(validText().replace("outside-nic pci-0000:00:04.0", "outside-nic enp0s3"));
        FakeSysfs s = new FakeSysfs(tmp).nic("enp0s3", "pci0000:00/0000:00:03.0/virtio0")
                .nic("enp0s4", "pci0000:00/0000:00:04.0/virtio1");
        PortResolutionException e = assertThrows(PortResolutionException.class, () -> p.resolveNics(s.classNet));
        assertTrue(e.getMessage().contains("same port enp0s3"), e.getMessage());
    }

    @Test
    void ambiguousSuffixSelectorIsRefused() throws Exception {
        // Two controllers each with a function 0000:01:00.0 behind them: the short selector cannot choose.
        HardwareProfile p = parse(validText().replace("inside-nic pci-0000:00:03.0", "inside-nic pci-0000:01:00.0"));
        FakeSysfs s = new FakeSysfs(tmp).nic("eth0", "platform/a.pcie/pci0000:00/0000:01:00.0")
                .nic("eth1", "platform/b.pcie/pci0000:00/0000:01:00.0")
                .nic("enp0s4", "pci0000:00/0000:00:04.0/virtio1");
        PortResolutionException e = assertThrows(PortResolutionException.class, () -> p.resolveNics(s.classNet));
        assertTrue(e.getMessage().contains("ambiguous, it matches eth0, eth1"), e.getMessage());
    }

    @Test
    void nameSelectorMatchesOnlyThatInterface() throws Exception {
        HardwareProfile p = parse(validText().replace("inside-nic pci-0000:00:03.0", "inside-nic lan0")
                .replace("outside-nic pci-0000:00:04.0", "outside-nic wan0"));
        FakeSysfs s = new FakeSysfs(tmp).nic("lan0", "pci0000:00/0000:00:03.0").nic("wan0", "pci0000:00/0000:00:04.0");
        assertEquals(new ResolvedPorts("lan0", "wan0"), p.resolveNics(s.classNet));
    }

    @Test
    void aPortRenamedByAnEarlierStartIsFoundAgainUnderItsRoleName() throws Exception {
        // Name selectors stop matching once the ports are called inside/outside (an appliance restart in one boot).
        HardwareProfile p = parse(validText().replace("inside-nic pci-0000:00:03.0", "inside-nic lan0")
                .replace("outside-nic pci-0000:00:04.0", "outside-nic wan0"));
        FakeSysfs s = new FakeSysfs(tmp).nic("inside", "pci0000:00/0000:00:03.0").nic("outside", "pci0000:00/0000:00:04.0");
        assertEquals(new ResolvedPorts("inside", "outside"), p.resolveNics(s.classNet));
        // Bus-path selectors find the renamed ports by their device, as before.
        HardwareProfile byPath = parse(validText());
        assertEquals(new ResolvedPorts("inside", "outside"), byPath.resolveNics(s.classNet));
    }

    @Test
    void aRoleNameDoesNotStandInForAMissingNicOfTheOtherRole() throws Exception {
        HardwareProfile p = parse(validText().replace("inside-nic pci-0000:00:03.0", "inside-nic lan0")
                .replace("outside-nic pci-0000:00:04.0", "outside-nic wan0"));
        FakeSysfs s = new FakeSysfs(tmp).nic("inside", "pci0000:00/0000:00:03.0").nic("eth9", "pci0000:00/0000:00:04.0");
        PortResolutionException e = assertThrows(PortResolutionException.class, () -> p.resolveNics(s.classNet));
        assertTrue(e.getMessage().contains("outside NIC wan0 not found"), e.getMessage());
    }

    @Test
    void heapIsHalfOfTheBudgetAfterFixedOverheadRoundedToEightMiB() throws Exception {
        HardwareProfile p = parse(validText().replace("memory-budget-mib 512", "memory-budget-mib 1000"));
        assertEquals(432, p.heapMib());      // (1000 - 128) / 2 = 436 -> 432
        assertEquals(List.of("-Xms432m", "-Xmx432m", "-XX:MaxMetaspaceSize=64m", "-XX:ReservedCodeCacheSize=32m",
                "-XX:MaxDirectMemorySize=62m", "-XX:+UseSerialGC", "-XX:+ExitOnOutOfMemoryError", "-XX:-UsePerfData"),
                p.jvmOptions());
        assertEquals(64, parse(validText().replace("memory-budget-mib 512", "memory-budget-mib 256")).heapMib());
    }

    @Test
    void optionalFieldsAreReadAndPolicyDefaultsToFailClosed() throws Exception {
        HardwareProfile p = parse(validText().replace("first-boot-policy fail-closed\n", "")
                + "watchdog /dev/watchdog0\nled status /sys/class/leds/a:green\n");
        assertEquals(FirstBootPolicy.FAIL_CLOSED, p.firstBootPolicy());
        assertEquals(Optional.of("/dev/watchdog0"), p.watchdog());
        assertEquals("/sys/class/leds/a:green", p.leds().get("status"));
        assertEquals(FirstBootPolicy.PERMIT_ALL,
                parse(validText().replace("fail-closed", "permit-all")).firstBootPolicy());
    }

    @Test
    void everyProblemIsReportedWithItsLine() {
        String text = """
                name Bad Name
                architecture riscv64
                inside-nic pci-0000:00:03.0
                outside-nic pci-0000:00:03.0
                serial-console ttyS0
                serial-speed 115201
                memory-budget-mib 100
                kernel-cmdline console=ttyS1,115200n8
                watchdog /tmp/dog
                colour blue
                first-boot-policy open
                """;
        InvalidProfileException e = assertThrows(InvalidProfileException.class, () -> HardwareProfiles.parse("t", text));
        List<Integer> lines = e.problems().stream().map(InvalidProfileException.Problem::line).toList();
        assertEquals(List.of(1, 2, 4, 6, 7, 8, 9, 10, 11), lines, e.getMessage());
        assertTrue(e.getMessage().contains("line 10: unknown field 'colour'"), e.getMessage());
        assertTrue(e.getMessage().contains("line 4: outside-nic is the same NIC as inside-nic"), e.getMessage());
    }

    @Test
    void missingRequiredFieldsAndDuplicatesAreRefused() {
        InvalidProfileException e = assertThrows(InvalidProfileException.class,
                () -> HardwareProfiles.parse("t", "name x\nname y\n"));
        assertTrue(e.getMessage().contains("line 2: 'name' given twice (first on line 1)"), e.getMessage());
        assertTrue(e.getMessage().contains("missing 'inside-nic'"), e.getMessage());
        assertTrue(e.getMessage().contains("missing 'memory-budget-mib'"), e.getMessage());
    }

    @Test
    void malformedSelectorIsRefused() {
        InvalidProfileException e = assertThrows(InvalidProfileException.class,
                () -> parse(validText().replace("inside-nic pci-0000:00:03.0", "inside-nic a-very-long-interface-name")));
        assertEquals(3, e.problems().getFirst().line());
    }

    @Test
    void unknownProfileIsRefused() {
        IOException e = assertThrows(IOException.class, () -> HardwareProfiles.load("no-such-board"));
        assertTrue(e.getMessage().contains("qemu-x86_64"), e.getMessage());
    }

    @Test
    void toolResolvesAProfileFileAgainstAFakeSysfs() throws Exception {
        Path file = tmp.resolve("p");
        java.nio.file.Files.writeString(file, validText());
        FakeSysfs s = new FakeSysfs(tmp.resolve("sys")).nic("enp0s3", "pci0000:00/0000:00:03.0/virtio0")
                .nic("enp0s4", "pci0000:00/0000:00:04.0/virtio1");
        assertEquals(0, HardwareProfileTool.run(new String[] {"resolve", file.toString(), s.classNet.toString()}));
        java.nio.file.Files.delete(s.classNet.resolve("enp0s4"));
        assertEquals(1, HardwareProfileTool.run(new String[] {"resolve", file.toString(), s.classNet.toString()}));
        assertEquals(2, HardwareProfileTool.run(new String[] {"frobnicate", file.toString()}));
    }

    private static HardwareProfile parse(String text) throws InvalidProfileException {
        return HardwareProfiles.parse("test", text);
    }

    private static String validText() {
        return """
                name test-board
                architecture amd64
                inside-nic pci-0000:00:03.0
                outside-nic pci-0000:00:04.0
                serial-console ttyS0
                serial-speed 115200
                memory-budget-mib 512
                kernel-cmdline console=ttyS0,115200n8 quiet
                first-boot-policy fail-closed
                """;
    }
}
