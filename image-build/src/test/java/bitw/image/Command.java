// Test fixture: runs one external command (the image-build scripts, openssl, rauc) with a time limit and keeps its
// exit status and combined output, so tests can assert on both.
package bitw.image;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

record Command(int exitCode, String output) {
    /** The image-build module directory (surefire runs tests there). */
    static final Path MODULE = Path.of("").toAbsolutePath();

    static Command run(List<String> argv) throws IOException, InterruptedException {
        return run(argv, Map.of());
    }

    static Command run(List<String> argv, Map<String, String> env) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(argv).directory(MODULE.toFile()).redirectErrorStream(true);
        pb.environment().putAll(env);
        Process p = pb.start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException("timed out: " + argv);
        }
        return new Command(p.exitValue(), new String(out, StandardCharsets.UTF_8));
    }

    static boolean available(String tool) throws IOException, InterruptedException {
        return run(List.of("sh", "-c", "command -v " + tool)).exitCode() == 0;
    }
}
