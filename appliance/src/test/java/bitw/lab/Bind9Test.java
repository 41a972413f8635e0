// The Bind9 fixture serves OE records from a reverse zone, signs a zone with a working trust anchor, and is
// reachable from another lab host; checked with dig, independently of our own DNS client.
package bitw.lab;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@Tag("netns")
@ExtendWith(NetnsLabExtension.class)
class Bind9Test {
    @Test
    void servesTxtKeyAndIpseckeyAndSignsZones(NetnsLab lab) {
        Host dns = lab.host("dns"), client = lab.host("client");
        lab.link(dns, "eth0", client, "eth0");
        dns.addr("eth0", "192.0.2.53/24");
        client.addr("eth0", "192.0.2.2/24");
        Bind9 bind = Bind9.start(dns, "192.0.2.53", List.of(
                Bind9.Zone.plain("2.0.192.in-addr.arpa", """
                        10 TXT "X-IPsec-Server(10)=192.0.2.5"
                        5 KEY 0x4200 4 1 AQNJjkKlIk9nYyUkKK8AQNJjkKlIk9nY
                        11 IPSECKEY 10 1 2 192.0.2.5 AQNJjkKlIk9nYyUkKK8AQNJjkKlIk9nY
                        """),
                Bind9.Zone.signed("example.net", "gw A 203.0.113.5\n")));
        assertTrue(bind.dig(client, "+short", "10.2.0.192.in-addr.arpa", "TXT").stdout().contains("X-IPsec-Server(10)=192.0.2.5"));
        assertTrue(bind.dig(client, "+short", "5.2.0.192.in-addr.arpa", "KEY").stdout().startsWith("16896 4 1 AQNJ"));
        assertTrue(bind.dig(client, "+short", "11.2.0.192.in-addr.arpa", "IPSECKEY").stdout().startsWith("10 1 2 192.0.2.5 AQNJ"));
        String signed = bind.dig(client, "+dnssec", "gw.example.net", "A").stdout();
        assertTrue(signed.contains("RRSIG"), signed);
        assertTrue(bind.trustAnchor("example.net").contains("DNSKEY\t257 3 13") || bind.trustAnchor("example.net").contains("DNSKEY 257 3 13"),
                bind.trustAnchor("example.net"));
        assertTrue(bind.dsRecords("example.net").contains(" DS "), bind.dsRecords("example.net"));
        bind.stop();
        assertFalse(bind.process().isAlive());
    }
}
