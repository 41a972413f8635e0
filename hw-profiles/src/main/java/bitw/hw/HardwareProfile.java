// One supported board, as read from its profile file (HardwareProfiles.parse): which NICs are inside and outside,
// the serial console, the memory the appliance may use, the kernel command line, optional watchdog and LEDs, and
// the first-boot policy. The image build derives the JVM options from it; at boot, the appliance resolves the NIC
// selectors against /sys/class/net with resolveNics() and names the ports (PortNaming).
package bitw.hw;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;

public record HardwareProfile(
        String name,
        Architecture architecture,
        String insideNic,
        String outsideNic,
        String serialConsole,
        int serialSpeed,
        int memoryBudgetMib,
        String kernelCmdline,
        Optional<String> watchdog,
        Map<String, String> leds,
        FirstBootPolicy firstBootPolicy) {

    /** Below this the JVM, libpcap's capture rings and the kernel's own share do not fit. */
    public static final int MIN_MEMORY_BUDGET_MIB = 256;
    /** Non-heap part of the budget that does not scale: metaspace cap, code cache, thread stacks, JVM itself. */
    static final int FIXED_OVERHEAD_MIB = 128;

    public HardwareProfile {
        leds = Map.copyOf(leds);
    }

    /**
     * Java heap in MiB: (budget − 128) / 2, rounded down to 8 MiB. Half of what remains after the fixed JVM
     * overhead goes to the heap; the other half covers what grows with traffic outside the heap — libpcap's
     * capture buffers (16–64 MiB per port), direct buffers (capped at budget / 16) and native crypto state.
     */
    public int heapMib() {
        return (memoryBudgetMib - FIXED_OVERHEAD_MIB) / 2 / 8 * 8;
    }

    /** The appliance's JVM options derived from the memory budget (fixed heap: no resizing on the box). */
    public List<String> jvmOptions() {
        int heap = heapMib();
        return List.of(
                "-Xms" + heap + "m", "-Xmx" + heap + "m",
                "-XX:MaxMetaspaceSize=64m", "-XX:ReservedCodeCacheSize=32m",
                "-XX:MaxDirectMemorySize=" + (memoryBudgetMib / 16) + "m",
                // The data path allocates nothing per frame; the serial collector has the smallest footprint.
                "-XX:+UseSerialGC",
                "-XX:+ExitOnOutOfMemoryError",
                // Read-only root: no hsperfdata files.
                "-XX:-UsePerfData");
    }

    private static final Pattern PCI_ADDRESS = Pattern.compile("[0-9a-f]{4}:[0-9a-f]{2}:[0-9a-f]{2}\\.[0-7]");

    /** True for a bus-path selector (udev ID_PATH style), false for a kernel interface name. */
    static boolean isBusPath(String selector) {
        return selector.startsWith("pci-") || selector.startsWith("platform-");
    }

    /**
     * Maps the inside and outside selectors to the interfaces under {@code sysClassNet} (normally /sys/class/net).
     * A name selector matches the interface of that name; a bus-path selector matches an interface whose device
     * (the {@code device} symlink) has that udev-style path, or ends with it at a component boundary. Each selector
     * must match exactly one interface and the two must differ.
     */
    public ResolvedPorts resolveNics(Path sysClassNet) throws PortResolutionException {
        List<Interface> present = listInterfaces(sysClassNet);
        String inside = resolveOne("inside", insideNic, present);
        String outside = resolveOne("outside", outsideNic, present);
        if (inside.equals(outside))
            throw new PortResolutionException("profile " + name + ": inside NIC " + insideNic + " and outside NIC "
                    + outsideNic + " are the same port " + inside + "; refusing to bridge a port to itself. Present: "
                    + describe(present));
        return new ResolvedPorts(inside, outside);
    }

    private String resolveOne(String role, String selector, List<Interface> present) throws PortResolutionException {
        List<String> matches = new ArrayList<>();
        for (Interface i : present) if (i.matches(selector)) matches.add(i.name());
        // A name selector no longer matches once PortNaming renamed the port in an earlier start of this boot (an
        // appliance restart); the kernel never names an interface "inside" or "outside" by itself.
        if (matches.isEmpty() && !isBusPath(selector))
            for (Interface i : present) if (i.name().equals(role)) matches.add(role);
        if (matches.isEmpty())
            throw new PortResolutionException("profile " + name + ": " + role + " NIC " + selector
                    + " not found; present: " + describe(present));
        if (matches.size() > 1)
            throw new PortResolutionException("profile " + name + ": " + role + " NIC " + selector
                    + " is ambiguous, it matches " + String.join(", ", matches) + "; present: " + describe(present));
        return matches.getFirst();
    }

    private static String describe(List<Interface> present) {
        if (present.isEmpty()) return "no network interfaces at all";
        List<String> parts = new ArrayList<>();
        for (Interface i : present) parts.add(i.name() + " (" + (i.busPath() == null ? "virtual" : i.busPath()) + ")");
        return String.join(", ", parts);
    }

    /** A network interface and the udev-style bus path of its device (null for virtual interfaces). */
    record Interface(String name, String busPath) {
        boolean matches(String selector) {
            if (!isBusPath(selector)) return name.equals(selector);
            return busPath != null && (busPath.equals(selector) || busPath.endsWith("-" + selector));
        }
    }

    static List<Interface> listInterfaces(Path sysClassNet) throws PortResolutionException {
        List<Interface> result = new ArrayList<>();
        try (Stream<Path> s = Files.list(sysClassNet)) {
            for (Path p : s.sorted().toList()) {
                Path device = p.resolve("device");
                result.add(new Interface(p.getFileName().toString(),
                        Files.exists(device) ? busPath(device.toRealPath()) : null));
            }
        } catch (IOException e) {
            throw new PortResolutionException("cannot list network interfaces in " + sysClassNet + ": " + e);
        }
        return result;
    }

    /**
     * The udev ID_PATH-like name of a device from its real sysfs path: each PCI function on the way down becomes
     * {@code pci-DDDD:BB:DD.F} (of a run of PCI functions, bridges then device, only the last), a device directly
     * under /sys/devices/platform becomes {@code platform-NAME}; other nodes (root buses, virtio, ...) are skipped,
     * as udev's path_id does.
     */
    static String busPath(Path realDevice) {
        List<String> parts = new ArrayList<>();
        int start = -1;
        for (int i = 0; i < realDevice.getNameCount(); i++)
            if (realDevice.getName(i).toString().equals("devices")) { start = i + 1; break; }
        if (start < 0) return null;
        boolean previousWasPci = false;
        for (int i = start; i < realDevice.getNameCount(); i++) {
            String c = realDevice.getName(i).toString();
            if (PCI_ADDRESS.matcher(c).matches()) {
                // Bridges on the way down do not count: a run of PCI functions names only the last one.
                if (previousWasPci) parts.removeLast();
                parts.add("pci-" + c);
                previousWasPci = true;
                continue;
            }
            previousWasPci = false;
            if (i == start + 1 && realDevice.getName(start).toString().equals("platform")) parts.add("platform-" + c);
        }
        return parts.isEmpty() ? null : String.join("-", parts);
    }
}
