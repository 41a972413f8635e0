// Specification of the diff shown by 'show configuration diff' and the commit summary in the audit log.
package bitw.mgmt;

import static org.junit.jupiter.api.Assertions.assertEquals;

import bitw.config.ConfigParser;
import bitw.config.Configuration;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConfigDiffTest {

    @Test
    void unifiedDiffHasHunksWithContext() {
        List<String> a = List.of("1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11", "12");
        List<String> b = List.of("1", "2", "3", "4", "five", "6", "7", "8", "9", "10", "11", "12", "13");
        assertEquals("""
                --- old
                +++ new
                @@ -3,5 +3,5 @@
                 3
                 4
                -5
                +five
                 6
                 7
                @@ -11,2 +11,3 @@
                 11
                 12
                +13
                """, ConfigDiff.unified(a, b, "old", "new"));
        assertEquals("", ConfigDiff.unified(a, a, "old", "new"));
    }

    @Test
    void summaryNamesStatementsByKey() throws Exception {
        Configuration a = ConfigParser.parse(FakeAppliance.SITE);
        Configuration b = a.with(ConfigParser.parseStatement("hostname other"))
                .with(ConfigParser.parseStatement("policy 5 from any to any action deny")).without("policy 20");
        assertEquals("~hostname +policy 5 -policy 20", ConfigDiff.summary(a, b));
        assertEquals("no change", ConfigDiff.summary(a, a));
    }
}
