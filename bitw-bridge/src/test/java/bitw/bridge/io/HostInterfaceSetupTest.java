// Specification of HostInterfaceSetup for NIC ports (needs root: tag netns): a prepared port is up but bare and
// invisible to the kernel stack, failures name the command and what it printed, and a missing ethtool is tolerated.
// The TAP side is specified in TapDeviceTest.
package bitw.bridge.io;

import bitw.bridge.io.HostInterfaceSetup.HostSetupException;
import bitw.bridge.io.HostInterfaceSetup.InterfaceAddress;
import bitw.ipsec.packet.IpAddress;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Tag("netns")
class HostInterfaceSetupTest {
    private final HostInterfaceSetup setup = new HostInterfaceSetup();

    private static String sysctl(String key) throws Exception {
        return Files.readString(Path.of("/proc/sys", key)).strip();
    }

    @Test
    void preparedPortIsUpWithoutAddressesIpv6ArpOrForwardingAndWithOffloadsOff() throws Exception {
        try (VethPair pair = VethPair.createDown()) {
            assertEquals("0", sysctl("net/ipv6/conf/" + pair.a + "/disable_ipv6"), "precondition");
            assertTrue(setup.preparePort(pair.a), "ethtool ran");
            String link = Commands.output("ip", "-o", "link", "show", "dev", pair.a);
            assertTrue(link.contains("NOARP") && link.contains(",UP"), link);
            assertEquals("", Commands.output("ip", "-o", "addr", "show", "dev", pair.a).strip(), "no addresses");
            assertEquals("1", sysctl("net/ipv6/conf/" + pair.a + "/disable_ipv6"));
            assertEquals("0", sysctl("net/ipv4/conf/" + pair.a + "/forwarding"));
            String features = Commands.output("ethtool", "-k", pair.a);
            for (String f : List.of("generic-receive-offload: off", "generic-segmentation-offload: off",
                    "tcp-segmentation-offload: off", "tx-checksumming: off"))
                assertTrue(features.contains(f), f + " in\n" + features);
        }
    }

    @Test
    void aMissingEthtoolLeavesOffloadsAloneAndIsNotAnError() throws Exception {
        HostInterfaceSetup withoutEthtool =
                new HostInterfaceSetup(List.of("ip"), "/nonexistent/ethtool", Path.of("/proc/sys"));
        try (VethPair pair = VethPair.createDown()) {
            assertFalse(withoutEthtool.preparePort(pair.a));
            assertTrue(Commands.output("ip", "-o", "link", "show", "dev", pair.a).contains(",UP"));
            assertTrue(Commands.output("ethtool", "-k", pair.a).contains("generic-segmentation-offload: on"));
        }
    }

    @Test
    void aFailingCommandIsReportedWithTheCommandAndItsStderr() {
        HostSetupException e = assertThrows(HostSetupException.class, () -> setup.setMtu("btnosuch0", 1500));
        assertTrue(e.getMessage().contains("ip link set dev btnosuch0 mtu 1500"), e.getMessage());
        assertTrue(e.getMessage().contains("failed (exit 1): Cannot find device"), e.getMessage());
    }

    @Test
    void aFailingSysctlIsReportedWithItsKey() {
        HostSetupException e = assertThrows(HostSetupException.class, () -> setup.preparePort("btnosuch0"));
        assertTrue(e.getMessage().contains("net.ipv6.conf.btnosuch0.disable_ipv6=1"), e.getMessage());
    }

    @Test
    void refusesNamesAndValuesThatCouldBeReadAsOptions() {
        assertThrows(IllegalArgumentException.class, () -> setup.up("-force"));
        assertThrows(IllegalArgumentException.class, () -> setup.setMac("eth0", "02:00:00:00:00"));
        assertThrows(IllegalArgumentException.class, () -> setup.setMtu("eth0", 20));
    }

    @Test
    void interfaceAddressesKeepHostBitsAndCheckThePrefixLength() {
        InterfaceAddress a = InterfaceAddress.parse("192.0.2.1/24");
        assertEquals(IpAddress.parse("192.0.2.1"), a.address());
        assertEquals(24, a.prefixLength());
        InterfaceAddress v6 = InterfaceAddress.parse("2001:db8::1/64");
        assertEquals(IpAddress.parse("2001:db8::1"), v6.address());
        assertEquals(64, v6.prefixLength());
        assertThrows(IllegalArgumentException.class, () -> InterfaceAddress.parse("192.0.2.1/33"));
        assertThrows(IllegalArgumentException.class, () -> InterfaceAddress.parse("192.0.2.1"));
    }
}
