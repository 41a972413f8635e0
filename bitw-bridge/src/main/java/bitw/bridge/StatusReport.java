// What an operator (or a test, or a script) sees of the running data plane: ports, drops by reason, SPD
// entries with counters, SAs with counters. Rendered as 80-column text or as JSON, whole or one section at a time
// (the serial console's show interfaces|policies|sas|drops).
package bitw.bridge;

import bitw.ipsec.DropReason;
import bitw.ipsec.sad.SaParameters;
import bitw.ipsec.sad.SecurityAssociation;
import bitw.ipsec.spd.PolicyEntry;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

public final class StatusReport {
    private final DataPlane plane;

    public StatusReport(DataPlane plane) { this.plane = plane; }

    /** The sections an operator can ask for one at a time (the console's show interfaces|policies|sas|drops). */
    public static final List<String> SECTIONS = List.of("interfaces", "policies", "sas", "drops");

    public String text() {
        DataPlane.Status s = plane.status();
        StringBuilder sb = new StringBuilder();
        appendPortsText(sb, s);
        sb.append('\n');
        appendDropsText(sb, s);
        sb.append('\n');
        appendPoliciesText(sb);
        sb.append('\n');
        appendSasText(sb);
        return sb.toString();
    }

    public String json() {
        DataPlane.Status s = plane.status();
        StringBuilder sb = new StringBuilder("{");
        appendPortsJson(sb, s);
        sb.append(',');
        appendDropsJson(sb, s);
        sb.append(',');
        appendPoliciesJson(sb);
        sb.append(',');
        appendSasJson(sb);
        return sb.append('}').toString();
    }

    /**
     * One section as 80-column text, or as a JSON object with that section's member of json() ("ports", "drops",
     * "policies", "sas"). {@code name} is one of SECTIONS; anything else is an IllegalArgumentException.
     */
    public String section(String name, boolean json) {
        DataPlane.Status s = plane.status();
        StringBuilder sb = new StringBuilder(json ? "{" : "");
        switch (name) {
            case "interfaces" -> { if (json) appendPortsJson(sb, s); else appendPortsText(sb, s); }
            case "drops" -> { if (json) appendDropsJson(sb, s); else appendDropsText(sb, s); }
            case "policies" -> { if (json) appendPoliciesJson(sb); else appendPoliciesText(sb); }
            case "sas" -> { if (json) appendSasJson(sb); else appendSasText(sb); }
            default -> throw new IllegalArgumentException("no status section " + name + "; one of " + SECTIONS);
        }
        return json ? sb.append('}').toString() : sb.toString();
    }

    private static void appendPortsText(StringBuilder sb, DataPlane.Status s) {
        sb.append("Ports              rx frames    rx bytes   tx frames    tx bytes   tx fail\n");
        for (PortCounters p : List.of(s.inside(), s.outside(), s.host()))
            sb.append(String.format("%-14.14s %12d %11d %11d %11d %9d%n", p.port, p.rxFrames(), p.rxBytes(), p.txFrames(), p.txBytes(), p.txFailed()));
    }

    private static void appendDropsText(StringBuilder sb, DataPlane.Status s) {
        sb.append("Drops by reason\n");
        boolean any = false;
        for (DropReason r : DropReason.values()) {
            long total = 0;
            for (DropCounters d : s.drops()) total += d.count(r);
            if (total > 0) { sb.append(String.format("  %-24s %12d%n", r.name().toLowerCase().replace('_', '-'), total)); any = true; }
        }
        if (!any) sb.append("  none\n");
    }

    private void appendPoliciesText(StringBuilder sb) {
        PolicyTable t = plane.table();
        sb.append("Policies (default ").append(t.defaultAction.name().toLowerCase()).append(")\n");
        // 80 columns exactly: the header uses the rows' widths.
        sb.append(String.format("  %-13s %-12s %9s %12s %8s %12s %6s%n", "name", "action", "out pkts", "out bytes", "in pkts", "in bytes", "drops"));
        for (PolicyEntry e : t.spd.entries())
            sb.append(String.format("  %-13.13s %-12.12s %9d %12d %8d %12d %6d%n", e.name(), e.action().name().toLowerCase(),
                    e.counters.outboundPackets(), e.counters.outboundBytes(), e.counters.inboundPackets(), e.counters.inboundBytes(), e.counters.drops()));
    }

    private void appendSasText(StringBuilder sb) {
        sb.append("Security associations\n");
        sb.append(String.format("  %-10s %-3s %-10s %-7s %-15s %9s %11s %6s%n", "tunnel", "dir", "spi", "mode", "peer", "packets", "bytes", "drops"));
        for (SecurityAssociation sa : sortedSas()) {
            SaParameters p = sa.params();
            sb.append(String.format("  %-10.10s %-3s 0x%08x %-7s %-15.15s %9d %11d %6d%n", p.name(), sa.inbound() ? "in" : "out", p.spi(),
                    p.mode().name().toLowerCase(), p.peerAddress(), sa.packets(), sa.bytes(), saDrops(sa)));
        }
    }

    private static void appendPortsJson(StringBuilder sb, DataPlane.Status s) {
        sb.append("\"ports\":[");
        List<PortCounters> ports = List.of(s.inside(), s.outside(), s.host());
        for (int i = 0; i < ports.size(); i++) {
            PortCounters p = ports.get(i);
            if (i > 0) sb.append(',');
            sb.append("{\"name\":").append(q(p.port)).append(",\"rxFrames\":").append(p.rxFrames()).append(",\"rxBytes\":").append(p.rxBytes())
              .append(",\"txFrames\":").append(p.txFrames()).append(",\"txBytes\":").append(p.txBytes()).append(",\"txFailed\":").append(p.txFailed()).append('}');
        }
        sb.append(']');
    }

    private static void appendDropsJson(StringBuilder sb, DataPlane.Status s) {
        sb.append("\"drops\":{");
        boolean first = true;
        for (DropReason r : DropReason.values()) {
            long total = 0;
            for (DropCounters d : s.drops()) total += d.count(r);
            if (!first) sb.append(',');
            first = false;
            sb.append(q(r.name())).append(':').append(total);
        }
        sb.append('}');
    }

    private void appendPoliciesJson(StringBuilder sb) {
        sb.append("\"policies\":[");
        boolean first = true;
        for (PolicyEntry e : plane.table().spd.entries()) {
            if (!first) sb.append(',');
            first = false;
            sb.append("{\"name\":").append(q(e.name())).append(",\"action\":").append(q(e.action().name()))
              .append(",\"outPackets\":").append(e.counters.outboundPackets()).append(",\"outBytes\":").append(e.counters.outboundBytes())
              .append(",\"inPackets\":").append(e.counters.inboundPackets()).append(",\"inBytes\":").append(e.counters.inboundBytes())
              .append(",\"drops\":").append(e.counters.drops()).append('}');
        }
        sb.append(']');
    }

    private void appendSasJson(StringBuilder sb) {
        sb.append("\"sas\":[");
        boolean first = true;
        for (SecurityAssociation sa : sortedSas()) {
            SaParameters p = sa.params();
            if (!first) sb.append(',');
            first = false;
            sb.append("{\"tunnel\":").append(q(p.name())).append(",\"direction\":").append(q(sa.inbound() ? "in" : "out"))
              .append(",\"spi\":").append(p.spi() & 0xffffffffL).append(",\"mode\":").append(q(p.mode().name()))
              .append(",\"protocol\":").append(q(p.protocol().name())).append(",\"peer\":").append(q(p.peerAddress().toString()))
              .append(",\"udpEncapsulation\":").append(p.udpEncapsulation())
              .append(",\"encryption\":").append(q(p.encryption().configName)).append(",\"integrity\":").append(q(p.integrity().configName))
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
        sb.append(']');
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
