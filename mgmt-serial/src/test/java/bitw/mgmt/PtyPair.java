// A real pseudo-terminal pair for console tests: socat joins two ptys and links them as <dir>/console (where the
// SerialConsole runs, as it would on /dev/ttyS0) and <dir>/operator (where the test types). Killing socat is
// a hang-up of the serial line; start() again is a new cable.
package bitw.mgmt;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

public final class PtyPair implements AutoCloseable {
    public final Path console, operator;
    private Process socat;

    public PtyPair(Path dir) {
        this.console = dir.resolve("console");
        this.operator = dir.resolve("operator");
    }

    public PtyPair start() throws IOException, InterruptedException {
        Files.deleteIfExists(console);
        Files.deleteIfExists(operator);
        socat = new ProcessBuilder("socat", "-d", "-d", "pty,raw,echo=0,link=" + console, "pty,raw,echo=0,link=" + operator)
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        long end = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!(Files.exists(console) && Files.exists(operator))) {
            if (System.nanoTime() > end || !socat.isAlive()) throw new IOException("socat did not create the ptys");
            Thread.sleep(20);
        }
        return this;
    }

    /** Hangs up the line: both pty masters close. */
    public void kill() throws InterruptedException, IOException {
        if (socat == null) return;
        socat.destroy();
        if (!socat.waitFor(5, TimeUnit.SECONDS)) socat.destroyForcibly().waitFor();
        socat = null;
        Files.deleteIfExists(console);
        Files.deleteIfExists(operator);
    }

    @Override public void close() throws Exception { kill(); }
}
