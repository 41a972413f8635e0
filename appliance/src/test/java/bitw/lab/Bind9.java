// An authoritative BIND 9.18 name server (named -g) in a lab host, serving zones given as text: the DNS that
// opportunistic encryption reads (reverse zones with TXT, KEY and IPSECKEY records, forward zones). A zone can be
// DNSSEC-signed (dnssec-keygen + dnssec-signzone, ECDSA P-256); the fixture then hands out the KSK's DNSKEY as
// the trust anchor a validating client needs. start() returns once named answers the SOA of every zone (dig).
package bitw.lab;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

public final class Bind9 {
    private static final Duration TOOL_TIMEOUT = Duration.ofSeconds(60);

    /**
     * One zone: its origin (e.g. "2.0.192.in-addr.arpa"), records in zone-file syntax relative to the origin
     * (SOA and NS are added), whether to sign it, and an edit applied to the served file after signing (tests use
     * it to tamper with signed data; identity otherwise). The signed file has one record per line ("-O full").
     */
    public record Zone(String origin, String records, boolean signed, UnaryOperator<String> afterSigning) {
        public Zone {
            origin = origin.endsWith(".") ? origin.substring(0, origin.length() - 1) : origin;
        }

        public static Zone plain(String origin, String records) { return new Zone(origin, records, false, UnaryOperator.identity()); }

        public static Zone signed(String origin, String records) { return new Zone(origin, records, true, UnaryOperator.identity()); }
    }

    private final Host host;
    private final String address;
    private final Path dir;
    private final Map<String, String> trustAnchors;
    private LabProcess named;

    private Bind9(Host host, String address, Path dir, Map<String, String> trustAnchors) {
        this.host = host;
        this.address = address;
        this.dir = dir;
        this.trustAnchors = trustAnchors;
    }

    /** Starts named in {@code host} listening on {@code address} (already configured on an interface), port 53. */
    public static Bind9 start(Host host, String address, List<Zone> zones) {
        Path dir = host.lab().directory().resolve("bind9-" + host.name());
        try {
            Files.createDirectories(dir);
            Map<String, String> anchors = new LinkedHashMap<>();
            StringBuilder conf = new StringBuilder("""
                    options {
                        directory "%1$s";
                        pid-file "%1$s/named.pid";
                        session-keyfile "%1$s/session.key";
                        managed-keys-directory "%1$s";
                        listen-on port 53 { %2$s; };
                        listen-on-v6 { none; };
                        recursion no;
                        dnssec-validation no;
                        allow-query { any; };
                        notify no;
                    };
                    controls { };
                    """.formatted(dir, address));
            for (Zone z : zones) {
                Path file = writeZone(dir, z, address, anchors);
                conf.append("zone \"%s\" { type primary; file \"%s\"; };\n".formatted(z.origin(), file));
            }
            Files.writeString(dir.resolve("named.conf"), conf);
            Bind9 b = new Bind9(host, address, dir, anchors);
            b.named = host.spawn("named", List.of("named", "-g", "-n", "1", "-c", dir.resolve("named.conf").toString()), Map.of());
            b.awaitAnswers(zones);
            return b;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path writeZone(Path dir, Zone z, String nsAddress, Map<String, String> anchors) throws IOException {
        String text = """
                $TTL 60
                @ IN SOA ns.%1$s. hostmaster.%1$s. 1 3600 600 86400 60
                @ IN NS ns.%1$s.
                ns IN A %2$s
                %3$s
                """.formatted(z.origin(), nsAddress, z.records());
        Path file = dir.resolve(z.origin() + ".zone");
        Files.writeString(file, text);
        if (!z.signed()) return file;
        Path keys = dir.resolve("keys-" + z.origin());
        Files.createDirectories(keys);
        String ksk = tool("dnssec-keygen", "-q", "-K", keys.toString(), "-a", "ECDSAP256SHA256", "-f", "KSK", z.origin()).strip();
        tool("dnssec-keygen", "-q", "-K", keys.toString(), "-a", "ECDSAP256SHA256", z.origin());
        Path signed = dir.resolve(z.origin() + ".zone.signed");
        tool("dnssec-signzone", "-S", "-O", "full", "-K", keys.toString(), "-d", keys.toString(), "-o", z.origin(), "-f", signed.toString(), file.toString());
        Files.writeString(signed, z.afterSigning().apply(Files.readString(signed)));
        String dnskey = Files.readString(keys.resolve(ksk + ".key")).lines().filter(l -> !l.startsWith(";") && !l.isBlank())
                .reduce("", (a, l) -> a + l + "\n");
        anchors.put(z.origin(), dnskey);
        return signed;
    }

    private static String tool(String... cmd) {
        return Commands.run(List.of(cmd), Map.of(), TOOL_TIMEOUT).requireSuccess().stdout();
    }

    private void awaitAnswers(List<Zone> zones) {
        long end = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        for (Zone z : zones) {
            while (true) {
                Result r = host.exec(Duration.ofSeconds(5), "dig", "+norec", "+time=1", "+tries=1", "@" + address, z.origin(), "SOA");
                if (r.exitCode() == 0 && r.stdout().contains("status: NOERROR") && r.stdout().contains("ANSWER: 1")) break;
                if (!named.isAlive() || System.nanoTime() > end || named.output().contains("not loaded due to errors")) {
                    throw new IllegalStateException("named does not answer for " + z.origin() + ":\n" + r.stdout() + r.stderr() + "\n" + named.output());
                }
                NetnsLab.sleep(Duration.ofMillis(100));
            }
        }
    }

    /** The DNSKEY record (zone-file text) of the signed zone's KSK: the trust anchor for validation. */
    public String trustAnchor(String origin) {
        String o = origin.endsWith(".") ? origin.substring(0, origin.length() - 1) : origin;
        String a = trustAnchors.get(o);
        if (a == null) throw new IllegalArgumentException("zone " + origin + " is not signed here");
        return a;
    }

    /** The DS record(s) of a signed zone (what its parent would publish), from dnssec-signzone's dsset file. */
    public String dsRecords(String origin) {
        String o = origin.endsWith(".") ? origin.substring(0, origin.length() - 1) : origin;
        try (Stream<String> lines = Files.lines(dir.resolve("keys-" + o).resolve("dsset-" + o + "."))) {
            return lines.reduce("", (a, l) -> a + l + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public InetSocketAddress socketAddress() { return new InetSocketAddress(address, 53); }

    /** dig run in a host of the lab against this server (e.g. dig(client, "+dnssec", "name", "TXT")). */
    public Result dig(Host from, String... args) {
        String[] cmd = new String[args.length + 4];
        cmd[0] = "dig"; cmd[1] = "+time=2"; cmd[2] = "+tries=1"; cmd[3] = "@" + address;
        System.arraycopy(args, 0, cmd, 4, args.length);
        return from.exec(Duration.ofSeconds(10), cmd);
    }

    public Path directory() { return dir; }

    public LabProcess process() { return named; }

    public void stop() { named.stop(); }
}
