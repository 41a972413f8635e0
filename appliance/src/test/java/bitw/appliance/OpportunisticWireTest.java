// Opportunistic encryption between two appliances that know nothing about each other, in the two-site namespace
// lab. BIND 9 on router rA (203.0.113.1, reachable from both appliances) serves the reverse zones: the LAN hosts
// 10.1.0.10 and 10.2.0.20 delegate to their appliances with X-IPsec-Server TXT records carrying the gateway's
// RSA key (RFC 3110), and the gateways 192.0.2.2 / 198.51.100.2 publish KEY records. Each appliance is configured
// with only its own private key, the DNS server and opportunistic policies. The WAN capture on rA proves what
// crossed: ESP only for the OE pair (its first packet held until the tunnel is up), cleartext for a no-record destination under fallback clear, nothing under
// fallback drop; a gateway not named by its inner source's reverse zone is refused as responder; with named
// stopped the pair falls back and unrelated traffic still flows; an idle tunnel is deleted (IKE INFORMATIONAL
// with Delete on the wire) after the shortened lifespan.
package bitw.appliance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import bitw.ipsec.oe.OeKeys;
import bitw.lab.Bind9;
import bitw.lab.Capture;
import bitw.lab.NetnsLab;
import bitw.lab.NetnsLabExtension;
import bitw.lab.Result;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

@Tag("netns")
@ExtendWith(NetnsLabExtension.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class OpportunisticWireTest {
    static final String DNS = "203.0.113.1";
    static TwoSites sites;
    static Bind9 bind;

    static String rfc3110(KeyPair k) { return Base64.getEncoder().encodeToString(OeKeys.rfc3110((RSAPublicKey) k.getPublic())); }

    static Path pem(NetnsLab lab, String name, KeyPair k) throws Exception {
        Path p = lab.directory().resolve(name + ".pem");
        Files.writeString(p, "-----BEGIN PRIVATE KEY-----\n" + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(k.getPrivate().getEncoded())
                + "\n-----END PRIVATE KEY-----\n");
        return p;
    }

    /** A TXT value in zone syntax, split into 200-byte strings (one string holds at most 255 bytes). */
    static String txt(String value) {
        List<String> parts = new ArrayList<>();
        for (int i = 0; i < value.length(); i += 200) parts.add("\"" + value.substring(i, Math.min(value.length(), i + 200)) + "\"");
        return "TXT ( " + String.join(" ", parts) + " )";
    }

    static String config(String host, String own, String gw, String lan, String policies, Path key) {
        return "hostname " + host + "\n"
                + "interface inside device in\n"
                + "interface outside device out mtu 1500\n"
                + "address " + own + " gateway " + gw + "\n"
                + "opportunistic private-key " + key + " dns " + DNS + " failure-cache 60 lifespan-initial 6 lifespan-extend 6\n"
                + policies
                + "policy 100 from any to any action permit\n"
                + "default-action deny\n";
    }

    @BeforeAll
    static void build(NetnsLab lab) throws Exception {
        sites = new TwoSites(lab);
        for (String a : List.of("10.2.0.40/24", "10.2.0.100/24", "10.2.0.101/24")) sites.hB.addr("eth0", a);
        sites.rA.addr("wan", DNS + "/32");
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        KeyPair ka = g.generateKeyPair(), kb = g.generateKeyPair();
        bind = Bind9.start(sites.rA, DNS, List.of(
                Bind9.Zone.plain("0.1.10.in-addr.arpa", "10 " + txt("X-IPsec-Server(10)=192.0.2.2 " + rfc3110(ka))),
                Bind9.Zone.plain("0.2.10.in-addr.arpa", "20 " + txt("X-IPsec-Server(10)=198.51.100.2 " + rfc3110(kb))),
                Bind9.Zone.plain("2.0.192.in-addr.arpa", "2 KEY 0x4200 4 1 " + rfc3110(ka)),
                Bind9.Zone.plain("100.51.198.in-addr.arpa", "2 KEY 0x4200 4 1 " + rfc3110(kb))));
        // A: .0-.63 of LAN B under fallback drop (10.2.0.20 has records, 10.2.0.40 none), the rest under fallback clear.
        String a = config("site-a", "192.0.2.2/29", "192.0.2.1", "10.1.0.0/24",
                "policy 10 from 10.1.0.0/24 to 10.2.0.0/26 action opportunistic fallback drop\n"
                + "policy 20 from 10.1.0.0/24 to 10.2.0.0/24 action opportunistic fallback clear\n", pem(lab, "a", ka));
        String b = config("site-b", "198.51.100.2/29", "198.51.100.1", "10.2.0.0/24",
                "policy 10 from 10.2.0.0/24 to 10.1.0.0/24 action opportunistic fallback clear\n", pem(lab, "b", kb));
        sites.start(a, b);
    }

    @AfterAll
    static void stop() {
        if (sites != null) sites.stop();
        if (bind != null) bind.stop();
    }

    static String context() {
        return "\n--- appliance A:\n" + sites.applianceA.output() + "\n--- appliance B:\n" + sites.applianceB.output();
    }

    @Test
    @Order(1)
    void hostsBehindAppliancesThatNeverMetTalkOverEspOnlyUntilTheIdleTunnelIsDeleted() {
        Capture wan = sites.captureWan();
        // The first packet meets the opportunistic policy (fallback drop), starts discovery and is held for its host
        // pair while DNS and IKE run (B looks up A's authorization and key; A retransmits its IKE_AUTH meanwhile).
        Result first = sites.hA.exec(Duration.ofSeconds(20), "ping", "-c", "1", "-W", "12", "10.2.0.20");
        assertEquals(0, first.exitCode(), "the first packet was held until the tunnel was up, then sent:\n" + first.stdout() + context());
        sites.applianceA.waitForOutput("OE 10\\.1\\.0\\.10->10\\.2\\.0\\.20: tunnel up", Duration.ofSeconds(20));
        Result r = sites.hA.exec(Duration.ofSeconds(20), "ping", "-c", "5", "-i", "0.2", "-W", "2", "10.2.0.20");
        // The operator's view: the OE peer, where its key came from, DNSSEC state and the lifespan left.
        String status = sites.status(sites.controlA, "status");
        assertTrue(status.matches("(?s).*10\\.1\\.0\\.10->10\\.2\\.0\\.20\\s+198\\.51\\.100\\.2\\s+(txt|key|ipseckey)\\s+no\\s+\\d+s.*"), status);
        // Then silence: after the (6 s) lifespan the idle tunnel goes, with a Delete both sides see.
        sites.applianceA.waitForOutput("OE 10\\.1\\.0\\.10->10\\.2\\.0\\.20: idle, deleting", Duration.ofSeconds(40));
        sites.applianceB.waitForOutput("tunnel deleted", Duration.ofSeconds(20));
        wan.stop();
        assertTrue(r.stdout().contains("5 received"), r.stdout() + context());
        assertEquals(0, wan.countMatching("icmp && ip.addr == 10.2.0.20"), "no cleartext of the OE pair on the WAN" + context());
        assertTrue(wan.countMatching("esp && ip.src == 192.0.2.2 && ip.dst == 198.51.100.2") >= 6, "pings in ESP A->B");
        assertTrue(wan.countMatching("esp && ip.src == 198.51.100.2 && ip.dst == 192.0.2.2") >= 6, "replies in ESP B->A");
        assertTrue(wan.countMatching("isakmp.exchangetype == 34") >= 2 && wan.countMatching("isakmp.exchangetype == 35") >= 2, "IKE_SA_INIT and IKE_AUTH");
        assertTrue(wan.countMatching("isakmp.exchangetype == 37") >= 2, "INFORMATIONAL request and response (Delete) on the wire" + context());
        assertTrue(sites.applianceB.output().contains("tunnel up (responder, peer 10.1.0.10)"), context());
        assertTrue(sites.applianceA.output().contains("IkeSaDeleted[connection=%oe-10.1.0.10-10.2.0.20"), context());
    }

    @Test
    @Order(2)
    void destinationWithoutRecordsFallsBackPerPolicy() {
        Capture wan = sites.captureWan();
        Result clear = sites.hA.exec(Duration.ofSeconds(20), "ping", "-c", "3", "-i", "0.3", "-W", "2", "10.2.0.100");
        Result drop = sites.hA.exec(Duration.ofSeconds(20), "ping", "-c", "3", "-i", "0.3", "-W", "2", "10.2.0.40");
        wan.stop();
        // B may try OE back for the replies (A's host publishes) until A refuses it, so not every reply is certain.
        assertTrue(!clear.stdout().contains(" 0 received"), "fallback clear: " + clear.stdout() + context());
        assertTrue(wan.countMatching("icmp.type == 8 && ip.src == 10.1.0.10 && ip.dst == 10.2.0.100") >= 3, "its pings crossed in the clear");
        assertTrue(drop.stdout().contains(" 0 received"), "fallback drop: " + drop.stdout() + context());
        assertEquals(0, wan.countMatching("ip.addr == 10.2.0.40"), "nothing of the dropped pair on the WAN");
        String log = sites.applianceA.output();
        assertTrue(log.contains("OE 10.1.0.10->10.2.0.100: DNS NO_RECORDS") && log.contains("; clear for 60 s"), context());
        assertTrue(log.contains("OE 10.1.0.10->10.2.0.40: DNS NO_RECORDS") && log.contains("; drop for 60 s"), context());
        // B tried OE for its replies from 10.2.0.100 (A's host publishes A as its gateway), but nothing authorizes B
        // to speak for 10.2.0.100: A refuses, B falls back.
        sites.applianceA.waitForOutput("OE: refused 198\\.51\\.100\\.2 at 198\\.51\\.100\\.2 for 10\\.2\\.0\\.100: NOT_AUTHORIZED", Duration.ofSeconds(15));
        sites.applianceB.waitForOutput("OE 10\\.2\\.0\\.100->10\\.1\\.0\\.10: IKE AUTHENTICATION_FAILED", Duration.ofSeconds(15));
    }

    @Test
    @Order(4)
    void deadDnsServerMeansFallbackWithoutStallingOtherTraffic() {
        bind.stop();
        Capture wan = sites.captureWan();
        long t0 = System.nanoTime();
        // Fresh pair under fallback clear: the lookup hangs, the data plane already sent the packet in the clear.
        Result fresh = sites.hA.exec(Duration.ofSeconds(20), "ping", "-c", "3", "-i", "0.3", "-W", "2", "10.2.0.101");
        Result unrelated = sites.hA.exec(Duration.ofSeconds(20), "ping", "-c", "3", "-i", "0.2", "-W", "2", "203.0.113.2");
        long ms = (System.nanoTime() - t0) / 1_000_000;
        sites.applianceA.waitForOutput("OE 10\\.1\\.0\\.10->10\\.2\\.0\\.101: DNS (TIMEOUT|DNS_FAILURE)", Duration.ofSeconds(30));
        wan.stop();
        assertTrue(fresh.stdout().contains("3 received"), "fallback clear while DNS is dead: " + fresh.stdout() + context());
        assertTrue(unrelated.stdout().contains("3 received"), unrelated.stdout() + context());
        assertTrue(ms < 5000, "no stall: both pings took " + ms + " ms");
        assertTrue(wan.countMatching("icmp.type == 8 && ip.dst == 10.2.0.101") >= 3, "cleartext per fallback");
    }
}
