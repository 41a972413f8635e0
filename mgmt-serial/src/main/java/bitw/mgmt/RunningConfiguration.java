// How the running configuration changes: commit (validate, apply through ApplianceControl, persist, audit),
// commit confirmed (apply now, roll back automatically unless confirmed in time) and confirm. Shared by every
// console session; one commit at a time. A confirmed commit is persisted only when confirmed, so a reboot during
// the confirmation window also comes back with the previous configuration.
package bitw.mgmt;

import bitw.config.ConfigError;
import bitw.config.ConfigException;
import bitw.config.ConfigParser;
import bitw.config.Configuration;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

public final class RunningConfiguration implements AutoCloseable {
    /** A confirmed commit waiting for 'confirm': what it replaced, who made it, when it rolls back. */
    public record PendingConfirmation(Configuration previous, Configuration applied, String user, Instant deadline) {}

    private final ApplianceControl control;
    private final ConfigArchive archive;
    private final AuditLog audit;
    private final Clock clock;
    private final Duration minute;
    private final ScheduledExecutorService timer;
    private PendingConfirmation pending;
    private ScheduledFuture<?> rollbackTask;

    /** {@code minute} is the unit of 'commit confirmed N' (one real minute on the appliance; short in tests). */
    public RunningConfiguration(ApplianceControl control, ConfigArchive archive, AuditLog audit, Clock clock, Duration minute) {
        this.control = control;
        this.archive = archive;
        this.audit = audit;
        this.clock = clock;
        this.minute = minute;
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "commit-confirmed-rollback");
            t.setDaemon(true);
            return t;
        });
    }

    public ConfigArchive archive() { return archive; }

    public Configuration current() { return control.running(); }

    public synchronized Optional<PendingConfirmation> pending() { return Optional.ofNullable(pending); }

    /**
     * Validates, applies and persists {@code candidate}; returns the history entry. A pending confirmed commit is
     * thereby confirmed. On any failure nothing changed and the exception names the offending lines.
     */
    public synchronized ConfigArchive.Entry commit(Configuration candidate, String user) throws CommitException {
        Configuration before = control.running();
        checkAndApply(candidate, before, user, "commit");
        cancelRollback();
        // The configuration on disk is the one before any unconfirmed commit; summarize against that.
        Configuration persisted = pending != null ? pending.previous() : before;
        pending = null;
        String summary = ConfigDiff.summary(persisted, candidate);
        try {
            ConfigArchive.Entry e = archive.save(candidate, user, clock.instant(), summary);
            audit.record("commit by " + user + " (history " + e.number() + "): " + summary);
            return e;
        } catch (IOException io) {
            // Applied but not durable: undo, so what runs is what boots.
            try {
                if (!candidate.equals(persisted)) control.apply(persisted);
            } catch (ApplyException undo) {
                audit.record("commit by " + user + " could not be saved and undoing it failed: " + undo.getMessage());
            }
            audit.record("commit by " + user + " refused: cannot save: " + io.getMessage());
            throw new CommitException(List.of("commit failed: cannot save the configuration: " + io.getMessage(),
                    "the previous configuration is running"));
        }
    }

    /**
     * Applies {@code candidate} now and rolls back to the configuration before it after {@code minutes} units
     * unless confirm() (or a plain commit) comes first. Another confirmed commit while one is pending restarts the
     * timer and keeps the original rollback target.
     */
    public synchronized PendingConfirmation commitConfirmed(Configuration candidate, String user, int minutes) throws CommitException {
        if (minutes < 1 || minutes > 60) throw new CommitException(List.of("commit confirmed: minutes must be 1..60"));
        Configuration before = control.running();
        checkAndApply(candidate, before, user, "commit confirmed");
        Configuration previous = pending != null ? pending.previous() : before;
        cancelRollback();
        Duration wait = minute.multipliedBy(minutes);
        pending = new PendingConfirmation(previous, candidate, user, clock.instant().plus(wait));
        PendingConfirmation mine = pending;
        rollbackTask = timer.schedule(() -> rollBack(mine), wait.toNanos(), TimeUnit.NANOSECONDS);
        audit.record("commit confirmed by " + user + " (rolls back in " + minutes + " min unless confirmed): "
                + ConfigDiff.summary(previous, candidate));
        return pending;
    }

    /** Confirms a pending confirmed commit (persisting it); false when none is pending. */
    public boolean confirm(String user) throws CommitException {
        PendingConfirmation p;
        synchronized (this) {
            p = pending;
            if (p == null) return false;
        }
        commit(p.applied(), user);
        return true;
    }

    private synchronized void rollBack(PendingConfirmation expected) {
        if (pending != expected) return;   // confirmed or replaced meanwhile
        pending = null;
        rollbackTask = null;
        try {
            control.apply(expected.previous());
            audit.record("rollback: commit confirmed by " + expected.user() + " was not confirmed; previous configuration restored: "
                    + ConfigDiff.summary(expected.applied(), expected.previous()));
        } catch (ApplyException e) {
            audit.record("rollback: commit confirmed by " + expected.user() + " was not confirmed and restoring the previous configuration FAILED: " + e.getMessage());
        }
    }

    /** Validates and applies; a refusal is audited (with its first reason) and rethrown. */
    private void checkAndApply(Configuration candidate, Configuration before, String user, String what) throws CommitException {
        try {
            validate(candidate);
            if (!candidate.equals(before)) apply(candidate);
        } catch (CommitException e) {
            List<String> l = e.lines();
            audit.record(what + " by " + user + " refused: " + (l.size() > 1 ? l.get(1).strip() : l.get(0)));
            throw e;
        }
    }

    private void cancelRollback() {
        if (rollbackTask != null) rollbackTask.cancel(false);
        rollbackTask = null;
    }

    /**
     * Checks the candidate as the start-up file would be checked: its canonical text is parsed, so each error
     * names a line of what 'show' prints, and the line itself is quoted.
     */
    static void validate(Configuration candidate) throws CommitException {
        String text = ConfigText.of(candidate);
        try {
            ConfigParser.parse(text);
        } catch (ConfigException e) {
            throw new CommitException(describe("commit failed, nothing changed:", e.errors(), text));
        }
    }

    static List<String> describe(String heading, List<ConfigError> errors, String text) {
        List<String> lines = text.lines().toList();
        List<String> out = new ArrayList<>();
        out.add(heading);
        for (ConfigError err : errors) {
            out.add("  " + err);
            if (err.line() > 0 && err.line() <= lines.size()) out.add("    " + err.line() + " | " + lines.get(err.line() - 1));
        }
        return out;
    }

    private void apply(Configuration candidate) throws CommitException {
        try {
            control.apply(candidate);
        } catch (ApplyException e) {
            List<String> out = e.errors().isEmpty()
                    ? new ArrayList<>(List.of("commit failed, nothing changed: " + e.getMessage()))
                    : describe("commit failed, nothing changed: " + e.getMessage(), e.errors(), ConfigText.of(candidate));
            throw new CommitException(out);
        }
    }

    @Override public void close() { timer.shutdownNow(); }
}
