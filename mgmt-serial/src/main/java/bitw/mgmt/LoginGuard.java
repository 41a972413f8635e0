// Slows down password guessing at the login prompt. Failures are counted per typed user name, whether or not the
// user exists, so a wrong name behaves exactly like a wrong password. From the 3rd consecutive failure each further
// attempt must wait 1, 2, 4, ... s (at most 60 s); after the 10th the name is locked for 5 minutes. A success
// resets the name. The clock is injected so tests can check the timing without sleeping, and the time unit (one
// second on the appliance) so terminal tests can run the whole schedule in moments.
package bitw.mgmt;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

public final class LoginGuard {
    public static final int FREE_FAILURES = 2, LOCK_AFTER = 10;
    /** In units: the longest back-off delay, and the lock (60 and 300 units: a minute and 5 minutes at 1 s). */
    public static final int MAX_DELAY_UNITS = 60, LOCK_UNITS = 300;
    private static final int TRACKED_NAMES = 256;

    private static final class Record {
        int failures;
        Instant notBefore = Instant.MIN;
        Instant lockedUntil = Instant.MIN;
    }

    private final Clock clock;
    private final Duration unit;
    // Bounded so typing endless different names cannot grow memory; oldest-touched names are forgotten first.
    private final Map<String, Record> records = new LinkedHashMap<>(16, 0.75f, true) {
        @Override protected boolean removeEldestEntry(Map.Entry<String, Record> e) { return size() > TRACKED_NAMES; }
    };

    public LoginGuard(Clock clock) { this(clock, Duration.ofSeconds(1)); }

    public LoginGuard(Clock clock, Duration unit) {
        this.clock = clock;
        this.unit = unit;
    }

    /** How long a locked name stays locked. */
    public Duration lockTime() { return unit.multipliedBy(LOCK_UNITS); }

    /** How long the name is locked out from now (zero when it is not locked). No password is checked meanwhile. */
    public synchronized Duration lockedFor(String name) {
        Record r = records.get(name);
        Instant now = clock.instant();
        return r == null || !r.lockedUntil.isAfter(now) ? Duration.ZERO : Duration.between(now, r.lockedUntil);
    }

    /** How long the next attempt for this name must wait before its password is checked (zero: go ahead). */
    public synchronized Duration delayBeforeAttempt(String name) {
        Record r = records.get(name);
        Instant now = clock.instant();
        return r == null || !r.notBefore.isAfter(now) ? Duration.ZERO : Duration.between(now, r.notBefore);
    }

    /** Records a failed attempt; returns the delay now imposed before the next attempt for this name. */
    public synchronized Duration recordFailure(String name) {
        Record r = records.computeIfAbsent(name, k -> new Record());
        r.failures++;
        Instant now = clock.instant();
        if (r.failures >= LOCK_AFTER) {
            r.lockedUntil = now.plus(lockTime());
            r.notBefore = r.lockedUntil;
            return lockTime();
        }
        if (r.failures <= FREE_FAILURES) return Duration.ZERO;
        Duration d = unit.multipliedBy(Math.min(1L << Math.min(r.failures - FREE_FAILURES - 1, 10), MAX_DELAY_UNITS));
        r.notBefore = now.plus(d);
        return d;
    }

    public synchronized void recordSuccess(String name) { records.remove(name); }

    public synchronized int failures(String name) {
        Record r = records.get(name);
        return r == null ? 0 : r.failures;
    }
}
