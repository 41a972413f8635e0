// Specification of console changes: 'set <statement>' replaces the statement with the same key, 'delete <key>'
// removes it (or resets a setting to its default), and no change may leave the configuration with a new error.
package bitw.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import bitw.ipsec.spd.PolicyAction;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ConsoleStatementTest {

    static final String GCM_KEYS = " key-in " + "11".repeat(20) + " key-out " + "22".repeat(20);
    static final String FILE = """
            interface inside device eth0
            interface outside device eth1
            address 198.51.100.2/24
            tunnel to-b peer 203.0.113.7 spi-in 300 spi-out 301%s
            policy 10 from any to 10.2.0.0/16 action configured tunnel to-b
            policy 20 from any to any action permit
            """.formatted(GCM_KEYS);

    static Configuration loaded() throws ConfigException { return ConfigParser.parse(FILE); }

    static Statement set(String text) throws ConfigException { return ConfigParser.parseStatement(text); }

    @Test
    void everyStatementHasTheKeyThatSetReplacesAndDeleteNames() throws ConfigException {
        assertEquals("policy 10", set("policy 10 from any to any action deny").key());
        assertEquals("tunnel to-b", set("tunnel to-b peer 203.0.113.7 spi-in 300 spi-out 301" + GCM_KEYS).key());
        assertEquals("interface inside", set("interface inside device eth0").key());
        assertEquals("address v4", set("address 198.51.100.2/24").key());
        assertEquals("address v6", set("address 2001:db8::2/64").key());
        assertEquals("l2 arp", set("l2 arp drop").key());
        assertEquals("mac", set("mac 02:00:5e:00:53:01").key());
        assertEquals("hostname", set("hostname b").key());
        assertEquals("nat-keepalive", set("nat-keepalive 0").key());
        assertEquals("default-action", set("default-action permit").key());
        assertEquals("log-level", set("log-level warn").key());
    }

    @Test
    void setReplacesTheStatementWithTheSameKey() throws ConfigException {
        Configuration before = loaded();
        Configuration after = before.with(set("policy 10 from any to 10.9.0.0/16 action deny"));
        assertEquals(PolicyAction.DENY, after.policy(10).orElseThrow().action());
        assertEquals(2, after.policies().size());
        assertEquals(PolicyAction.CONFIGURED, before.policy(10).orElseThrow().action(), "the old configuration is unchanged");
        Configuration moved = before.with(set("address 198.51.100.3/24"));
        assertEquals(1, moved.addresses().size());
        assertEquals("198.51.100.3", moved.addresses().get(0).address().toString());
    }

    @Test
    void setAddsAStatementWithANewKey() throws ConfigException {
        Configuration after = loaded().with(set("policy 15 from 10.1.0.0/16 to any proto tcp dport 443 action permit"));
        assertEquals(List.of(10, 15, 20), after.policies().stream().map(PolicyConfig::number).toList());
    }

    @Test
    void deleteRemovesOrResetsToTheDefault() throws ConfigException {
        Configuration c = loaded().with(set("l2 arp drop")).with(set("hostname gw-7")).with(set("mac 02:00:5e:00:53:01"));
        assertEquals(L2Action.DROP, c.l2Policy().get(L2Class.ARP));
        assertEquals(L2Action.PASS, c.without("l2 arp").l2Policy().get(L2Class.ARP));
        assertEquals("bitw", c.without("hostname").hostname());
        assertEquals(Optional.empty(), c.without("mac").mac());
        assertEquals(List.of(10), c.without("  policy   20 ").policies().stream().map(PolicyConfig::number).toList(), "keys are whitespace-normalized");
        Configuration noPolicy = c.without("policy 10");
        assertTrue(noPolicy.without("tunnel to-b").tunnels().isEmpty());
    }

    @Test
    void deletingSomethingAbsentIsAnError() throws ConfigException {
        ConfigException e = assertThrows(ConfigException.class, () -> loaded().without("policy 99"));
        assertEquals("configuration: nothing to delete: no statement 'policy 99'", e.getMessage());
        assertThrows(ConfigException.class, () -> loaded().without("mac"), "no mac was set");
        assertThrows(ConfigException.class, () -> loaded().without("bogus"));
    }

    @Test
    void aChangeThatBreaksAReferenceIsRejected() throws ConfigException {
        Configuration c = loaded();
        ConfigException deleted = assertThrows(ConfigException.class, () -> c.without("tunnel to-b"));
        assertEquals(List.of(new ConfigError(0, "policy 10: tunnel 'to-b' is not defined")), deleted.errors());
        ConfigException dangling = assertThrows(ConfigException.class, () -> c.with(set("policy 30 from any to any action configured tunnel nope")));
        assertTrue(dangling.getMessage().contains("policy 30: tunnel 'nope' is not defined"), dangling.getMessage());
        assertThrows(ConfigException.class, () -> c.without("interface inside"), "a required statement cannot be deleted");
        assertThrows(ConfigException.class, () -> c.with(set("address 2001:db8::2/64")).without("address v4"),
                "the IPv4 tunnel needs the IPv4 address");
        assertThrows(ConfigException.class, () -> c.with(set("tunnel to-c peer 203.0.113.8 spi-in 300 spi-out 302" + GCM_KEYS)),
                "spi-in 300 is taken by to-b");
    }

    @Test
    void aStatementIsCheckedOnItsOwnWhenParsed() {
        ConfigException e = assertThrows(ConfigException.class, () -> set("tunnel t peer 203.0.113.7 spi-in 300 \\\n spi-out 301 key-in 00 key-out 00"));
        assertEquals(List.of(new ConfigError(2, "tunnel t: key-in is 1 bytes; enc aes128gcm16 needs 20 (16-byte key + 4-byte salt)"),
                new ConfigError(2, "tunnel t: key-out is 1 bytes; enc aes128gcm16 needs 20 (16-byte key + 4-byte salt)")), e.errors());
        assertEquals(1, assertThrows(ConfigException.class, () -> set("polcy 1")).errors().get(0).line());
        assertEquals("line 1: empty statement", assertThrows(ConfigException.class, () -> set("   # nothing")).getMessage());
        assertEquals("line 1: expected one statement, found 2",
                assertThrows(ConfigException.class, () -> set("hostname a\nhostname b")).getMessage());
    }

    @Test
    void aStatementBuiltInCodeIsValidatedByWith() throws ConfigException {
        Configuration c = loaded();
        ConfigException e = assertThrows(ConfigException.class, () -> c.with(new Statement.NatKeepalive(-5)));
        assertEquals("configuration: nat-keepalive: nat-keepalive -5 outside 0..3600", e.getMessage());
        assertThrows(ConfigException.class, () -> c.with(new Statement.DefaultAction(PolicyAction.CONFIGURED)));
    }

    @Test
    void aConfigurationCanBeBuiltStatementByStatementFromDefaults() throws ConfigException {
        Configuration c = Configuration.defaults();
        for (String line : FILE.strip().split("\n")) c = c.with(set(line));
        assertEquals(loaded(), c);
        assertTrue(Validator.validate(c).isEmpty());
        assertNotEquals(c, Configuration.defaults());
        assertEquals(Optional.of(new Statement.NatKeepalive(20)), c.statement("nat-keepalive"), "defaults are statements too");
    }

    @Test
    void connectionsAreSetAndDeletedLikeTunnels() throws ConfigException {
        Statement hq = set("connection hq peer 203.0.113.9 auth psk psk \"correct horse battery\" \\\n remote-net 10.5.0.0/16");
        assertEquals("connection hq", hq.key());
        Configuration c = loaded().with(hq).with(set("policy 30 from any to 10.5.1.0/24 action configured tunnel hq"));
        assertEquals("correct horse battery", c.connections().get("hq").psk().orElseThrow().reveal());
        ConfigException refused = assertThrows(ConfigException.class, () -> c.without("connection  hq"));
        assertEquals(List.of(new ConfigError(0, "policy 30: tunnel 'hq' is not defined")), refused.errors());
        Configuration without = c.without("policy 30").without("connection hq");
        assertTrue(without.connections().isEmpty());
        ConfigException clash = assertThrows(ConfigException.class,
                () -> loaded().with(set("connection to-b peer 203.0.113.9 auth psk psk correct-horse-battery")));
        assertEquals(List.of(new ConfigError(0, "connection to-b: the name to-b is already a tunnel; tunnels and connections share one namespace")),
                clash.errors());
        ConfigException weak = assertThrows(ConfigException.class, () -> loaded().with(set("connection x peer 203.0.113.9 auth psk psk short")));
        assertEquals(1, weak.errors().size());
        assertEquals(1, weak.errors().get(0).line(), "a console statement's errors are on its line 1");
    }
}
