// Specification of PortRange: validation, parsing of "N", "N-M" and "any", and membership at the edges.
package bitw.ipsec.spd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class PortRangeTest {
    @Test
    void parsesSinglePortRangeAndAny() {
        assertEquals(new PortRange(80, 80), PortRange.parse("80"));
        assertEquals(new PortRange(1024, 65535), PortRange.parse("1024-65535"));
        assertEquals(new PortRange(0, 0), PortRange.parse(" 0 "));
        assertEquals(new PortRange(10, 20), PortRange.parse("10 - 20"));
        assertSame(PortRange.ANY, PortRange.parse("any"));
        assertSame(PortRange.ANY, PortRange.parse("ANY"));
        assertTrue(PortRange.parse("0-65535").isAny());
        assertFalse(PortRange.parse("0-65534").isAny());
    }

    @Test
    void rejectsBadTextWithTheReason() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> PortRange.parse("65536")).getMessage().contains("out of range"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> PortRange.parse("20-10")).getMessage().contains("empty"));
        for (String bad : new String[] {"", "-", "http", "1-", "-5", "1-2-3", "+80", "8 0", "99999999999"})
            assertThrows(IllegalArgumentException.class, () -> PortRange.parse(bad), bad);
    }

    @Test
    void rejectsOutOfRangeConstruction() {
        assertThrows(IllegalArgumentException.class, () -> new PortRange(-1, 5));
        assertThrows(IllegalArgumentException.class, () -> new PortRange(0, 65536));
        assertThrows(IllegalArgumentException.class, () -> new PortRange(6, 5));
    }

    @Test
    void containsIsInclusiveAndRejectsMissingPort() {
        PortRange r = new PortRange(1024, 65535);
        assertTrue(r.contains(1024));
        assertTrue(r.contains(65535));
        assertFalse(r.contains(1023));
        assertFalse(r.contains(65536));
        assertTrue(PortRange.ANY.contains(0));
        assertFalse(PortRange.ANY.contains(-1), "-1 means no port; ANY entries accept it through isAny, not contains");
    }

    @Test
    void printsInTheFormItParses() {
        for (String s : new String[] {"any", "80", "1024-65535", "0"}) assertEquals(s, PortRange.parse(s).toString());
    }
}
