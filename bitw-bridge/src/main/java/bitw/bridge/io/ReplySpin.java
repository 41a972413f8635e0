// When a port's receiver spins for the next frame instead of sleeping in poll(). A frame sent out of a port is
// usually answered on the same port within one round trip (a ping's echo, a TCP segment's ACK), and waking a
// sleeping thread costs tens of µs on a busy VM, so after a send the receiver polls the ring for up to a window.
// Spinning costs a core, so it is bounded twice: at most BUDGET of CPU per PERIOD per port, and it switches itself
// off for RETRY when spins keep ending without a frame (one-way traffic such as a UDP blast has no replies).
//
// Senders call sent(); only the port's receiving thread calls deadline(), extended() and ended().
package bitw.bridge.io;

final class ReplySpin {
    /** The default window; -Dbitw.replySpinMicros=0 turns spinning off. */
    static final long DEFAULT_WINDOW_NANOS = Long.getLong("bitw.replySpinMicros", 500) * 1000;
    private static final long PERIOD_NANOS = 100_000_000, BUDGET_NANOS = PERIOD_NANOS / 20;   // 5 % of a core
    private static final long RETRY_NANOS = 1_000_000_000;
    private static final int SCORE_MAX = 4, SCORE_MIN = -3;

    private final long windowNanos;
    private volatile long until;            // spin until then; written by senders
    private volatile boolean enabled;
    // Receiver only:
    private long periodStart, spentInPeriod, retryAt;
    private int score;

    ReplySpin(long windowNanos) {
        this.windowNanos = windowNanos;
        this.enabled = windowNanos > 0;
    }

    /** A frame left the port at {@code now}; returns true if the receiver should spin for its reply. */
    boolean sent(long now) {
        if (!enabled) return false;
        until = now + windowNanos;
        return true;
    }

    /** Until when the receiver should spin from {@code now} on, or 0 for not at all. */
    long deadline(long now) {
        if (windowNanos == 0) return 0;
        if (!enabled) {
            if (now - retryAt < 0) return 0;
            enabled = true;
            score = 0;
        }
        long u = until;
        if (now - u >= 0) return 0;
        if (now - periodStart >= PERIOD_NANOS) {
            periodStart = now;
            spentInPeriod = 0;
        }
        long left = BUDGET_NANOS - spentInPeriod;
        if (left <= 0) return 0;
        return u - now < left ? u : now + left;
    }

    /** The spin reached its deadline at {@code now}, having started at {@code start}: the new deadline, or 0. */
    long extended(long start, long now) {
        spentInPeriod += now - start;
        return deadline(now);
    }

    /** The spin (since {@code start}, or its last extension) ended at {@code end} with a frame or without. */
    void ended(long start, long end, boolean gotFrame) {
        spentInPeriod += end - start;
        if (gotFrame) {
            if (score < SCORE_MAX) score++;
        } else if (--score < SCORE_MIN) {
            enabled = false;
            retryAt = end + RETRY_NANOS;
        }
    }
}
