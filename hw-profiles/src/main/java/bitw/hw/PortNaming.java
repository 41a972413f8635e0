// Gives the board's two ports the names every configuration uses, "inside" and "outside", from the hardware
// profile's NIC selectors (HardwareProfile.resolveNics). The appliance does it in its own JVM at start-up
// (Main --hw-profile), so a boot starts one JVM, not two. NIC drivers may still be probing and udev may still be
// renaming when it runs: resolving and renaming are retried until a deadline, then the last refusal stands — it
// names the expected NIC and every interface present, and nothing is bridged onto the wrong port.
package bitw.hw;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

public final class PortNaming {
    public static final String INSIDE = "inside", OUTSIDE = "outside";
    private static final Duration RETRY = Duration.ofMillis(500);

    /** Runs one command; fails with its output. */
    @FunctionalInterface
    public interface Runner {
        void run(List<String> argv) throws IOException;
    }

    /** The system's iproute2 ({@code ip link set ...}), the standard tool for renaming links. */
    public static final Runner IPROUTE2 = argv -> {
        Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
        try {
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException(String.join(" ", argv) + ": timed out");
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException(String.join(" ", argv) + ": interrupted");
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        if (p.exitValue() != 0) throw new IOException(String.join(" ", argv) + ": " + out);
    };

    private PortNaming() {}

    /**
     * Resolves the profile's NICs under {@code sysClassNet} and renames them "inside" and "outside", retrying for
     * up to {@code patience}. Returns the names they had (equal to the role names when already named).
     */
    public static ResolvedPorts name(HardwareProfile profile, Path sysClassNet, Duration patience, Runner ip)
            throws PortResolutionException, InterruptedException {
        long deadline = System.nanoTime() + patience.toNanos();
        while (true) {
            try {
                ResolvedPorts found = profile.resolveNics(sysClassNet);
                rename(found, ip);
                return found;
            } catch (PortResolutionException e) {
                if (System.nanoTime() - deadline >= 0) throw e;
            } catch (IOException e) {
                if (System.nanoTime() - deadline >= 0)
                    throw new PortResolutionException("profile " + profile.name() + ": cannot name the ports: " + e.getMessage());
            }
            Thread.sleep(RETRY.toMillis());
        }
    }

    static void rename(ResolvedPorts p, Runner ip) throws IOException {
        String in = p.inside(), out = p.outside();
        // Names swapped (each port holds the other's role name): move both aside first.
        if (in.equals(OUTSIDE) || out.equals(INSIDE)) {
            in = setName(in, "bitw-tmp-in", ip);
            out = setName(out, "bitw-tmp-out", ip);
        }
        setName(in, INSIDE, ip);
        setName(out, OUTSIDE, ip);
    }

    private static String setName(String from, String to, Runner ip) throws IOException {
        if (from.equals(to)) return to;
        // The kernel renames only links that are down.
        ip.run(List.of("ip", "link", "set", "dev", from, "down"));
        ip.run(List.of("ip", "link", "set", "dev", from, "name", to));
        return to;
    }
}
