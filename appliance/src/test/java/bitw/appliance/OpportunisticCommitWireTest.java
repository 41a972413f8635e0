// Opportunistic encryption changed on a running appliance through its serial console, in the two-site lab with
// BIND 9: LAN B's reverse zone is DNSSEC-signed (one record tampered with after signing), a second zone of LAN B is
// unsigned, and A's gateway name publishes two KEY records (the old and the new key of a rollover). A starts with
// the old key and no DNSSEC; a commit switches it to the new key and to require-dnssec with the signed zone's key
// as trust anchor. Proven on the wire: the commit deletes the old OE tunnel (Delete) and starts OE afresh while a
// configured (manually keyed) IPv6 tunnel and permitted traffic lose nothing and nothing under the configured
// policy leaves in the clear; the tunnel comes back with the new key and a validated delegation; the tampered
// delegation (bogus) and the unsigned one (insecure) fail when validation is required, each per its policy's
// fallback and with the reason in the log; deleting the `opportunistic` statement turns OE off at the next commit.
package bitw.appliance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import bitw.lab.Bind9;
import bitw.lab.Capture;
import bitw.lab.LabProcess;
import bitw.lab.NetnsLab;
import bitw.lab.NetnsLabExtension;
import bitw.lab.Result;
import bitw.mgmt.Operator;
import bitw.mgmt.PtyPair;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

@Tag("netns")
@ExtendWith(NetnsLabExtension.class)
@Timeout(300)
class OpportunisticCommitWireTest {
    static final String DNS = "203.0.113.1", PW = "Oe-commit-console-4711";
    static final String K6_AB = "11".repeat(20), K6_BA = "22".repeat(20);

    static String config(String host, String own4, String gw4, String own6, String gw6, String oe, String tunnel, String policies) {
        return "hostname " + host + "\n"
                + "interface inside device in\n"
                + "interface outside device out mtu 1500\n"
                + "address " + own4 + " gateway " + gw4 + "\n"
                + "address " + own6 + " gateway " + gw6 + "\n"
                + oe + "\n" + tunnel + "\n" + policies
                + "policy 100 from any to any action permit\n"
                + "default-action deny\n";
    }

    @Test
    void anOperatorRollsTheKeyAndRequiresDnssecOnARunningApplianceWithoutDisturbingOtherTraffic(NetnsLab lab) throws Exception {
        TwoSites sites = new TwoSites(lab);
        sites.hB.addr("eth0", "10.2.0.50/24").addr("eth0", "10.2.1.60/24");
        sites.rB.addr("lan", "10.2.1.1/24");
        sites.rA.route("10.2.1.0/24", "203.0.113.2");
        sites.rA.addr("wan", DNS + "/32");
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        KeyPair oldA = g.generateKeyPair(), newA = g.generateKeyPair(), kb = g.generateKeyPair();
        String b64b = OpportunisticWireTest.rfc3110(kb);
        String delegation = "X-IPsec-Server(10)=198.51.100.2 " + b64b;
        Bind9 bind = Bind9.start(sites.rA, DNS, List.of(
                // Signed; afterwards someone redirects 10.2.0.50's delegation to another gateway.
                new Bind9.Zone("0.2.10.in-addr.arpa", "20 " + OpportunisticWireTest.txt(delegation) + "\n50 " + OpportunisticWireTest.txt(delegation),
                        true, z -> z.lines().map(l -> l.startsWith("50.0.2.10.in-addr.arpa.") && l.contains("TXT")
                                ? l.replace("=198.51.100.2 ", "=198.51.100.6 ") : l).reduce("", (x, y) -> x + y + "\n")),
                Bind9.Zone.plain("1.2.10.in-addr.arpa", "60 " + OpportunisticWireTest.txt(delegation)),
                Bind9.Zone.plain("0.1.10.in-addr.arpa", "10 " + OpportunisticWireTest.txt("X-IPsec-Server(10)=192.0.2.2")),
                // The rollover: both of A's keys are published at its gateway's name while it switches.
                Bind9.Zone.plain("2.0.192.in-addr.arpa", "2 KEY 0x4200 4 1 " + OpportunisticWireTest.rfc3110(oldA)
                        + "\n2 KEY 0x4200 4 1 " + OpportunisticWireTest.rfc3110(newA)),
                Bind9.Zone.plain("100.51.198.in-addr.arpa", "2 KEY 0x4200 4 1 " + b64b)));
        Path anchors = lab.directory().resolve("anchors");
        Files.writeString(anchors, bind.trustAnchor("0.2.10.in-addr.arpa"));
        Path oldKey = OpportunisticWireTest.pem(lab, "a-old", oldA), newKey = OpportunisticWireTest.pem(lab, "a-new", newA);
        String timers = " failure-cache 60 lifespan-initial 60 lifespan-extend 60";
        String oeOld = "opportunistic private-key " + oldKey + " dns " + DNS + timers;
        String oeNew = "opportunistic private-key " + newKey + " dns " + DNS + " dnssec-anchor " + anchors + " require-dnssec on" + timers;
        // A configured tunnel for the IPv6 LANs: a commit of OE settings must not touch it.
        String a = config("site-a", "192.0.2.2/29", "192.0.2.1", "2001:db8:a::2/64", "2001:db8:a::1", oeOld,
                "tunnel to-b6 peer 2001:db8:b::2 spi-out 0x1006 spi-in 0x2006 key-out " + K6_AB + " key-in " + K6_BA
                        + " local-net 2001:db8:1::/64 remote-net 2001:db8:2::/64",
                "policy 5 from 2001:db8:1::/64 to 2001:db8:2::/64 action configured tunnel to-b6 fallback drop\n"
                + "policy 10 from 10.1.0.0/24 to 10.2.0.0/26 action opportunistic fallback drop\n"
                + "policy 20 from 10.1.0.0/24 to 10.2.0.0/16 action opportunistic fallback clear\n");
        String b = config("site-b", "198.51.100.2/29", "198.51.100.1", "2001:db8:b::2/64", "2001:db8:b::1",
                "opportunistic private-key " + OpportunisticWireTest.pem(lab, "b", kb) + " dns " + DNS + timers,
                "tunnel to-a6 peer 2001:db8:a::2 spi-out 0x2006 spi-in 0x1006 key-out " + K6_BA + " key-in " + K6_AB
                        + " local-net 2001:db8:2::/64 remote-net 2001:db8:1::/64",
                "policy 5 from 2001:db8:2::/64 to 2001:db8:1::/64 action configured tunnel to-a6 fallback drop\n"
                + "policy 10 from 10.2.0.0/24 to 10.1.0.0/24 action opportunistic fallback clear\n");
        Path state = lab.directory().resolve("state-a");
        try (PtyPair pty = new PtyPair(lab.directory()).start()) {
            sites.controlB = lab.directory().resolve("b.sock");
            sites.applianceB = sites.startAppliance(sites.apB, b, sites.controlB);
            sites.controlA = lab.directory().resolve("a.sock");
            sites.applianceA = sites.startAppliance(sites.apA, a, sites.controlA, List.of("--state-dir", state.toString(), "--console", pty.console.toString()), List.of());
            sites.applianceA.waitForOutput("serial console on", Duration.ofSeconds(30));
            sites.applianceB.waitForOutput("data plane running", Duration.ofSeconds(30));
            sites.hB.addr("eth0", "10.2.0.40/24");
            OpportunisticWireTest.warmUp(sites);
            try (Operator op = new Operator(pty.operator)) {
                op.expect("new password for admin: ");
                op.line(PW);
                op.expect("again: ");
                op.line(PW);
                op.expect("site-a login: ");
                op.line("admin");
                op.expect("Password: ");
                op.line(PW);
                op.expect("admin@site-a> ");

                // Before: the old key, no DNSSEC.
                Result first = sites.hA.exec(Duration.ofSeconds(20), "ping", "-c", "1", "-W", "12", "10.2.0.20");
                assertEquals(0, first.exitCode(), first.stdout() + context(sites));
                sites.applianceA.waitForOutput("OE 10\\.1\\.0\\.10->10\\.2\\.0\\.20: tunnel up", Duration.ofSeconds(10));
                assertTrue(sites.applianceA.output().contains("negotiating with gateway 198.51.100.2 as 192.0.2.2 (1 key(s) from DNS TXT, not validated by DNSSEC)"), context(sites));

                // The commit, while the configured IPv6 tunnel and permitted IPv4 traffic run.
                Capture wan = sites.rA.capture("wan", "not arp");
                LabProcess v6 = sites.hA.spawn("ping", "-6", "-c", "60", "-i", "0.1", "-W", "2", "2001:db8:2::20");
                LabProcess permitted = sites.hA.spawn("ping", "-c", "60", "-i", "0.1", "-W", "2", "203.0.113.2");
                Thread.sleep(1500);
                op.line("configure");
                op.expect("admin@site-a# ");
                op.line("set " + oeNew);
                op.expect("admin@site-a# ");
                op.line("commit");
                op.expect("commit complete");
                op.expect("admin@site-a# ");
                sites.applianceA.waitForOutput("opportunistic encryption restarted with the new settings", Duration.ofSeconds(10));
                sites.applianceB.waitForOutput("OE %oe-10\\.2\\.0\\.20-10\\.1\\.0\\.10: tunnel deleted", Duration.ofSeconds(10));
                assertTrue(v6.waitFor(Duration.ofSeconds(30)).isPresent() && permitted.waitFor(Duration.ofSeconds(30)).isPresent());
                assertTrue(v6.output().contains("60 received"), "the configured tunnel lost nothing:\n" + v6.output() + context(sites));
                assertTrue(permitted.output().contains("60 received"), "permitted traffic lost nothing:\n" + permitted.output());

                // After: the new key (B finds both keys at A's name) and a validated delegation.
                Result again = sites.hA.exec(Duration.ofSeconds(20), "ping", "-c", "1", "-W", "12", "10.2.0.20");
                assertEquals(0, again.exitCode(), again.stdout() + context(sites));
                assertTrue(sites.hA.exec(Duration.ofSeconds(10), "ping", "-c", "3", "-i", "0.2", "-W", "2", "10.2.0.20").stdout().contains("3 received"));
                sites.applianceA.waitForOutput("negotiating with gateway 198\\.51\\.100\\.2 as 192\\.0\\.2\\.2 \\(1 key\\(s\\) from DNS TXT, DNSSEC-validated\\)", Duration.ofSeconds(5));
                String status = sites.status(sites.controlA, "status");
                assertTrue(status.matches("(?s).*10\\.1\\.0\\.10->10\\.2\\.0\\.20\\s+198\\.51\\.100\\.2\\s+txt\\s+yes\\s+\\d+s.*"), status);
                assertEquals(2, sites.applianceB.output().lines().filter(l -> l.contains("OE: accepting 192.0.2.2 at 192.0.2.2 for 10.1.0.10 (2 key(s) from DNS KEY)")).count(),
                        "B accepted A before (old key) and after (new key) the rollover, both keys published" + context(sites));

                // Tampered after signing (bogus) under fallback drop; unsigned zone (insecure) under fallback clear.
                Result bogus = sites.hA.exec(Duration.ofSeconds(20), "ping", "-c", "2", "-i", "0.5", "-W", "2", "10.2.0.50");
                String bogusLine = sites.applianceA.waitForOutput("OE 10\\.1\\.0\\.10->10\\.2\\.0\\.50: DNS ", Duration.ofSeconds(10));
                // (Under fallback clear too, the first ping waits for the lookup's verdict; those sent meanwhile are dropped.)
                Result insecure = sites.hA.exec(Duration.ofSeconds(20), "ping", "-c", "5", "-i", "0.5", "-W", "3", "10.2.1.60");
                String insecureLine = sites.applianceA.waitForOutput("OE 10\\.1\\.0\\.10->10\\.2\\.1\\.60: DNS ", Duration.ofSeconds(10));
                assertTrue(bogusLine.contains("DNS NOT_VALIDATED") && bogusLine.contains("drop for 60 s"), bogusLine);
                assertTrue(insecureLine.contains("DNS NOT_VALIDATED") && insecureLine.contains("clear for 60 s"), insecureLine);
                assertTrue(bogus.stdout().contains(" 0 received"), bogus.stdout());
                assertTrue(insecure.stdout().contains("icmp_seq=1 ") && OpportunisticWireTest.rtts(insecure).size() >= 3, "fallback clear: " + insecure.stdout());

                // OE off: the statement deleted, the tunnel goes, the opportunistic policies only fall back.
                op.line("delete opportunistic");
                op.expect("admin@site-a# ");
                op.line("commit");
                op.expect("commit complete");
                sites.applianceA.waitForOutput("opportunistic encryption off", Duration.ofSeconds(10));
                Result off = sites.hA.exec(Duration.ofSeconds(10), "ping", "-c", "2", "-i", "0.3", "-W", "1", "10.2.0.20");
                wan.stop();
                assertTrue(off.stdout().contains(" 0 received"), "without OE, fallback drop:\n" + off.stdout());
                long[] c = wan.countEach("icmpv6.type == 128", "esp && ipv6.src == 2001:db8:a::2", "isakmp.exchangetype == 37",
                        "ip.addr == 10.2.0.50 || ip.addr == 198.51.100.6", "icmp.type == 8 && ip.dst == 10.2.1.60",
                        "icmp && ip.addr == 10.2.0.20");
                assertEquals(0, c[0], "nothing under the configured policy in the clear");
                assertTrue(c[1] >= 60, "the configured tunnel's ESP");
                assertTrue(c[2] >= 4, "Deletes of the OE tunnels (at the key change and when OE went off)");
                assertEquals(0, c[3], "nothing towards the bogus delegation's gateway, nothing of its pair");
                assertTrue(c[4] >= 3, "the insecure delegation's pair fell back to clear");
                assertEquals(0, c[5], "the OE pair never in the clear (ESP, then fallback drop)");
            }
        } finally {
            sites.stop();
            bind.stop();
        }
    }

    static String context(TwoSites sites) {
        return "\n--- appliance A:\n" + sites.applianceA.output() + "\n--- appliance B:\n" + sites.applianceB.output();
    }
}
