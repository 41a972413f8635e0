// Specification of the login back-off: free attempts, then doubling delays, then a 5-minute lock per typed name,
// measured on an injected clock.
package bitw.mgmt;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class LoginGuardTest {
    /** A clock the test moves by hand. */
    static final class HandClock extends Clock {
        Instant now = Instant.parse("2026-01-01T00:00:00Z");
        void advance(Duration d) { now = now.plus(d); }
        @Override public ZoneId getZone() { return ZoneOffset.UTC; }
        @Override public Clock withZone(ZoneId zone) { return this; }
        @Override public Instant instant() { return now; }
    }

    final HandClock clock = new HandClock();
    final LoginGuard guard = new LoginGuard(clock);

    @Test
    void twoFailuresCostNothingThenDelaysDoubleUpToAMinute() {
        assertEquals(Duration.ZERO, guard.recordFailure("admin"));
        assertEquals(Duration.ZERO, guard.recordFailure("admin"));
        assertEquals(Duration.ZERO, guard.delayBeforeAttempt("admin"));
        long[] expected = {1, 2, 4, 8, 16, 32, 60};
        for (long s : expected) {
            assertEquals(Duration.ofSeconds(s), guard.recordFailure("admin"));
            assertEquals(Duration.ofSeconds(s), guard.delayBeforeAttempt("admin"));
            clock.advance(Duration.ofMillis(s * 1000 - 1));
            assertEquals(Duration.ofMillis(1), guard.delayBeforeAttempt("admin"), "the delay runs on the clock");
            clock.advance(Duration.ofMillis(1));
            assertEquals(Duration.ZERO, guard.delayBeforeAttempt("admin"));
        }
        assertEquals(9, guard.failures("admin"));
        assertEquals(Duration.ZERO, guard.lockedFor("admin"));
    }

    @Test
    void theTenthFailureLocksTheNameForFiveMinutes() {
        for (int i = 0; i < 9; i++) guard.recordFailure("admin");
        assertEquals(guard.lockTime(), guard.recordFailure("admin"));
        assertEquals(Duration.ofMinutes(5), guard.lockedFor("admin"));
        clock.advance(Duration.ofMinutes(4));
        assertEquals(Duration.ofMinutes(1), guard.lockedFor("admin"));
        assertEquals(Duration.ZERO, guard.lockedFor("olga"), "other names are not affected");
        clock.advance(Duration.ofMinutes(1));
        assertEquals(Duration.ZERO, guard.lockedFor("admin"));
        assertEquals(guard.lockTime(), guard.recordFailure("admin"), "one more failure locks again at once");
    }

    @Test
    void unknownNamesAreTreatedExactlyLikeKnownOnes() {
        LoginGuard other = new LoginGuard(clock);
        for (int i = 0; i < 12; i++)
            assertEquals(guard.recordFailure("admin"), other.recordFailure("no-such-user"));
        assertEquals(guard.lockedFor("admin"), other.lockedFor("no-such-user"));
    }

    @Test
    void successResetsTheCount() {
        for (int i = 0; i < 5; i++) guard.recordFailure("admin");
        guard.recordSuccess("admin");
        assertEquals(0, guard.failures("admin"));
        assertEquals(Duration.ZERO, guard.recordFailure("admin"));
    }
}
