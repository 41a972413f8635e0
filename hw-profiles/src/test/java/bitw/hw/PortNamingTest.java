// Specification of PortNaming on a fake sysfs whose "ip" moves the class/net links as the kernel renames links:
// the profile's ports end up called inside and outside, each rename is preceded by taking the link down, ports
// already named are left alone, swapped names go through temporary names, a NIC that appears while drivers probe
// is waited for, and a NIC that never appears is refused after the patience runs out, naming what is present.
package bitw.hw;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PortNamingTest {
    @TempDir Path tmp;
    final List<String> commands = new ArrayList<>();

    /** Applies "ip link set dev X name Y" to the fake sysfs like the kernel: the interface is then called Y. */
    PortNaming.Runner ipOn(FakeSysfs s) {
        return argv -> {
            commands.add(String.join(" ", argv));
            if (argv.size() == 7 && argv.get(5).equals("name")) {
                Path from = s.classNet.resolve(argv.get(4)), to = s.classNet.resolve(argv.get(6));
                if (!Files.exists(from, java.nio.file.LinkOption.NOFOLLOW_LINKS)) throw new IOException("Cannot find device " + argv.get(4));
                if (Files.exists(to, java.nio.file.LinkOption.NOFOLLOW_LINKS)) throw new IOException("File exists");
                Files.move(from, to);
            }
        };
    }

    static HardwareProfile qemu() throws Exception {
        return HardwareProfiles.load("qemu-x86_64");
    }

    private List<String> names(FakeSysfs s) throws IOException {
        try (var l = Files.list(s.classNet)) {
            return l.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void namesTheProfilesPortsInsideAndOutside() throws Exception {
        FakeSysfs s = new FakeSysfs(tmp).virtual("lo").nic("enp0s3", "pci0000:00/0000:00:03.0/virtio0")
                .nic("enp0s4", "pci0000:00/0000:00:04.0/virtio1");
        ResolvedPorts r = PortNaming.name(qemu(), s.classNet, Duration.ZERO, ipOn(s));
        assertEquals(new ResolvedPorts("enp0s3", "enp0s4"), r);
        assertEquals(List.of("inside", "lo", "outside"), names(s));
        assertEquals(List.of("ip link set dev enp0s3 down", "ip link set dev enp0s3 name inside",
                "ip link set dev enp0s4 down", "ip link set dev enp0s4 name outside"), commands);
    }

    @Test
    void portsAlreadyNamedAreLeftAlone() throws Exception {
        FakeSysfs s = new FakeSysfs(tmp).nic("inside", "pci0000:00/0000:00:03.0/virtio0")
                .nic("outside", "pci0000:00/0000:00:04.0/virtio1");
        assertEquals(new ResolvedPorts("inside", "outside"), PortNaming.name(qemu(), s.classNet, Duration.ZERO, ipOn(s)));
        assertEquals(List.of(), commands);
    }

    @Test
    void swappedNamesAreCorrectedThroughTemporaryNames() throws Exception {
        FakeSysfs s = new FakeSysfs(tmp).nic("outside", "pci0000:00/0000:00:03.0/virtio0")
                .nic("inside", "pci0000:00/0000:00:04.0/virtio1");
        PortNaming.name(qemu(), s.classNet, Duration.ZERO, ipOn(s));
        assertEquals(List.of("inside", "outside"), names(s));
        assertEquals("pci-0000:00:03.0", HardwareProfile.busPath(s.classNet.resolve("inside/device").toRealPath()));
        assertTrue(commands.contains("ip link set dev outside name bitw-tmp-in"), commands.toString());
    }

    @Test
    void waitsForANicWhoseDriverIsStillProbing() throws Exception {
        FakeSysfs s = new FakeSysfs(tmp).nic("enp0s3", "pci0000:00/0000:00:03.0/virtio0");
        Thread late = new Thread(() -> {
            try {
                Thread.sleep(700);
                s.nic("enp0s4", "pci0000:00/0000:00:04.0/virtio1");
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        });
        late.start();
        PortNaming.name(qemu(), s.classNet, Duration.ofSeconds(60), ipOn(s));
        late.join();
        assertEquals(List.of("inside", "outside"), names(s));
    }

    @Test
    void aNicThatNeverAppearsIsRefusedAfterThePatienceNamingWhatIsPresent() throws Exception {
        FakeSysfs s = new FakeSysfs(tmp).virtual("lo").nic("enp0s3", "pci0000:00/0000:00:03.0/virtio0");
        long t0 = System.nanoTime();
        PortResolutionException e = assertThrows(PortResolutionException.class,
                () -> PortNaming.name(qemu(), s.classNet, Duration.ofSeconds(1), ipOn(s)));
        assertTrue(System.nanoTime() - t0 >= 1_000_000_000L, "retried for the whole patience");
        assertTrue(e.getMessage().contains("outside NIC pci-0000:00:04.0 not found"), e.getMessage());
        assertTrue(e.getMessage().contains("enp0s3 (pci-0000:00:03.0)"), e.getMessage());
        assertEquals(List.of(), commands, "nothing renamed when a port is missing");
    }

    @Test
    void aRenameTheKernelRefusesIsReportedAfterThePatience() throws Exception {
        FakeSysfs s = new FakeSysfs(tmp).nic("enp0s3", "pci0000:00/0000:00:03.0/virtio0")
                .nic("enp0s4", "pci0000:00/0000:00:04.0/virtio1");
        PortNaming.Runner refusing = argv -> { throw new IOException("RTNETLINK answers: Operation not permitted"); };
        PortResolutionException e = assertThrows(PortResolutionException.class,
                () -> PortNaming.name(qemu(), s.classNet, Duration.ZERO, refusing));
        assertTrue(e.getMessage().contains("cannot name the ports") && e.getMessage().contains("not permitted"), e.getMessage());
    }
}
