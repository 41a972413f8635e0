// What the console needs from the running appliance, and nothing more: the running configuration and its atomic
// replacement, data-plane views, counters, diagnostics and power. The appliance's main implements it; the console
// (SerialConsole → CommandInterpreter → RunningConfiguration) only ever calls through it, and tests use a fake.
package bitw.mgmt;

import bitw.config.Configuration;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

public interface ApplianceControl {

    /** The configuration the data plane runs now (Configuration.defaults() before the first commit). */
    Configuration running();

    /**
     * Validates and applies {@code next} atomically. On failure nothing changed and the exception says why
     * (with ConfigErrors when the cause is a configuration error). Called with the console's own validation passed.
     */
    void apply(Configuration next) throws ApplyException;

    /**
     * A data-plane view, rendered to fit 80 columns, or as one JSON document when {@code json}.
     * {@code what} is one of {@link #VIEWS}; anything else is an IllegalArgumentException.
     */
    String show(String what, boolean json);

    /**
     * The views show() knows, in the order `show` lists them: ports, SPD entries, SAs with counters, drops by
     * reason, IKE SAs (with their Child SAs and failing connections), opportunistic-encryption peers.
     */
    List<String> VIEWS = List.of("interfaces", "policies", "sas", "drops", "ike", "opportunistic");

    /** The newest {@code n} lines of the appliance log, oldest first. */
    List<String> recentLog(int n);

    void clearCounters();

    /**
     * Deletes every negotiated SA the way IKE ends SAs (a Delete to each peer), after which connections come back
     * by their start action. Returns what was done, one line per kind of SA, for the operator.
     */
    String clearSas();

    String version();

    Duration uptime();

    /** The board profile in use, e.g. "apu2 (2x i211)". */
    String hardwareProfile();

    /** The persistent configuration partition: users, audit.log, config/running.conf, config/history/. */
    Path stateDirectory();

    /**
     * Runs the system's ping from the appliance's own address. {@code target} is an IP address literal (the console
     * checks it). Blocks until done; must stop promptly and return what it has when the thread is interrupted
     * (the operator pressed Ctrl-C). Lines without line terminators.
     */
    List<String> ping(String target, int count);

    /** As ping(): the system's traceroute to an IP address literal, interruptible. */
    List<String> traceroute(String target);

    /**
     * Installs a signed firmware update bundle (a path on the appliance) into the inactive slot: the bundle is
     * verified before anything is written, and the next boot is a trial of the new slot. Returns the installer's
     * output lines; throws with the reason when the bundle is refused.
     */
    List<String> upgrade(Path bundle) throws ApplyException;

    /** Reboots the appliance (may return before it happens). */
    void reboot();

    /** Erases the state directory's configuration and users, then reboots. */
    void factoryReset();
}
