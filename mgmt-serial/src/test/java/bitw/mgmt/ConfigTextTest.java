// The console's configuration text: lines fit 80 columns and still parse to the same configuration, and a
// statement's line number there is what commit errors quote.
package bitw.mgmt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import bitw.config.ConfigParser;
import bitw.config.Configuration;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConfigTextTest {

    @Test
    void lineOfAStatementIsWhereItBeginsInTheWrappedText() throws Exception {
        Configuration c = ConfigParser.parse(FakeAppliance.SITE);
        List<String> lines = ConfigText.of(c).lines().toList();
        assertTrue(lines.stream().anyMatch(l -> l.endsWith("\\")), "the tunnel statement is wrapped: " + lines);
        for (String key : List.of("hostname", "tunnel to-b", "policy 10", "policy 20")) {
            int n = ConfigText.lineOf(c, key);
            String first = c.statements().stream().filter(s -> s.key().equals(key)).findFirst().orElseThrow().render();
            assertTrue(first.startsWith(lines.get(n - 1).replace(" \\", "").strip()), key + " at line " + n + ": " + lines.get(n - 1));
        }
        assertTrue(ConfigText.lineOf(c, "policy 20") > ConfigText.lineOf(c, "tunnel to-b") + 1, "after the tunnel's continuation lines");
        assertEquals(0, ConfigText.lineOf(c, "connection nowhere"));
        assertEquals(c, ConfigParser.parse(ConfigText.of(c)));
    }
}
