// Drops by reason for one data-plane thread. Single writer (the owning thread); readers sum racily for display.
// The first drop of each reason is logged once, naming it; later ones are only counted (no log per packet).
package bitw.bridge;

import bitw.ipsec.DropReason;
import org.tinylog.Logger;

public final class DropCounters {
    private static final DropReason[] REASONS = DropReason.values();
    private final String path;
    private final long[] counts = new long[REASONS.length];
    private final boolean[] logged = new boolean[REASONS.length];

    public DropCounters(String path) { this.path = path; }

    public void drop(DropReason reason) {
        int i = reason.ordinal();
        counts[i]++;
        if (!logged[i]) {
            logged[i] = true;
            Logger.warn("{}: dropped a frame: {} ({}); further drops of this kind are counted, not logged", path, reason, reason.description);
        }
    }

    public long count(DropReason reason) { return counts[reason.ordinal()]; }

    public long total() {
        long t = 0;
        for (long c : counts) t += c;
        return t;
    }

    public String path() { return path; }

    /** Called from the control thread; a racing increment may be lost, which is acceptable for a reset. */
    public void clear() {
        java.util.Arrays.fill(counts, 0);
        java.util.Arrays.fill(logged, false);
    }
}
