// DnsClient against a real BIND 9.18 in a namespace lab: OE records read back and parsed (TXT, KEY, IPSECKEY),
// a TXT answer over 512 bytes (EDNS0 / TCP fallback), DNSSEC validation with the fixture's trust anchor
// (validated, bogus when tampered or stripped, insecure outside the anchor), discovery end to end, and a
// stopped server giving TIMEOUT without blocking the caller.
package bitw.appliance.oe;

import static org.junit.jupiter.api.Assertions.*;

import bitw.ipsec.oe.OeKeys;
import bitw.lab.Bind9;
import bitw.lab.Host;
import bitw.lab.LabProcess;
import bitw.lab.NetnsLab;
import bitw.lab.NetnsLabExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@Tag("netns")
@ExtendWith(NetnsLabExtension.class)
class DnsClientTest {
    static String key(int bits) throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(bits);
        return Base64.getEncoder().encodeToString(OeKeys.rfc3110((RSAPublicKey) g.generateKeyPair().getPublic()));
    }

    /** A TXT value in zone syntax, split into 200-byte strings (a string holds at most 255 bytes). */
    static String txt(String value) {
        List<String> parts = new ArrayList<>();
        for (int i = 0; i < value.length(); i += 200) parts.add("\"" + value.substring(i, Math.min(value.length(), i + 200)) + "\"");
        return "TXT ( " + String.join(" ", parts) + " )";
    }

    /** Twelve delegations with 2048-bit keys at 40.2.0.192.in-addr.arpa: about 5 KB, over the EDNS0 payload, so TCP. */
    static String bigRrset(String k0, String k1) {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 12; i++) lines.add("40 " + txt("X-IPsec-Server(" + (10 + i) + ")=192.0.2." + (100 + i) + " " + (i % 2 == 0 ? k0 : k1)));
        return String.join("\n", lines);
    }

    static List<String> run(NetnsLab lab, Host host, String server, int timeoutMs, Path anchors, String... questions) {
        List<String> args = new ArrayList<>(List.of(server, Integer.toString(timeoutMs), anchors == null ? "-" : anchors.toString()));
        args.addAll(List.of(questions));
        LabProcess p = lab.startJava(host, DnsLookupMain.class.getName(), args);
        assertEquals(0, p.waitFor(Duration.ofSeconds(60)).orElse(-1), p.output());
        assertTrue(p.output().contains("DONE"), p.output());
        return p.output().lines().toList();
    }

    static String line(List<String> out, String prefix) {
        return out.stream().filter(l -> l.startsWith(prefix)).findFirst().orElseThrow(() -> new AssertionError(prefix + " not in\n" + String.join("\n", out)));
    }

    /** The OE lines printed after the RESULT line of {@code question}. */
    static List<String> oeLines(List<String> out, String question) {
        int i = out.indexOf(line(out, "RESULT " + question + " "));
        List<String> r = new ArrayList<>();
        for (int k = i + 1; k < out.size() && out.get(k).startsWith("OE "); k++) r.add(out.get(k));
        return r;
    }

    @Test
    void readsOeRecordsAndValidatesDnssec(NetnsLab lab) throws Exception {
        Host dns = lab.host("dns"), gw = lab.host("gw");
        lab.link(dns, "eth0", gw, "eth0");
        dns.addr("eth0", "192.0.2.53/24");
        gw.addr("eth0", "192.0.2.2/24");
        String k0 = key(2048), k1 = key(2048), k2 = key(2048);
        String signedTxt = "X-IPsec-Server(10)=198.51.100.1 " + k0;
        Bind9 bind = Bind9.start(dns, "192.0.2.53", List.of(
                Bind9.Zone.plain("2.0.192.in-addr.arpa", String.join("\n",
                        "10 " + txt("X-IPsec-Server(10)=192.0.2.5 " + k0),
                        "10 " + txt("X-IPsec-Server(10)=192.0.2.6 " + k1),
                        "20 " + txt("X-IPsec-Server(10)=192.0.2.5"),
                        "5 KEY 0x4200 4 1 " + k2,
                        "30 IPSECKEY 10 1 2 192.0.2.5 " + k1,
                        bigRrset(k0, k1), "")),
                Bind9.Zone.signed("100.51.198.in-addr.arpa", "7 " + txt(signedTxt) + "\n"),
                new Bind9.Zone("113.0.203.in-addr.arpa", "7 " + txt("X-IPsec-Server(10)=203.0.113.1 " + k0) + "\n", true,
                        z -> z.replace("203.0.113.1 ", "203.0.113.66 ")),   // tampered after signing
                new Bind9.Zone("0.10.in-addr.arpa", "7.0 " + txt("X-IPsec-Server(10)=10.0.0.1 " + k0) + "\n", true,
                        z -> String.join("\n", z.lines().filter(l -> !l.matches("(?i).*\\s(RRSIG|NSEC|DNSKEY)\\s.*")).toList()) + "\n")));
        assertTrue(bind.dig(gw, "10.2.0.192.in-addr.arpa", "TXT", "+ignore", "+noedns").stdout().contains("flags: qr aa tc"),
                "the two-gateway TXT answer does not fit 512 bytes");

        List<String> plain = run(lab, gw, "192.0.2.53", 3000, null,
                "TXT:10.2.0.192.in-addr.arpa", "TXT:20.2.0.192.in-addr.arpa", "KEY:5.2.0.192.in-addr.arpa",
                "IPSECKEY:30.2.0.192.in-addr.arpa", "TXT:99.2.0.192.in-addr.arpa", "TXT:40.2.0.192.in-addr.arpa", "discover:192.0.2.10", "discover:192.0.2.20",
                "authorize:192.0.2.5:192.0.2.20", "authorize:192.0.2.6:192.0.2.20");
        assertTrue(line(plain, "RESULT TXT:10.2.0.192.in-addr.arpa ").contains("ANSWER validated=false n=2"), String.join("\n", plain));
        assertEquals(List.of("OE ok TXT prec=10 gw=192.0.2.5 key=" + k0, "OE ok TXT prec=10 gw=192.0.2.6 key=" + k1),
                oeLines(plain, "TXT:10.2.0.192.in-addr.arpa").stream().sorted().toList(), "split strings joined, >512 bytes read");
        assertEquals(List.of("OE ok TXT prec=10 gw=192.0.2.5 key=-"), oeLines(plain, "TXT:20.2.0.192.in-addr.arpa"));
        assertEquals(List.of("OE ok KEY prec=-1 gw=(self) key=" + k2), oeLines(plain, "KEY:5.2.0.192.in-addr.arpa"));
        assertEquals(List.of("OE ok IPSECKEY prec=10 gw=192.0.2.5 key=" + k1), oeLines(plain, "IPSECKEY:30.2.0.192.in-addr.arpa"));
        assertTrue(line(plain, "RESULT TXT:40.2.0.192.in-addr.arpa ").contains("ANSWER validated=false n=12"), "a 5 KB answer arrives over TCP");
        assertEquals(12, oeLines(plain, "TXT:40.2.0.192.in-addr.arpa").stream().filter(l -> l.startsWith("OE ok TXT")).count());
        assertTrue(bind.dig(gw, "40.2.0.192.in-addr.arpa", "TXT", "+ignore", "+bufsize=4096").stdout().contains("flags: qr aa tc"),
                "the 12-record answer does not fit EDNS0's 4096 bytes");
        assertTrue(line(plain, "RESULT TXT:99.2.0.192.in-addr.arpa ").contains("ANSWER validated=false n=0"), "NXDOMAIN is an empty answer");
        assertEquals("DISCOVERY discover:192.0.2.10 Found gateway=192.0.2.5 keys=1 source=TXT validated=false", line(plain, "DISCOVERY discover:192.0.2.10"));
        assertEquals("DISCOVERY discover:192.0.2.20 Found gateway=192.0.2.5 keys=1 source=KEY validated=false", line(plain, "DISCOVERY discover:192.0.2.20"),
                "TXT without key: KEY at the gateway's reverse name");
        assertEquals("DISCOVERY authorize:192.0.2.5:192.0.2.20 Found gateway=192.0.2.5 keys=1 source=KEY validated=false",
                line(plain, "DISCOVERY authorize:192.0.2.5:192.0.2.20"));
        assertTrue(line(plain, "DISCOVERY authorize:192.0.2.6:192.0.2.20").contains("NotFound NOT_AUTHORIZED"));

        Path anchors = lab.directory().resolve("anchors");
        Files.writeString(anchors, bind.trustAnchor("100.51.198.in-addr.arpa") + bind.trustAnchor("113.0.203.in-addr.arpa")
                + bind.trustAnchor("0.10.in-addr.arpa"));
        List<String> checked = run(lab, gw, "192.0.2.53", 3000, anchors,
                "TXT:7.100.51.198.in-addr.arpa", "TXT:7.113.0.203.in-addr.arpa", "TXT:7.0.0.10.in-addr.arpa",
                "TXT:10.2.0.192.in-addr.arpa", "discover-validated:198.51.100.7", "discover-validated:203.0.113.7",
                "discover-validated:192.0.2.10", "discover:192.0.2.10");
        String all = String.join("\n", checked);
        assertTrue(line(checked, "RESULT TXT:7.100.51.198.in-addr.arpa ").contains("ANSWER validated=true n=1"), all);
        assertEquals(List.of("OE ok TXT prec=10 gw=198.51.100.1 key=" + k0), oeLines(checked, "TXT:7.100.51.198.in-addr.arpa"));
        assertTrue(line(checked, "RESULT TXT:7.113.0.203.in-addr.arpa ").contains("BOGUS"), "tampered after signing:\n" + all);
        assertTrue(line(checked, "RESULT TXT:7.0.0.10.in-addr.arpa ").contains("BOGUS"), "signatures stripped:\n" + all);
        assertTrue(line(checked, "RESULT TXT:10.2.0.192.in-addr.arpa ").contains("ANSWER validated=false n=2"), "outside every anchor: insecure\n" + all);
        assertEquals("DISCOVERY discover-validated:198.51.100.7 Found gateway=198.51.100.1 keys=1 source=TXT validated=true",
                line(checked, "DISCOVERY discover-validated:198.51.100.7"));
        assertTrue(line(checked, "DISCOVERY discover-validated:203.0.113.7").contains("NotFound NOT_VALIDATED"), all);
        assertTrue(line(checked, "DISCOVERY discover-validated:192.0.2.10").contains("NotFound NOT_VALIDATED"), all);
        assertTrue(line(checked, "DISCOVERY discover:192.0.2.10").contains("Found gateway=192.0.2.5"), "insecure is fine without the policy");
    }

    @Test
    void stoppedServerTimesOutWithoutBlocking(NetnsLab lab) {
        Host dns = lab.host("dns"), gw = lab.host("gw");
        lab.link(dns, "eth0", gw, "eth0");
        dns.addr("eth0", "192.0.2.53/24");
        gw.addr("eth0", "192.0.2.2/24");
        Bind9 bind = Bind9.start(dns, "192.0.2.53", List.of(Bind9.Zone.plain("2.0.192.in-addr.arpa", "10 TXT \"x\"\n")));
        bind.stop();
        // A live host without named answers ICMP port unreachable: a fast DNS failure, not a wait.
        String refused = line(run(lab, gw, "192.0.2.53", 1000, null, "TXT:10.2.0.192.in-addr.arpa"), "RESULT ");
        assertTrue(refused.contains(" FAILURE ") && refused.contains("PortUnreachable"), refused);
        // A dead or filtered server says nothing at all: the per-query timeout decides.
        dns.run("nft", "add table inet silent");
        dns.run("nft", "add chain inet silent in { type filter hook input priority 0 ; policy drop ; }");
        List<String> out = run(lab, gw, "192.0.2.53", 1000, null, "TXT:10.2.0.192.in-addr.arpa");
        String result = line(out, "RESULT ");
        assertTrue(result.contains(" TIMEOUT "), String.join("\n", out));
        long callMicros = Long.parseLong(line(out, "CALL ").substring(5));
        // Well under the 1 s query timeout: the call hands the query over and returns (a cold JVM on a busy machine
        // needs a few hundred ms for the first one).
        assertTrue(callMicros < 600_000, "lookup() returned after " + callMicros + " µs");
        long ms = Long.parseLong(result.replaceAll(".* ms=(\\d+) .*", "$1"));
        assertTrue(ms >= 900 && ms < 5000, "answered after " + ms + " ms");
    }
}
