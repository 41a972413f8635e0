package bitw.ipsec.packet;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;

class IpAddressTest {
    @Test
    void formatsIpv6AsRfc5952() {
        assertEquals("2001:db8:b::2", IpAddress.parse("2001:db8:b:0:0:0:0:2").toString());
        assertEquals("::", IpAddress.parse("::").toString());
        assertEquals("::1", IpAddress.parse("::1").toString());
        assertEquals("fe80::", IpAddress.parse("fe80::").toString());
        assertEquals("2001:db8::1:0:0:1", IpAddress.parse("2001:db8:0:0:1:0:0:1").toString(), "first of equal runs");
        assertEquals("2001:db8:0:1:1:1:1:1", IpAddress.parse("2001:db8:0:1:1:1:1:1").toString(), "a single zero group is not compressed");
    }

    @Test
    void roundTripsAndRejectsNonsense() {
        for (String s : new String[] {"192.0.2.1", "0.0.0.0", "255.255.255.255", "2001:db8::ff", "::ffff:1:2"})
            assertEquals(IpAddress.parse(s), IpAddress.parse(IpAddress.parse(s).toString()));
        for (String s : new String[] {"", "1.2.3", "1.2.3.4.5", "256.1.1.1", "example.org", "2001:::1", "1.2.3.4/24"})
            assertThrows(IllegalArgumentException.class, () -> IpAddress.parse(s), s);
    }
}
