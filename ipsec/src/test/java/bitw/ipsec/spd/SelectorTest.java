// Specification of Selector: what a valid selector is and the reference matching semantics.
package bitw.ipsec.spd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import bitw.ipsec.packet.IpAddress;
import bitw.ipsec.packet.IpPrefix;
import org.junit.jupiter.api.Test;

class SelectorTest {
    private static final IpPrefix ANY4 = IpPrefix.any(IpAddress.V4), ANY6 = IpPrefix.any(IpAddress.V6);

    private static String reject(Runnable r) { return assertThrows(IllegalArgumentException.class, r::run).getMessage(); }

    private static boolean matches(Selector s, String src, String dst, int protocol, int sport, int dport) {
        IpAddress a = IpAddress.parse(src), b = IpAddress.parse(dst);
        return s.matches(a.family(), a.hi(), a.lo(), b.hi(), b.lo(), protocol, sport, dport);
    }

    @Test
    void rejectsMixedFamilies() {
        assertTrue(reject(() -> new Selector(ANY4, ANY6, -1, PortRange.ANY, PortRange.ANY, -1, -1)).contains("different address families"));
    }

    @Test
    void rejectsPortsWithoutAPortProtocolIncludingAnyProtocol() {
        PortRange p80 = PortRange.single(80);
        assertTrue(reject(() -> new Selector(ANY4, ANY4, -1, PortRange.ANY, p80, -1, -1)).contains("tcp (6), udp (17) or sctp (132)"));
        reject(() -> new Selector(ANY4, ANY4, 1, p80, PortRange.ANY, -1, -1));
        reject(() -> new Selector(ANY4, ANY4, 50, PortRange.ANY, p80, -1, -1));
        for (int protocol : new int[] {6, 17, 132}) assertEquals(p80, new Selector(ANY4, ANY4, protocol, p80, p80, -1, -1).sourcePorts());
    }

    @Test
    void rejectsIcmpFieldsOutsideTheFamilysIcmp() {
        assertTrue(reject(() -> new Selector(ANY4, ANY4, 58, PortRange.ANY, PortRange.ANY, 8, -1)).contains("protocol 1 for IPv4"));
        assertTrue(reject(() -> new Selector(ANY6, ANY6, 1, PortRange.ANY, PortRange.ANY, 128, -1)).contains("protocol 58 for IPv6"));
        reject(() -> new Selector(ANY4, ANY4, -1, PortRange.ANY, PortRange.ANY, 8, -1));
        reject(() -> new Selector(ANY4, ANY4, 6, PortRange.ANY, PortRange.ANY, -1, 0));
        assertTrue(reject(() -> new Selector(ANY4, ANY4, 1, PortRange.ANY, PortRange.ANY, -1, 0)).contains("without an ICMP type"));
        assertEquals(0, new Selector(ANY6, ANY6, 58, PortRange.ANY, PortRange.ANY, 1, 0).icmpCode());
    }

    @Test
    void rejectsOutOfRangeNumbersAndNulls() {
        reject(() -> new Selector(ANY4, ANY4, 256, PortRange.ANY, PortRange.ANY, -1, -1));
        reject(() -> new Selector(ANY4, ANY4, -2, PortRange.ANY, PortRange.ANY, -1, -1));
        reject(() -> new Selector(ANY4, ANY4, 1, PortRange.ANY, PortRange.ANY, 256, -1));
        reject(() -> new Selector(ANY4, ANY4, 1, PortRange.ANY, PortRange.ANY, 3, 256));
        reject(() -> new Selector(null, ANY4, -1, PortRange.ANY, PortRange.ANY, -1, -1));
        reject(() -> new Selector(ANY4, ANY4, -1, null, PortRange.ANY, -1, -1));
    }

    @Test
    void anyMatchesEverythingOfItsFamilyIncludingMissingPorts() {
        Selector s = Selector.any(IpAddress.V6);
        assertTrue(matches(s, "::", "ffff::1", 0, -1, -1));
        assertTrue(matches(s, "2001:db8::1", "2001:db8::2", 255, 65535, 0));
        assertFalse(matches(s, "10.0.0.1", "10.0.0.2", 6, 1, 1));
    }

    @Test
    void specificPortsNeedThePortToBePresent() {
        Selector s = new Selector(IpPrefix.parse("10.0.0.0/8"), ANY4, 6, PortRange.parse("1024-65535"), PortRange.single(443), -1, -1);
        assertTrue(matches(s, "10.1.1.1", "192.0.2.1", 6, 1024, 443));
        assertFalse(matches(s, "10.1.1.1", "192.0.2.1", 6, -1, 443));
        assertFalse(matches(s, "10.1.1.1", "192.0.2.1", 6, 1024, -1));
        assertFalse(matches(s, "10.1.1.1", "192.0.2.1", 17, 1024, 443));
        assertFalse(matches(s, "11.1.1.1", "192.0.2.1", 6, 1024, 443));
    }

    @Test
    void icmpTypeIsTheSourcePortSlotAndCodeTheDestination() {
        Selector s = new Selector(ANY4, ANY4, 1, PortRange.ANY, PortRange.ANY, 3, 4);
        assertTrue(matches(s, "1.1.1.1", "2.2.2.2", 1, 3, 4));
        assertFalse(matches(s, "1.1.1.1", "2.2.2.2", 1, 4, 3));
        assertFalse(matches(s, "1.1.1.1", "2.2.2.2", 1, 3, -1));
        assertFalse(matches(s, "1.1.1.1", "2.2.2.2", 1, -1, -1));
    }

    @Test
    void printsTheSelectorReadably() {
        assertEquals("10.0.0.0/8 -> 0.0.0.0/0 proto 6 dport 443",
                new Selector(IpPrefix.parse("10.0.0.0/8"), ANY4, 6, PortRange.ANY, PortRange.single(443), -1, -1).toString());
    }
}
