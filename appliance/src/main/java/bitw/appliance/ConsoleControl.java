// The console's view of the running appliance (bitw.mgmt.ApplianceControl): configuration through the
// ConfigApplier, data-plane views through StatusReport, IKE and OE views through IkeStatusView, diagnostics with
// the system's tools from the appliance's own address (the kernel side of the TAP), and power.
package bitw.appliance;

import bitw.bridge.DataPlane;
import bitw.bridge.StatusReport;
import bitw.config.Configuration;
import bitw.mgmt.ApplianceControl;
import bitw.mgmt.ApplyException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.tinylog.Logger;

final class ConsoleControl implements ApplianceControl {
    static final String VERSION = "bitw 0.1.0";

    private final DataPlane plane;
    private final ConfigApplier applier;
    private final StatusReport report;
    private final Path stateDirectory;
    private final String hardwareProfile;
    private final long startedNanos = System.nanoTime();
    private final IkeService ike;
    private final Runnable reboot;

    ConsoleControl(DataPlane plane, ConfigApplier applier, Path stateDirectory, String hardwareProfile, IkeService ike, Runnable reboot) {
        this.plane = plane;
        this.applier = applier;
        this.report = new StatusReport(plane);
        this.stateDirectory = stateDirectory;
        this.hardwareProfile = hardwareProfile;
        this.ike = ike;
        this.reboot = reboot;
    }

    @Override public Configuration running() {
        Configuration c = applier.running();
        return c == null ? Configuration.defaults() : c;
    }

    @Override public void apply(Configuration next) throws ApplyException {
        try {
            ConfigApplier.Outcome o = applier.apply(next);
            if (o.restartNeeded()) Logger.warn("interface, address or MAC changes are saved and take effect after a reboot");
        } catch (ConfigApplier.StatementRefused e) {
            // The console quotes the statement's line of the candidate as 'show' prints it.
            throw new ApplyException("not applied", List.of(new bitw.config.ConfigError(bitw.mgmt.ConfigText.lineOf(next, e.key()), e.getMessage())), e);
        } catch (RuntimeException e) {
            throw new ApplyException("not applied: " + e.getMessage(), e);
        }
    }

    @Override public String show(String what, boolean json) {
        return switch (what) {
            case "ike", "opportunistic" -> {
                IkeStatusView.Snapshot s = ike == null ? null : ike.snapshot();
                if (s == null) yield json ? "{\"error\":\"IKE status unavailable\"}\n" : "IKE status unavailable\n";
                if (what.equals("ike")) yield json ? IkeStatusView.ikeJson(s) : IkeStatusView.ikeText(s);
                yield json ? IkeStatusView.oeJson(s) : IkeStatusView.oeText(s);
            }
            default -> report.section(what, json) + (json ? "\n" : "");
        };
    }

    @Override public List<String> recentLog(int n) { return RecentLogWriter.recent(n); }

    @Override public void clearCounters() { plane.clearCounters(); }

    /**
     * Negotiated SAs go the way IKE ends them, with a Delete to each peer (removing them only here would leave the
     * peer sending into SAs we no longer have); connections then come back by their start action. Manually keyed
     * SAs are configuration: clearing them would only reset their sequence numbers into the peer's replay window.
     */
    @Override public String clearSas() {
        int n = ike == null ? 0 : ike.clearAll();
        long manual = plane.sad().all().stream().filter(sa -> running().tunnels().containsKey(sa.params().name())).count();
        Logger.info("clear sas: {} IKE SA(s) deleted (Delete sent to the peers)", n);
        return n + " IKE SA(s) deleted with a Delete to their peers; they come back by their start action"
                + (manual > 0 ? "\n" + manual + " manually keyed SA(s) kept (configuration: change the tunnel to replace them)" : "");
    }

    @Override public String version() { return versionText(); }

    /** With the firmware image's version and root slot when the image's start script passes them (bitw.firmware). */
    static String versionText() {
        String firmware = System.getProperty("bitw.firmware", "").strip();
        return VERSION + (firmware.isEmpty() ? "" : ", firmware " + firmware) + " (Java " + Runtime.version() + ")";
    }

    @Override public Duration uptime() { return Duration.ofNanos(System.nanoTime() - startedNanos); }

    @Override public String hardwareProfile() { return hardwareProfile; }

    @Override public Path stateDirectory() { return stateDirectory; }

    @Override public List<String> ping(String target, int count) {
        return run(List.of("ping", "-n", "-c", Integer.toString(Math.max(1, Math.min(count, 100))), "-W", "2", target));
    }

    @Override public List<String> traceroute(String target) {
        return run(List.of("tracepath", "-n", target));
    }

    /** Runs a diagnostic tool; Ctrl-C (thread interrupt) stops it and returns what it printed so far. */
    private static List<String> run(List<String> command) {
        List<String> lines = new ArrayList<>();
        Process p;
        try {
            p = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException e) {
            return List.of(command.get(0) + ": " + e.getMessage());
        }
        Thread reader = Thread.ofVirtual().start(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                for (String l; (l = r.readLine()) != null; ) synchronized (lines) { lines.add(l); }
            } catch (IOException ignored) { }
        });
        try {
            p.waitFor();
            reader.join(1000);
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        synchronized (lines) { return List.copyOf(lines); }
    }

    /** RAUC verifies the bundle's signature against the image's keyring before it writes the inactive slot. */
    @Override public List<String> upgrade(Path bundle) throws ApplyException {
        if (!Files.isRegularFile(bundle)) throw new ApplyException("no such bundle: " + bundle);
        try {
            Process p = new ProcessBuilder("rauc", "install", bundle.toString()).redirectErrorStream(true).start();
            List<String> lines = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).lines().toList();
            if (p.waitFor() != 0) throw new ApplyException(String.join("; ", lines.subList(Math.max(0, lines.size() - 3), lines.size())));
            return lines;
        } catch (IOException e) {
            throw new ApplyException("rauc: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApplyException("interrupted");
        }
    }

    @Override public void reboot() {
        Logger.warn("reboot requested from the console");
        reboot.run();
    }

    @Override public void factoryReset() {
        Logger.warn("factory reset requested from the console: erasing configuration and users");
        try {
            deleteTree(stateDirectory.resolve("config"));
            Files.deleteIfExists(stateDirectory.resolve("users"));
        } catch (IOException e) {
            Logger.error("factory reset incomplete: {}", e.getMessage());
        }
        reboot.run();
    }

    private static void deleteTree(Path p) throws IOException {
        if (!Files.exists(p)) return;
        try (var s = Files.walk(p)) {
            for (Path x : s.sorted(java.util.Comparator.reverseOrder()).toList()) Files.delete(x);
        }
    }
}
