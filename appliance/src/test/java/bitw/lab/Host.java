// One lab host: a network namespace made by NetnsLab.host. Configures addresses, routes, forwarding and bridges
// inside it, runs commands there (exec), starts background processes (spawn) and packet captures (capture).
package bitw.lab;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

public final class Host {

    /** Default timeout of {@link #exec(String...)}: long enough for pings, short enough to fail a hung test. */
    public static final Duration EXEC_TIMEOUT = Duration.ofSeconds(30);

    private final NetnsLab lab;
    private final String name;
    private final String namespace;

    Host(NetnsLab lab, String name, String namespace) {
        this.lab = lab;
        this.name = name;
        this.namespace = namespace;
    }

    /** The short name given to {@link NetnsLab#host(String)}. */
    public String name() {
        return name;
    }

    /** The namespace's full name, usable with {@code ip netns exec} or {@code ip -n}. */
    public String namespace() {
        return namespace;
    }

    public NetnsLab lab() {
        return lab;
    }

    // ---- configuration ----

    /** Adds an address in CIDR form ("10.1.0.10/24", "2001:db8:1::10/64") to an interface. */
    public Host addr(String ifName, String cidr) {
        List<String> cmd = new ArrayList<>(List.of("ip", "addr", "add", cidr, "dev", ifName));
        if (cidr.contains(":")) {
            cmd.add("nodad");
        }
        run(cmd.toArray(String[]::new));
        return this;
    }

    /** Adds or replaces a route: {@code route("default", "10.1.0.1")}, {@code route("2001:db8:2::/64", "2001:db8:1::1")}. */
    public Host route(String destination, String gateway) {
        String family = gateway.contains(":") ? "-6" : "-4";
        run("ip", family, "route", "replace", destination, "via", gateway);
        return this;
    }

    /** Adds or replaces a route straight out of an interface (no gateway). */
    public Host routeDev(String destination, String ifName) {
        String family = destination.contains(":") ? "-6" : "-4";
        run("ip", family, "route", "replace", destination, "dev", ifName);
        return this;
    }

    /** Turns IPv4 and IPv6 forwarding on or off in this namespace. */
    public Host forwarding(boolean on) {
        String v = on ? "1" : "0";
        run("sysctl", "-q", "-w", "net.ipv4.ip_forward=" + v, "net.ipv6.conf.all.forwarding=" + v);
        return this;
    }

    /** Sets a sysctl inside this namespace, e.g. {@code sysctl("net.ipv6.conf.inside.disable_ipv6", "1")}. */
    public Host sysctl(String key, String value) {
        run("sysctl", "-q", "-w", key + "=" + value);
        return this;
    }

    public Host up(String ifName) {
        run("ip", "link", "set", ifName, "up");
        return this;
    }

    public Host mtu(String ifName, int mtu) {
        run("ip", "link", "set", ifName, "mtu", Integer.toString(mtu));
        return this;
    }

    /** The interface's MAC address, e.g. "02:ab:cd:00:00:01". */
    public String mac(String ifName) {
        return run("cat", "/sys/class/net/" + ifName + "/address").strip();
    }

    /** Creates a Linux bridge in this namespace with the given ports (interfaces already in this host), all up. */
    public Host bridge(String bridgeName, String... ports) {
        run("ip", "link", "add", "name", bridgeName, "type", "bridge");
        for (String port : ports) {
            run("ip", "link", "set", port, "master", bridgeName);
            up(port);
        }
        up(bridgeName);
        return this;
    }

    // ---- commands and processes ----

    /** Runs a command in this namespace and waits up to {@link #EXEC_TIMEOUT}; throws only on timeout. */
    public Result exec(String... command) {
        return exec(EXEC_TIMEOUT, command);
    }

    public Result exec(Duration timeout, String... command) {
        lab.requireOpen();
        return Commands.run(inNamespace(List.of(command)), Map.of(), timeout);
    }

    /** Runs a command that must succeed; returns its stdout. */
    public String run(String... command) {
        return exec(command).requireSuccess().stdout();
    }

    /** Starts a background process in this namespace; the lab kills it (and its children) on close. */
    public LabProcess spawn(String... command) {
        return spawn(baseName(command[0]), List.of(command), Map.of());
    }

    /**
     * Starts a background process with extra environment variables; {@code name} labels its log file.
     * stdout and stderr go, merged, to a log file in the lab directory (see {@link LabProcess#output()}).
     */
    public LabProcess spawn(String name, List<String> command, Map<String, String> env) {
        lab.requireOpen();
        LabProcess p = LabProcess.start(this, name, inNamespace(command), env, lab.newFile(this.name + "-" + name, ".log"));
        lab.register(p);
        return p;
    }

    /**
     * Starts tcpdump on an interface of this host and returns once it is really capturing. {@code bpfFilter} may be
     * empty. tcpdump keeps root (-Z root) so it can write into the lab's private directory.
     */
    public Capture capture(String ifName, String bpfFilter) {
        var pcap = lab.newFile(name + "-" + ifName, ".pcap");
        List<String> cmd = new ArrayList<>(List.of("tcpdump", "-i", ifName, "-w", pcap.toString(),
                "--immediate-mode", "-U", "-n", "-Z", "root"));
        if (bpfFilter != null && !bpfFilter.isBlank()) {
            cmd.add(bpfFilter);
        }
        LabProcess tcpdump = spawn("tcpdump-" + ifName, cmd, Map.of());
        tcpdump.waitForOutput("listening on " + java.util.regex.Pattern.quote(ifName), Duration.ofSeconds(10));
        return new Capture(tcpdump, pcap);
    }

    private List<String> inNamespace(List<String> command) {
        List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", namespace));
        cmd.addAll(command);
        return cmd;
    }

    private static String baseName(String path) {
        return path.substring(path.lastIndexOf('/') + 1);
    }

    @Override
    public String toString() {
        return name + " (" + namespace + ")";
    }
}
