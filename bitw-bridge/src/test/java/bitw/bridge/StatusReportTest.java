// Specification of the status report's sections: each section alone is exactly its part of the whole report,
// in text (80 columns) and in JSON, so the console's show interfaces|policies|sas|drops agree with 'status'; and
// what `show sas` tells about each SA (SPI, peer, mode, algorithms, age, counters, lifetime left).
package bitw.bridge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import bitw.ipsec.crypto.EncryptionAlgorithm;
import bitw.ipsec.crypto.EspTransforms;
import bitw.ipsec.crypto.IntegrityAlgorithm;
import bitw.ipsec.packet.IpAddress;
import bitw.ipsec.sad.SaMode;
import bitw.ipsec.sad.SaParameters;
import bitw.ipsec.sad.SaProtocol;
import bitw.ipsec.sad.SecurityAssociation;
import java.util.List;
import bitw.ipsec.spd.Fallback;
import bitw.ipsec.spd.PolicyAction;
import org.junit.jupiter.api.Test;

class StatusReportTest {

    @Test
    void sectionsAreThePartsOfTheWholeReport() {
        try (BackToBack l = new BackToBack(1500, false)) {
            l.tunnel(DataPlaneTest.GCM128, SaMode.TUNNEL, SaMode.TUNNEL, false, false, 7);
            l.policies(PolicyAction.CONFIGURED, Fallback.DROP);
            StatusReport r = new StatusReport(l.a);
            assertEquals(r.text(), r.section("interfaces", false) + "\n" + r.section("drops", false) + "\n"
                    + r.section("policies", false) + "\n" + r.section("sas", false));
            String inner = String.join(",", StatusReport.SECTIONS.stream().map(s -> r.section(s, true))
                    .map(j -> j.substring(1, j.length() - 1)).toList());
            assertTrue(r.section("sas", true).startsWith("{\"sas\":[{\"tunnel\":"), r.section("sas", true));
            assertEquals(r.json().length(), inner.length() + 2);
            for (String s : StatusReport.SECTIONS) assertTrue(r.json().contains(r.section(s, true).substring(1, r.section(s, true).length() - 1)), s);
            for (String line : r.text().lines().toList()) assertTrue(line.length() <= 80, line);
            assertThrows(IllegalArgumentException.class, () -> r.section("routes", false));
        }
    }

    @Test
    void saViewShowsSpiPeerModeAlgorithmsAgeBytesAndLifetimeLeftWithin80Columns() {
        try (BackToBack l = new BackToBack(1500, false)) {
            IpAddress peer = IpAddress.parse("2001:db8:ffff:ffff:ffff:ffff:ffff:2");
            SaParameters p = new SaParameters("branch-office-7", SaParameters.Direction.OUTBOUND, 0xc0ffee01, SaProtocol.ESP, SaMode.TUNNEL,
                    IpAddress.parse("2001:db8:1::2"), peer, EncryptionAlgorithm.AES_CBC_256, new byte[32], IntegrityAlgorithm.HMAC_SHA256_128,
                    new byte[32], true, 4500, 4500, true, 1024, new SaParameters.Lifetime(3000, 3600, 900_000_000_000L, 1_000_000_000_000L),
                    List.of(), List.of());
            l.a.sad().install(new SecurityAssociation(p, EspTransforms.create(p.encryption(), p.encryptionKey(), p.integrity(), p.integrityKey()),
                    null, System.nanoTime()));
            StatusReport r = new StatusReport(l.a);
            String t = r.section("sas", false);
            for (String line : t.lines().toList()) assertTrue(line.length() <= 80, "too wide: " + line);
            assertTrue(t.contains("  branch-off out 0xc0ffee01 tunnel  (below)                 0          0      0\n"), t);
            assertTrue(t.contains("             branch-office-7 peer 2001:db8:ffff:ffff:ffff:ffff:ffff:2,\n"), t);
            assertTrue(t.matches("(?s).*esp aes256/sha256 in udp 4500, age \\d+s,\n\\s+lifetime 3\\d{3}s left and 1000000000000 bytes left\n.*"), t);
            String j = r.section("sas", true);
            assertTrue(j.contains("\"spi\":3237998081,\"mode\":\"TUNNEL\",\"protocol\":\"ESP\",\"peer\":\"2001:db8:ffff:ffff:ffff:ffff:ffff:2\""), j);
            assertTrue(j.matches(".*\"encryption\":\"aes256\",\"integrity\":\"sha256\",\"ageSeconds\":\\d,\"lifetimeSecondsLeft\":3\\d{3},"
                    + "\"lifetimeBytesLeft\":1000000000000,\"packets\":0,\"bytes\":0.*"), j);
        }
    }
}
