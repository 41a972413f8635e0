// A tinylog writer that keeps the newest log lines in memory, so the console's `show log` can print them without
// a log file on the (read-only) appliance. Configured in tinylog.properties as a second writer.
package bitw.appliance;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import org.tinylog.core.LogEntry;
import org.tinylog.core.LogEntryValue;
import org.tinylog.writers.Writer;

public final class RecentLogWriter implements Writer {
    static final int CAPACITY = 1000;
    private static final ArrayDeque<String> LINES = new ArrayDeque<>();

    public RecentLogWriter(Map<String, String> properties) {}

    @Override public Collection<LogEntryValue> getRequiredLogEntryValues() {
        return EnumSet.of(LogEntryValue.DATE, LogEntryValue.LEVEL, LogEntryValue.MESSAGE, LogEntryValue.EXCEPTION);
    }

    @Override public void write(LogEntry e) {
        String line = String.format("%tT %s %s%s", e.getTimestamp().toDate(), e.getLevel(), e.getMessage(),
                e.getException() == null ? "" : " (" + e.getException() + ")");
        synchronized (LINES) {
            LINES.addLast(line);
            if (LINES.size() > CAPACITY) LINES.removeFirst();
        }
    }

    /** The newest n lines, oldest first. */
    public static List<String> recent(int n) {
        synchronized (LINES) {
            List<String> all = new ArrayList<>(LINES);
            return List.copyOf(all.subList(Math.max(0, all.size() - n), all.size()));
        }
    }

    @Override public void flush() {}

    @Override public void close() {}
}
