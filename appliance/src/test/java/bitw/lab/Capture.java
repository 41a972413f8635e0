// A running tcpdump on one lab interface (Host.capture) and the tshark readers of its pcap: frame summaries,
// display-filter counts and ESP decryption with known keys (the independent check of our ESP against tshark).
package bitw.lab;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

public final class Capture {

    private static final Duration TSHARK_TIMEOUT = Duration.ofSeconds(60);

    private final LabProcess tcpdump;
    private final Path pcap;

    Capture(LabProcess tcpdump, Path pcap) {
        this.tcpdump = tcpdump;
        this.pcap = pcap;
    }

    /**
     * Stops tcpdump and returns the pcap file. Waits first until the file stops growing, because frames sent just
     * before stop() may still sit in the capture socket. Idempotent; every reader below calls it.
     */
    public Path stop() {
        if (tcpdump.isAlive()) {
            long lastSize = -1;
            long deadline = System.nanoTime() + Duration.ofSeconds(2).toNanos();
            while (System.nanoTime() < deadline) {
                NetnsLab.sleep(Duration.ofMillis(100));
                long size = size();
                if (size == lastSize) {
                    break;
                }
                lastSize = size;
            }
            tcpdump.stop();
        }
        return pcap;
    }

    public Path file() {
        return pcap;
    }

    /** One line per frame: number, protocol stack, addresses and tshark's Info column. */
    public List<CapturedFrame> packets() {
        List<CapturedFrame> frames = new ArrayList<>();
        for (String[] f : fields("", "frame.number", "frame.protocols", "_ws.col.Source", "_ws.col.Destination",
                "_ws.col.Protocol", "_ws.col.Info")) {
            frames.add(new CapturedFrame(Integer.parseInt(f[0]), f[1], f[2], f[3], f[4], f[5]));
        }
        return frames;
    }

    /**
     * How many frames match a Wireshark display filter, e.g. {@code "icmp.type == 8 && ip.dst == 10.1.0.2"}. IPv4,
     * TCP and UDP checksums are verified, so {@code "udp.checksum.status == \"Bad\""} finds broken ones.
     */
    public int countMatching(String displayFilter) {
        return fields(displayFilter, "frame.number").size();
    }

    /**
     * {@link #countMatching} for several display filters in one tshark pass (its io,stat table), in order. Filters
     * must not contain commas (io,stat's separator). Much faster than one tshark run per filter.
     */
    public long[] countEach(String... displayFilters) {
        stop();
        for (String f : displayFilters) {
            if (f.contains(",")) throw new IllegalArgumentException("no commas in io,stat filters: " + f);
        }
        List<String> cmd = List.of("tshark", "-n", "-r", pcap.toString(), "-q", "-z", "io,stat,0," + String.join(",", displayFilters));
        Result r = Commands.run(cmd, Map.of(), TSHARK_TIMEOUT).requireSuccess();
        long[] counts = new long[displayFilters.length];
        for (String line : r.stdout().lines().toList()) {
            if (!line.contains("<>")) continue;
            // "| 0.000 <> 1.793 |      0 |     0 |     20 |  3080 |": frames and bytes per filter.
            String[] cells = line.split("\\|");
            for (int i = 0; i < counts.length; i++) counts[i] = Long.parseLong(cells[2 + 2 * i].strip());
        }
        return counts;
    }

    /**
     * Decodes every ESP frame (plain or in UDP 4500) with the given SAs and reports, per frame, tshark's ICV verdict
     * and which protocols it dissected inside. tshark prints the verdict (esp.icv_good / esp.icv_bad) only after
     * dissecting the decrypted payload; when that dissection throws (garbage from a wrong GCM key, ~2% of frames,
     * or a malformed inner packet) the frame shows the ICV (esp.icv) but no verdict: {@link EspPacket.Icv#UNREPORTED}.
     * Frames no SA matched show neither: {@link EspPacket.Icv#NO_SA}.
     */
    public EspDecryption decryptEsp(EspSa... sas) {
        List<EspPacket> packets = new ArrayList<>();
        for (String[] f : fields(decryptionOptions(sas), "f", "esp", "frame.number", "esp.spi", "esp.sequence", "esp.icv_good",
                "esp.icv_bad", "esp.icv", "esp.iv", "esp.pad_len", "frame.protocols")) {
            boolean saMatched = !f[5].isEmpty() || !f[6].isEmpty();
            EspPacket.Icv icv = "1".equals(f[3]) ? EspPacket.Icv.GOOD
                    : "1".equals(f[4]) ? EspPacket.Icv.BAD
                    : saMatched ? EspPacket.Icv.UNREPORTED : EspPacket.Icv.NO_SA;
            packets.add(new EspPacket(Integer.parseInt(f[0]), Long.decode(f[1]),
                    f[2].isEmpty() ? -1 : Long.parseLong(f[2]), icv, !f[7].isEmpty(), f[8]));
        }
        return new EspDecryption(packets);
    }

    /**
     * One line per frame matching {@code displayFilter}, decrypted with {@code sas}: time, outer and inner addresses,
     * lengths and the inner protocol's type or ports. For failure messages that must say what an unexpected frame held.
     */
    public String decryptedSummary(String displayFilter, EspSa... sas) {
        StringBuilder b = new StringBuilder();
        for (String[] f : fields(decryptionOptions(sas), "a", displayFilter, "frame.time_relative", "esp.spi",
                "esp.sequence", "frame.len", "ip.src", "ip.dst", "ip.len", "ipv6.src", "ipv6.dst", "icmp.type",
                "icmp.code", "icmpv6.type", "udp.srcport", "udp.dstport", "tcp.srcport", "tcp.dstport", "frame.protocols")) {
            b.append(String.join(" ", f).replaceAll(" +", " ")).append('\n');
        }
        return b.toString();
    }

    private static List<String> decryptionOptions(EspSa... sas) {
        List<String> options = new ArrayList<>(List.of("-o", "esp.enable_encryption_decode:TRUE",
                "-o", "esp.enable_authentication_check:TRUE"));
        for (EspSa sa : sas) {
            options.add("-o");
            options.add("uat:esp_sa:" + sa.uatRecord());
        }
        return options;
    }

    /** tshark's values of {@code fieldNames} for each frame matching {@code displayFilter}, e.g. frame.time_relative. */
    public List<String[]> fields(String displayFilter, String... fieldNames) {
        return fields(List.of(), "f", displayFilter, fieldNames);
    }

    /**
     * Runs {@code tshark -r pcap -T fields} and splits its tab-separated lines (one per displayed frame).
     * {@code occurrence} is tshark's: f(irst), l(ast) or a(ll, comma-separated) of a field that repeats.
     */
    private List<String[]> fields(List<String> options, String occurrence, String displayFilter, String... fieldNames) {
        stop();
        List<String> cmd = new ArrayList<>(List.of("tshark", "-n", "-r", pcap.toString()));
        // tshark 4.0 verifies no checksums by default; the lab wants "checksum.status == Bad" to mean something.
        for (String proto : List.of("ip", "tcp", "udp")) {
            cmd.addAll(List.of("-o", proto + ".check_checksum:TRUE"));
        }
        cmd.addAll(options);
        if (!displayFilter.isEmpty()) {
            cmd.addAll(List.of("-Y", displayFilter));
        }
        cmd.addAll(List.of("-T", "fields", "-E", "separator=/t", "-E", "occurrence=" + occurrence));
        for (String field : fieldNames) {
            cmd.addAll(List.of("-e", field));
        }
        Result r = Commands.run(cmd, Map.of(), TSHARK_TIMEOUT).requireSuccess();
        List<String[]> rows = new ArrayList<>();
        for (String line : r.stdout().lines().toList()) {
            if (!line.isEmpty()) {
                String[] row = line.split("\t", -1);
                if (row.length != fieldNames.length) {
                    throw new IllegalStateException("tshark printed " + row.length + " fields, expected "
                            + fieldNames.length + ": " + line);
                }
                rows.add(row);
            }
        }
        return rows;
    }

    private long size() {
        try {
            return Files.exists(pcap) ? Files.size(pcap) : 0;
        } catch (java.io.IOException e) {
            return 0;
        }
    }
}
