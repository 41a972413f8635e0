// What `show ike` and `show opportunistic` print: every field an operator needs (peer, identities, state, SPIs,
// algorithms, age, rekey/expiry, Child SAs, back-off, drops; OE gateway, key source, DNSSEC, lifespan), within
// 80 columns even with IPv6 endpoints and long identities, and the same data as JSON.
package bitw.appliance;

import static org.junit.jupiter.api.Assertions.*;

import bitw.appliance.oe.OpportunisticService;
import bitw.ipsec.ike.Endpoint;
import bitw.ipsec.ike.Identity;
import bitw.ipsec.ike.IkeEngine;
import bitw.ipsec.ike.IkeSaStatus;
import bitw.ipsec.oe.OeRecord;
import bitw.ipsec.oe.OpportunisticTunnels;
import bitw.ipsec.packet.IpAddress;
import bitw.ipsec.packet.IpPrefix;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class IkeStatusViewTest {
    static final IkeSaStatus.Child CHILD = new IkeSaStatus.Child(0x6d0fcea7, 0xc02afb22, "TUNNEL", "aes128gcm16", true,
            List.of(IpPrefix.parse("10.1.0.0/24")), List.of(IpPrefix.parse("10.2.0.0/24")), 12, 1068, 1188);
    static final IkeSaStatus V4 = new IkeSaStatus("to-b", new Endpoint(IpAddress.parse("192.0.2.2"), 4500),
            new Endpoint(IpAddress.parse("203.0.113.2"), 4500), "ESTABLISHED", true, 0x8736a70cfe0836e7L, 0x9558f44946ca5f2fL,
            "aes128gcm16-prfsha256-ecp256", Identity.of(IpAddress.parse("192.0.2.2")), Identity.of(IpAddress.parse("203.0.113.2")),
            true, 12, 3228, 3588, List.of(CHILD));
    static final IkeSaStatus V6 = new IkeSaStatus("branch-office-with-a-long-name", new Endpoint(IpAddress.parse("2001:db8:ffff:ffff:ffff:ffff:ffff:2"), 500),
            new Endpoint(IpAddress.parse("2001:db8:eeee:eeee:eeee:eeee:eeee:7"), 500), "CONNECTING", false, 0x1L, 0x2L, "",
            Identity.fqdn("gateway-a-with-a-very-long-host-name.branch-offices.example.net"),
            Identity.fqdn("gateway-b-with-a-very-long-host-name.branch-offices.example.net"), false, 1, -1, -1, List.of());
    static final IkeStatusView.Snapshot SNAPSHOT = new IkeStatusView.Snapshot(List.of(V4, V6),
            List.of(new IkeEngine.Retry("to-c", 3, 17)), Map.of("unknown IKE SPI", 4L), null);

    private static void fits(String text) {
        for (String l : text.lines().toList()) assertTrue(l.length() <= 80, "too wide (" + l.length() + "): " + l);
    }

    @Test
    void showIkeNamesEverythingAnOperatorAsksAboutWithin80Columns() {
        String t = IkeStatusView.ikeText(SNAPSHOT);
        fits(t);
        assertTrue(t.startsWith("IKE SAs: 2 (1 established)\n"), t);
        assertTrue(t.contains("to-b  established  initiator  nat detected\n"), t);
        assertTrue(t.contains("  local 192.0.2.2:4500, id 192.0.2.2\n  peer  203.0.113.2:4500, id 203.0.113.2\n"), t);
        assertTrue(t.contains("  spis  8736a70cfe0836e7_i* 9558f44946ca5f2f_r\n"), t);
        assertTrue(t.contains("  algs  aes128gcm16-prfsha256-ecp256\n"), t);
        assertTrue(t.contains("  age 12s, rekey in 3228s, expires in 3588s\n"), t);
        assertTrue(t.contains("  child in 0x6d0fcea7 out 0xc02afb22 tunnel aes128gcm16 esp-in-udp\n"), t);
        assertTrue(t.contains("        10.1.0.0/24 === 10.2.0.0/24\n"), t);
        assertTrue(t.contains("        age 12s, rekey in 1068s, expires in 1188s\n"), t);
        assertTrue(t.contains("branch-office-with-a-long-name  connecting  responder\n"), t);
        assertTrue(t.contains("  algs  (negotiating)\n  age 1s, rekey never, expires never\n"), t);
        assertTrue(t.contains("  peer  [2001:db8:eeee:eeee:eeee:eeee:eeee:7]:500\n"
                + "        id fqdn:gateway-b-with-a-very-long-host-name.branch-offices.example.net\n"), "IPv6 and long ids whole: " + t);
        assertTrue(t.matches("(?s).*to-c\\s+3 failures in a row, next attempt in 17s\n.*"), t);
        assertTrue(t.matches("(?s).*unknown IKE SPI\\s+4\n.*"), t);
        assertEquals("IKE SAs: 0\n", IkeStatusView.ikeText(new IkeStatusView.Snapshot(List.of(), List.of(), Map.of(), null)));
    }

    @Test
    void showIkeJsonCarriesTheSameDataWithChildSpisAsShowSasWritesThem() {
        String j = IkeStatusView.ikeJson(SNAPSHOT);
        assertTrue(j.startsWith("{\"ike\":[{\"connection\":\"to-b\",\"state\":\"ESTABLISHED\",\"initiator\":true,\"local\":\"192.0.2.2:4500\","
                + "\"remote\":\"203.0.113.2:4500\",\"localId\":\"192.0.2.2\",\"remoteId\":\"203.0.113.2\",\"initiatorSpi\":\"8736a70cfe0836e7\","
                + "\"responderSpi\":\"9558f44946ca5f2f\",\"algorithms\":\"aes128gcm16-prfsha256-ecp256\",\"natDetected\":true,\"ageSeconds\":12,"
                + "\"rekeyInSeconds\":3228,\"expiresInSeconds\":3588,\"children\":[{\"inboundSpi\":1829752487,\"outboundSpi\":3224042274,"), j);
        assertTrue(j.contains("\"localSelectors\":[\"10.1.0.0/24\"],\"remoteSelectors\":[\"10.2.0.0/24\"]"), j);
        assertTrue(j.contains("\"retrying\":[{\"connection\":\"to-c\",\"failures\":3,\"nextAttemptInSeconds\":17}]"), j);
        assertTrue(j.endsWith("\"drops\":{\"unknown IKE SPI\":4}}\n"), j);
        assertEquals(j.chars().filter(c -> c == '{').count(), j.chars().filter(c -> c == '}').count());
        assertEquals(j.chars().filter(c -> c == '[').count(), j.chars().filter(c -> c == ']').count());
    }

    @Test
    void showOpportunisticListsPeersWithKeySourceDnssecAndLifespan() {
        var pair = new OpportunisticTunnels.HostPair(IpAddress.parse("10.1.0.10"), IpAddress.parse("10.2.0.20"));
        var up = new OpportunisticTunnels.TunnelView(pair, OpportunisticTunnels.State.ESTABLISHED, IpAddress.parse("198.51.100.2"),
                null, OeRecord.KeySource.IPSECKEY, true, Duration.ofSeconds(1183));
        var going = new OpportunisticTunnels.TunnelView(new OpportunisticTunnels.HostPair(IpAddress.parse("2001:db8:1::10"),
                IpAddress.parse("2001:db8:2:ffff:ffff:ffff:ffff:20")), OpportunisticTunnels.State.DELETING,
                IpAddress.parse("2001:db8:ff::2"), "gw.example.net", OeRecord.KeySource.TXT, false, Duration.ZERO);
        var s = new IkeStatusView.Snapshot(List.of(), List.of(), Map.of(), new OpportunisticService.StatusView(1, 2, 3, 2, 5, List.of(up, going)),
                "OE interface opportunistic: in 3 packets 252 bytes, out 4 packets 336 bytes, 1 dropped\n", "{\"inPackets\":3}");
        String t = IkeStatusView.oeText(s);
        fits(t);
        assertTrue(t.startsWith("Opportunistic encryption: 2 established, 1 pending, 3 failed (cached)\n"), t);
        assertTrue(t.matches("(?s).*10\\.1\\.0\\.10->10\\.2\\.0\\.20\\s+198\\.51\\.100\\.2\\s+ipseckey\\s+yes\\s+1183s\n.*"), t);
        assertTrue(t.contains("  2001:db8:1::10->2001:db8:2:ffff:ffff:ffff:ffff:20\n    gateway 2001:db8:ff::2 (gw.example.net)\n"
                + "    key from txt, dnssec no, lifespan 0s (deleting)\n"), t);
        assertTrue(t.endsWith("    key from txt, dnssec no, lifespan 0s (deleting)\n"
                + "OE interface opportunistic: in 3 packets 252 bytes, out 4 packets 336 bytes,\n    1 dropped\n"), t);
        String j = IkeStatusView.oeJson(s);
        assertTrue(j.endsWith("],\"interface\":{\"inPackets\":3}}}\n"), j);
        assertTrue(j.contains("{\"local\":\"10.1.0.10\",\"remote\":\"10.2.0.20\",\"state\":\"ESTABLISHED\",\"gateway\":\"198.51.100.2\","
                + "\"gatewayFqdn\":null,\"keySource\":\"IPSECKEY\",\"dnssecValidated\":true,\"lifespanLeftSeconds\":1183}"), j);
        assertTrue(j.contains("\"gatewayFqdn\":\"gw.example.net\""), j);
        assertEquals("opportunistic encryption is not configured\n", IkeStatusView.oeText(SNAPSHOT));
        assertEquals("{\"opportunistic\":{\"configured\":false}}\n", IkeStatusView.oeJson(SNAPSHOT));
    }
}
