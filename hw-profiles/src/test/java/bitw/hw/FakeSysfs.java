// Test fixture: a fake sysfs tree in a temp directory shaped like the kernel's (devices/..., class/net symlinks,
// each NIC's "device" symlink), so port resolution is tested against the same symlink structure as on a board.
package bitw.hw;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

final class FakeSysfs {
    final Path root;
    final Path classNet;

    FakeSysfs(Path root) throws IOException {
        this.root = root;
        this.classNet = Files.createDirectories(root.resolve("class/net"));
        Files.createDirectories(root.resolve("devices/virtual/net"));
    }

    /**
     * A NIC named {@code ifname} whose device sits at {@code devicePath} below /sys/devices (e.g.
     * "pci0000:00/0000:00:03.0/virtio0"), linked like the kernel does it.
     */
    FakeSysfs nic(String ifname, String devicePath) throws IOException {
        Path device = Files.createDirectories(root.resolve("devices").resolve(devicePath));
        Path netDir = Files.createDirectories(device.resolve("net").resolve(ifname));
        Files.createSymbolicLink(netDir.resolve("device"), netDir.relativize(device));
        Files.createSymbolicLink(classNet.resolve(ifname), classNet.relativize(netDir));
        return this;
    }

    /** A virtual interface (no device link): lo, bridges, TAPs. */
    FakeSysfs virtual(String ifname) throws IOException {
        Path netDir = Files.createDirectories(root.resolve("devices/virtual/net").resolve(ifname));
        Files.createSymbolicLink(classNet.resolve(ifname), classNet.relativize(netDir));
        return this;
    }
}
