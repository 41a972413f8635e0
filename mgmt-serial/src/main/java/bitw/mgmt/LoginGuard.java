// Slows down password guessing at the login prompt. Failures are counted per typed user name, whether or not the
// user exists, so a wrong name behaves exactly like a wrong password. From the 3rd consecutive failure each further
// attempt must wait 1, 2, 4, ... s (at most 60 s); after the 10th the name is locked for 5 minutes. A success
// resets the name. The clock is injected so tests can check the timing without sleeping.
package bitw.mgmt;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

public final class LoginGuard {
    public static final int FREE_FAILURES = 2, LOCK_AFTER = 10;
    public static final Duration MAX_DELAY = Duration.ofSeconds(60), LOCK_TIME = Duration.ofMinutes(5);
    private static final int TRACKED_NAMES = 256;

    private static final class Record {
        int failures;
        Instant notBefore = Instant.MIN;
        Instant lockedUntil = Instant.MIN;
    }

    private final Clock clock;
    // Bounded so typing endless different names cannot grow memory; oldest-touched names are forgotten first.
    private final Map<String, Record> records = new LinkedHashMap<>(16, 0.75f, true) {
        @Override protected boolean removeEldestEntry(Map.Entry<String, Record> e) { return size() > TRACKED_NAMES; }
    };

    public LoginGuard(Clock clock) { this.clock = clock; }

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
            r.lockedUntil = now.plus(LOCK_TIME);
            r.notBefore = r.lockedUntil;
            return LOCK_TIME;
        }
        if (r.failures <= FREE_FAILURES) return Duration.ZERO;
        Duration d = Duration.ofSeconds(1L << Math.min(r.failures - FREE_FAILURES - 1, 10));
        if (d.compareTo(MAX_DELAY) > 0) d = MAX_DELAY;
        r.notBefore = now.plus(d);
        return d;
    }

    public synchronized void recordSuccess(String name) { records.remove(name); }

    public synchronized int failures(String name) {
        Record r = records.get(name);
        return r == null ? 0 : r.failures;
    }
}
