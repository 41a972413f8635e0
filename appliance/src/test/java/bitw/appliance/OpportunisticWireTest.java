// Opportunistic encryption between two appliances that know nothing about each other, in the two-site namespace
// lab. BIND 9 on router rA (203.0.113.1, reachable from both appliances) serves the reverse zones of both LANs (IPv4
// and IPv6), the gateways' reverse zones and a forward zone oe.test; each destination host on LAN B publishes one
// kind of delegation (TXT with a key, IPSECKEY with an IPv4, IPv6 or name gateway, TXT "@FQDN" without a key, two
// gateways of equal precedence, precedence 10 vs 20, a gateway that never answers). Each appliance is configured
// with only its own private key, the DNS server and opportunistic policies; B also has the FQDN identity
// gw-b.oe.test. The WAN capture on rA proves what crossed: ESP only for OE pairs (the first packet held until the
// tunnel is up, under fallback clear as under fallback drop), the tunnel towards the gateway DNS chose and no packet
// to the others, cleartext or nothing per fallback only once discovery or IKE failed (a destination without records,
// a gateway that never answers: nothing in the clear while IKE still tries, no retry while negatively cached), a busy tunnel outliving its first
// lifespan while an idle one is deleted (Delete on the wire). Trust: ESP that B's keys (saved by B for the test)
// seal with an inner source B is not authorized for is dropped by A's ingress check and counted under OE's own
// interface; B claiming an identity that A has a configured connection for is refused without asking DNS.
package bitw.appliance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import bitw.ipsec.oe.OeKeys;
import bitw.lab.Bind9;
import bitw.lab.Capture;
import bitw.lab.LabProcess;
import bitw.lab.NetnsLab;
import bitw.lab.NetnsLabExtension;
import bitw.lab.Result;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.xbill.DNS.ReverseMap;

@Tag("netns")
@ExtendWith(NetnsLabExtension.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class OpportunisticWireTest {
    static final String DNS = "203.0.113.1";
    /**
     * A gives up on a silent IKE peer sooner than by default (retransmitted after 1 and 3 s, given up at 7 s) but
     * still leaves a busy responder time for its DNS lookups (the first ones, in a cold JVM, happen in warmUp).
     */
    static final List<String> FAST_IKE = List.of("-Dbitw.ike.retransmit-base-ms=1000", "-Dbitw.ike.retransmit-tries=2");
    static TwoSites sites;
    static Bind9 bind;
    static NetnsLab lab;
    static KeyPair ka, kb;
    static Path keysB, hqPub, pemB;

    static String rfc3110(KeyPair k) { return Base64.getEncoder().encodeToString(OeKeys.rfc3110((RSAPublicKey) k.getPublic())); }

    static Path pem(NetnsLab lab, String name, KeyPair k) throws Exception {
        Path p = lab.directory().resolve(name + ".pem");
        Files.writeString(p, "-----BEGIN PRIVATE KEY-----\n" + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(k.getPrivate().getEncoded())
                + "\n-----END PRIVATE KEY-----\n");
        return p;
    }

    static Path publicPem(NetnsLab lab, String name, KeyPair k) throws Exception {
        Path p = lab.directory().resolve(name + ".pub");
        Files.writeString(p, "-----BEGIN PUBLIC KEY-----\n" + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(k.getPublic().getEncoded())
                + "\n-----END PUBLIC KEY-----\n");
        return p;
    }

    /** A TXT value in zone syntax, split into 200-byte strings (one string holds at most 255 bytes). */
    static String txt(String value) {
        List<String> parts = new ArrayList<>();
        for (int i = 0; i < value.length(); i += 200) parts.add("\"" + value.substring(i, Math.min(value.length(), i + 200)) + "\"");
        return "TXT ( " + String.join(" ", parts) + " )";
    }

    static String oe(String precedenceAndGateway, KeyPair key) {
        return txt("X-IPsec-Server(" + precedenceAndGateway + (key == null ? "" : " " + rfc3110(key)));
    }

    /** The ip6.arpa zone of an address's /64 and the address's name relative to it. */
    static String[] reverse64(String address) throws Exception {
        String full = ReverseMap.fromAddress(InetAddress.getByName(address)).toString(true);
        String[] labels = full.split("\\.");
        return new String[] {String.join(".", java.util.Arrays.copyOfRange(labels, 16, labels.length)),
                String.join(".", java.util.Arrays.copyOfRange(labels, 0, 16))};
    }

    static String config(String host, String own4, String gw4, String own6, String gw6, String policies, Path key, String extraOe, String extra) {
        return "hostname " + host + "\n"
                + "interface inside device in\n"
                + "interface outside device out mtu 1500\n"
                + "address " + own4 + " gateway " + gw4 + "\n"
                + "address " + own6 + " gateway " + gw6 + "\n"
                + "opportunistic private-key " + key + " dns " + DNS + " failure-cache 60 lifespan-initial 6 lifespan-extend 6" + extraOe + "\n"
                + extra
                + policies
                + "policy 100 from any to any action permit\n"
                + "default-action deny\n";
    }

    static String configB(String identity) {
        return config("site-b", "198.51.100.2/29", "198.51.100.1", "2001:db8:b::2/64", "2001:db8:b::1",
                "policy 10 from 10.2.0.0/24 to 10.1.0.0/24 action opportunistic fallback clear\n"
                + "policy 11 from 2001:db8:2::/64 to 2001:db8:1::/64 action opportunistic fallback clear\n", pemB, " identity fqdn:" + identity, "");
    }

    static List<String> jvmB() { return List.of("-Dbitw.ike.save-keys=" + keysB); }

    @BeforeAll
    static void build(NetnsLab l) throws Exception {
        lab = l;
        sites = new TwoSites(lab);
        for (String a : List.of("10.2.0.21", "10.2.0.22", "10.2.0.23", "10.2.0.24", "10.2.0.25", "10.2.0.26", "10.2.0.27", "10.2.0.30",
                "10.2.0.40", "10.2.0.70", "10.2.0.80", "10.2.0.100", "10.2.0.101")) sites.hB.addr("eth0", a + "/24");
        sites.hB.addr("eth0", "2001:db8:2::21/64");
        for (int i = 11; i <= 15; i++) sites.hA.addr("eth0", "10.1.0." + i + "/24");   // fresh inner sources for B to authorize
        sites.rA.addr("wan", DNS + "/32");
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        ka = g.generateKeyPair();
        kb = g.generateKeyPair();
        KeyPair stale = g.generateKeyPair(), other = g.generateKeyPair(), hq = g.generateKeyPair();
        String[] lanB6 = reverse64("2001:db8:2::20"), lanB6h21 = reverse64("2001:db8:2::21"), lanA6 = reverse64("2001:db8:1::10"), gwA6 = reverse64("2001:db8:a::2");
        bind = Bind9.start(sites.rA, DNS, List.of(
                Bind9.Zone.plain("0.2.10.in-addr.arpa", String.join("\n",
                        "20 " + oe("10)=198.51.100.2", kb),
                        "21 IPSECKEY 10 1 2 198.51.100.2 " + rfc3110(kb),
                        "22 " + oe("10)=@gw-b.oe.test", null),
                        "23 IPSECKEY 10 3 2 gw-b.oe.test. " + rfc3110(kb),
                        // Two gateways of precedence 10: the lower address is picked, both its keys are candidates
                        // (a rollover in progress: the stale key first, B signs with the other).
                        "24 " + oe("10)=198.51.100.2", stale),
                        "24 IPSECKEY 10 1 2 198.51.100.2 " + rfc3110(kb),
                        "24 " + oe("10)=198.51.100.6", other),
                        // Precedence decides, not the address: 198.51.100.1 sorts first but has precedence 20.
                        "25 " + oe("20)=198.51.100.1", other),
                        "25 " + oe("10)=198.51.100.2", kb),
                        "26 " + oe("10)=198.51.100.2", kb),
                        "27 " + oe("10)=@hq.oe.test", null),
                        "30 " + oe("10)=198.51.100.5", other),
                        "70 " + oe("10)=198.51.100.5", other),
                        "80 " + oe("10)=198.51.100.2", kb))),
                Bind9.Zone.plain("0.1.10.in-addr.arpa", String.join("\n", java.util.stream.IntStream.of(10, 11, 12, 13, 14, 15)
                        .mapToObj(i -> i + " " + oe("10)=192.0.2.2", ka)).toList())),
                Bind9.Zone.plain("2.0.192.in-addr.arpa", "2 KEY 0x4200 4 1 " + rfc3110(ka)),
                Bind9.Zone.plain("100.51.198.in-addr.arpa", "2 KEY 0x4200 4 1 " + rfc3110(kb)),
                Bind9.Zone.plain("oe.test", String.join("\n",
                        "gw-b A 198.51.100.2", "gw-b KEY 0x4200 4 1 " + rfc3110(kb), "gw-b IPSECKEY 10 0 2 . " + rfc3110(kb),
                        "hq A 198.51.100.2", "hq KEY 0x4200 4 1 " + rfc3110(kb))),
                Bind9.Zone.plain(lanB6[0], lanB6[1] + " IPSECKEY 10 2 2 2001:db8:b::2 " + rfc3110(kb) + "\n"
                        + lanB6h21[1] + " " + oe("10)=198.51.100.2", kb)),
                Bind9.Zone.plain(lanA6[0], lanA6[1] + " " + oe("10)=2001:db8:a::2", ka) + "\n" + lanA6[1] + " " + oe("10)=192.0.2.2", ka)),
                Bind9.Zone.plain(gwA6[0], gwA6[1] + " KEY 0x4200 4 1 " + rfc3110(ka))));
        pemB = pem(lab, "b", kb);
        hqPub = publicPem(lab, "hq", hq);
        keysB = lab.directory().resolve("b-keys.txt");
        // A: .0-.63 of LAN B under fallback drop, the rest under fallback clear; IPv6 under fallback drop. A configured
        // connection for identity hq.oe.test (another key) stands for a partner A knows by configuration.
        String a = config("site-a", "192.0.2.2/29", "192.0.2.1", "2001:db8:a::2/64", "2001:db8:a::1",
                "policy 10 from 10.1.0.0/24 to 10.2.0.0/26 action opportunistic fallback drop\n"
                + "policy 20 from 10.1.0.0/24 to 10.2.0.0/24 action opportunistic fallback clear\n"
                + "policy 30 from 2001:db8:1::/64 to 2001:db8:2::/64 action opportunistic fallback drop\n"
                + "policy 40 from 10.1.0.0/24 to 10.128.0.0/9 action opportunistic fallback drop\n", pem(lab, "a", ka), "",
                "connection hq peer any remote-id fqdn:hq.oe.test auth pubkey private-key " + pem(lab, "a", ka) + " peer-key " + hqPub
                + " local-net 10.1.0.0/24 remote-net 10.9.0.0/24 start wait\n");
        sites.start(a, configB("gw-b.oe.test"), FAST_IKE, jvmB());
        warmUp(sites);
    }

    /**
     * Runs DNS, IKE and RSA once through both appliances before anything is timed (a cold JVM on a busy machine
     * can take seconds for its first lookups): B tries OE for a packet from 10.2.0.40, which has no records, and A
     * refuses it; B then falls back to clear.
     */
    static void warmUp(TwoSites sites) {
        Result r = sites.hB.exec(Duration.ofSeconds(10), "sh", "-c", "echo warm-up | socat -u - UDP4-SENDTO:10.1.0.10:9,bind=10.2.0.40");
        assertEquals(0, r.exitCode(), r.stderr());
        sites.applianceB.waitForOutput("OE 10\\.2\\.0\\.40->10\\.1\\.0\\.10: IKE ", Duration.ofSeconds(90));
    }

    @AfterAll
    static void stop() {
        if (sites != null) sites.stop();
        if (bind != null) bind.stop();
    }

    static String context() {
        return "\n--- appliance A:\n" + sites.applianceA.output() + "\n--- appliance B:\n" + sites.applianceB.output();
    }

    /** Waits until at least {@code n} lines of the process's output match {@code regex}. */
    static void awaitLines(LabProcess p, String regex, int n, Duration limit) {
        long end = System.nanoTime() + limit.toNanos();
        while (lines(p, regex) < n) {
            if (System.nanoTime() > end) throw new AssertionError(n + " lines /" + regex + "/ expected, " + lines(p, regex) + " seen" + context());
            sleep(100);
        }
    }

    static long lines(LabProcess p, String regex) {
        Pattern pattern = Pattern.compile(regex);
        return p.output().lines().filter(l -> pattern.matcher(l).find()).count();
    }

    static void sleep(long ms) {
        try { Thread.sleep(ms); } catch (InterruptedException e) { throw new AssertionError(e); }
    }

    static Capture captureWan() { return sites.rA.capture("wan", "not arp"); }

    @Test
    @Order(1)
    void hostsBehindAppliancesThatNeverMetTalkOverEspOnlyUntilTheIdleTunnelIsDeleted() {
        Capture wan = captureWan();
        // The first packet meets the opportunistic policy (fallback drop), starts discovery and is held for its host
        // pair while DNS and IKE run (B looks up A's authorization and key and answers A's IKE_AUTH as soon as it has them).
        Result first = sites.hA.exec(Duration.ofSeconds(20), "ping", "-c", "1", "-W", "12", "10.2.0.20");
        assertEquals(0, first.exitCode(), "the first packet was held until the tunnel was up, then sent:\n" + first.stdout() + context());
        System.out.println("OE measurement: first packet of a new OE pair (fallback drop), round trip " + rtts(first) + " ms");
        sites.applianceA.waitForOutput("OE 10\\.1\\.0\\.10->10\\.2\\.0\\.20: tunnel up", Duration.ofSeconds(20));
        Result r = sites.hA.exec(Duration.ofSeconds(20), "ping", "-c", "5", "-i", "0.2", "-W", "2", "10.2.0.20");
        // The operator's view: the OE peer, where its key came from, DNSSEC state and the lifespan left; and OE's
        // own interface counting the tunnel's traffic.
        String status = sites.status(sites.controlA, "status");
        assertTrue(status.matches("(?s).*10\\.1\\.0\\.10->10\\.2\\.0\\.20\\s+198\\.51\\.100\\.2\\s+txt\\s+no\\s+\\d+s.*"), status);
        Matcher in = Pattern.compile("OE interface opportunistic: in (\\d+) packets \\d+ bytes, out (\\d+) packets").matcher(status);
        assertTrue(in.find() && Long.parseLong(in.group(1)) >= 6 && Long.parseLong(in.group(2)) >= 6, status);
        // Then silence: after the (6 s) lifespan the idle tunnel goes, with a Delete both sides see.
        sites.applianceA.waitForOutput("OE 10\\.1\\.0\\.10->10\\.2\\.0\\.20: idle, deleting", Duration.ofSeconds(40));
        sites.applianceB.waitForOutput("tunnel deleted", Duration.ofSeconds(20));
        long[] c = wan.countEach("icmp && ip.addr == 10.2.0.20", "esp && ip.src == 192.0.2.2 && ip.dst == 198.51.100.2",
                "esp && ip.src == 198.51.100.2 && ip.dst == 192.0.2.2", "isakmp.exchangetype == 34", "isakmp.exchangetype == 35", "isakmp.exchangetype == 37");
        assertTrue(r.stdout().contains("5 received"), r.stdout() + context());
        assertEquals(0, c[0], "no cleartext of the OE pair on the WAN" + context());
        assertTrue(c[1] >= 6, "pings in ESP A->B");
        assertTrue(c[2] >= 6, "replies in ESP B->A");
        assertTrue(c[3] >= 2 && c[4] >= 2, "IKE_SA_INIT and IKE_AUTH");
        assertTrue(c[5] >= 2, "INFORMATIONAL request and response (Delete) on the wire" + context());
        assertTrue(sites.applianceB.output().contains("tunnel up (responder, peer 10.1.0.10)"), context());
        assertTrue(sites.applianceA.output().contains("IkeSaDeleted[connection=%oe-10.1.0.10-10.2.0.20"), context());
    }

    @Test
    @Order(2)
    void everyDelegationFormLeadsToTheGatewayDnsChoseAndNowhereElse() throws Exception {
        Capture wan = captureWan();
        // In parallel, one host per form: IPSECKEY (IPv4 gateway), TXT @FQDN (key at the FQDN), IPSECKEY with a name
        // gateway, two gateways of equal precedence, precedence 10 vs 20. Each first packet is held, then sent.
        Map<String, LabProcess> pings = new LinkedHashMap<>();
        for (String h : List.of("21", "22", "23", "24", "25"))
            pings.put(h, sites.hA.spawn("sh", "-c", "ping -c 1 -W 15 10.2.0." + h + " && ping -c 3 -i 0.2 -W 2 10.2.0." + h));
        for (var p : pings.entrySet()) {
            assertTrue(p.getValue().waitFor(Duration.ofSeconds(40)).isPresent(), "ping to 10.2.0." + p.getKey() + " finished");
            assertTrue(p.getValue().output().contains("3 received"), "10.2.0." + p.getKey() + ": " + p.getValue().output() + context());
        }
        List<String> hosts = List.of("21", "22", "23", "24", "25");
        long[] c = wan.countEach(hosts.stream().map(h -> "icmp && ip.addr == 10.2.0." + h).toList().toArray(String[]::new));
        long[] elsewhere = wan.countEach("ip.addr == 198.51.100.6", "udp.port == 500 && ip.addr == 198.51.100.1", "esp && ip.src == 192.0.2.2 && ip.dst == 198.51.100.2");
        String a = sites.applianceA.output(), b = sites.applianceB.output();
        for (int i = 0; i < hosts.size(); i++) {
            assertEquals(0, c[i], "no cleartext of 10.2.0." + hosts.get(i) + context());
            assertTrue(a.contains("OE 10.1.0.10->10.2.0." + hosts.get(i) + ": tunnel up"), hosts.get(i) + context());
        }
        // Where each key came from, and the identity A expected.
        assertTrue(a.matches("(?s).*OE 10\\.1\\.0\\.10->10\\.2\\.0\\.21: negotiating with gateway 198\\.51\\.100\\.2 as 192\\.0\\.2\\.2 \\(1 key\\(s\\) from DNS IPSECKEY.*"), a);
        assertTrue(a.matches("(?s).*OE 10\\.1\\.0\\.10->10\\.2\\.0\\.22: negotiating with gateway 198\\.51\\.100\\.2 \\(@gw-b\\.oe\\.test\\) as 192\\.0\\.2\\.2 \\(1 key\\(s\\) from DNS KEY.*"), a);
        assertTrue(a.matches("(?s).*OE 10\\.1\\.0\\.10->10\\.2\\.0\\.23: negotiating with gateway 198\\.51\\.100\\.2 \\(@gw-b\\.oe\\.test\\) as 192\\.0\\.2\\.2 \\(1 key\\(s\\) from DNS IPSECKEY.*"), a);
        assertTrue(a.matches("(?s).*OE 10\\.1\\.0\\.10->10\\.2\\.0\\.24: negotiating with gateway 198\\.51\\.100\\.2 as 192\\.0\\.2\\.2 \\(2 key\\(s\\) from DNS.*"), a);
        assertTrue(a.matches("(?s).*OE 10\\.1\\.0\\.10->10\\.2\\.0\\.25: negotiating with gateway 198\\.51\\.100\\.2 as .*"), a);
        // B answered the FQDN forms under its FQDN identity, the others under its address.
        assertEquals(2, lines(sites.applianceB, "OE: accepting 192\\.0\\.2\\.2 at 192\\.0\\.2\\.2 for 10\\.1\\.0\\.10 .*answering as fqdn:gw-b\\.oe\\.test"), b);
        assertTrue(lines(sites.applianceB, "OE: accepting 192\\.0\\.2\\.2 at 192\\.0\\.2\\.2 for 10\\.1\\.0\\.10 .*answering as 198\\.51\\.100\\.2") >= 3, b);
        // Nothing went to the gateways DNS did not choose: equal precedence picked 198.51.100.2 over .6, precedence
        // 10 beat 20 although 198.51.100.1 sorts first.
        assertEquals(0, elsewhere[0], "the other equal-precedence gateway");
        assertEquals(0, elsewhere[1], "the precedence-20 gateway");
        assertTrue(elsewhere[2] >= 20, "ESP to the chosen gateway");
    }

    @Test
    @Order(3)
    void ipv6HostsAreEncryptedOverIpv6AndOverIpv4AsTheirRecordsSay() {
        Capture wan = captureWan();
        // 2001:db8:2::20: IPSECKEY with an IPv6 gateway (IPv6 inside and outside); ::21: TXT naming B's IPv4 address.
        LabProcess v6 = sites.hA.spawn("sh", "-c", "ping -6 -c 1 -W 15 2001:db8:2::20 && ping -6 -c 3 -i 0.2 -W 2 2001:db8:2::20");
        LabProcess v6over4 = sites.hA.spawn("sh", "-c", "ping -6 -c 1 -W 15 2001:db8:2::21 && ping -6 -c 3 -i 0.2 -W 2 2001:db8:2::21");
        assertTrue(v6.waitFor(Duration.ofSeconds(40)).isPresent() && v6over4.waitFor(Duration.ofSeconds(40)).isPresent());
        long[] c = wan.countEach("icmpv6.type == 128 || icmpv6.type == 129", "esp && ipv6.src == 2001:db8:a::2 && ipv6.dst == 2001:db8:b::2",
                "esp && ipv6.src == 2001:db8:b::2 && ipv6.dst == 2001:db8:a::2", "esp && ip.src == 192.0.2.2 && ip.dst == 198.51.100.2");
        assertTrue(v6.output().contains("3 received"), v6.output() + context());
        assertTrue(v6over4.output().contains("3 received"), v6over4.output() + context());
        assertEquals(0, c[0], "no cleartext echo on the WAN" + context());
        assertTrue(c[1] >= 4, "IPv6 in ESP over IPv6");
        assertTrue(c[2] >= 4, "B answered as IPv6 responder");
        assertTrue(c[3] >= 4, "IPv6 in ESP over IPv4");
        assertTrue(sites.applianceB.output().contains("OE: accepting 2001:db8:a::2 at 2001:db8:a::2 for 2001:db8:1::10"), context());
        assertTrue(sites.applianceB.output().contains("OE: accepting 192.0.2.2 at 192.0.2.2 for 2001:db8:1::10"), context());
    }

    @Test
    @Order(4)
    void underFallbackClearTheFirstPacketsOfANewPairNeverCrossInTheClearToAPeerThatSupportsOe() {
        Capture wan = captureWan();
        String before = sites.status(sites.controlA, "status json");
        // 10.2.0.80 is under A's fallback-clear policy and delegates to B; 10.1.0.11 is a source B has not authorized
        // yet. Five pings in 0.8 s: the first is held while DNS and IKE run (B's lookups included), the ones sent
        // meanwhile are dropped (counted), the rest go through the tunnel.
        Result r = sites.hA.exec(Duration.ofSeconds(20), "ping", "-I", "10.1.0.11", "-c", "5", "-i", "0.2", "-W", "5", "10.2.0.80");
        assertTrue(r.stdout().contains("icmp_seq=1 "), "the first packet was held, then sent through the tunnel:\n" + r.stdout() + context());
        sites.applianceA.waitForOutput("OE 10\\.1\\.0\\.11->10\\.2\\.0\\.80: tunnel up", Duration.ofSeconds(20));
        Result more = sites.hA.exec(Duration.ofSeconds(20), "ping", "-I", "10.1.0.11", "-c", "3", "-i", "0.2", "-W", "2", "10.2.0.80");
        // More fresh pairs, one after the other: the first packet's round trip is DNS at A, IKE, DNS at B.
        List<Double> firsts = new ArrayList<>(List.of(rttOfSeq(r.stdout(), 1)));
        for (int i = 12; i <= 15; i++) {
            Result f = sites.hA.exec(Duration.ofSeconds(20), "ping", "-I", "10.1.0." + i, "-c", "1", "-W", "10", "10.2.0.80");
            assertEquals(0, f.exitCode(), "the first packet of every fresh pair is answered:\n" + f.stdout() + context());
            firsts.add(rtts(f).getFirst());
        }
        wan.stop();
        System.out.println("OE measurement: first packet of a new OE pair (fallback clear), round trips " + rtts(r) + " ms; first packets of 5 fresh pairs "
                + firsts + " ms, median " + firsts.stream().sorted().toList().get(2) + " ms");
        long[] c = wan.countEach("icmp && ip.addr == 10.2.0.80", "esp && ip.src == 192.0.2.2 && ip.dst == 198.51.100.2",
                "esp && ip.src == 198.51.100.2 && ip.dst == 192.0.2.2");
        assertTrue(sites.applianceB.output().contains("OE: accepting 192.0.2.2 at 192.0.2.2 for 10.1.0.15"), "B authorized each source" + context());
        assertTrue(more.stdout().contains("3 received"), more.stdout() + context());
        assertEquals(0, c[0], "not one packet of the pair in the clear on the WAN" + context());
        assertTrue(c[1] >= 4 && c[2] >= 4, "pings and replies in ESP");
        String after = sites.status(sites.controlA, "status json");
        long lost = 5 - rtts(r).size();
        assertTrue(dropCount(after, "HOLD_QUEUE_FULL") - dropCount(before, "HOLD_QUEUE_FULL") >= lost,
                "the pings sent while the first waited were dropped and counted (" + lost + " lost)");
    }

    @Test
    @Order(5)
    void destinationWithoutRecordsFallsBackPerPolicy() {
        Capture wan = captureWan();
        // The first ping waits at A for the lookup (no records: fallback clear), its reply waits at B, which tries OE
        // back (A's host publishes A as its gateway) until A refuses; pings and replies sent meanwhile are dropped.
        Result clear = sites.hA.exec(Duration.ofSeconds(20), "ping", "-c", "6", "-i", "0.5", "-W", "5", "10.2.0.100");
        Result drop = sites.hA.exec(Duration.ofSeconds(20), "ping", "-c", "3", "-i", "0.3", "-W", "2", "10.2.0.40");
        long[] c = wan.countEach("icmp.type == 8 && ip.src == 10.1.0.10 && ip.dst == 10.2.0.100", "ip.addr == 10.2.0.40");
        List<Double> t = rtts(clear);
        System.out.println("OE measurement: no-record destination under fallback clear, round trips " + t + " ms"
                + (t.size() > 1 && clear.stdout().contains("icmp_seq=1 ") ? String.format(", first packet delayed %.0f ms",
                        rttOfSeq(clear.stdout(), 1) - t.stream().mapToDouble(Double::doubleValue).min().orElse(0)) : ""));
        assertTrue(clear.stdout().contains("icmp_seq=1 "), "fallback clear: the held first packet went through once the lookup failed:\n"
                + clear.stdout() + context());
        assertTrue(c[0] >= 3, "its pings crossed in the clear");
        assertTrue(drop.stdout().contains(" 0 received"), "fallback drop: " + drop.stdout() + context());
        assertEquals(0, c[1], "nothing of the dropped pair on the WAN");
        String log = sites.applianceA.output();
        assertTrue(log.contains("OE 10.1.0.10->10.2.0.100: DNS NO_RECORDS") && log.contains("; clear for 60 s"), context());
        assertTrue(log.contains("OE 10.1.0.10->10.2.0.40: DNS NO_RECORDS") && log.contains("; drop for 60 s"), context());
        // B tried OE for its replies from 10.2.0.100 (A's host publishes A as its gateway), but nothing authorizes B
        // to speak for 10.2.0.100: A refuses, B falls back.
        sites.applianceA.waitForOutput("OE: refused fqdn:gw-b\\.oe\\.test at 198\\.51\\.100\\.2 for 10\\.2\\.0\\.100: NOT_AUTHORIZED", Duration.ofSeconds(15));
        sites.applianceB.waitForOutput("OE 10\\.2\\.0\\.100->10\\.1\\.0\\.10: IKE AUTHENTICATION_FAILED", Duration.ofSeconds(15));
    }

    @Test
    @Order(6)
    void aGatewayThatNeverAnswersMeansTheFallbackThenNoRetryWhileCached() {
        Capture untilFailure = captureWan();
        // 10.2.0.30 (fallback drop) and 10.2.0.70 (fallback clear) delegate to 198.51.100.5, where nothing listens.
        LabProcess drop = sites.hA.spawn("ping", "-c", "26", "-i", "0.5", "-W", "1", "10.2.0.30");
        LabProcess clear = sites.hA.spawn("ping", "-c", "26", "-i", "0.5", "-W", "1", "10.2.0.70");
        String dropLine = sites.applianceA.waitForOutput("OE 10\\.1\\.0\\.10->10\\.2\\.0\\.30: IKE ", Duration.ofSeconds(60));
        String clearLine = sites.applianceA.waitForOutput("OE 10\\.1\\.0\\.10->10\\.2\\.0\\.70: IKE ", Duration.ofSeconds(60));
        untilFailure.stop();
        Capture afterFailure = captureWan();
        assertTrue(drop.waitFor(Duration.ofSeconds(30)).isPresent() && clear.waitFor(Duration.ofSeconds(30)).isPresent());
        // A fresh ping to the same host pair within the 60 s negative cache: no new IKE attempt.
        Result again = sites.hA.exec(Duration.ofSeconds(10), "ping", "-c", "2", "-i", "0.3", "-W", "1", "10.2.0.30");
        String inits = "isakmp.exchangetype == 34 && ip.dst == 198.51.100.5";
        // Pings 2-8 to 10.2.0.70 left hA within 3.5 s, long before A gave up on IKE (7 s): dropped, never in the clear.
        String whileTrying = "icmp.type == 8 && ip.dst == 10.2.0.70 && icmp.seq >= 2 && icmp.seq <= 8";
        long[] before = untilFailure.countEach(inits, "icmp && ip.addr == 10.2.0.30", whileTrying);
        long[] after = afterFailure.countEach(inits, "icmp && ip.addr == 10.2.0.30", "icmp.type == 8 && ip.dst == 10.2.0.70", whileTrying);
        assertTrue(dropLine.contains("drop for 60 s") && clearLine.contains("clear for 60 s"), dropLine + "\n" + clearLine);
        assertTrue(dropLine.contains("IKE TIMEOUT"), "the log says what failed: " + dropLine);
        assertTrue(before[0] >= 3, "IKE_SA_INIT went to the silent gateway and was retransmitted" + context());
        assertEquals(0, after[0], "negatively cached: no new IKE_SA_INIT after the failure" + context());
        assertTrue(drop.output().contains(" 0 received") && again.stdout().contains(" 0 received"), "fallback drop:\n" + drop.output());
        assertEquals(0, before[1] + after[1], "nothing of the dropped pair in the clear");
        assertTrue(after[2] >= 3, "fallback clear: the later pings crossed in the clear");
        assertEquals(0, before[2] + after[3], "fallback clear: nothing in the clear while IKE still tried" + context());
    }

    @Test
    @Order(7)
    void aBusyTunnelOutlivesItsFirstLifespanWhileAnIdleOneIsDeleted() {
        Capture wan = captureWan();
        long upBefore = lines(sites.applianceA, "OE 10\\.1\\.0\\.10->10\\.2\\.0\\.20: tunnel up");
        // 10.2.0.20 busy for ~13 s (lifespan 6 s, extended by 6 s while traffic flows in its second half);
        // 10.2.0.26 carries one ping, then nothing.
        LabProcess busy = sites.hA.spawn("sh", "-c", "ping -c 1 -W 15 10.2.0.20 && ping -c 26 -i 0.5 -W 2 10.2.0.20");
        Result once = sites.hA.exec(Duration.ofSeconds(20), "ping", "-c", "1", "-W", "15", "10.2.0.26");
        assertEquals(0, once.exitCode(), once.stdout() + context());
        sites.applianceA.waitForOutput("OE 10\\.1\\.0\\.10->10\\.2\\.0\\.26: idle, deleting", Duration.ofSeconds(30));
        assertTrue(busy.isAlive(), "the idle tunnel went while the busy one still carries traffic");
        assertTrue(busy.waitFor(Duration.ofSeconds(40)).isPresent());
        String status = sites.status(sites.controlA, "status");
        // Once quiet, the busy one goes too; it was negotiated exactly once.
        awaitLines(sites.applianceA, "OE 10\\.1\\.0\\.10->10\\.2\\.0\\.20: idle, deleting", 2, Duration.ofSeconds(30));
        long[] c = wan.countEach("icmp && ip.addr == 10.2.0.20", "isakmp.exchangetype == 37");
        assertTrue(busy.output().contains("26 received"), "not one lost while the lifespan was extended:\n" + busy.output() + context());
        assertEquals(upBefore + 1, lines(sites.applianceA, "OE 10\\.1\\.0\\.10->10\\.2\\.0\\.20: tunnel up"), "one tunnel for the whole busy period" + context());
        assertFalse(status.contains("10.1.0.10->10.2.0.26"), "the idle tunnel is gone from the status:\n" + status);
        assertEquals(0, c[0], "ESP only throughout");
        assertTrue(c[1] >= 4, "Deletes (request and response) for both tunnels");
        assertTrue(sites.applianceB.output().contains("OE %oe-10.2.0.26-10.1.0.10: tunnel deleted"), context());
    }

    @Test
    @Order(8)
    void innerSourceThePeerIsNotAuthorizedForIsDroppedAndCountedAsOeTraffic() throws Exception {
        Result up = sites.hA.exec(Duration.ofSeconds(20), "ping", "-c", "1", "-W", "15", "10.2.0.20");
        assertEquals(0, up.exitCode(), up.stdout() + context());
        // B's outbound SA of this pair, from the keys B saved for the test, and how far its sequence numbers went.
        String name = "%oe-10.2.0.20-10.1.0.10";
        String line = Files.readAllLines(keysB).stream().filter(l -> l.startsWith(name + " out ")).reduce((x, y) -> y).orElseThrow();
        Matcher m = Pattern.compile("spi=0x([0-9a-f]{8}) src=(\\S+) dst=(\\S+) enc=aes128gcm16 key=([0-9a-f]{40}) ").matcher(line);
        assertTrue(m.find(), "B's SA uses the default AES-GCM proposal: " + line);
        long spi = Long.parseLong(m.group(1), 16);
        Matcher sent = Pattern.compile("\"tunnel\":\"" + Pattern.quote(name) + "\",\"direction\":\"out\",\"spi\":" + spi + ",.*?\"packets\":(\\d+)")
                .matcher(sites.status(sites.controlB, "status json"));
        assertTrue(sent.find());
        long seq = Long.parseLong(sent.group(1)) + 1;
        String before = sites.status(sites.controlA, "status json");
        Capture lan = sites.hA.capture("eth0", "icmp");
        // Sealed with B's real SA: one packet from 10.2.0.20 (authorized: delivered), one from 10.2.0.99 (not).
        Path script = lab.directory().resolve("inject.py");
        Files.writeString(script, """
                import sys
                from scapy.all import IP, ICMP, Raw, send
                from scapy.layers.ipsec import SecurityAssociation, ESP
                spi, key, src, dst, seq = int(sys.argv[1]), bytes.fromhex(sys.argv[2]), sys.argv[3], sys.argv[4], int(sys.argv[5])
                sa = SecurityAssociation(ESP, spi=spi, crypt_algo='AES-GCM', crypt_key=key, tunnel_header=IP(src=src, dst=dst))
                for i, inner in enumerate(['10.2.0.20', '10.2.0.99']):
                    p = IP(src=inner, dst='10.1.0.10') / ICMP(type=8, id=4242, seq=i) / Raw(b'injected-' + inner.encode())
                    send(sa.encrypt(p, seq_num=seq + i), verbose=False)
                """);
        Result inj = sites.rB.exec(Duration.ofSeconds(30), "/usr/bin/python3", script.toString(), Long.toString(spi), m.group(4), m.group(2), m.group(3), Long.toString(seq));
        assertEquals(0, inj.exitCode(), inj.stdout() + inj.stderr());
        sites.applianceA.waitForOutput("opportunistic: dropped a packet of %oe-10\\.1\\.0\\.10-10\\.2\\.0\\.20 \\(198\\.51\\.100\\.2\\): SELECTOR_MISMATCH", Duration.ofSeconds(10));
        sleep(500);
        long[] delivered = lan.countEach("icmp.ident == 4242 && ip.src == 10.2.0.20", "ip.src == 10.2.0.99");
        String after = sites.status(sites.controlA, "status json");
        assertEquals(dropCount(before, "SELECTOR_MISMATCH") + 1, dropCount(after, "SELECTOR_MISMATCH"), "data plane drops by reason:\n" + after);
        Matcher oe = Pattern.compile("\"opportunistic\":\\{.*\"interface\":\\{[^}]*\"drops\":\\{[^}]*\"SELECTOR_MISMATCH\":(\\d+)").matcher(after);
        assertTrue(oe.find() && Long.parseLong(oe.group(1)) >= 1, "counted under OE's own interface:\n" + after);
        assertEquals(dropCount(before, "ICV_FAILED"), dropCount(after, "ICV_FAILED"), "the injected ESP was genuine (no ICV failure):\n" + after);
        assertEquals(1, delivered[0], "the authorized source was delivered" + context());
        assertEquals(0, delivered[1], "the unauthorized one never reached the LAN");
        assertTrue(sites.status(sites.controlA, "status").contains("selector-mismatch"), "and the status text shows the reason");
    }

    /** The round-trip times ping printed, in ms, in order. */
    static List<Double> rtts(Result ping) { return rtts(ping.stdout()); }

    /** The round-trip time ping printed for one sequence number (replies may arrive out of order). */
    static double rttOfSeq(String pingOutput, int seq) {
        Matcher m = Pattern.compile("icmp_seq=" + seq + " .*time=([0-9.]+) ms").matcher(pingOutput);
        assertTrue(m.find(), "no reply to icmp_seq=" + seq + ":\n" + pingOutput);
        return Double.parseDouble(m.group(1));
    }

    static List<Double> rtts(String pingOutput) {
        List<Double> out = new ArrayList<>();
        Matcher m = Pattern.compile("time=([0-9.]+) ms").matcher(pingOutput);
        while (m.find()) out.add(Double.parseDouble(m.group(1)));
        return out;
    }

    static long dropCount(String json, String reason) {
        Matcher m = Pattern.compile("\"drops\":\\{[^}]*\"" + reason + "\":(\\d+)").matcher(json);
        assertTrue(m.find(), json);
        return Long.parseLong(m.group(1));
    }

    @Test
    @Order(11)
    void deadDnsServerMeansFallbackWithoutStallingOtherTraffic() {
        bind.stop();
        Capture wan = captureWan();
        // Fresh pair under fallback clear: its first packet waits while the lookup hangs (2 s DNS timeout), then goes
        // in the clear; B holds the reply the same way (its DNS is dead too). Meanwhile other traffic flows at once.
        LabProcess fresh = sites.hA.spawn("ping", "-c", "12", "-i", "0.5", "-W", "8", "10.2.0.101");
        long t0 = System.nanoTime();
        Result unrelated = sites.hA.exec(Duration.ofSeconds(20), "ping", "-c", "3", "-i", "0.2", "-W", "2", "203.0.113.2");
        long ms = (System.nanoTime() - t0) / 1_000_000;
        sites.applianceA.waitForOutput("OE 10\\.1\\.0\\.10->10\\.2\\.0\\.101: DNS (TIMEOUT|DNS_FAILURE)", Duration.ofSeconds(30));
        assertTrue(fresh.waitFor(Duration.ofSeconds(30)).isPresent());
        wan.stop();
        Matcher got = Pattern.compile("(\\d+) received").matcher(fresh.output());
        System.out.println("OE measurement: DNS dead, fallback clear, round trips " + rtts(fresh.output()) + " ms");
        assertTrue(got.find() && Integer.parseInt(got.group(1)) >= 3, "fallback clear while DNS is dead: " + fresh.output() + context());
        assertTrue(unrelated.stdout().contains("3 received"), unrelated.stdout() + context());
        assertTrue(ms < 3000, "no stall: the unrelated pings took " + ms + " ms");
        assertTrue(wan.countMatching("icmp.type == 8 && ip.dst == 10.2.0.101") >= 3, "cleartext per fallback");
    }

    @Test
    @Order(9)
    void aFloodToManyUnknownDestinationsIsRateLimitedAndOtherTrafficFlows() throws Exception {
        // 20 000 UDP packets from hA, each to a random address in 10.128.0.0/9 (opportunistic, fallback drop; DNS
        // answers NXDOMAIN for all of them), while a permitted ping runs.
        Path script = lab.directory().resolve("flood.py");
        Files.writeString(script, """
                import random, socket
                s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
                r = random.Random(7)
                for i in range(20000):
                    s.sendto(b'flood', ('10.%d.%d.%d' % (r.randint(128, 255), r.randint(0, 255), r.randint(1, 254)), 9))
                """);
        LabProcess ping = sites.hA.spawn("ping", "-c", "20", "-i", "0.1", "-W", "2", "203.0.113.2");
        Result flood = sites.hA.exec(Duration.ofSeconds(60), "/usr/bin/python3", script.toString());
        assertEquals(0, flood.exitCode(), flood.stderr());
        assertTrue(ping.waitFor(Duration.ofSeconds(20)).isPresent());
        assertTrue(ping.output().contains("20 received"), "permitted traffic flowed through the flood:\n" + ping.output());
        String status = sites.status(sites.controlA, "status");
        Matcher m = Pattern.compile("OE: (\\d+) pending, \\d+ established, (\\d+) failed \\(cached\\), \\d+ host-pair policies, (\\d+) rate-limited").matcher(status);
        assertTrue(m.find(), status);
        // Most acquires never reach OE (the data plane's acquire ring is bounded); of those that do, most meet the rate limit.
        assertTrue(Long.parseLong(m.group(3)) > 1_000, "new destinations were refused a lookup by the rate limit:\n" + status);
        assertTrue(Long.parseLong(m.group(1)) + Long.parseLong(m.group(2)) < 2_000, "a bounded number of them were looked up:\n" + status);
        assertTrue(dropCount(sites.status(sites.controlA, "status json"), "HOLD_QUEUE_FULL") > 10_000, "held packets are capped, the rest counted");
        // OE still works for a real peer.
        Result oe = sites.hA.exec(Duration.ofSeconds(20), "ping", "-c", "1", "-W", "12", "10.2.0.21");
        assertEquals(0, oe.exitCode(), oe.stdout() + context());
        awaitOeQuiet();
    }

    /**
     * Waits until the flood's aftermath is over: its held pairs re-ask for up to 10 s, take the lookup tokens and fill
     * the log's 20 lines/s, so a later test's pair would be refused a lookup or have its log line summed up.
     */
    private static void awaitOeQuiet() {
        Pattern p = Pattern.compile("OE: (\\d+) pending, .*?(\\d+) rate-limited");
        long end = System.nanoTime() + Duration.ofSeconds(40).toNanos();
        String last = "";
        while (System.nanoTime() < end) {
            String status = sites.status(sites.controlA, "status");
            Matcher m = p.matcher(status);
            assertTrue(m.find(), status);
            String now = m.group(1) + "/" + m.group(2);
            if (now.equals(last) && m.group(1).equals("0")) return;
            last = now;
            sleep(2000);
        }
        fail("OE still busy 40 s after the flood: " + sites.status(sites.controlA, "status"));
    }

    @Test
    @Order(10)
    void anOpportunisticPeerClaimingAConfiguredIdentityIsRefusedWithoutAskingDns() throws Exception {
        // B now calls itself hq.oe.test, and DNS agrees (10.2.0.27 delegates to @hq.oe.test, whose key is B's). But A
        // has a configured connection for hq.oe.test with another key: configured identities come first.
        sites.restartB(configB("hq.oe.test"), jvmB());
        LabProcess listen = sites.hA.spawn("socat", "-u", "UDP4-RECV:9999", "-");
        Result send = sites.hB.exec(Duration.ofSeconds(10), "sh", "-c", "echo probe | socat -u - UDP4-SENDTO:10.1.0.10:9999,bind=10.2.0.27");
        assertEquals(0, send.exitCode(), send.stderr());
        sites.applianceB.waitForOutput("OE 10\\.2\\.0\\.27->10\\.1\\.0\\.10: IKE AUTHENTICATION_FAILED", Duration.ofSeconds(20));
        String a = sites.applianceA.output();
        assertTrue(a.contains("authentication of fqdn:hq.oe.test failed"), "A checked the configured connection's key" + context());
        assertFalse(a.contains("OE: accepting fqdn:hq.oe.test"), "OE never accepted the claimed identity" + context());
        assertFalse(a.contains("OE: refused fqdn:hq.oe.test"), "the DNS-based responder was not even asked" + context());
        listen.stop();
    }
}
