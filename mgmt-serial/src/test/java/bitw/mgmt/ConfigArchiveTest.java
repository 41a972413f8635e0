// Specification of persistence: running.conf and numbered history survive a round trip, files are replaced
// atomically (a reader never sees a mix), and the console text is valid configuration language.
package bitw.mgmt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import bitw.config.ConfigParser;
import bitw.config.Configuration;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigArchiveTest {
    @TempDir Path state;

    @Test
    void savedConfigurationsComeBackWithTheirHistory() throws Exception {
        ConfigArchive archive = new ConfigArchive(state);
        assertTrue(archive.loadRunning().isEmpty(), "nothing committed yet");
        Configuration a = ConfigParser.parse(FakeAppliance.SITE);
        Configuration b = a.with(ConfigParser.parseStatement("hostname second"));
        Instant t = Instant.parse("2026-11-22T10:00:00Z");
        archive.save(a, "alice", t, "first");
        archive.save(b, "bob", t.plusSeconds(60), "~hostname");
        assertEquals(b, archive.loadRunning().orElseThrow());
        assertEquals(a, archive.load(1));
        assertEquals(b, archive.load(2));
        assertEquals(List.of(new ConfigArchive.Entry(1, "alice", t, "first"), new ConfigArchive.Entry(2, "bob", t.plusSeconds(60), "~hostname")),
                new ConfigArchive(state).history(), "a new archive object (a reboot) reads the same history");
        try (var files = Files.list(state.resolve("config/history"))) {
            assertTrue(files.noneMatch(p -> p.getFileName().toString().endsWith(".tmp")), "no temporary files left");
        }
    }

    @Test
    void consoleTextFitsEightyColumnsAndParsesToTheSameConfiguration() throws Exception {
        Configuration c = ConfigParser.parse(FakeAppliance.SITE).with(ConfigParser.parseStatement(
                "policy 30 name web-out from 10.1.0.0/16 to 10.2.3.0/24 proto tcp sport 1024-65535 dport 443 action opportunistic tunnel to-b fallback drop"));
        String text = ConfigText.of(c);
        for (String line : text.lines().toList()) assertTrue(line.length() <= 80, line);
        assertTrue(c.render().lines().anyMatch(l -> l.length() > 80), "the canonical text had a long line to wrap");
        assertEquals(c, ConfigParser.parse(text));
    }

    @Test
    void atomicWriteNeverShowsAMixture() throws Exception {
        Path f = state.resolve("running.conf");
        byte[] one = "a".repeat(200_000).getBytes(StandardCharsets.UTF_8), two = "b".repeat(300_000).getBytes(StandardCharsets.UTF_8);
        AtomicFiles.write(f, one);
        AtomicBoolean stop = new AtomicBoolean();
        AtomicInteger reads = new AtomicInteger(), bad = new AtomicInteger();
        Thread reader = new Thread(() -> {
            while (!stop.get()) {
                try {
                    String s = Files.readString(f);
                    reads.incrementAndGet();
                    boolean pure = (s.length() == 200_000 && s.chars().allMatch(ch -> ch == 'a')) || (s.length() == 300_000 && s.chars().allMatch(ch -> ch == 'b'));
                    if (!pure) bad.incrementAndGet();
                } catch (Exception e) {
                    bad.incrementAndGet();
                }
            }
        });
        reader.start();
        for (int i = 0; i < 20; i++) AtomicFiles.write(f, i % 2 == 0 ? two : one);
        stop.set(true);
        reader.join();
        assertEquals(0, bad.get(), "reads seeing a partial or missing file, of " + reads.get());
        assertTrue(reads.get() > 0);
        assertEquals(200_000, Files.size(f));
    }
}
