// The appliance's entry point: load and validate the configuration (refuse to start on any error), prepare the
// ports and the TAP, install SAs and policies, start the data plane, then run the control loop until stopped.
//
//   bitw --config FILE|classpath:RESOURCE [--control SOCKET] [--tap NAME]
//   bitw --check FILE          validate only: prints every error with its line, exit 2 if any
// On a board (the firmware image), --hw-profile FILE names the ports inside/outside from the hardware profile first
// (exit 4 if a NIC is missing), and every reason not to start is also written on the serial console (--console),
// since the console that would otherwise show the log is not running then.
package bitw.appliance;

import bitw.bridge.DataPlane;
import bitw.bridge.Ethernet;
import bitw.bridge.FramePort;
import bitw.bridge.OwnAddress;
import bitw.bridge.StatusReport;
import bitw.bridge.io.HostInterfaceSetup;
import bitw.bridge.io.PcapPort;
import bitw.bridge.io.TapDevice;
import bitw.config.ConfigException;
import bitw.config.ConfigParser;
import bitw.config.Configuration;
import bitw.config.InterfaceConfig;
import bitw.config.InterfaceRole;
import bitw.hw.HardwareProfile;
import bitw.hw.HardwareProfiles;
import bitw.hw.InvalidProfileException;
import bitw.hw.PortNaming;
import bitw.hw.PortResolutionException;
import bitw.hw.ResolvedPorts;
import bitw.ipsec.packet.IpAddress;
import bitw.ipsec.sad.SaEventListener;
import bitw.ipsec.sad.SecurityAssociation;
import bitw.ipsec.sad.SecurityAssociationDatabase;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.tinylog.Logger;

public final class Main {
    static final int EXIT_CONFIG = 2, EXIT_START = 3, EXIT_PORTS = 4;

    public static void main(String[] args) {
        String config = null, check = null, tapName = "bitw0", console = null, profile = "generic";
        String insideArg = null, outsideArg = null, hwProfile = null;
        int speed = 115200;
        Path control = Path.of("/run/bitw/control.sock"), stateDir = null;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            String v = i + 1 < args.length ? args[i + 1] : null;
            switch (a) {
                case "--config" -> { config = v; i++; }
                case "--check" -> { check = v; i++; }
                case "--control" -> { control = Path.of(v); i++; }
                case "--tap" -> { tapName = v; i++; }
                case "--console" -> { console = v; i++; }
                case "--console-speed" -> { speed = Integer.parseInt(v); i++; }
                case "--state-dir" -> { stateDir = Path.of(v); i++; }
                case "--inside" -> { insideArg = v; i++; }
                case "--outside" -> { outsideArg = v; i++; }
                case "--profile" -> { profile = v; i++; }
                case "--hw-profile" -> { hwProfile = v; i++; }
                default -> { System.err.println("unknown argument: " + a); usage(); System.exit(EXIT_CONFIG); }
            }
        }
        if (check != null) System.exit(checkOnly(check));
        if (config == null && stateDir == null) { usage(); System.exit(EXIT_CONFIG); }
        Configuration c;
        try {
            // The committed configuration on the state partition wins; then the file; else nothing (fail closed).
            java.util.Optional<Configuration> committed = stateDir == null ? java.util.Optional.empty() : new bitw.mgmt.ConfigArchive(stateDir).loadRunning();
            c = committed.isPresent() ? committed.get() : config != null ? load(config) : Configuration.defaults();
        }
        catch (ConfigException e) {
            fatal(console, speed, EXIT_CONFIG, "bitw: configuration " + config + " refused, nothing started:\n" + e.getMessage());
            return;
        } catch (IOException e) {
            fatal(console, speed, EXIT_CONFIG, "bitw: cannot read configuration " + config + ": " + e.getMessage());
            return;
        }
        org.tinylog.configuration.Configuration.set("level", c.logLevel().name().toLowerCase());
        if (hwProfile != null) {
            try {
                HardwareProfile board = HardwareProfiles.parse(hwProfile, Files.readString(Path.of(hwProfile)));
                Duration patience = Duration.ofMillis(Long.getLong("bitw.ports.wait-ms", 30_000L)); // tests shorten it
                ResolvedPorts r = PortNaming.name(board, Path.of("/sys/class/net"), patience, PortNaming.IPROUTE2);
                Logger.info("ports from hardware profile {}: inside = {} ({}), outside = {} ({})", board.name(),
                        r.inside(), board.insideNic(), r.outside(), board.outsideNic());
                insideArg = insideArg != null ? insideArg : PortNaming.INSIDE;
                outsideArg = outsideArg != null ? outsideArg : PortNaming.OUTSIDE;
                profile = board.name();
            } catch (InvalidProfileException | IOException e) {
                fatal(console, speed, EXIT_PORTS, "bitw: hardware profile " + hwProfile + " unusable, nothing started: " + e.getMessage());
                return;
            } catch (PortResolutionException e) {
                fatal(console, speed, EXIT_PORTS, "bitw: ports refused, nothing started (nothing forwards): " + e.getMessage());
                return;
            } catch (InterruptedException e) {
                fatal(console, speed, EXIT_PORTS, "bitw: interrupted while naming the ports");
                return;
            }
        }
        // Nothing configured yet (fail closed): the running configuration names the ports and nothing else, so it
        // forwards nothing and an operator's first commit on the console only has to add what should pass.
        if (c.interfaces().isEmpty() && insideArg != null && outsideArg != null) {
            try {
                c = ConfigParser.parse("interface inside device " + insideArg + "\ninterface outside device " + outsideArg + "\n");
            } catch (ConfigException e) {
                fatal(console, speed, EXIT_CONFIG, "bitw: ports " + insideArg + "/" + outsideArg + " refused, nothing started:\n" + e.getMessage());
                return;
            }
        }
        try {
            run(c, new Options(control, tapName, console, speed, stateDir, insideArg, outsideArg, profile));
        } catch (Exception e) {
            fatal(console, speed, EXIT_START, "bitw: start-up failed, nothing forwards: " + e.getMessage());
        }
    }

    /**
     * Ends the program: the reason goes to stderr (the log) and, when there is a serial console, onto it — the
     * console will not run, so the operator at the line would otherwise see nothing. Never waits long on the line.
     */
    static void fatal(String console, int speed, int status, String message) {
        System.err.println(message);
        if (console != null) {
            Thread t = Thread.ofPlatform().daemon().start(() -> {
                try {
                    bitw.mgmt.SerialConsole.notice(Path.of(console), speed, message);
                } catch (IOException | RuntimeException e) {
                    System.err.println("bitw: could not write on the console " + console + ": " + e.getMessage());
                }
            });
            try {
                t.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        System.exit(status);
    }

    private static void usage() {
        System.err.println("""
                usage: bitw --config FILE|classpath:RESOURCE [--control SOCKET] [--tap NAME]
                            [--state-dir DIR] [--console DEVICE [--console-speed N]] [--inside IF --outside IF] [--profile NAME]
                            [--hw-profile FILE]   name the ports inside/outside from a hardware profile first
                       bitw --check FILE
                With --state-dir the committed configuration there (config/running.conf) is used; without any
                configuration the appliance forwards nothing until an operator commits one on the console.""");
    }

    static Configuration load(String where) throws IOException, ConfigException {
        String text;
        if (where.startsWith("classpath:")) {
            try (InputStream in = Main.class.getClassLoader().getResourceAsStream(where.substring("classpath:".length()))) {
                if (in == null) throw new IOException("no such resource");
                text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
        } else {
            text = Files.readString(Path.of(where));
        }
        return ConfigParser.parse(text);
    }

    private static int checkOnly(String file) {
        try {
            load(file);
            System.out.println(file + ": ok");
            return 0;
        } catch (ConfigException e) {
            System.err.println(file + ":\n" + e.getMessage());
            return EXIT_CONFIG;
        } catch (IOException e) {
            System.err.println(file + ": " + e.getMessage());
            return EXIT_CONFIG;
        }
    }

    record Options(Path control, String tapName, String console, int speed, Path stateDir, String inside, String outside, String profile) {}

    private static void run(Configuration c, Options o) throws Exception {
        String insideDev = c.interfaceFor(InterfaceRole.INSIDE).map(InterfaceConfig::device).orElse(o.inside());
        String outsideDev = c.interfaceFor(InterfaceRole.OUTSIDE).map(InterfaceConfig::device).orElse(o.outside());
        int mtu = c.interfaceFor(InterfaceRole.OUTSIDE).map(InterfaceConfig::mtu).orElse(1500);
        if (insideDev == null || outsideDev == null)
            throw new IllegalStateException("no inside/outside interfaces: configure them or pass --inside/--outside (the hardware profile does)");
        // The serial console first: an operator can set the first-boot password and log in while the data plane
        // starts, which on small boards and under emulation is most of the start-up. Until the appliance is up,
        // what the console asks of it waits (StartingControl); nothing forwards before the data plane runs anyway.
        StartingControl starting = null;
        bitw.mgmt.SerialConsole serial = null;
        Path state = o.stateDir() != null ? o.stateDir() : Path.of("/var/lib/bitw");
        if (o.console() != null) {
            Files.createDirectories(state);
            starting = new StartingControl(c, state, o.profile());
            java.time.Duration minute = java.time.Duration.ofMillis(Long.getLong("bitw.console.minute-ms", 60_000L)); // tests shorten it
            serial = bitw.mgmt.SerialConsole.forAppliance(Path.of(o.console()), o.speed(), starting, minute);
            serial.start();
            Logger.info("serial console on {} at {} baud", o.console(), o.speed());
        }
        HostInterfaceSetup host = new HostInterfaceSetup();
        host.preparePort(insideDev);
        host.preparePort(outsideDev);
        long nicMac = Ethernet.parseMac(Files.readString(Path.of("/sys/class/net", outsideDev, "address")).strip());
        OwnAddress own = Assembly.ownAddress(c, nicMac, mtu);

        TapDevice tap = TapDevice.create(o.tapName());
        List<HostInterfaceSetup.InterfaceAddress> addrs = new ArrayList<>();
        List<IpAddress> gateways = new ArrayList<>();
        for (bitw.config.OwnAddress a : c.addresses()) {
            addrs.add(new HostInterfaceSetup.InterfaceAddress(a.address(), a.prefixLength()));
            a.gateway().ifPresent(gateways::add);
        }
        host.configureOwnAddress(tap.name(), Ethernet.formatMac(own.mac()), mtu, addrs, gateways);

        java.util.concurrent.atomic.AtomicReference<IkeService> ikeRef = new java.util.concurrent.atomic.AtomicReference<>();
        SecurityAssociationDatabase sad = new SecurityAssociationDatabase(new SaEventListener() {
            @Override public void softExpired(SecurityAssociation sa) {
                if (c.tunnels().containsKey(sa.params().name()))
                    Logger.info("SA {} 0x{} reached its soft lifetime (manually keyed: not renewed)", sa.params().name(), Integer.toHexString(sa.spi()));
                else if (ikeRef.get() != null && sa.inbound()) ikeRef.get().childSaExpired(sa.spi(), false);
            }
            @Override public void hardExpired(SecurityAssociation sa) {
                Logger.warn("SA {} 0x{} expired and was removed; its tunnel's traffic is no longer sent", sa.params().name(), Integer.toHexString(sa.spi()));
                if (ikeRef.get() != null && sa.inbound()) ikeRef.get().childSaExpired(sa.spi(), true);
            }
        });
        DataPlane plane = new DataPlane(port(PcapPort.open(insideDev)), port(PcapPort.open(outsideDev)), port(tap), own, sad);
        ConfigApplier applier = new ConfigApplier(plane);
        applier.apply(c); // from the closed table: SAs first, then the policy
        plane.start();
        IkeService ike = new IkeService(plane);
        ike.start(IkeConnections.of(applier.running()), c.opportunistic().isPresent() ? OpportunisticSettings.of(c.opportunistic().get()) : null,
                new IkeService.OeHooks(applier::setDynamicPolicies, applier::isOpportunistic));
        ikeRef.set(ike);
        applier.attach(ike);

        StatusReport report = new StatusReport(plane);
        ConsoleControl views = new ConsoleControl(plane, applier, state, o.profile(), ike, () -> {
            Logger.warn("rebooting");
            if (Files.isDirectory(Path.of("/run/systemd/system"))) {
                try { new ProcessBuilder("systemctl", "reboot").start(); } catch (java.io.IOException e) { Logger.error("reboot failed: {}", e.getMessage()); }
            } else {
                System.exit(0); // outside systemd: the supervisor starts us again
            }
        });
        ControlSocket control = new ControlSocket(o.control(), cmd -> switch (cmd) {
            case "status" -> report.text() + "\n" + ike.status();
            case "status json" -> {
                String j = report.json(), oe = ike.opportunisticJson();   // OE's logical interface joins the object
                yield (oe == null ? j : j.substring(0, j.length() - 1) + ",\"opportunistic\":" + oe + "}") + "\n";
            }
            case "clear counters" -> { plane.clearCounters(); yield "ok\n"; }
            case "clear sas" -> views.clearSas() + "\n";
            case String t when t.startsWith("show ") && bitw.mgmt.ApplianceControl.VIEWS.contains(t.substring(5).replace(" json", "").strip()) ->
                    views.show(t.substring(5).replace(" json", "").strip(), t.endsWith(" json"));
            case String t when t.startsWith("ike terminate ") -> ike.terminate(t.substring("ike terminate ".length()).trim());
            case String t when t.startsWith("ike initiate ") -> ike.initiate(t.substring("ike initiate ".length()).trim());
            default -> "error: unknown command '" + cmd + "' (status, status json, show " + String.join("|", bitw.mgmt.ApplianceControl.VIEWS)
                    + " [json], clear counters, clear sas, ike initiate NAME, ike terminate NAME)\n";
        });
        NatKeepalive keepalive = new NatKeepalive(sad, c.natKeepaliveSeconds(), ike::sendKeepalive);
        ScheduledExecutorService loop = Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "bitw-control-loop"));
        loop.scheduleAtFixedRate(() -> {
            long now = System.nanoTime();
            sad.tick(now);
            keepalive.tick(now);
        }, 1, 1, TimeUnit.SECONDS);

        if (starting != null) starting.ready(views);
        bitw.mgmt.SerialConsole serialConsole = serial;

        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            Logger.info("stopping: nothing forwards from here on");
            loop.shutdownNow();
            if (serialConsole != null) serialConsole.close();
            ike.close();
            control.close();
            keepalive.close();
            plane.close();
            stopped.countDown();
        }));
        Logger.info("{} up: {} tunnels, {} policies, own address {} {}", c.hostname(), c.tunnels().size(), c.policies().size(), own.ipv4(), own.ipv6());
        stopped.await();
    }

    /** PcapPort and TapDevice as the data plane's FramePort. */
    static FramePort port(PcapPort p) {
        return new FramePort() {
            @Override public int receive(byte[] buf, int off, int maxLen) { return p.receive(buf, off, maxLen); }
            @Override public boolean send(byte[] buf, int off, int len) { return p.send(buf, off, len); }
            @Override public void breakLoop() { p.breakLoop(); }
            @Override public void wake() { p.wake(); }
            @Override public String name() { return p.name(); }
            @Override public void close() { p.close(); }
        };
    }

    static FramePort port(TapDevice t) {
        return new FramePort() {
            @Override public int receive(byte[] buf, int off, int maxLen) { return t.read(buf, off, maxLen); }
            @Override public boolean send(byte[] buf, int off, int len) { return t.write(buf, off, len); }
            @Override public void breakLoop() { t.close(); }
            @Override public String name() { return t.name(); }
            @Override public void close() { t.close(); }
        };
    }
}
