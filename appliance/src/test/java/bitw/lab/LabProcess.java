// A background process inside a lab host (Host.spawn, NetnsLab.startJava, the tcpdump of a Capture). Its stdout
// and stderr go, merged, to a log file in the lab directory; tests wait for lines there. The lab stops it on close.
package bitw.lab;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

public final class LabProcess {

    /** How long a process gets to exit after SIGTERM before SIGKILL. */
    public static final Duration STOP_GRACE = Duration.ofSeconds(3);

    private final Host host;
    private final String name;
    private final Process process;
    private final Path log;
    private List<ProcessHandle> terminatedTree;

    private LabProcess(Host host, String name, Process process, Path log) {
        this.host = host;
        this.name = name;
        this.process = process;
        this.log = log;
    }

    static LabProcess start(Host host, String name, List<String> command, Map<String, String> env, Path log) {
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().putAll(env);
        pb.redirectErrorStream(true);
        pb.redirectOutput(log.toFile());
        pb.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        try {
            return new LabProcess(host, name, pb.start(), log);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + String.join(" ", command), e);
        }
    }

    public String name() {
        return name;
    }

    public Host host() {
        return host;
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** The log file holding the process's merged stdout and stderr. */
    public Path logFile() {
        return log;
    }

    /** Everything the process has written so far. */
    public String output() {
        try {
            return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            // A log with a partial UTF-8 sequence at its end is still worth reading.
            try {
                return new String(Files.readAllBytes(log), StandardCharsets.UTF_8);
            } catch (IOException e2) {
                throw new UncheckedIOException(e2);
            }
        }
    }

    /**
     * Waits until a line of the output matches {@code regex} (find, not full match) and returns that line.
     * Fails at once if the process exits first, and after {@code timeout}; both failures show the output.
     */
    public String waitForOutput(String regex, Duration timeout) {
        Pattern pattern = Pattern.compile(regex);
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            boolean exitedBeforeRead = !process.isAlive();
            String out = output();
            for (String line : out.lines().toList()) {
                Matcher m = pattern.matcher(line);
                if (m.find()) {
                    return line;
                }
            }
            if (exitedBeforeRead) {
                throw new IllegalStateException(name + " exited (" + process.exitValue() + ") before printing /"
                        + regex + "/; output:\n" + out);
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(name + " did not print /" + regex + "/ within " + timeout
                        + "; output:\n" + out);
            }
            NetnsLab.sleep(Duration.ofMillis(20));
        }
    }

    /** Waits for the process to exit by itself; empty if it is still running after {@code timeout}. */
    public OptionalInt waitFor(Duration timeout) {
        try {
            return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)
                    ? OptionalInt.of(process.exitValue()) : OptionalInt.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** Sends SIGTERM to the process tree without waiting (the lab's close signals all processes, then waits). */
    synchronized void signalTerminate() {
        if (terminatedTree == null) {
            terminatedTree = Commands.terminateTree(process.toHandle());
        }
    }

    /** Stops the process and its children: SIGTERM, then SIGKILL after {@link #STOP_GRACE}. Idempotent. */
    public void stop() {
        List<ProcessHandle> tree;
        synchronized (this) {
            signalTerminate();
            tree = terminatedTree;
        }
        Commands.awaitDeathOrKill(tree, STOP_GRACE);
        waitFor(Duration.ofSeconds(2));
    }

    @Override
    public String toString() {
        return name + "[" + process.pid() + "] on " + host.name();
    }
}
