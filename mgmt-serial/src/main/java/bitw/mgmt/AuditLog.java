// The audit trail: logins, failed logins, logouts, commits and rollbacks. Each event goes to tinylog with the fixed
// prefix "audit:" (so the appliance log can be filtered) and is appended, with its UTC time, to
// <stateDirectory>/audit.log, which survives reboots on the persistent partition.
package bitw.mgmt;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.format.DateTimeFormatter;
import org.tinylog.Logger;

public final class AuditLog {
    public static final String PREFIX = "audit: ";
    private final Path file;
    private final Clock clock;

    public AuditLog(Path file, Clock clock) {
        this.file = file;
        this.clock = clock;
    }

    public Path file() { return file; }

    /** Logs one event; {@code event} is one line (newlines and control characters are replaced). */
    public synchronized void record(String event) {
        String clean = event.replaceAll("[\\p{Cntrl}]", "?");
        Logger.info(PREFIX + clean);
        String line = DateTimeFormatter.ISO_INSTANT.format(clock.instant()) + " " + clean + "\n";
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND, StandardOpenOption.WRITE)) {
                ch.write(java.nio.ByteBuffer.wrap(line.getBytes(StandardCharsets.UTF_8)));
                ch.force(false);
            }
        } catch (IOException e) {
            // The tinylog line above still carries the event; a full or broken partition must not block logins.
            Logger.error(e, PREFIX + "cannot append to " + file);
        }
    }
}
