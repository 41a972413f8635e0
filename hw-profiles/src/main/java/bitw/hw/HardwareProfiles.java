// Reads hardware profiles: the shipped ones from the classpath (bitw/hw/profiles/NAME) and any text in the same
// line-oriented "key value" format. Every problem is reported with its line number; a profile with any problem is
// refused whole. Used by the image build (HardwareProfileTool) and at boot (Main --hw-profile).
package bitw.hw;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

public final class HardwareProfiles {
    /** The profiles shipped in this jar, one per supported board. */
    public static final List<String> SHIPPED = List.of("generic-x86_64-2nic", "arm64-2nic", "qemu-x86_64");

    private static final String RESOURCE_DIR = "bitw/hw/profiles/";
    private static final Set<String> REQUIRED = Set.of("name", "architecture", "inside-nic", "outside-nic",
            "serial-console", "serial-speed", "memory-budget-mib", "kernel-cmdline");
    private static final Set<String> OPTIONAL = Set.of("watchdog", "led", "first-boot-policy");
    private static final Set<String> LED_ROLES = Set.of("status", "alarm", "traffic");
    private static final Set<Integer> SERIAL_SPEEDS = Set.of(9600, 19200, 38400, 57600, 115200, 230400, 460800,
            921600, 1500000);
    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9_.-]{0,62}");
    private static final Pattern INTERFACE_NAME = Pattern.compile("[A-Za-z0-9_.:-]{1,15}");
    private static final Pattern BUS_PATH = Pattern.compile("(pci|platform)-[A-Za-z0-9_.:@-]+");
    private static final Pattern TTY = Pattern.compile("tty[A-Za-z]+[0-9]+");

    private HardwareProfiles() {}

    /** A shipped profile by name. */
    public static HardwareProfile load(String name) throws InvalidProfileException, IOException {
        if (!NAME.matcher(name).matches()) throw new IOException("not a profile name: '" + name + "'");
        try (InputStream in = HardwareProfiles.class.getClassLoader().getResourceAsStream(RESOURCE_DIR + name)) {
            if (in == null) throw new IOException("no hardware profile '" + name + "'; shipped: " + SHIPPED);
            HardwareProfile p = parse(name, new String(in.readAllBytes(), StandardCharsets.UTF_8));
            if (!p.name().equals(name))
                throw new InvalidProfileException(name, List.of(new InvalidProfileException.Problem(0,
                        "profile file " + name + " declares name " + p.name())));
            return p;
        }
    }

    /** Parses profile text; {@code source} names it in error messages. */
    public static HardwareProfile parse(String source, String text) throws InvalidProfileException {
        List<InvalidProfileException.Problem> problems = new ArrayList<>();
        Map<String, String> values = new HashMap<>();
        Map<String, Integer> lineOf = new HashMap<>();
        Map<String, String> leds = new LinkedHashMap<>();
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            int n = i + 1;
            String line = lines[i].strip();
            if (line.isEmpty() || line.startsWith("#")) continue;
            String[] kv = line.split("\\s+", 2);
            String key = kv[0];
            String value = kv.length > 1 ? kv[1].strip() : "";
            if (!REQUIRED.contains(key) && !OPTIONAL.contains(key)) {
                problems.add(new InvalidProfileException.Problem(n, "unknown field '" + key + "'"));
                continue;
            }
            if (value.isEmpty()) {
                problems.add(new InvalidProfileException.Problem(n, "'" + key + "' needs a value"));
                continue;
            }
            if (key.equals("led")) {
                String[] rp = value.split("\\s+");
                if (rp.length != 2 || !LED_ROLES.contains(rp[0]) || !rp[1].startsWith("/sys/class/leds/"))
                    problems.add(new InvalidProfileException.Problem(n,
                            "led needs a role (" + String.join("|", LED_ROLES) + ") and a /sys/class/leds/ path"));
                else if (leds.putIfAbsent(rp[0], rp[1]) != null)
                    problems.add(new InvalidProfileException.Problem(n, "led " + rp[0] + " given twice"));
                continue;
            }
            if (values.containsKey(key)) {
                problems.add(new InvalidProfileException.Problem(n, "'" + key + "' given twice (first on line "
                        + lineOf.get(key) + ")"));
                continue;
            }
            values.put(key, value);
            lineOf.put(key, n);
        }
        for (String k : REQUIRED.stream().sorted().toList())
            if (!values.containsKey(k)) problems.add(new InvalidProfileException.Problem(0, "missing '" + k + "'"));

        // Field checks, each reported at its line.
        String name = values.get("name");
        if (name != null && !NAME.matcher(name).matches())
            problems.add(problem(lineOf, "name", "name must be lower-case letters, digits, '.', '_' or '-'"));
        Architecture arch = null;
        if (values.containsKey("architecture")) {
            arch = Architecture.fromDebianName(values.get("architecture"));
            if (arch == null) problems.add(problem(lineOf, "architecture", "architecture must be amd64 or arm64"));
        }
        for (String k : List.of("inside-nic", "outside-nic")) {
            String v = values.get(k);
            if (v != null && !(HardwareProfile.isBusPath(v) ? BUS_PATH.matcher(v).matches() : INTERFACE_NAME.matcher(v).matches()))
                problems.add(problem(lineOf, k, k + " '" + v + "' is neither an interface name (at most 15 characters)"
                        + " nor a bus path such as pci-0000:01:00.0 or platform-f8000000.pcie"));
        }
        if (values.get("inside-nic") != null && values.get("inside-nic").equals(values.get("outside-nic")))
            problems.add(problem(lineOf, "outside-nic", "outside-nic is the same NIC as inside-nic ("
                    + values.get("inside-nic") + ")"));
        String serial = values.get("serial-console");
        if (serial != null && !TTY.matcher(serial).matches())
            problems.add(problem(lineOf, "serial-console", "serial-console must be a tty name such as ttyS0"));
        int speed = intValue(values, lineOf, "serial-speed", problems);
        if (speed > 0 && !SERIAL_SPEEDS.contains(speed))
            problems.add(problem(lineOf, "serial-speed", "serial-speed " + speed + " is not a standard rate"));
        int budget = intValue(values, lineOf, "memory-budget-mib", problems);
        if (budget > 0 && (budget < HardwareProfile.MIN_MEMORY_BUDGET_MIB || budget > 65536))
            problems.add(problem(lineOf, "memory-budget-mib", "memory-budget-mib must be "
                    + HardwareProfile.MIN_MEMORY_BUDGET_MIB + "..65536"));
        String cmdline = values.get("kernel-cmdline");
        if (cmdline != null && serial != null && speed > 0
                && !List.of(cmdline.split("\\s+")).stream().anyMatch(w -> w.startsWith("console=" + serial + "," + speed)))
            problems.add(problem(lineOf, "kernel-cmdline", "kernel-cmdline must put the console on the serial port: console="
                    + serial + "," + speed + "n8"));
        String watchdog = values.get("watchdog");
        if (watchdog != null && !watchdog.matches("/dev/watchdog[0-9]*"))
            problems.add(problem(lineOf, "watchdog", "watchdog must be a /dev/watchdogN device"));
        FirstBootPolicy policy = FirstBootPolicy.FAIL_CLOSED;
        if (values.containsKey("first-boot-policy")) {
            policy = FirstBootPolicy.fromProfileName(values.get("first-boot-policy"));
            if (policy == null) problems.add(problem(lineOf, "first-boot-policy", "first-boot-policy must be fail-closed or permit-all"));
        }
        if (!problems.isEmpty()) {
            problems.sort((a, b) -> Integer.compare(a.line(), b.line()));
            throw new InvalidProfileException(source, problems);
        }
        return new HardwareProfile(name, arch, values.get("inside-nic"), values.get("outside-nic"), serial, speed,
                budget, cmdline, Optional.ofNullable(watchdog), leds, policy);
    }

    private static InvalidProfileException.Problem problem(Map<String, Integer> lineOf, String key, String message) {
        return new InvalidProfileException.Problem(lineOf.getOrDefault(key, 0), message);
    }

    private static int intValue(Map<String, String> values, Map<String, Integer> lineOf, String key,
                                List<InvalidProfileException.Problem> problems) {
        String v = values.get(key);
        if (v == null) return -1;
        try {
            int x = Integer.parseInt(v);
            if (x > 0) return x;
        } catch (NumberFormatException ignored) {
            // reported below
        }
        problems.add(problem(lineOf, key, key + " must be a positive whole number, not '" + v + "'"));
        return -1;
    }
}
