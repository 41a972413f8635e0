// The console's view of an appliance that is still starting: Main starts the serial console before the data plane,
// so an operator can set the first-boot password and log in while the ports, the data plane and IKE come up (on a
// small board, and under emulation, that is most of the start-up). What needs no running appliance — the
// configuration being started, the state directory, the log, version and profile — answers at once; everything
// else waits until the appliance is up (ready()), and a Ctrl-C while waiting changes nothing.
package bitw.appliance;

import bitw.config.Configuration;
import bitw.mgmt.ApplianceControl;
import bitw.mgmt.ApplyException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;

final class StartingControl implements ApplianceControl {
    static final String STILL_STARTING = "the appliance is still starting; try again in a moment";

    private final Configuration starting;
    private final Path stateDirectory;
    private final String hardwareProfile;
    private final long startedNanos = System.nanoTime();
    private final CountDownLatch up = new CountDownLatch(1);
    private volatile ApplianceControl running;

    StartingControl(Configuration starting, Path stateDirectory, String hardwareProfile) {
        this.starting = starting;
        this.stateDirectory = stateDirectory;
        this.hardwareProfile = hardwareProfile;
    }

    /** The appliance is up: from now on everything goes to {@code control}. */
    void ready(ApplianceControl control) {
        running = control;
        up.countDown();
    }

    /** The running appliance, waiting for it; null if the waiting thread was interrupted (Ctrl-C). */
    private ApplianceControl await() {
        try {
            up.await();
            return running;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    @Override public Configuration running() {
        ApplianceControl c = running;
        return c == null ? starting : c.running();
    }

    @Override public void apply(Configuration next) throws ApplyException {
        ApplianceControl c = await();
        if (c == null) throw new ApplyException(STILL_STARTING + ": nothing changed");
        c.apply(next);
    }

    @Override public String show(String what, boolean json) {
        ApplianceControl c = await();
        return c == null ? STILL_STARTING + "\n" : c.show(what, json);
    }

    @Override public List<String> recentLog(int n) { return RecentLogWriter.recent(n); }

    @Override public void clearCounters() {
        ApplianceControl c = await();
        if (c != null) c.clearCounters();
    }

    @Override public String clearSas() {
        ApplianceControl c = await();
        return c == null ? STILL_STARTING + ": nothing changed" : c.clearSas();
    }

    @Override public String version() {
        ApplianceControl c = running;
        return c == null ? ConsoleControl.versionText() : c.version();
    }

    @Override public Duration uptime() { return Duration.ofNanos(System.nanoTime() - startedNanos); }

    @Override public String hardwareProfile() { return hardwareProfile; }

    @Override public Path stateDirectory() { return stateDirectory; }

    @Override public List<String> ping(String target, int count) {
        ApplianceControl c = await();
        return c == null ? List.of(STILL_STARTING) : c.ping(target, count);
    }

    @Override public List<String> traceroute(String target) {
        ApplianceControl c = await();
        return c == null ? List.of(STILL_STARTING) : c.traceroute(target);
    }

    @Override public List<String> upgrade(Path bundle) throws ApplyException {
        ApplianceControl c = await();
        if (c == null) throw new ApplyException(STILL_STARTING);
        return c.upgrade(bundle);
    }

    @Override public void reboot() {
        ApplianceControl c = await();
        if (c != null) c.reboot();
    }

    @Override public void factoryReset() {
        ApplianceControl c = await();
        if (c != null) c.factoryReset();
    }
}
