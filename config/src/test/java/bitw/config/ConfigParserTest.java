// Specification of the configuration language by example: a complete file and what each statement means.
package bitw.config;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import bitw.ipsec.crypto.EncryptionAlgorithm;
import bitw.ipsec.crypto.IntegrityAlgorithm;
import bitw.ipsec.packet.IpAddress;
import bitw.ipsec.packet.IpPrefix;
import bitw.ipsec.sad.SaMode;
import bitw.ipsec.sad.SaParameters;
import bitw.ipsec.sad.SaParameters.Direction;
import bitw.ipsec.sad.SaProtocol;
import bitw.ipsec.spd.PolicyAction;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ConfigParserTest {

    static final String GCM_IN = "0102030405060708090a0b0c0d0e0f10" + "a1a2a3a4";
    static final String GCM_OUT = "1112131415161718191a1b1c1d1e1f20" + "b1b2b3b4";
    static final String SHA256_KEY = "00".repeat(31) + "01";

    static final String EXAMPLE = """
            # bitw-a: the branch office side
            hostname bitw-a
            interface inside device eth0                       # the LAN port
            interface outside device eth1 mtu 1492
            address 198.51.100.2/24 gateway 198.51.100.1
            address 2001:db8:1::2/64 gateway 2001:db8:1::1
            mac 02:00:5e:00:53:01
            l2 lldp drop
            l2 other drop
            nat-keepalive 25

            tunnel to-b peer 203.0.113.7 encap udp \\
                   spi-in 0x1001 spi-out 4098 \\
                   key-in 0x%s key-out %s \\
                   local-net 10.1.0.0/16 remote-net 10.2.0.0/16 remote-net 10.3.0.0/16
            tunnel ah-c peer 2001:db8:2::7 protocol ah mode iiptran integ sha256 \\
                   spi-in 300 spi-out 301 integ-key-in %s integ-key-out %s \\
                   esn off replay-window 64 lifetime-seconds 3000/3600 lifetime-bytes 1000000/2000000

            policy 10 name ssh-to-b from 10.1.0.0/16 to 10.2.0.0/16 proto tcp dport 22 action configured tunnel to-b
            policy 20 from 10.1.0.0/16 to 10.3.0.0/16 proto udp sport 1024-65535 action configured tunnel to-b fallback drop
            policy 5 from any to any proto icmpv6 icmp-type 135 action permit
            policy 30 from any to 192.0.2.0/24 action opportunistic
            policy 40 from any to any action deny
            default-action permit
            log-level debug
            """.formatted(GCM_IN, GCM_OUT, SHA256_KEY, "ab:".repeat(31) + "cd");

    static IpAddress ip(String s) { return AddressText.parseAddress(s); }
    static IpPrefix net(String s) { return AddressText.parsePrefix(s); }

    @Test
    void parsesTheFullExampleIntoTheExpectedModel() throws ConfigException {
        Configuration c = ConfigParser.parse(EXAMPLE);

        assertEquals("bitw-a", c.hostname());
        assertEquals(new InterfaceConfig(InterfaceRole.INSIDE, "eth0", 1500), c.interfaces().get(InterfaceRole.INSIDE));
        assertEquals(new InterfaceConfig(InterfaceRole.OUTSIDE, "eth1", 1492), c.interfaces().get(InterfaceRole.OUTSIDE));
        assertEquals(List.of(new OwnAddress(ip("198.51.100.2"), 24, Optional.of(ip("198.51.100.1"))),
                new OwnAddress(ip("2001:db8:1::2"), 64, Optional.of(ip("2001:db8:1::1")))), c.addresses());
        assertEquals(Optional.of(new MacAddress(0x02005e005301L)), c.mac());
        assertEquals(Map.of(L2Class.ARP, L2Action.PASS, L2Class.VLAN, L2Action.PASS, L2Class.LLDP, L2Action.DROP,
                L2Class.IPV6_ND, L2Action.PASS, L2Class.OTHER, L2Action.DROP), c.l2Policy());
        assertEquals(25, c.natKeepaliveSeconds());
        assertEquals(PolicyAction.PERMIT, c.defaultAction());
        assertEquals(LogLevel.DEBUG, c.logLevel());

        assertEquals(List.of("ah-c", "to-b"), List.copyOf(c.tunnels().keySet()), "tunnels ordered by name");
        TunnelConfig b = c.tunnels().get("to-b");
        assertEquals(new TunnelConfig("to-b", ip("203.0.113.7"), Optional.empty(), SaMode.TUNNEL, SaProtocol.ESP, true,
                EncryptionAlgorithm.AES_GCM_128, IntegrityAlgorithm.NONE, 0x1001, 4098,
                KeyMaterial.of(HexFormat.of().parseHex(GCM_IN)), KeyMaterial.of(HexFormat.of().parseHex(GCM_OUT)),
                KeyMaterial.EMPTY, KeyMaterial.EMPTY, true, 1024, SaParameters.Lifetime.UNLIMITED,
                List.of(net("10.1.0.0/16")), List.of(net("10.2.0.0/16"), net("10.3.0.0/16"))), b);
        TunnelConfig ah = c.tunnels().get("ah-c");
        assertEquals(SaProtocol.AH, ah.protocol());
        assertEquals(SaMode.IIPTRAN, ah.mode());
        assertEquals(EncryptionAlgorithm.NULL, ah.encryption());
        assertEquals(IntegrityAlgorithm.HMAC_SHA256_128, ah.integrity());
        assertFalse(ah.esn());
        assertEquals(64, ah.replayWindow());
        assertEquals(new SaParameters.Lifetime(3000, 3600, 1000000, 2000000), ah.lifetime());
        assertEquals(List.of(IpPrefix.any(4), IpPrefix.any(6)), ah.effectiveLocalNets(), "no selectors: any of both families");

        assertEquals(List.of(5, 10, 20, 30, 40), c.policies().stream().map(PolicyConfig::number).toList(), "sorted by number");
        PolicyConfig p10 = c.policy(10).orElseThrow();
        assertEquals(new PolicyConfig(10, Optional.of("ssh-to-b"), Optional.of(net("10.1.0.0/16")), Optional.of(net("10.2.0.0/16")),
                6, PortRange.ANY, new PortRange(22, 22), -1, -1, PolicyAction.CONFIGURED, Optional.of("to-b"), FallbackChoice.HOLD), p10);
        PolicyConfig p20 = c.policy(20).orElseThrow();
        assertEquals(new PortRange(1024, 65535), p20.sourcePorts());
        assertEquals(FallbackChoice.DROP, p20.fallback());
        PolicyConfig p5 = c.policy(5).orElseThrow();
        assertEquals(58, p5.protocol());
        assertEquals(135, p5.icmpType());
        assertEquals(-1, p5.icmpCode());
        assertEquals(List.of(new PolicyConfig.AddressPair(IpPrefix.any(6), IpPrefix.any(6))), p5.addressPairs(), "icmpv6 selects IPv6 only");
        PolicyConfig p30 = c.policy(30).orElseThrow();
        assertEquals(PolicyAction.OPPORTUNISTIC, p30.action());
        assertEquals(FallbackChoice.CLEAR, p30.fallback(), "opportunistic falls back to clear by default");
        assertEquals(List.of(new PolicyConfig.AddressPair(IpPrefix.any(4), net("192.0.2.0/24"))), p30.addressPairs(),
                "'any' takes the family of the other side");
        assertEquals(List.of(new PolicyConfig.AddressPair(IpPrefix.any(4), IpPrefix.any(4)),
                new PolicyConfig.AddressPair(IpPrefix.any(6), IpPrefix.any(6))), c.policy(40).orElseThrow().addressPairs(),
                "any to any: one entry per family");
    }

    @Test
    void tunnelProducesInboundAndOutboundSaParameters() throws ConfigException {
        Configuration c = ConfigParser.parse(EXAMPLE);
        List<SaParameters> sas = c.saParameters("to-b");
        assertEquals(2, sas.size());
        SaParameters in = sas.get(0), out = sas.get(1);
        assertEquals(Direction.INBOUND, in.direction());
        assertEquals(Direction.OUTBOUND, out.direction());
        assertEquals("to-b", in.name());
        assertEquals("to-b", out.name());
        assertEquals(0x1001, in.spi());
        assertEquals(4098, out.spi());
        assertEquals(ip("198.51.100.2"), in.localAddress(), "local defaults to the own address of the peer's family");
        assertEquals(ip("203.0.113.7"), out.peerAddress());
        assertArrayEquals(HexFormat.of().parseHex(GCM_IN), in.encryptionKey());
        assertArrayEquals(HexFormat.of().parseHex(GCM_OUT), out.encryptionKey());
        assertEquals(0, in.integrityKey().length);
        assertTrue(in.udpEncapsulation());
        assertEquals(4500, in.localPort());
        assertEquals(4500, in.peerPort());
        assertTrue(in.esn());
        assertEquals(1024, in.replayWindow());
        assertEquals(List.of(net("10.1.0.0/16")), out.localSelectors());
        assertEquals(List.of(net("10.2.0.0/16"), net("10.3.0.0/16")), out.remoteSelectors());

        List<SaParameters> ah = c.saParameters("ah-c");
        assertEquals(SaProtocol.AH, ah.get(0).protocol());
        assertEquals(EncryptionAlgorithm.NULL, ah.get(0).encryption(), "AH carries EncryptionAlgorithm.NULL");
        assertEquals(0, ah.get(0).encryptionKey().length);
        assertArrayEquals(HexFormat.of().parseHex(SHA256_KEY), ah.get(0).integrityKey(), "the AH key is the integrity key");
        assertArrayEquals(HexFormat.of().parseHex("ab".repeat(31) + "cd"), ah.get(1).integrityKey(), "':'-separated hex");
        assertEquals(ip("2001:db8:1::2"), ah.get(1).localAddress());
        assertEquals(0, ah.get(0).localPort(), "no UDP ports without encapsulation");
        assertEquals(new SaParameters.Lifetime(3000, 3600, 1000000, 2000000), ah.get(0).lifetime());

        assertEquals(4, c.saParameters().size());
    }

    @Test
    void appliesDefaultsForEverythingNotWritten() throws ConfigException {
        Configuration c = ConfigParser.parse("interface inside device eth0\ninterface outside device eth1\n");
        assertEquals("bitw", c.hostname());
        assertEquals(1500, c.interfaces().get(InterfaceRole.OUTSIDE).mtu());
        assertTrue(c.addresses().isEmpty());
        assertTrue(c.mac().isEmpty());
        assertTrue(c.l2Policy().values().stream().allMatch(a -> a == L2Action.PASS));
        assertEquals(5, c.l2Policy().size());
        assertEquals(20, c.natKeepaliveSeconds());
        assertEquals(PolicyAction.DENY, c.defaultAction(), "fail closed");
        assertEquals(LogLevel.INFO, c.logLevel());
    }

    @Test
    void defaultsIntegrityBySha256ForNonAeadAndNoneForAead() throws ConfigException {
        String base = "interface inside device eth0\ninterface outside device eth1\naddress 198.51.100.2/24\n";
        Configuration c = ConfigParser.parse(base
                + "tunnel cbc peer 203.0.113.7 enc aes256 spi-in 256 spi-out 257 key-in " + "11".repeat(32) + " key-out " + "22".repeat(32)
                + " integ-key-in " + "33".repeat(32) + " integ-key-out " + "44".repeat(32) + "\n"
                + "tunnel gcm peer 203.0.113.8 spi-in 258 spi-out 259 key-in " + "55".repeat(20) + " key-out " + "66".repeat(20) + "\n");
        assertEquals(IntegrityAlgorithm.HMAC_SHA256_128, c.tunnels().get("cbc").integrity());
        assertEquals(IntegrityAlgorithm.NONE, c.tunnels().get("gcm").integrity());
        assertEquals(EncryptionAlgorithm.AES_GCM_128, c.tunnels().get("gcm").encryption());
    }

    @Test
    void continuationJoinsLinesAndCommentsMayFollowTheBackslash() throws ConfigException {
        String text = "interface inside \\   # the role\n   device eth0 \\\n\n"   // blank line ends the statement
                + "interface outside device eth1\r\n";
        Configuration c = ConfigParser.parse(text);
        assertEquals("eth0", c.interfaces().get(InterfaceRole.INSIDE).device());
        assertEquals("eth1", c.interfaces().get(InterfaceRole.OUTSIDE).device(), "CRLF line ends are accepted");
    }

    @Test
    void optionsMayComeInAnyOrder() throws ConfigException {
        String base = "interface inside device eth0\ninterface outside device eth1\naddress 198.51.100.2/24\n";
        Configuration a = ConfigParser.parse(base + "tunnel t spi-out 301 key-out " + "11".repeat(20) + " peer 203.0.113.1 key-in " + "22".repeat(20) + " spi-in 300\n"
                + "policy 1 action configured to 10.0.0.0/8 tunnel t from any\n");
        Configuration b = ConfigParser.parse(base + "tunnel t peer 203.0.113.1 spi-in 300 spi-out 301 key-in " + "22".repeat(20) + " key-out " + "11".repeat(20) + "\n"
                + "policy 1 from any to 10.0.0.0/8 action configured tunnel t\n");
        assertEquals(a, b);
    }

    @Test
    void rendersCanonicalTextThatParsesBackToTheSameConfiguration() throws ConfigException {
        Configuration c = ConfigParser.parse(EXAMPLE);
        String text = c.render();
        assertEquals(c, ConfigParser.parse(text));
        assertEquals(text, ConfigParser.parse(text).render(), "rendering is a fixed point");
        assertTrue(text.contains("address 2001:db8:1::2/64 gateway 2001:db8:1::1\n"), "IPv6 in RFC 5952 form:\n" + text);
        assertTrue(text.contains("policy 5 from any to any proto icmpv6 icmp-type 135 action permit\n"), text);
        assertTrue(text.indexOf("policy 5 ") < text.indexOf("policy 10 "), "policies in number order");
    }

    @Test
    void keysCompareByContentAndNeverPrintTheirBytes() {
        KeyMaterial a = KeyMaterial.parseHex("0x0A0b:0c".replace(":0c", "0c"));
        KeyMaterial b = KeyMaterial.parseHex("0a:0b:0c");
        assertEquals(a, b);
        assertEquals(a.hashCode(), b.hashCode());
        assertEquals("0a0b0c", b.toHex());
        assertEquals("KeyMaterial[3 bytes]", b.toString());
        assertThrows(IllegalArgumentException.class, () -> KeyMaterial.parseHex("a:bc"));
        assertThrows(IllegalArgumentException.class, () -> KeyMaterial.parseHex("abc"));
        assertThrows(IllegalArgumentException.class, () -> KeyMaterial.parseHex("0x"));
        assertThrows(IllegalArgumentException.class, () -> KeyMaterial.parseHex("zz"));
    }

    @Test
    void writesIpv6AddressesInRfc5952Form() {
        assertEquals("2001:db8::1", AddressText.addressText(ip("2001:0db8:0:0:0:0:0:1")));
        assertEquals("2001:db8:0:1:1:1:1:1", AddressText.addressText(ip("2001:db8:0:1:1:1:1:1")), "a single zero group is not compressed");
        assertEquals("2001:0:0:1::1", AddressText.addressText(ip("2001:0:0:1:0:0:0:1")), "the longest run is compressed");
        assertEquals("::", AddressText.addressText(ip("::")));
        assertEquals("::1", AddressText.addressText(ip("::1")));
        assertEquals("fe80::", AddressText.addressText(ip("fe80::")));
    }
}
