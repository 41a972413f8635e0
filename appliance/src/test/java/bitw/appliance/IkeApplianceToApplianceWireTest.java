// IKEv2 between two bitw appliances (no strongSwan) in the two-site lab: IIPtran child SAs negotiated on both
// sides, and ChaCha20-Poly1305 with an X25519 + ML-KEM-768 hybrid key exchange (RFC 9370). Pings and a
// checksummed TCP transfer cross both ways, and the WAN carries only IKE and ESP.
package bitw.appliance;

import static org.junit.jupiter.api.Assertions.*;

import bitw.lab.Capture;
import bitw.lab.Host;
import bitw.lab.NetnsLab;
import bitw.lab.NetnsLabExtension;
import bitw.lab.Result;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@Tag("netns")
@ExtendWith(NetnsLabExtension.class)
class IkeApplianceToApplianceWireTest {
    static final String PSK = "appliance-pair-psk-0123456789";
    static TwoSites sites;

    @BeforeAll
    static void build(NetnsLab lab) { sites = new TwoSites(lab); }

    @AfterEach
    void stop() { sites.stop(); }

    static String config(String host, String own, String gw, String peer, String name, String lan, String peerLan, String options, String start) {
        return """
                hostname %s
                interface inside device in
                interface outside device out
                address %s gateway %s
                connection %s peer %s auth psk psk %s %s local-net %s remote-net %s start %s
                policy 10 from %s to %s action configured tunnel %s fallback hold
                policy 100 from any to any action permit
                default-action deny
                """.formatted(host, own, gw, name, peer, PSK, options, lan, peerLan, start, lan, peerLan, name);
    }

    private static void startPair(String options) {
        sites.start(config("site-a", "192.0.2.2/29", "192.0.2.1", "198.51.100.2", "to-b", "10.1.0.0/24", "10.2.0.0/24", options, "on-traffic"),
                    config("site-b", "198.51.100.2/29", "198.51.100.1", "192.0.2.2", "to-a", "10.2.0.0/24", "10.1.0.0/24", options, "wait"));
    }

    private static String context() {
        return "\n--- A:\n" + sites.applianceA.output() + "\n--- B:\n" + sites.applianceB.output();
    }

    /** Pings and 2 MiB over TCP both ways; the WAN shows only IKE and ESP. */
    private static void trafficBothWays() throws Exception {
        sites.hA.exec(Duration.ofSeconds(20), "ping", "-c", "1", "-W", "10", "10.2.0.20"); // starts IKE; may be the held packet
        Capture wan = sites.captureWan();
        for (Host[] pair : new Host[][] {{sites.hA, sites.hB}, {sites.hB, sites.hA}}) {
            String dst = pair[1] == sites.hB ? "10.2.0.20" : "10.1.0.10";
            Result r = pair[0].exec(Duration.ofSeconds(30), "ping", "-c", "3", "-i", "0.2", "-W", "3", dst);
            assertTrue(r.stdout().contains(" 0% packet loss"), r.stdout() + context());
        }
        sites.transfersBothWays(2 << 20, 9, IkeApplianceToApplianceWireTest::context);
        wan.stop();
        assertEquals(0, wan.countMatching("!esp && !isakmp"), "the WAN carries only IKE and ESP");
        assertEquals(0, wan.countMatching("(icmp || tcp) && !esp"), "no cleartext on the WAN");
        assertTrue(wan.countMatching("esp") >= 12 + 2 * 1400, "pings and both transfers in ESP: " + wan.countMatching("esp"));
    }

    @Test
    void iiptranChildSasCarryTrafficBothWays() throws Exception {
        startPair("mode iiptran");
        trafficBothWays();
        String a = sites.status(sites.controlA, "status json"), b = sites.status(sites.controlB, "status json");
        assertTrue(a.contains("{\"tunnel\":\"to-b\",\"direction\":\"out\"") && !a.contains("\"mode\":\"TUNNEL\""), "A's SAs are IIPtran: " + a);
        assertTrue(b.contains("\"mode\":\"IIPTRAN\"") && !b.contains("\"mode\":\"TUNNEL\""), "B's SAs are IIPtran: " + b);
        assertTrue(a.contains("\"mode\":\"IIPTRAN\""), a);
    }

    @Test
    void chacha20poly1305WithMlKemHybridCarriesTrafficBothWays() throws Exception {
        startPair("ike-proposal chacha20poly1305-prfsha256-x25519-ke1_mlkem768 esp-proposal chacha20poly1305");
        trafficBothWays();
        String events = sites.applianceA.output();
        assertTrue(events.contains("IKE SA ") && events.contains("chacha20poly1305-prfsha256-curve25519-ke-mlkem768"), "the hybrid proposal (X25519 + ML-KEM-768) was chosen" + context());
        assertTrue(sites.statusB().contains("chacha20poly1305"), sites.statusB());
    }
}
