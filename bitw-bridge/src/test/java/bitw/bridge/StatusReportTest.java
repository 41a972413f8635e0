// Specification of the status report's sections: each section alone is exactly its part of the whole report,
// in text (80 columns) and in JSON, so the console's show interfaces|policies|sas|drops agree with 'status'.
package bitw.bridge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import bitw.ipsec.sad.SaMode;
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
}
