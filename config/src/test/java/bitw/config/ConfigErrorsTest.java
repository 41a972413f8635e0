// Specification of error reporting: every mistake is rejected with the line it is on and what is wrong,
// and a file with any error is rejected whole.
package bitw.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.List;
import org.junit.jupiter.api.Test;

class ConfigErrorsTest {

    /** Four valid lines; statements added by a test start on line 5. */
    static final String BASE = """
            interface inside device eth0
            interface outside device eth1
            address 198.51.100.2/24 gateway 198.51.100.1
            address 2001:db8:1::2/64
            """;
    static final String GCM_KEYS = " key-in " + "11".repeat(20) + " key-out " + "22".repeat(20);
    static final String TUNNEL_T = "tunnel t peer 203.0.113.7 spi-in 300 spi-out 301" + GCM_KEYS + "\n";

    static List<ConfigError> errors(String text) {
        try {
            ConfigParser.parse(text);
        } catch (ConfigException e) {
            return e.errors();
        }
        return fail("accepted:\n" + text);
    }

    /** Asserts exactly one error, on {@code line}, whose message contains every fragment. */
    static void rejects(String text, int line, String... fragments) {
        List<ConfigError> errors = errors(text);
        assertEquals(1, errors.size(), "expected one error, got " + errors);
        ConfigError e = errors.get(0);
        assertEquals(line, e.line(), "line of " + e);
        for (String f : fragments) assertTrue(e.message().contains(f), "'" + e.message() + "' should mention '" + f + "'");
    }

    @Test
    void theBaseIsValid() throws ConfigException {
        ConfigParser.parse(BASE + TUNNEL_T);
    }

    @Test
    void unknownStatementSuggestsTheClosestKeyword() {
        rejects(BASE + "tunel t peer 203.0.113.7\n", 5, "unknown statement 'tunel'", "did you mean 'tunnel'?");
        rejects(BASE + "defualt-action deny\n", 5, "did you mean 'default-action'?");
        rejects(BASE + "frobnicate 7\n", 5, "unknown statement 'frobnicate'", "expected one of: hostname, interface");
    }

    @Test
    void anOptionAtTheStartOfALinePointsAtAMissingContinuation() {
        List<ConfigError> errors = errors(BASE + "tunnel t peer 203.0.113.7\n  spi-in 300 spi-out 301" + GCM_KEYS + "\n");
        assertEquals(new ConfigError(6, "'spi-in' is a tunnel option, not a statement: does the line before lack its trailing '\\'?"),
                errors.get(errors.size() - 1));
        assertEquals(new ConfigError(5, "tunnel t needs 'spi-in <spi>'"), errors.get(0));
    }

    @Test
    void unknownOptionNamesTheContinuationLineItIsOn() {
        rejects(BASE + "tunnel t peer 203.0.113.7 \\\n  spi-inn 300 spi-out 301\n", 6, "unknown tunnel option 'spi-inn'", "did you mean 'spi-in'?");
        rejects(BASE + "l2 arp dorp\n", 5, "unknown l2 action 'dorp'", "did you mean 'drop'?");
        rejects(BASE + "tunnel t peer 203.0.113.7 spi-in 300 spi-out 301 enc aes128gcm" + GCM_KEYS + "\n", 5,
                "unknown enc algorithm 'aes128gcm'", "did you mean 'aes128gcm16'?");
    }

    @Test
    void badPrefixesAreRejectedWithTheReason() {
        rejects(BASE + "policy 1 from 10.0.0.0/33 to any action deny\n", 5, "prefix length 33 is longer than 32");
        rejects(BASE + "policy 1 from 10.0.0/8 to any action deny\n", 5, "'10.0.0' is not an IP address");
        rejects(BASE + "policy 1 from 300.1.1.0/24 to any action deny\n", 5, "'300.1.1.0' is not an IP address");
        rejects(BASE + "policy 1 from 10.0.0.0/x to any action deny\n", 5, "bad prefix length");
        rejects(BASE + "policy 1 from fe80::1%eth0/64 to any action deny\n", 5, "is not an IP address");
        rejects(BASE + "policy 1 from 010.0.0.0/8 to any action deny\n", 5, "leading zero");
    }

    @Test
    void hostBitsInASelectorAreAnErrorWithTheIntendedPrefixSuggested() {
        rejects(BASE + "policy 1 from 10.1.2.3/16 to any action deny\n", 5, "10.1.2.3/16 has host bits set", "did you mean 10.1.0.0/16?");
        rejects(BASE + "tunnel t peer 203.0.113.7 spi-in 300 spi-out 301" + GCM_KEYS + " \\\n remote-net 2001:db8::1/32\n", 6,
                "has host bits set", "2001:db8::/32");
    }

    @Test
    void badHexInAKeyIsRejected() {
        rejects(BASE + "tunnel t peer 203.0.113.7 spi-in 300 spi-out 301 key-in 0xzz" + "11".repeat(19) + " key-out " + "22".repeat(20) + "\n",
                5, "bad hex in key-in", "'z' is not a hex digit");
        rejects(BASE + "tunnel t peer 203.0.113.7 spi-in 300 spi-out 301 key-in " + "1".repeat(39) + " key-out " + "22".repeat(20) + "\n",
                5, "bad hex in key-in", "odd number of hex digits");
    }

    @Test
    void keyLengthMustMatchTheAlgorithm() {
        rejects(BASE + "tunnel t peer 203.0.113.7 spi-in 300 spi-out 301 \\\n key-in " + "11".repeat(16) + " key-out " + "22".repeat(20) + "\n",
                6, "key-in is 16 bytes", "aes128gcm16 needs 20", "16-byte key + 4-byte salt");
        rejects(BASE + "tunnel t peer 203.0.113.7 spi-in 300 spi-out 301 key-in " + "11".repeat(20) + "\n",
                5, "key-out missing", "needs 20 bytes");
        rejects(BASE + "tunnel t peer 203.0.113.7 spi-in 300 spi-out 301 enc aes256 integ sha512 key-in " + "11".repeat(32)
                + " key-out " + "22".repeat(32) + " integ-key-in " + "33".repeat(32) + " integ-key-out " + "44".repeat(64) + "\n",
                5, "integ-key-in is 32 bytes; integ sha512 needs 64");
        rejects(BASE + "tunnel t peer 203.0.113.7 spi-in 300 spi-out 301 enc null integ sha1 key-in 00 "
                + " integ-key-in " + "33".repeat(20) + " integ-key-out " + "44".repeat(20) + "\n",
                5, "enc null takes no key");
    }

    @Test
    void aeadTakesNoIntegrityAndEverythingElseNeedsIt() {
        rejects(BASE + "tunnel t peer 203.0.113.7 spi-in 300 spi-out 301 integ sha256" + GCM_KEYS + " integ-key-in " + "33".repeat(32)
                + " integ-key-out " + "33".repeat(32) + "\n", 5, "aes128gcm16 is AEAD", "integ none");
        rejects(BASE + "tunnel t peer 203.0.113.7 spi-in 300 spi-out 301 enc aes128 integ none key-in " + "11".repeat(16)
                + " key-out " + "22".repeat(16) + "\n", 5, "enc aes128 is not AEAD", "needs an integrity algorithm");
    }

    @Test
    void ahCarriesNoCipherAndNoUdpEncapsulation() {
        String ahKeys = " integ-key-in " + "33".repeat(32) + " integ-key-out " + "44".repeat(32);
        rejects(BASE + "tunnel t peer 203.0.113.7 protocol ah enc aes128 spi-in 300 spi-out 301" + ahKeys + "\n", 5, "AH does not encrypt");
        rejects(BASE + "tunnel t peer 203.0.113.7 protocol ah spi-in 300 spi-out 301 key-in " + "11".repeat(16) + ahKeys + "\n", 5,
                "AH does not encrypt: remove key-in");
        rejects(BASE + "tunnel t peer 203.0.113.7 protocol ah encap udp spi-in 300 spi-out 301" + ahKeys + "\n", 5, "encap udp is for ESP only");
        rejects(BASE + "tunnel t peer 203.0.113.7 protocol ah integ none spi-in 300 spi-out 301\n", 5, "AH needs an integrity algorithm");
    }

    @Test
    void spisMustBeInRangeAndUnique() {
        rejects(BASE + "tunnel t peer 203.0.113.7 spi-in 255 spi-out 301" + GCM_KEYS + "\n", 5, "SPI 255 outside 256..4294967295");
        rejects(BASE + "tunnel t peer 203.0.113.7 spi-in 0x100000000 spi-out 301" + GCM_KEYS + "\n", 5, "SPI must be a number");
        rejects(BASE + TUNNEL_T + "tunnel u peer 203.0.113.8 spi-in 0x12c spi-out 302" + GCM_KEYS + "\n", 6,
                "tunnel u: spi-in 0x12c is already used by tunnel t");
        rejects(BASE + TUNNEL_T + "tunnel u peer 203.0.113.7 spi-in 303 spi-out 301" + GCM_KEYS + "\n", 6,
                "spi-out 0x12d to the same peer is already used by tunnel t");
    }

    @Test
    void aPolicyMustNameAnExistingTunnel() {
        rejects(BASE + TUNNEL_T + "policy 10 from any to 10.0.0.0/8 action configured tunnel nope\n", 6, "policy 10: tunnel 'nope' is not defined");
        rejects(BASE + "policy 10 from any to any action configured\n", 5, "action configured needs a tunnel");
    }

    @Test
    void configuredNeverFallsBackToClearAndOpportunisticNeverHolds() {
        rejects(BASE + TUNNEL_T + "policy 10 from any to any action configured tunnel t fallback clear\n", 6,
                "policy 10: action configured never sends in the clear");
        rejects(BASE + "policy 10 from any to any action opportunistic fallback hold\n", 5, "fallback hold is only for action configured");
        rejects(BASE + "policy 10 from any to any action deny fallback drop\n", 5, "action deny takes no fallback");
        rejects(BASE + "policy 10 from any to any action permit tunnel t\n", 5, "action permit takes no tunnel");
    }

    @Test
    void duplicateKeysNameBothLines() {
        String text = BASE + "policy 10 from any to any action deny\n" + "\n".repeat(5) + "# another\npolicy 10 from any to any action permit\n";
        List<ConfigError> errors = errors(text);
        assertEquals(List.of(new ConfigError(12, "policy 10 already defined at line 5")), errors);
        assertEquals("line 12: policy 10 already defined at line 5", assertThrows(ConfigException.class, () -> ConfigParser.parse(text)).getMessage());
        rejects(BASE + "address 203.0.113.9/24\n", 5, "address v4 already defined at line 3");
        rejects(BASE + "l2 arp drop\nl2 arp pass\n", 6, "l2 arp already defined at line 5");
        rejects(BASE + TUNNEL_T + TUNNEL_T, 6, "tunnel t already defined at line 5");
        rejects(BASE + "tunnel t peer 203.0.113.7 peer 203.0.113.8 spi-in 300 spi-out 301" + GCM_KEYS + "\n", 5, "'peer' given twice");
    }

    @Test
    void addressFamiliesMustBeConsistent() {
        String v4only = "interface inside device eth0\ninterface outside device eth1\naddress 198.51.100.2/24\n";
        rejects(v4only + "tunnel t peer 2001:db8::7 spi-in 300 spi-out 301" + GCM_KEYS + "\n", 4,
                "peer 2001:db8::7 is IPv6 but there is no IPv6 'address'");
        rejects(BASE + "policy 1 from 10.0.0.0/8 to 2001:db8::/32 action deny\n", 5, "from is IPv4 but to is IPv6");
        rejects(BASE + "tunnel t peer 203.0.113.7 local 2001:db8:1::2 spi-in 300 spi-out 301" + GCM_KEYS + "\n", 5, "local 2001:db8:1::2 is IPv6 but peer is IPv4");
        rejects(BASE + "tunnel t peer 203.0.113.7 local 198.51.100.9 spi-in 300 spi-out 301" + GCM_KEYS + "\n", 5, "is not the own IPv4 address 198.51.100.2");
        rejects(BASE + "policy 1 from 2001:db8::/32 to any proto icmp action deny\n", 5, "proto icmp is IPv4; use icmpv6");
        assertEquals(List.of(new ConfigError(5, "tunnel t: local-net 10.0.0.0/8 is IPv4 but no remote-net is"),
                        new ConfigError(5, "tunnel t: remote-net 2001:db8::/32 is IPv6 but no local-net is")),
                errors(BASE + "tunnel t peer 203.0.113.7 spi-in 300 spi-out 301" + GCM_KEYS + " local-net 10.0.0.0/8 remote-net 2001:db8::/32\n"));
    }

    @Test
    void aPolicyThroughATunnelMustStayInsideItsSelectors() {
        String tunnel = "tunnel t peer 203.0.113.7 spi-in 300 spi-out 301" + GCM_KEYS + " local-net 10.1.0.0/16 remote-net 10.2.0.0/16\n";
        rejects(BASE + tunnel + "policy 1 from 10.1.0.0/16 to 10.9.0.0/16 action configured tunnel t\n", 6, "to 10.9.0.0/16 is not inside tunnel t's remote-net");
        rejects(BASE + tunnel + "policy 1 from any to 10.2.0.0/24 action configured tunnel t\n", 6, "from 0.0.0.0/0 is not inside tunnel t's local-net");
    }

    @Test
    void requiredStatementsAreReportedForTheWholeFile() {
        List<ConfigError> errors = errors("hostname x\n");
        assertEquals(List.of(new ConfigError(0, "missing 'interface inside device <name>' (required)"),
                new ConfigError(0, "missing 'interface outside device <name>' (required)")), errors);
        assertTrue(assertThrows(ConfigException.class, () -> ConfigParser.parse("")).getMessage()
                .startsWith("configuration: missing 'interface inside"));
        List<ConfigError> noAddress = errors("interface inside device eth0\ninterface outside device eth1\n" + TUNNEL_T);
        assertEquals(List.of(new ConfigError(0, "tunnels need an own outside address: add an 'address' statement")), noAddress);
    }

    @Test
    void valuesOutOfRangeAndMisplacedOptions() {
        rejects(BASE + "nat-keepalive 99999\n", 5, "nat-keepalive 99999 outside 0..3600");
        rejects(BASE + "nat-keepalive -1\n", 5, "must be a number");
        rejects(BASE + "policy 0 from any to any action deny\n", 5, "policy number 0 outside 1..65535");
        rejects(BASE + "policy 1 from any to any dport 80 action deny\n", 5, "dport needs proto tcp, udp or sctp");
        rejects(BASE + "policy 1 from any to any proto tcp dport 90-80 action deny\n", 5, "runs backwards");
        rejects(BASE + "policy 1 from any to any proto icmp icmp-code 3 action deny\n", 5, "icmp-code needs icmp-type");
        rejects(BASE + "policy 1 from any to any proto 256 action deny\n", 5, "proto 256 outside 0..255");
        rejects(BASE + "address 198.51.100.2/24 gateway 198.51.101.1\n".replace("198.51.100.2", "203.0.113.2"), 5, "address v4 already defined");
        rejects("interface inside device eth0\ninterface outside device eth1\naddress 198.51.100.2/24 gateway 198.51.101.1\n", 3,
                "gateway 198.51.101.1 is not in 198.51.100.0/24");
        rejects(BASE + "mac 01:00:5e:00:00:01\n", 5, "group (multicast) address");
        rejects(BASE + "mac 02:00:5e:00:53\n", 5, "is not a MAC address");
        rejects(BASE + "hostname -bad-\n", 5, "not a valid hostname");
        rejects(BASE + "log-level verbose\n", 5, "unknown log level 'verbose'");
        rejects(BASE + "interface outside device eth3 mtu 1400\n", 5, "interface outside already defined at line 2");
        rejects("interface inside device eth0\ninterface outside device eth1 mtu 100\n", 2, "mtu 100 outside 576..9216");
        rejects("interface inside device eth0\ninterface outside device eth0\n", 2, "device eth0 is already the inside interface");
        rejects(BASE + "default-action deny extra\n", 5, "unexpected 'extra'");
        rejects(BASE + "tunnel t spi-in 300 spi-out 301" + GCM_KEYS + "\n", 5, "tunnel t needs 'peer <address>'");
        rejects(BASE + "tunnel t peer 203.0.113.7 spi-in\n", 5, "expected a value after 'spi-in'");
        rejects(BASE + "tunnel t peer 203.0.113.7 spi-in 300 spi-out 301 lifetime-seconds 10/5" + GCM_KEYS + "\n", 5, "soft limit 10 exceeds the hard limit 5");
    }

    @Test
    void lexicalErrorsNameTheirLine() {
        rejects(BASE + "hostname a\u0001b\n", 5, "control character U+0001");
        rejects(BASE + "hostname a \\", 5, "ends with a continuation backslash");
    }

    @Test
    void everyErrorInAFileIsReportedInLineOrder() {
        String text = BASE + "tunel x\n" + "policy 1 from 10.0.0.1/8 to any action deny\n" + "log-level loud\n";
        List<ConfigError> errors = errors(text);
        assertEquals(List.of(5, 6, 7), errors.stream().map(ConfigError::line).toList());
        String message = assertThrows(ConfigException.class, () -> ConfigParser.parse(text)).getMessage();
        assertEquals(3, message.lines().count());
        assertTrue(message.lines().allMatch(l -> l.matches("line \\d+: .+")), message);
    }
}
