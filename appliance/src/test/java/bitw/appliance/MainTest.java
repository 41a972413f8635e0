// The program's refusal to start on a bad configuration: every error named with its line, exit status 2.
package bitw.appliance;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MainTest {
    record Run(int exit, String stdout, String stderr) {}

    static Run run(String... args) throws Exception {
        List<String> cmd = new java.util.ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "bitw.appliance.Main"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "finished");
        return new Run(p.exitValue(), new String(p.getInputStream().readAllBytes()), new String(p.getErrorStream().readAllBytes()));
    }

    @Test
    void refusesABadConfigurationNamingEveryLine(@TempDir Path dir) throws Exception {
        Path bad = dir.resolve("bad.conf");
        Files.writeString(bad, """
                interface inside device in
                interface outside device out
                address 192.0.2.2/29
                policy 10 from 10.1.0.0/24 to 10.2.0.0/33 action permit
                tunnel t peer 198.51.100.2 spi-in 0x300 spi-out 0x301 key-in 0x00 key-out 0x00
                frobnicate now
                """);
        Run check = run("--check", bad.toString());
        assertEquals(2, check.exit());
        assertTrue(check.stderr().contains("line 4"), check.stderr());
        assertTrue(check.stderr().contains("line 5"), check.stderr());
        assertTrue(check.stderr().contains("line 6"), check.stderr());
        Run start = run("--config", bad.toString(), "--control", dir.resolve("c.sock").toString());
        assertEquals(2, start.exit(), "the appliance does not start");
        assertTrue(start.stderr().contains("refused, nothing started"), start.stderr());
        assertFalse(Files.exists(dir.resolve("c.sock")), "no control socket: nothing was started");
    }

    @Test
    void acceptsTheDemoConfigurations() throws Exception {
        for (String site : new String[] {"site-a", "site-b"}) {
            Path f = Path.of("src/main/resources/demo/" + site + ".conf");
            Run check = run("--check", f.toString());
            assertEquals(0, check.exit(), check.stderr());
        }
    }
}
