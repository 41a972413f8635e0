// An in-memory ApplianceControl for the console's tests: keeps a running configuration, records every apply,
// can be told to refuse the next apply, and answers the views and diagnostics with recognizable text.
package bitw.mgmt;

import bitw.config.ConfigError;
import bitw.config.ConfigException;
import bitw.config.ConfigParser;
import bitw.config.Configuration;
import bitw.config.Validator;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

final class FakeAppliance implements ApplianceControl {
    static final String GCM_KEYS = " key-in " + "11".repeat(20) + " key-out " + "22".repeat(20);
    static final String SITE = """
            hostname gw-a
            interface inside device eth0
            interface outside device eth1
            address 198.51.100.2/24
            tunnel to-b peer 203.0.113.7 spi-in 300 spi-out 301%s local-net 10.1.0.0/16 remote-net 10.2.0.0/16
            policy 10 from 10.1.0.0/16 to 10.2.0.0/16 action configured tunnel to-b
            policy 20 from any to any action permit
            """.formatted(GCM_KEYS);

    private volatile Configuration running;
    final List<Configuration> applied = new CopyOnWriteArrayList<>();
    final AtomicInteger counterClears = new AtomicInteger(), saClears = new AtomicInteger(), reboots = new AtomicInteger(),
            factoryResets = new AtomicInteger();
    final List<String> pinged = new CopyOnWriteArrayList<>();
    volatile ApplyException refuseNext;
    private final Path state;

    FakeAppliance(Path state, Configuration running) {
        this.state = state;
        this.running = running;
    }

    static FakeAppliance withSite(Path state) {
        try {
            return new FakeAppliance(state, ConfigParser.parse(SITE));
        } catch (ConfigException e) {
            throw new AssertionError(e);
        }
    }

    @Override public Configuration running() { return running; }

    @Override public void apply(Configuration next) throws ApplyException {
        ApplyException refuse = refuseNext;
        refuseNext = null;
        if (refuse != null) throw refuse;
        List<ConfigError> errors = Validator.validate(next);
        if (!errors.isEmpty()) throw new ApplyException("invalid", errors, null);
        applied.add(next);
        running = next;
    }

    @Override public String show(String what, boolean json) {
        if (!VIEWS.contains(what)) throw new IllegalArgumentException(what);
        return json ? "{\"view\":\"" + what + "\",\"clears\":" + counterClears.get() + "}\n" : "view " + what + " clears " + counterClears.get() + "\n";
    }

    @Override public List<String> recentLog(int n) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < n; i++) out.add("log line " + i);
        return out;
    }

    @Override public void clearCounters() { counterClears.incrementAndGet(); }

    @Override public String clearSas() {
        saClears.incrementAndGet();
        return "2 IKE SA(s) deleted with a Delete to their peers\n1 manually keyed SA(s) kept";
    }

    @Override public String version() { return "0.1.0-test"; }

    @Override public Duration uptime() { return Duration.ofHours(26).plusSeconds(5); }

    @Override public String hardwareProfile() { return "test-board (2x veth)"; }

    @Override public Path stateDirectory() { return state; }

    /** Pinging this address runs until the thread is interrupted, like a ping to a silent host. */
    static final String SILENT_HOST = "192.0.2.99";

    @Override public List<String> ping(String target, int count) {
        pinged.add(target + " x" + count);
        if (target.equals(SILENT_HOST)) {
            try {
                Thread.sleep(60_000);
                return List.of("PING " + target, "no interruption");
            } catch (InterruptedException e) {
                return List.of("PING " + target, "--- interrupted ---");
            }
        }
        return List.of("PING " + target, count + " packets transmitted, " + count + " received");
    }

    @Override public List<String> traceroute(String target) { return List.of("traceroute to " + target, " 1  " + target); }

    final List<Path> upgrades = new CopyOnWriteArrayList<>();

    @Override public List<String> upgrade(Path bundle) throws ApplyException {
        if (bundle.toString().contains("tampered")) throw new ApplyException("signature verification failed");
        upgrades.add(bundle);
        return List.of("installing " + bundle + ": 100% done");
    }

    @Override public void reboot() { reboots.incrementAndGet(); }

    @Override public void factoryReset() { factoryResets.incrementAndGet(); }
}
