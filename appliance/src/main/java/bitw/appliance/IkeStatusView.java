// `show ike` and `show opportunistic` (console and control socket): the IKE engine's SAs — connection, state,
// role, endpoints, identities, SPIs, algorithms, age, rekey and expiry, Child SAs with their selectors —, the
// connections backing off after failed negotiations, IKE input dropped by reason, and the opportunistic-encryption
// peers (gateway, where the key came from, DNSSEC, lifespan left). Each as 80-column text or one JSON document.
// Rendering only: IkeService takes the snapshot on its event loop.
package bitw.appliance;

import bitw.appliance.oe.OpportunisticService;
import bitw.ipsec.ike.IkeEngine;
import bitw.ipsec.ike.IkeSaStatus;
import bitw.ipsec.oe.OpportunisticTunnels;
import bitw.ipsec.packet.IpPrefix;
import bitw.mgmt.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

final class IkeStatusView {
    static final int WIDTH = 80;

    /**
     * Everything the two views show, taken at one moment; {@code oe} is null when OE is not configured, the OE
     * logical interface's counters (OpportunisticService.interfaceText/Json) null when it never counted anything.
     */
    record Snapshot(List<IkeSaStatus> sas, List<IkeEngine.Retry> retrying, Map<String, Long> drops, OpportunisticService.StatusView oe,
                    String oeInterfaceText, String oeInterfaceJson) {
        Snapshot(List<IkeSaStatus> sas, List<IkeEngine.Retry> retrying, Map<String, Long> drops, OpportunisticService.StatusView oe) {
            this(sas, retrying, drops, oe, null, null);
        }
    }

    private IkeStatusView() {}

    // ---------------------------------------------------------------------------------------------- show ike

    static String ikeText(Snapshot s) {
        List<String> out = new ArrayList<>();
        long up = s.sas().stream().filter(x -> x.state().equals("ESTABLISHED")).count();
        out.add("IKE SAs: " + s.sas().size() + (s.sas().isEmpty() ? "" : " (" + up + " established)"));
        for (IkeSaStatus sa : s.sas()) {
            out.add(sa.connection() + "  " + sa.state().toLowerCase() + "  " + (sa.initiator() ? "initiator" : "responder")
                    + (sa.natDetected() ? "  nat detected" : ""));
            endpoint(out, "  local ", sa.local().toString(), id(sa.localId()));
            endpoint(out, "  peer  ", sa.remote().toString(), id(sa.remoteId()));
            out.add(String.format("  spis  %016x_i%s %016x_r%s", sa.initiatorSpi(), sa.initiator() ? "*" : "", sa.responderSpi(), sa.initiator() ? "" : "*"));
            out.add("  algs  " + (sa.algorithms().isEmpty() ? "(negotiating)" : sa.algorithms()));
            out.add("  age " + sa.ageSeconds() + "s, rekey " + in(sa.rekeyInSeconds()) + ", expires " + in(sa.expiresInSeconds()));
            for (IkeSaStatus.Child c : sa.children()) {
                out.add(String.format("  child in 0x%08x out 0x%08x %s %s%s", c.inboundSpi(), c.outboundSpi(), c.mode().toLowerCase(),
                        c.algorithms(), c.udpEncapsulation() ? " esp-in-udp" : ""));
                out.add("        " + nets(c.localSelectors()) + " === " + nets(c.remoteSelectors()));
                out.add("        age " + c.ageSeconds() + "s, rekey " + in(c.rekeyInSeconds()) + ", expires " + in(c.expiresInSeconds()));
            }
        }
        if (!s.retrying().isEmpty()) {
            out.add("Backing off after failed negotiations:");
            for (IkeEngine.Retry r : s.retrying())
                out.add(String.format("  %-24s %3d failures in a row, next attempt in %ds", r.connection(), r.failures(), r.nextAttemptInSeconds()));
        }
        if (!s.drops().isEmpty()) {
            out.add("IKE input dropped, by reason:");
            for (var e : s.drops().entrySet()) out.add(String.format("  %-64s %11d", e.getKey(), e.getValue()));
        }
        return lines(out);
    }

    static String ikeJson(Snapshot s) {
        StringBuilder sb = new StringBuilder("{\"ike\":[");
        for (int i = 0; i < s.sas().size(); i++) {
            IkeSaStatus sa = s.sas().get(i);
            if (i > 0) sb.append(',');
            sb.append("{\"connection\":").append(Json.string(sa.connection())).append(",\"state\":").append(Json.string(sa.state()))
              .append(",\"initiator\":").append(sa.initiator())
              .append(",\"local\":").append(Json.string(sa.local().toString())).append(",\"remote\":").append(Json.string(sa.remote().toString()))
              .append(",\"localId\":").append(Json.string(id(sa.localId()))).append(",\"remoteId\":").append(Json.string(id(sa.remoteId())))
              .append(",\"initiatorSpi\":").append(Json.string(String.format("%016x", sa.initiatorSpi())))
              .append(",\"responderSpi\":").append(Json.string(String.format("%016x", sa.responderSpi())))
              .append(",\"algorithms\":").append(Json.string(sa.algorithms())).append(",\"natDetected\":").append(sa.natDetected())
              .append(",\"ageSeconds\":").append(sa.ageSeconds()).append(",\"rekeyInSeconds\":").append(sa.rekeyInSeconds())
              .append(",\"expiresInSeconds\":").append(sa.expiresInSeconds()).append(",\"children\":[");
            for (int k = 0; k < sa.children().size(); k++) {
                IkeSaStatus.Child c = sa.children().get(k);
                if (k > 0) sb.append(',');
                // SPIs as unsigned numbers, as `show sas | json` writes them, so the two can be joined.
                sb.append("{\"inboundSpi\":").append(c.inboundSpi() & 0xffffffffL).append(",\"outboundSpi\":").append(c.outboundSpi() & 0xffffffffL)
                  .append(",\"mode\":").append(Json.string(c.mode())).append(",\"algorithms\":").append(Json.string(c.algorithms()))
                  .append(",\"udpEncapsulation\":").append(c.udpEncapsulation())
                  .append(",\"localSelectors\":").append(Json.strings(c.localSelectors().stream().map(IpPrefix::toString).toList()))
                  .append(",\"remoteSelectors\":").append(Json.strings(c.remoteSelectors().stream().map(IpPrefix::toString).toList()))
                  .append(",\"ageSeconds\":").append(c.ageSeconds()).append(",\"rekeyInSeconds\":").append(c.rekeyInSeconds())
                  .append(",\"expiresInSeconds\":").append(c.expiresInSeconds()).append('}');
            }
            sb.append("]}");
        }
        sb.append("],\"retrying\":[");
        for (int i = 0; i < s.retrying().size(); i++) {
            IkeEngine.Retry r = s.retrying().get(i);
            if (i > 0) sb.append(',');
            sb.append("{\"connection\":").append(Json.string(r.connection())).append(",\"failures\":").append(r.failures())
              .append(",\"nextAttemptInSeconds\":").append(r.nextAttemptInSeconds()).append('}');
        }
        sb.append("],\"drops\":{");
        boolean first = true;
        for (var e : s.drops().entrySet()) {
            if (!first) sb.append(',');
            first = false;
            sb.append(Json.string(e.getKey())).append(':').append(e.getValue());
        }
        return sb.append("}}\n").toString();
    }

    // ---------------------------------------------------------------------------------------------- show opportunistic

    static String oeText(Snapshot s) {
        OpportunisticService.StatusView v = s.oe();
        String counters = s.oeInterfaceText() == null ? "" : wrap(s.oeInterfaceText());
        if (v == null) return "opportunistic encryption is not configured\n" + counters;
        List<String> out = new ArrayList<>();
        out.add("Opportunistic encryption: " + v.established() + " established, " + v.pending() + " pending, "
                + v.failedCached() + " failed (cached)");
        out.add("  " + v.hostPairPolicies() + " host-pair policies, " + v.rateLimited() + " new pairs refused by the lookup rate limit");
        out.add("  host pair                        gateway          key from  dnssec  lifespan");
        for (OpportunisticTunnels.TunnelView t : v.tunnels()) {
            String pair = t.pair().toString(), gw = t.gateway() == null ? "?" : t.gateway().toString();
            String source = t.source() == null ? "?" : t.source().name().toLowerCase(), dnssec = t.dnssecValidated() ? "yes" : "no";
            String left = t.lifespanLeft().toSeconds() + "s" + (t.state() == OpportunisticTunnels.State.ESTABLISHED ? "" : " (" + t.state().name().toLowerCase() + ")");
            String row = String.format("  %-32s %-16s %-9s %-7s %s", pair, gw, source, dnssec, left);
            if (row.length() <= WIDTH && pair.length() <= 32 && gw.length() <= 16) { out.add(row); continue; }
            // IPv6 pairs and gateways do not fit the columns: the same facts on two lines.
            out.add("  " + pair);
            out.add("    gateway " + gw + (t.gatewayFqdn() == null ? "" : " (" + t.gatewayFqdn() + ")"));
            out.add("    key from " + source + ", dnssec " + dnssec + ", lifespan " + left);
        }
        return lines(out) + counters;
    }

    static String oeJson(Snapshot s) {
        OpportunisticService.StatusView v = s.oe();
        String counters = s.oeInterfaceJson() == null ? "" : ",\"interface\":" + s.oeInterfaceJson();
        if (v == null) return "{\"opportunistic\":{\"configured\":false" + counters + "}}\n";
        StringBuilder sb = new StringBuilder("{\"opportunistic\":{\"configured\":true,\"established\":").append(v.established())
                .append(",\"pending\":").append(v.pending()).append(",\"failedCached\":").append(v.failedCached())
                .append(",\"hostPairPolicies\":").append(v.hostPairPolicies()).append(",\"rateLimited\":").append(v.rateLimited())
                .append(",\"peers\":[");
        for (int i = 0; i < v.tunnels().size(); i++) {
            OpportunisticTunnels.TunnelView t = v.tunnels().get(i);
            if (i > 0) sb.append(',');
            sb.append("{\"local\":").append(Json.string(t.pair().local().toString())).append(",\"remote\":").append(Json.string(t.pair().remote().toString()))
              .append(",\"state\":").append(Json.string(t.state().name()))
              .append(",\"gateway\":").append(t.gateway() == null ? "null" : Json.string(t.gateway().toString()))
              .append(",\"gatewayFqdn\":").append(t.gatewayFqdn() == null ? "null" : Json.string(t.gatewayFqdn()))
              .append(",\"keySource\":").append(t.source() == null ? "null" : Json.string(t.source().name()))
              .append(",\"dnssecValidated\":").append(t.dnssecValidated())
              .append(",\"lifespanLeftSeconds\":").append(t.lifespanLeft().toSeconds()).append('}');
        }
        return sb.append(']').append(counters).append("}}\n").toString();
    }

    // ---------------------------------------------------------------------------------------------- helpers

    /** "  local ADDR, id ID" on one line when it fits, else the id on a line of its own. */
    private static void endpoint(List<String> out, String label, String address, String id) {
        String line = label + address + ", id " + id;
        if (line.length() <= WIDTH) { out.add(line); return; }
        out.add(label + address);
        out.add("        id " + id);
    }

    private static String id(Object identity) { return identity == null ? "?" : identity.toString(); }

    private static String in(long seconds) { return seconds < 0 ? "never" : "in " + seconds + "s"; }

    private static String nets(List<IpPrefix> l) {
        List<String> s = new ArrayList<>();
        for (IpPrefix p : l) s.add(p.toString());
        return String.join(",", s);
    }

    /** OE's own counter lines, broken after ", " where they are wider than the console. */
    private static String wrap(String text) {
        StringBuilder sb = new StringBuilder();
        for (String l : text.lines().toList()) {
            String rest = l;
            while (rest.length() > WIDTH) {
                int cut = rest.lastIndexOf(", ", WIDTH - 2);
                if (cut <= 4) break;
                sb.append(rest, 0, cut + 1).append('\n');
                rest = "    " + rest.substring(cut + 2);
            }
            sb.append(rest.length() <= WIDTH ? rest : rest.substring(0, WIDTH - 1) + "~").append('\n');
        }
        return sb.toString();
    }

    /** Lines longer than the console cut with '~' (long identities, IPv6 endpoints, many selectors). */
    private static String lines(List<String> out) {
        StringBuilder sb = new StringBuilder();
        for (String l : out) sb.append(l.length() <= WIDTH ? l : l.substring(0, WIDTH - 1) + "~").append('\n');
        return sb.toString();
    }
}
