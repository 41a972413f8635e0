// The committed configuration on the persistent partition: <stateDirectory>/config/running.conf (what the appliance
// loads at boot) and a numbered history, config/history/NNNN.conf plus NNNN.meta (who, when, one-line summary).
// Every file is written atomically, so a power cut during a commit leaves the previous configuration bootable.
package bitw.mgmt;

import bitw.config.ConfigException;
import bitw.config.ConfigParser;
import bitw.config.Configuration;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Properties;

public final class ConfigArchive {
    /** History entries kept; older ones are removed after each commit. */
    public static final int KEEP = 100;

    public record Entry(int number, String user, Instant time, String summary) {}

    private final Path configDir;

    public ConfigArchive(Path stateDirectory) { this.configDir = stateDirectory.resolve("config"); }

    public Path runningFile() { return configDir.resolve("running.conf"); }

    Path historyDir() { return configDir.resolve("history"); }

    /** The configuration to boot with, if one was ever committed. Throws when the file is damaged. */
    public Optional<Configuration> loadRunning() throws IOException, ConfigException {
        try {
            return Optional.of(ConfigParser.parse(Files.readString(runningFile(), StandardCharsets.UTF_8)));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
    }

    /** Persists a commit: the history entry first, then running.conf, so running.conf always has a history entry. */
    public synchronized Entry save(Configuration c, String user, Instant time, String summary) throws IOException {
        int number = history().stream().mapToInt(Entry::number).max().orElse(0) + 1;
        byte[] text = ConfigText.of(c).getBytes(StandardCharsets.UTF_8);
        Properties meta = new Properties();
        meta.setProperty("user", user);
        meta.setProperty("time", time.toString());
        meta.setProperty("summary", summary);
        java.io.StringWriter w = new java.io.StringWriter();
        meta.store(w, null);
        AtomicFiles.write(historyDir().resolve(name(number, ".conf")), text);
        AtomicFiles.write(historyDir().resolve(name(number, ".meta")), w.toString().getBytes(StandardCharsets.UTF_8));
        AtomicFiles.write(runningFile(), text);
        prune();
        return new Entry(number, user, time, summary);
    }

    /** History entries, oldest first. */
    public synchronized List<Entry> history() throws IOException {
        List<Entry> out = new ArrayList<>();
        if (!Files.isDirectory(historyDir())) return out;
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(historyDir(), "[0-9][0-9][0-9][0-9]*.meta")) {
            for (Path p : ds) {
                String f = p.getFileName().toString();
                int number;
                try {
                    number = Integer.parseInt(f.substring(0, f.length() - ".meta".length()));
                } catch (NumberFormatException e) {
                    continue;
                }
                Properties meta = new Properties();
                try (var r = Files.newBufferedReader(p, StandardCharsets.UTF_8)) {
                    meta.load(r);
                }
                Instant t;
                try {
                    t = Instant.parse(meta.getProperty("time", ""));
                } catch (java.time.DateTimeException e) {
                    t = Instant.EPOCH;
                }
                out.add(new Entry(number, meta.getProperty("user", "?"), t, meta.getProperty("summary", "")));
            }
        }
        out.sort(Comparator.comparingInt(Entry::number));
        return out;
    }

    /** The configuration of history entry {@code number}. */
    public Configuration load(int number) throws IOException, ConfigException {
        return ConfigParser.parse(Files.readString(historyDir().resolve(name(number, ".conf")), StandardCharsets.UTF_8));
    }

    private void prune() throws IOException {
        List<Entry> all = history();
        for (int i = 0; i < all.size() - KEEP; i++) {
            Files.deleteIfExists(historyDir().resolve(name(all.get(i).number(), ".meta")));
            Files.deleteIfExists(historyDir().resolve(name(all.get(i).number(), ".conf")));
        }
    }

    private static String name(int number, String suffix) { return String.format("%04d%s", number, suffix); }
}
