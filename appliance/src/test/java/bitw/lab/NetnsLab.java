// The network-namespace test lab: one instance per test builds hosts (namespaces), veth links, processes and
// captures, all named with a prefix unique to this JVM and lab, and close() removes every one of them again.
// Flow: open() sweeps leftovers of crashed runs -> the test builds its topology -> close() (extension, try-with-
// resources or the JVM shutdown hook) kills process trees, deletes namespaces and the temp directory.
package bitw.lab;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

public final class NetnsLab implements AutoCloseable {

    /** Every lab name starts "bl{pid}x{n}-": the pid tells a later run whether the owner is still alive. */
    private static final Pattern OWNED_NAME = Pattern.compile("^bl(\\d+)x(\\d+)-");
    private static final long OWN_PID = ProcessHandle.current().pid();
    private static final AtomicInteger LAB_COUNTER = new AtomicInteger();
    private static final Set<NetnsLab> OPEN_LABS = ConcurrentHashMap.newKeySet();
    private static final Duration ROOT_COMMAND_TIMEOUT = Duration.ofSeconds(20);
    /** Set -Dbitw.lab.keep=true to keep the temp directory (logs, pcaps) of every lab for post-mortems. */
    private static final boolean KEEP_FILES = Boolean.getBoolean("bitw.lab.keep");
    private static boolean sweptOwnPid;

    static {
        Thread hook = new Thread(() -> {
            for (NetnsLab lab : OPEN_LABS) {
                try {
                    lab.close();
                } catch (RuntimeException e) {
                    System.err.println("NetnsLab shutdown hook: " + e);
                }
            }
        }, "netns-lab-cleanup");
        Runtime.getRuntime().addShutdownHook(hook);
    }

    private final String prefix;
    private final Path dir;
    private final Map<String, Host> hosts = new LinkedHashMap<>();
    private final List<LabProcess> processes = new ArrayList<>();
    private final AtomicInteger fileCounter = new AtomicInteger();
    private boolean closed;

    private NetnsLab(String prefix, Path dir) {
        this.prefix = prefix;
        this.dir = dir;
    }

    /** Opens a lab (root only). Removes leftovers of crashed earlier runs first. */
    public static NetnsLab open() {
        if (!isRoot()) {
            throw new IllegalStateException("NetnsLab needs root (network namespaces, veth)");
        }
        removeLeftovers();
        String prefix = "bl" + OWN_PID + "x" + LAB_COUNTER.incrementAndGet() + "-";
        try {
            NetnsLab lab = new NetnsLab(prefix, Files.createTempDirectory(prefix));
            OPEN_LABS.add(lab);
            return lab;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static boolean isRoot() {
        try {
            return ((Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid")) == 0;
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
    }

    /** The unique name prefix of this lab's namespaces and temp directory, e.g. "bl4242x1-". */
    public String prefix() {
        return prefix;
    }

    /** This lab's temp directory: process logs and captures live here and go away on close. */
    public Path directory() {
        return dir;
    }

    /** Creates a host: a fresh namespace with loopback up and IPv6 duplicate-address detection off. */
    public synchronized Host host(String name) {
        requireOpen();
        if (!name.matches("[A-Za-z0-9_]{1,32}")) {
            throw new IllegalArgumentException("host name must be [A-Za-z0-9_]{1,32}: " + name);
        }
        if (hosts.containsKey(name)) {
            throw new IllegalArgumentException("host exists: " + name);
        }
        Host host = new Host(this, name, prefix + name);
        runRoot("ip", "netns", "add", host.namespace());
        hosts.put(name, host); // registered at once so close() deletes it even if set-up below fails
        // DAD would leave fresh IPv6 addresses "tentative" for ~2 s; the lab's links are private, nothing collides.
        host.run("sysctl", "-q", "-w", "net.ipv6.conf.all.accept_dad=0", "net.ipv6.conf.default.accept_dad=0");
        host.run("ip", "link", "set", "lo", "up");
        return host;
    }

    /** A veth pair between two hosts, both ends up, offloads off (see {@link #link(Host, String, Host, String, int)}). */
    public Link link(Host a, String ifA, Host b, String ifB) {
        return link(a, ifA, b, ifB, 0);
    }

    /**
     * A veth pair {@code a:ifA <-> b:ifB}, both ends up and with {@code mtu} (0 keeps the default 1500).
     * Each end is created directly inside its namespace, so names only need to be unique per host. TX checksum
     * offload, TSO, GSO and GRO are turned off on both ends: otherwise veth hands AF_PACKET readers (tcpdump, the
     * appliance) partial checksums and 64 KB super-frames that a real wire never carries.
     */
    public Link link(Host a, String ifA, Host b, String ifB, int mtu) {
        requireOpen();
        requireOwn(a);
        requireOwn(b);
        List<String> cmd = new ArrayList<>(List.of("ip", "link", "add", "name", ifA, "netns", a.namespace()));
        if (mtu > 0) {
            cmd.addAll(List.of("mtu", Integer.toString(mtu)));
        }
        cmd.addAll(List.of("type", "veth", "peer", "name", ifB, "netns", b.namespace()));
        if (mtu > 0) {
            cmd.addAll(List.of("mtu", Integer.toString(mtu)));
        }
        runRoot(cmd.toArray(String[]::new));
        for (var end : List.of(Map.entry(a, ifA), Map.entry(b, ifB))) {
            end.getKey().run("ethtool", "-K", end.getValue(), "tx", "off", "tso", "off", "gso", "off", "gro", "off");
            end.getKey().up(end.getValue());
        }
        return new Link(a, ifA, b, ifB);
    }

    /**
     * Starts a JVM inside {@code host}'s namespace running {@code mainClass} with the test class path, which
     * holds every module and dependency, so any main class of the project can run as a lab process.
     */
    public LabProcess startJava(Host host, String mainClass, List<String> args) {
        return startJava(host, List.of(), mainClass, args);
    }

    public LabProcess startJava(Host host, List<String> jvmOptions, String mainClass, List<String> args) {
        List<String> cmd = javaCommand(jvmOptions, mainClass, args);
        String simpleName = mainClass.substring(mainClass.lastIndexOf('.') + 1);
        return host.spawn(simpleName, cmd, Map.of());
    }

    /** The command line of a JVM running {@code mainClass} with the test class path (used in and outside namespaces). */
    static List<String> javaCommand(List<String> jvmOptions, String mainClass, List<String> args) {
        List<String> cmd = new ArrayList<>();
        // The running JVM is the project's Temurin 25 (the build targets release 25), so the child uses the same.
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("--enable-native-access=ALL-UNNAMED");
        // The allocation-free AES-GCM and ChaCha20-Poly1305 reach the JDK's GHASH, ChaCha20 and Poly1305 intrinsics
        // (bitw.ipsec.crypto.AesGcm, ChaCha20Poly1305); Poly1305's limbs sit behind sun.security.util.math.
        cmd.add("--add-opens=java.base/com.sun.crypto.provider=ALL-UNNAMED");
        cmd.add("--add-exports=java.base/sun.security.util.math=ALL-UNNAMED");
        // No speculative pruning of branches not yet taken: a new kind of traffic would otherwise deoptimise the
        // per-frame path back into the interpreter for minutes at low rates (docs/BENCHMARKS.md, latency).
        cmd.add("-XX:PerMethodTrapLimit=0");
        cmd.add("-XX:PerBytecodeTrapLimit=0");
        cmd.addAll(jvmOptions);
        cmd.add("-cp");
        cmd.add(testClassPath());
        cmd.add(mainClass);
        cmd.addAll(args);
        return cmd;
    }

    /** Surefire runs tests from a manifest-only jar; its real class path is in "surefire.test.class.path". */
    private static String testClassPath() {
        String surefire = System.getProperty("surefire.test.class.path");
        return surefire != null && !surefire.isBlank() ? surefire : System.getProperty("java.class.path");
    }

    /** Kills every process, deletes every namespace and the temp directory. Idempotent; never skips a step. */
    @Override
    public void close() {
        List<LabProcess> toStop;
        List<Host> toDelete;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            toStop = new ArrayList<>(processes);
            toDelete = new ArrayList<>(hosts.values());
        }
        List<RuntimeException> failures = new ArrayList<>();
        // SIGTERM to every tree first, then wait: processes shut down in parallel instead of one grace period each.
        for (LabProcess p : toStop) {
            p.signalTerminate();
        }
        for (LabProcess p : toStop) {
            try {
                p.stop();
            } catch (RuntimeException e) {
                failures.add(e);
            }
        }
        for (Host h : toDelete) {
            try {
                deleteNamespace(h.namespace());
            } catch (RuntimeException e) {
                failures.add(e);
            }
        }
        if (!KEEP_FILES) {
            try {
                deleteRecursively(dir);
            } catch (RuntimeException e) {
                failures.add(e);
            }
        }
        OPEN_LABS.remove(this);
        if (!failures.isEmpty()) {
            IllegalStateException e = new IllegalStateException("NetnsLab " + prefix + " cleanup failed");
            failures.forEach(e::addSuppressed);
            throw e;
        }
    }

    /** Prints the tail of every process log; the JUnit extension calls this when a test failed. */
    public synchronized void printProcessLogs(PrintStream out, int linesPerProcess) {
        for (LabProcess p : processes) {
            List<String> lines = p.output().lines().toList();
            out.println("---- " + p.name() + " (" + p.host().name() + ", " + (p.isAlive() ? "running" : "exited")
                    + ") last " + Math.min(linesPerProcess, lines.size()) + " lines ----");
            lines.subList(Math.max(0, lines.size() - linesPerProcess), lines.size()).forEach(out::println);
        }
    }

    // ---- package-private plumbing for Host, LabProcess and Capture ----

    synchronized void register(LabProcess process) {
        if (closed) {
            process.stop();
            throw new IllegalStateException("lab is closed");
        }
        processes.add(process);
    }

    Path newFile(String stem, String suffix) {
        return dir.resolve(fileCounter.incrementAndGet() + "-" + stem.replaceAll("[^A-Za-z0-9_.-]", "_") + suffix);
    }

    synchronized void requireOpen() {
        if (closed) {
            throw new IllegalStateException("lab " + prefix + " is closed");
        }
    }

    private void requireOwn(Host host) {
        if (host.lab() != this) {
            throw new IllegalArgumentException("host " + host.name() + " belongs to another lab");
        }
    }

    /** Runs a command in the root namespace (namespace and veth creation, tshark on files); fails on exit != 0. */
    static String runRoot(String... cmd) {
        return Commands.run(List.of(cmd), Map.of(), ROOT_COMMAND_TIMEOUT).requireSuccess().stdout();
    }

    /** Kills whatever still runs inside the namespace (daemons that left their parent's tree too), then deletes it. */
    private static void deleteNamespace(String namespace) {
        for (int attempt = 0; attempt < 50; attempt++) {
            Result pids = Commands.run(List.of("ip", "netns", "pids", namespace), Map.of(), ROOT_COMMAND_TIMEOUT);
            if (pids.exitCode() != 0 || pids.stdout().isBlank()) {
                break;
            }
            pids.stdout().lines().map(String::strip).filter(s -> s.matches("\\d+"))
                    .forEach(pid -> ProcessHandle.of(Long.parseLong(pid)).ifPresent(ProcessHandle::destroyForcibly));
            sleep(Duration.ofMillis(40));
        }
        Result r = Commands.run(List.of("ip", "netns", "delete", namespace), Map.of(), ROOT_COMMAND_TIMEOUT);
        if (r.exitCode() != 0 && namespaceExists(namespace)) {
            throw new IllegalStateException("cannot delete namespace " + namespace + ": " + r.stderr().strip());
        }
    }

    /** True if the process exists and is not a zombie (tests use it to check that nothing outlived a lab). */
    public static boolean isRunning(long pid) {
        return Commands.isRunning(pid);
    }

    static boolean namespaceExists(String namespace) {
        return listNamespaces().contains(namespace);
    }

    /** Names from "ip netns list" (each line is "name" or "name (id: N)"). */
    public static List<String> listNamespaces() {
        return runRoot("ip", "netns", "list").lines().map(l -> l.split("\\s+", 2)[0]).filter(s -> !s.isEmpty())
                .toList();
    }

    /**
     * Deletes namespaces and temp directories of labs whose JVM is gone. On the first call in a JVM it also
     * deletes names carrying our own pid: they can only come from a crashed earlier JVM that had the same pid.
     */
    static synchronized void removeLeftovers() {
        boolean includeOwnPid = !sweptOwnPid;
        sweptOwnPid = true;
        for (String ns : listNamespaces()) {
            if (isLeftover(ns, includeOwnPid)) {
                try {
                    deleteNamespace(ns);
                } catch (RuntimeException e) {
                    System.err.println("NetnsLab: leftover namespace " + ns + " not removed: " + e.getMessage());
                }
            }
        }
        Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
        try (Stream<Path> entries = Files.list(tmp)) {
            for (Path p : entries.toList()) {
                if (Files.isDirectory(p) && isLeftover(p.getFileName().toString(), includeOwnPid)) {
                    deleteRecursively(p);
                }
            }
        } catch (IOException | RuntimeException e) {
            System.err.println("NetnsLab: leftover temp directories not removed: " + e);
        }
    }

    private static boolean isLeftover(String name, boolean includeOwnPid) {
        Matcher m = OWNED_NAME.matcher(name);
        if (!m.find()) {
            return false;
        }
        long pid = Long.parseLong(m.group(1));
        if (pid == OWN_PID) {
            return includeOwnPid;
        }
        return !Commands.isRunning(pid);
    }

    static void deleteRecursively(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + root, e);
        }
    }

    static void sleep(Duration d) {
        try {
            Thread.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
