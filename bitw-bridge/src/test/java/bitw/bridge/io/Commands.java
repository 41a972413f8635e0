// Test helper: runs a command and returns its standard output, failing the test if the command fails.
package bitw.bridge.io;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

final class Commands {
    private Commands() {}

    static String output(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) throw new IOException(String.join(" ", command) + " failed: " + text);
        return text;
    }
}
