// Runs one command to completion with a timeout (Host.exec, the lab's root commands, tshark) and kills process
// trees. Everything that starts a process in the lab goes through here or through LabProcess.
package bitw.lab;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

final class Commands {

    private Commands() {
    }

    /** Runs {@code command}; on timeout kills its whole tree and throws with whatever output it produced. */
    static Result run(List<String> command, Map<String, String> env, Duration timeout) {
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().putAll(env);
        pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + String.join(" ", command), e);
        }
        // Both pipes are drained concurrently: a command filling one pipe while we wait on the other would hang.
        CompletableFuture<String> out = readAll(p.getInputStream());
        CompletableFuture<String> err = readAll(p.getErrorStream());
        try {
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                killTree(p.toHandle(), Duration.ZERO);
                throw new IllegalStateException("command timed out after " + timeout + ": " + String.join(" ", command)
                        + "\nstdout: " + out.getNow("").strip() + "\nstderr: " + err.getNow("").strip());
            }
            return new Result(List.copyOf(command), p.exitValue(), out.get(), err.get());
        } catch (InterruptedException e) {
            killTree(p.toHandle(), Duration.ZERO);
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted: " + String.join(" ", command), e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot read output of " + String.join(" ", command), e.getCause());
        }
    }

    private static CompletableFuture<String> readAll(InputStream in) {
        CompletableFuture<String> f = new CompletableFuture<>();
        Thread.ofVirtual().start(() -> {
            try (in) {
                f.complete(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            } catch (IOException e) {
                f.completeExceptionally(e);
            }
        });
        return f;
    }

    /** SIGTERM to the process and every descendant (snapshot taken first: children outlive a dead parent). */
    static List<ProcessHandle> terminateTree(ProcessHandle root) {
        List<ProcessHandle> tree = new ArrayList<>(root.descendants().toList());
        tree.addFirst(root);
        for (ProcessHandle h : tree) {
            h.destroy();
        }
        return tree;
    }

    /** SIGTERM the tree, wait up to {@code grace}, then SIGKILL whatever is left. */
    static void killTree(ProcessHandle root, Duration grace) {
        List<ProcessHandle> tree = terminateTree(root);
        awaitDeathOrKill(tree, grace);
    }

    static void awaitDeathOrKill(List<ProcessHandle> tree, Duration grace) {
        long deadline = System.nanoTime() + grace.toNanos();
        for (ProcessHandle h : tree) {
            long left = deadline - System.nanoTime();
            try {
                if (left > 0) {
                    h.onExit().get(left, TimeUnit.NANOSECONDS);
                }
            } catch (Exception e) {
                // Still alive (or not our child to wait on): fall through to SIGKILL.
            }
        }
        for (ProcessHandle h : tree) {
            if (isRunning(h.pid())) {
                // Descendants forked after the first snapshot are caught here too.
                h.descendants().forEach(ProcessHandle::destroyForcibly);
                h.destroyForcibly();
            }
        }
        // SIGKILL is asynchronous: return only once nothing of the tree runs any more.
        long killDeadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (tree.stream().anyMatch(h -> isRunning(h.pid())) && System.nanoTime() < killDeadline) {
            NetnsLab.sleep(Duration.ofMillis(10));
        }
    }

    /**
     * True if the process exists and is not a zombie. Killed processes re-parented to init stay zombies until
     * init reaps them, and ProcessHandle.isAlive() counts zombies as alive.
     */
    static boolean isRunning(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            char state = stat.charAt(stat.lastIndexOf(')') + 2);
            return state != 'Z' && state != 'X';
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }
}
