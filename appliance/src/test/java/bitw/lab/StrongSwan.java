// A strongSwan 5.9 charon daemon in a lab host: the interoperability peer for IKEv2 tests and the userland
// IPsec reference of the benchmark. Facts from shared/LAB.md: ESP runs in userland (kernel-libipsec, ESP in
// UDP 4500 only), each charon gets a private /run (bind mount inside the namespace's own mount namespace),
// its own strongswan.conf and vici socket; openssl is loaded early so GCM is fast; MOBIKE is off.
package bitw.lab;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

public final class StrongSwan {
    static final String PLUGINS = "random nonce openssl aesni aes sha1 sha2 md5 hmac gcm gmp curve25519 kdf pem pkcs1 pkcs8 x509 pubkey "
            + "revocation constraints kernel-libipsec kernel-netlink socket-default vici updown";

    private final Host host;
    private final Path dir;
    private final LabProcess charon;

    private StrongSwan(Host host, Path dir, LabProcess charon) {
        this.host = host;
        this.dir = dir;
        this.charon = charon;
    }

    /** Starts charon in {@code host}; {@code extraCharonSettings} goes inside the charon { } section. */
    public static StrongSwan start(Host host, String extraCharonSettings) {
        try {
            Path dir = host.lab().directory().resolve("strongswan-" + host.name());
            Files.createDirectories(dir.resolve("run"));
            Files.deleteIfExists(dir.resolve("charon.vici"));            // a restart must wait for the new socket
            Files.deleteIfExists(dir.resolve("run").resolve("charon.pid"));
            Files.writeString(dir.resolve("strongswan.conf"), """
                    charon {
                        load = %s
                        install_routes = yes
                        filelog {
                            file {
                                path = %s
                                time_format = %%T
                                default = 1
                                ike = 2
                                chd = 4
                                cfg = 2
                                flush_line = yes
                            }
                        }
                        plugins {
                            vici { socket = unix://%s }
                            kernel-libipsec { allow_peer_ts = yes }
                        }
                        %s
                    }
                    """.formatted(PLUGINS, dir.resolve("charon.log"), dir.resolve("charon.vici"), extraCharonSettings));
            String script = "mount --bind " + dir.resolve("run") + " /run && exec /usr/lib/ipsec/charon";
            LabProcess p = host.spawn("charon", List.of("sh", "-c", script), Map.of("STRONGSWAN_CONF", dir.resolve("strongswan.conf").toString()));
            StrongSwan s = new StrongSwan(host, dir, p);
            long end = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (!Files.exists(dir.resolve("charon.vici"))) {
                if (!p.isAlive() || System.nanoTime() > end) throw new IllegalStateException("charon did not start in " + host.name() + ":\n" + p.output() + s.log());
                Thread.sleep(50);
            }
            return s;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * Writes swanctl.conf (connections, secrets, ...) and loads it. swanctl takes credentials from the
     * directory's x509/, x509ca/ and private/ (SWANCTL_DIR is this fixture's directory).
     */
    public void load(String swanctlConf) {
        try {
            Files.writeString(dir.resolve("swanctl.conf"), swanctlConf);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        host.exec(Duration.ofSeconds(30), "env", "SWANCTL_DIR=" + dir, "swanctl", "--load-all", "--noprompt",
                "--file", dir.resolve("swanctl.conf").toString(), "--uri", uri()).requireSuccess();
    }

    public Result initiate(String child) {
        return host.exec(Duration.ofSeconds(30), "swanctl", "--initiate", "--child", child, "--timeout", "20", "--uri", uri());
    }

    public Result swanctl(String... args) {
        String[] cmd = new String[args.length + 3];
        cmd[0] = "swanctl";
        System.arraycopy(args, 0, cmd, 1, args.length);
        cmd[args.length + 1] = "--uri";
        cmd[args.length + 2] = uri();
        return host.exec(Duration.ofSeconds(30), cmd);
    }

    public String listSas() { return swanctl("--list-sas").stdout(); }

    public String log() {
        try {
            Path f = dir.resolve("charon.log");
            return Files.exists(f) ? Files.readString(f) : "";
        } catch (IOException e) {
            return "(charon.log unreadable: " + e.getMessage() + ")";
        }
    }

    public Path directory() { return dir; }

    public LabProcess process() { return charon; }

    private String uri() { return "unix://" + dir.resolve("charon.vici"); }

    public void stop() { charon.stop(); }

    /** SIGKILL: charon vanishes without a Delete, as on a crash or power loss. */
    public void kill() {
        ProcessHandle.of(charon.pid()).ifPresent(ProcessHandle::destroyForcibly);
        charon.waitFor(Duration.ofSeconds(5));
    }
}
