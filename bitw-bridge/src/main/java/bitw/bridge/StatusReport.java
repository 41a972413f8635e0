// What an operator (or a test, or a script) sees of the running data plane, one view per section: interfaces
// (ports), drops by reason, SPD entries with counters, SAs with counters. Each renders as 80-column text or JSON.
package bitw.bridge;

import bitw.ipsec.DropReason;
import bitw.ipsec.sad.SaParameters;
import bitw.ipsec.sad.SecurityAssociation;
import bitw.ipsec.spd.PolicyEntry;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

public final class StatusReport {
    /** The sections, in display order. */
    public static final List<String> VIEWS = List.of("interfaces", "policies", "sas", "drops");
    public static final List<String> SECTIONS = VIEWS;

    private final DataPlane plane;

    public StatusReport(DataPlane plane) { this.plane = plane; }

    /** Every section as text. */
    public String text() {
        return text("interfaces") + "\n" + text("drops") + "\n" + text("policies") + "\n" + text("sas");
    }

    /** Every section in one JSON object. */
    public String json() {
        return "{\"ports\":" + json("interfaces") + ",\"drops\":" + json("drops") + ",\"policies\":" + json("policies") + ",\"sas\":" + json("sas") + "}";
    }

    /** One section as the console shows it: text, or a JSON object holding just that section. */
    public String section(String view, boolean json) {
        if (!json) return text(view);
        return "{" + q(view.equals("interfaces") ? "ports" : view) + ":" + json(view) + "}";
    }

    public String text(String view) {
        return switch (view) {
            case "interfaces" -> portsText();
            case "drops" -> dropsText();
            case "policies" -> policiesText();
            case "sas" -> sasText();
            default -> throw new IllegalArgumentException("no view '" + view + "' (" + String.join(", ", VIEWS) + ")");
        };
    }

    public String json(String view) {
        return switch (view) {
            case "interfaces" -> portsJson();
            case "drops" -> dropsJson();
            case "policies" -> policiesJson();
            case "sas" -> sasJson();
            default -> throw new IllegalArgumentException("no view '" + view + "' (" + String.join(", ", VIEWS) + ")");
        };
    }

    private List<PortCounters> ports() {
        DataPlane.Status s = plane.status();
        return List.of(s.inside(), s.outside(), s.host());
    }

    private long dropTotal(DropReason r) {
        long total = 0;
        for (DropCounters d : plane.status().drops()) total += d.count(r);
        return total;
    }

    private String portsText() {
        StringBuilder sb = new StringBuilder("Ports              rx frames    rx bytes   tx frames    tx bytes   tx fail\n");
        for (PortCounters p : ports())
            sb.append(String.format("%-14.14s %12d %11d %11d %11d %9d%n", p.port, p.rxFrames(), p.rxBytes(), p.txFrames(), p.txBytes(), p.txFailed()));
        return sb.toString();
    }

    private String portsJson() {
        StringBuilder sb = new StringBuilder("[");
        List<PortCounters> ports = ports();
        for (int i = 0; i < ports.size(); i++) {
            PortCounters p = ports.get(i);
            if (i > 0) sb.append(',');
            sb.append("{\"name\":").append(q(p.port)).append(",\"rxFrames\":").append(p.rxFrames()).append(",\"rxBytes\":").append(p.rxBytes())
              .append(",\"txFrames\":").append(p.txFrames()).append(",\"txBytes\":").append(p.txBytes()).append(",\"txFailed\":").append(p.txFailed()).append('}');
        }
        return sb.append(']').toString();
    }

    private String dropsText() {
        StringBuilder sb = new StringBuilder("Drops by reason\n");
        boolean any = false;
        for (DropReason r : DropReason.values()) {
            long total = dropTotal(r);
            if (total > 0) { sb.append(String.format("  %-24s %12d%n", r.name().toLowerCase().replace('_', '-'), total)); any = true; }
        }
        if (!any) sb.append("  none\n");
        return sb.toString();
    }

    private String dropsJson() {
        StringBuilder sb = new StringBuilder("{");
        boolean first = true;
        for (DropReason r : DropReason.values()) {
            if (!first) sb.append(',');
            first = false;
            sb.append(q(r.name())).append(':').append(dropTotal(r));
        }
        return sb.append('}').toString();
    }

    private String policiesText() {
        PolicyTable t = plane.table();
        StringBuilder sb = new StringBuilder("Policies (default ").append(t.defaultAction.name().toLowerCase()).append(")\n");
        sb.append("  name          action        out pkts   out bytes  in pkts    in bytes   drops\n");
        for (PolicyEntry e : t.spd.entries())
            sb.append(String.format("  %-13.13s %-12.12s %9d %11d %8d %11d %7d%n", e.name(), e.action().name().toLowerCase(),
                    e.counters.outboundPackets(), e.counters.outboundBytes(), e.counters.inboundPackets(), e.counters.inboundBytes(), e.counters.drops()));
        return sb.toString();
    }

    private String policiesJson() {
        StringBuilder sb = new StringBuilder("[");
        boolean first = true;
        for (PolicyEntry e : plane.table().spd.entries()) {
            if (!first) sb.append(',');
            first = false;
            sb.append("{\"name\":").append(q(e.name())).append(",\"action\":").append(q(e.action().name()))
              .append(",\"outPackets\":").append(e.counters.outboundPackets()).append(",\"outBytes\":").append(e.counters.outboundBytes())
              .append(",\"inPackets\":").append(e.counters.inboundPackets()).append(",\"inBytes\":").append(e.counters.inboundBytes())
              .append(",\"drops\":").append(e.counters.drops()).append('}');
        }
        return sb.append(']').toString();
    }

    private String sasText() {
        StringBuilder sb = new StringBuilder("Security associations\n");
        sb.append("  tunnel     dir spi        mode    peer             packets      bytes  drops\n");
        long now = System.nanoTime();
        for (SecurityAssociation sa : sortedSas()) {
            SaParameters p = sa.params();
            String peer = p.peerAddress().toString();
            sb.append(String.format("  %-10.10s %-3s 0x%08x %-7s %-15.15s %9d %10d %6d%n", p.name(), sa.inbound() ? "in" : "out", p.spi(),
                    p.mode().name().toLowerCase(), peer.length() <= 15 ? peer : "(below)", sa.packets(), sa.bytes(), saDrops(sa)));
            List<String> more = new ArrayList<>();
            if (peer.length() > 15 || p.name().length() > 10) more.add(p.name() + " peer " + peer);
            more.add(p.protocol().name().toLowerCase() + " " + p.encryption().configName + "/" + p.integrity().configName
                    + (p.udpEncapsulation() ? " in udp 4500" : ""));
            more.add("age " + (now - sa.createdNanos()) / 1_000_000_000L + "s");
            more.add("lifetime " + lifetimeLeft(sa, now));
            wrap(sb, "             ", more);
        }
        return sb.toString();
    }

    /** Joins parts with ", " on lines of at most 80 columns, each starting with {@code indent}. */
    private static void wrap(StringBuilder sb, String indent, List<String> parts) {
        StringBuilder line = new StringBuilder(indent);
        for (String part : parts) {
            boolean first = line.length() == indent.length();
            if (!first && line.length() + 2 + part.length() > 80) {
                sb.append(line).append(",\n");
                line = new StringBuilder(indent);
                first = true;
            }
            if (!first) line.append(", ");
            line.append(part.length() > 80 - indent.length() ? part.substring(0, 79 - indent.length()) + "~" : part);
        }
        sb.append(line).append('\n');
    }

    private static String lifetimeLeft(SecurityAssociation sa, long now) {
        SaParameters.Lifetime l = sa.params().lifetime();
        if (l == null || (l.hardSeconds() == 0 && l.hardBytes() == 0)) return "unlimited";
        List<String> parts = new ArrayList<>();
        if (l.hardSeconds() > 0) parts.add(secondsLeft(sa, now) + "s left");
        if (l.hardBytes() > 0) parts.add(bytesLeft(sa) + " bytes left");
        return String.join(" and ", parts);
    }

    /** Seconds until the SA's hard lifetime; -1 without a time limit. */
    private static long secondsLeft(SecurityAssociation sa, long now) {
        SaParameters.Lifetime l = sa.params().lifetime();
        return l == null || l.hardSeconds() == 0 ? -1 : Math.max(0, l.hardSeconds() - (now - sa.createdNanos()) / 1_000_000_000L);
    }

    /** Bytes until the SA's hard byte limit; -1 without one. */
    private static long bytesLeft(SecurityAssociation sa) {
        SaParameters.Lifetime l = sa.params().lifetime();
        return l == null || l.hardBytes() == 0 ? -1 : Math.max(0, l.hardBytes() - sa.bytes());
    }

    private String sasJson() {
        StringBuilder sb = new StringBuilder("[");
        boolean first = true;
        long now = System.nanoTime();
        for (SecurityAssociation sa : sortedSas()) {
            SaParameters p = sa.params();
            if (!first) sb.append(',');
            first = false;
            sb.append("{\"tunnel\":").append(q(p.name())).append(",\"direction\":").append(q(sa.inbound() ? "in" : "out"))
              .append(",\"spi\":").append(p.spi() & 0xffffffffL).append(",\"mode\":").append(q(p.mode().name()))
              .append(",\"protocol\":").append(q(p.protocol().name())).append(",\"peer\":").append(q(p.peerAddress().toString()))
              .append(",\"udpEncapsulation\":").append(p.udpEncapsulation())
              .append(",\"encryption\":").append(q(p.encryption().configName)).append(",\"integrity\":").append(q(p.integrity().configName))
              .append(",\"ageSeconds\":").append((now - sa.createdNanos()) / 1_000_000_000L)
              .append(",\"lifetimeSecondsLeft\":").append(secondsLeft(sa, now)).append(",\"lifetimeBytesLeft\":").append(bytesLeft(sa))
              .append(",\"packets\":").append(sa.packets()).append(",\"bytes\":").append(sa.bytes()).append(",\"drops\":{");
            boolean f2 = true;
            for (DropReason r : DropReason.values()) {
                long c = sa.drops(r);
                if (c == 0) continue;
                if (!f2) sb.append(',');
                f2 = false;
                sb.append(q(r.name())).append(':').append(c);
            }
            sb.append("}}");
        }
        return sb.append(']').toString();
    }

    private List<SecurityAssociation> sortedSas() {
        List<SecurityAssociation> l = new ArrayList<>(plane.sad().all());
        l.sort(Comparator.comparing((SecurityAssociation sa) -> sa.params().name()).thenComparing(sa -> sa.inbound() ? 0 : 1));
        return l;
    }

    private static long saDrops(SecurityAssociation sa) {
        long t = 0;
        for (DropReason r : DropReason.values()) t += sa.drops(r);
        return t;
    }

    static String q(String s) {
        StringBuilder sb = new StringBuilder(s.length() + 2).append('"');
        for (char c : s.toCharArray()) {
            if (c == '"' || c == '\\') sb.append('\\').append(c);
            else if (c < 0x20) sb.append(String.format("\\u%04x", (int) c));
            else sb.append(c);
        }
        return sb.append('"').toString();
    }
}
