// Specification of the console's view of an appliance that is still starting (StartingControl): the configuration
// being started, the state directory and the profile answer at once; a commit waits until the appliance is up and
// then reaches it; a Ctrl-C (interrupt) while waiting changes nothing and says why.
package bitw.appliance;

import static org.junit.jupiter.api.Assertions.*;

import bitw.config.ConfigParser;
import bitw.config.Configuration;
import bitw.mgmt.ApplianceControl;
import bitw.mgmt.ApplyException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class StartingControlTest {
    static final Path STATE = Path.of("/var/lib/bitw");

    /** The appliance once up: records what reaches it. */
    static final class Up implements ApplianceControl {
        final List<Configuration> applied = new CopyOnWriteArrayList<>();
        volatile Configuration running;

        Up(Configuration running) { this.running = running; }

        @Override public Configuration running() { return running; }
        @Override public void apply(Configuration next) { applied.add(next); running = next; }
        @Override public String show(String what, boolean json) { return "view " + what; }
        @Override public List<String> recentLog(int n) { return List.of(); }
        @Override public void clearCounters() {}
        @Override public String clearSas() { return "cleared"; }
        @Override public String version() { return "up"; }
        @Override public Duration uptime() { return Duration.ZERO; }
        @Override public String hardwareProfile() { return "board"; }
        @Override public Path stateDirectory() { return STATE; }
        @Override public List<String> ping(String target, int count) { return List.of("pinged " + target); }
        @Override public List<String> traceroute(String target) { return List.of(); }
        @Override public List<String> upgrade(Path bundle) { return List.of(); }
        @Override public void reboot() {}
        @Override public void factoryReset() {}
    }

    static Configuration config(String text) throws Exception {
        return ConfigParser.parse("interface inside device inside\ninterface outside device outside\n" + text);
    }

    @Test
    void answersWhatNeedsNoRunningApplianceAtOnce() throws Exception {
        Configuration first = config("");
        StartingControl s = new StartingControl(first, STATE, "qemu-x86_64");
        assertSame(first, s.running());
        assertEquals(STATE, s.stateDirectory());
        assertEquals("qemu-x86_64", s.hardwareProfile());
        assertTrue(s.version().startsWith(ConsoleControl.VERSION), s.version());
    }

    @Test
    void aCommitWaitsForTheApplianceAndThenReachesIt() throws Exception {
        StartingControl s = new StartingControl(config(""), STATE, "b");
        Configuration next = config("policy 10 from any to any action permit\n");
        CompletableFuture<Void> commit = CompletableFuture.runAsync(() -> {
            try {
                s.apply(next);
            } catch (ApplyException e) {
                throw new AssertionError(e);
            }
        });
        Thread.sleep(300);
        assertFalse(commit.isDone(), "waits while the appliance starts");
        Up up = new Up(s.running());
        s.ready(up);
        commit.get(30, TimeUnit.SECONDS);
        assertEquals(List.of(next), up.applied);
        assertSame(next, s.running(), "from now on the running appliance answers");
        assertEquals("view sas", s.show("sas", false));
    }

    @Test
    void aCtrlCWhileWaitingChangesNothing() throws Exception {
        StartingControl s = new StartingControl(config(""), STATE, "b");
        Thread.currentThread().interrupt();
        ApplyException e = assertThrows(ApplyException.class, () -> s.apply(config("default-action permit\n")));
        assertTrue(e.getMessage().contains("still starting") && e.getMessage().contains("nothing changed"), e.getMessage());
        Thread.currentThread().interrupt();
        assertTrue(s.show("policies", false).contains("still starting"));
        assertTrue(Thread.interrupted(), "the interrupt is kept for the console");
    }
}
