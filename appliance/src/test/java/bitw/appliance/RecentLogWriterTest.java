package bitw.appliance;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.tinylog.Logger;

class RecentLogWriterTest {
    @Test
    void keepsTheNewestLinesForTheConsole() {
        for (int i = 0; i < RecentLogWriter.CAPACITY + 50; i++) Logger.info("recent-log-test line {}", i);
        List<String> last = RecentLogWriter.recent(3);
        assertEquals(3, last.size());
        assertTrue(last.get(2).endsWith("recent-log-test line " + (RecentLogWriter.CAPACITY + 49)), last.toString());
        assertTrue(last.get(0).contains("INFO"), last.get(0));
        assertTrue(RecentLogWriter.recent(5000).size() <= RecentLogWriter.CAPACITY, "bounded");
    }
}
