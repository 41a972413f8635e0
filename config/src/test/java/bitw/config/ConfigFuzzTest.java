// Robustness: whatever text arrives (a corrupted file, line noise on the serial console), the parser answers with
// a Configuration or a ConfigException naming real lines — never another exception — and in bounded time.
// Anything it accepts must also render and re-parse to itself.
package bitw.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ConfigFuzzTest {

    static final List<String> VOCABULARY = List.of(
            "hostname", "interface", "address", "mac", "l2", "nat-keepalive", "tunnel", "policy", "default-action", "log-level",
            "inside", "outside", "device", "mtu", "gateway", "arp", "vlan", "lldp", "ipv6-nd", "other", "pass", "drop",
            "peer", "local", "mode", "iiptran", "protocol", "esp", "ah", "encap", "none", "udp", "enc", "integ",
            "aes128gcm16", "aes256", "chacha20poly1305", "3des", "null", "sha256", "sha1", "md5",
            "spi-in", "spi-out", "key-in", "key-out", "integ-key-in", "integ-key-out", "esn", "on", "off", "replay-window",
            "lifetime-seconds", "lifetime-bytes", "local-net", "remote-net", "name", "from", "to", "proto", "sport", "dport",
            "icmp-type", "icmp-code", "action", "deny", "permit", "opportunistic", "configured", "fallback", "clear", "hold",
            "any", "tcp", "icmp", "icmpv6", "eth0", "eth1", "t", "u", "10", "0", "-1", "256", "0x100", "0xffffffff",
            "4294967296", "99999999999999999999", "1/2", "5/3", "/", "80-", "-80", "1-65535", "65536",
            "10.0.0.0/8", "10.0.0.1/8", "198.51.100.2/24", "198.51.100.1", "203.0.113.7", "2001:db8::/32", "2001:db8::1",
            "::", "::/0", "0.0.0.0/0", "1.2.3.4/33", "fe80::1%eth0", "::ffff:1.2.3.4", "1.2.3", "02:00:5e:00:53:01",
            "0x" + "11".repeat(20), "11".repeat(16), "ab:cd:ef", "0x", "zz", "\\", "#", "\\\n", "\n", "\r\n", "\t", "\u0000",
            "é", "\uFEFF", "\u00A0",
            // connections, identities, proposals and quoted words
            "connection", "local-id", "remote-id", "auth", "psk", "pubkey", "certificate", "private-key", "peer-key", "ca",
            "ike-proposal", "esp-proposal", "ike-lifetime", "child-lifetime", "rekey-bytes", "rekey-margin", "dpd", "dpd-action",
            "start", "wait", "at-start", "on-traffic", "restart", "fragmentation", "auto", "correct-horse-battery", "\"a b\"",
            "\"", "\"\\\"", "\"#\"", "\"\"", "fqdn:gw.example.net", "email:a@example.net", "dn:\"CN=a, O=b\\, c\"", "dn:\"x\"",
            "dn:\"CN=", "keyid:0a1b", "keyid:abc", "aes128gcm16-prfsha256-ecp256", "aes256-sha256-modp2048", "aes128gcm16-ecp256",
            "chacha20poly1305-prfsha256-x25519-ke1_mlkem768", "ke2_mlkem768", "aes256-sha256-esn", "aes256--sha256", "-", "aes128gcm");

    /** Parses; asserts the only outcomes are a configuration that round-trips or errors on real lines. */
    static void check(String text) {
        int lines = 1;
        for (int i = 0; i < text.length(); i++) if (text.charAt(i) == '\n') lines++;
        try {
            Configuration c = ConfigParser.parse(text);
            String rendered = c.render();
            try {
                assertEquals(c, ConfigParser.parse(rendered), rendered);
            } catch (ConfigException e) {
                throw new AssertionError("accepted input renders to rejected text:\n" + e.getMessage() + "\n" + rendered, e);
            }
            c.saParameters();
        } catch (ConfigException e) {
            assertFalse(e.errors().isEmpty());
            for (ConfigError err : e.errors()) {
                assertTrue(err.line() >= 0 && err.line() <= lines, "line " + err.line() + " of " + lines);
                assertFalse(err.message().isBlank());
            }
        }
    }

    @Test
    void randomBytesOnlyEverGiveConfigErrors() {
        Random rnd = new Random(1);
        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
            for (int i = 0; i < 1500; i++) {
                byte[] b = new byte[rnd.nextInt(2000)];
                rnd.nextBytes(b);
                check(new String(b, StandardCharsets.UTF_8));
                check(new String(b, StandardCharsets.ISO_8859_1));
            }
        });
    }

    @Test
    void tokenSoupOnlyEverGivesConfigErrors() {
        Random rnd = new Random(2);
        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
            for (int i = 0; i < 3000; i++) {
                StringBuilder sb = new StringBuilder();
                int n = rnd.nextInt(60);
                for (int j = 0; j < n; j++) {
                    sb.append(VOCABULARY.get(rnd.nextInt(VOCABULARY.size())));
                    sb.append(rnd.nextInt(8) == 0 ? "\n" : " ");
                }
                check(sb.toString());
            }
        });
    }

    @Test
    void connectionOptionSoupOnlyEverGivesConfigErrors() {
        // Starts every statement as a plausible connection so the soup reaches the option and proposal parsers.
        List<String> options = VOCABULARY.subList(VOCABULARY.indexOf("connection") + 1, VOCABULARY.size());
        Random rnd = new Random(4);
        int accepted = 0;
        for (int i = 0; i < 1500; i++) {
            StringBuilder sb = new StringBuilder(ConfigErrorsTest.BASE).append("connection c peer ")
                    .append(rnd.nextBoolean() ? "203.0.113.7" : "any").append(" auth psk psk correct-horse-battery");
            for (int j = 0, n = rnd.nextInt(12); j < n; j++) {
                List<String> from = rnd.nextInt(4) != 0 ? options : VOCABULARY;
                sb.append(' ').append(from.get(rnd.nextInt(from.size())));
            }
            check(sb.toString());
            try {
                ConfigParser.parse(sb.toString());
                accepted++;
            } catch (ConfigException e) {
                // expected for most
            }
        }
        assertTrue(accepted > 10, "some soups must be valid connections, or the test only exercises the first error: " + accepted);
    }

    @Test
    void mutatedValidConfigurationsAreRejectedOrRoundTrip() {
        Random rnd = new Random(3);
        RandomConfigurations gen = new RandomConfigurations(3);
        int accepted = 0, rejected = 0;
        long start = System.nanoTime();
        for (int i = 0; i < 1000; i++) {
            List<String> tokens = new ArrayList<>(List.of(gen.next().render().split("(?<=[ \\n])")));
            int edits = 1 + rnd.nextInt(3);
            for (int e = 0; e < edits && !tokens.isEmpty(); e++) {
                int k = rnd.nextInt(tokens.size());
                switch (rnd.nextInt(5)) {
                    case 0 -> tokens.remove(k);
                    case 1 -> tokens.add(k, tokens.get(rnd.nextInt(tokens.size())));
                    case 2 -> tokens.set(k, VOCABULARY.get(rnd.nextInt(VOCABULARY.size())) + " ");
                    case 3 -> { String t = tokens.get(k); if (t.length() > 1) tokens.set(k, t.substring(1)); }
                    default -> { String t = tokens.get(k); tokens.set(k, t.replace('1', '7').replace('a', 'g')); }
                }
            }
            String text = String.join("", tokens);
            try {
                ConfigParser.parse(text);
                accepted++;
            } catch (ConfigException e) {
                rejected++;
            }
            check(text);
        }
        assertTrue(System.nanoTime() - start < Duration.ofSeconds(60).toNanos());
        assertTrue(accepted > 30 && rejected > 300, "mutations should land on both sides: " + accepted + " accepted, " + rejected + " rejected");
    }

    @Test
    void veryLongLinesAreHandledInBoundedTime() {
        assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
            check("hostname " + "a".repeat(1_000_000));
            check("x".repeat(1_000_000));
            check("tunnel " + "t".repeat(1_000_000) + " peer 1.2.3.4");
            check("policy 1 from " + "1".repeat(1_000_000) + " to any action deny");
            check("tunnel t peer 203.0.113.7 spi-in 300 spi-out 301 key-in " + "ab".repeat(500_000));
            check("tunnel t peer 203.0.113.7 spi-in 300 spi-out 301 key-in " + "ab:".repeat(300_000) + "ab");
            check("a ".repeat(500_000));
            check("#".repeat(1_000_000));
            check("\\".repeat(1_000_000));
            check("\\\n".repeat(200_000) + "hostname x");
            check("l2 arp " + "drop".repeat(250_000));
            check("connection c peer any auth psk psk \"" + "a".repeat(1_000_000) + "\"");
            check("connection c peer any auth psk psk \"" + "\\\"".repeat(300_000));
            check("connection c peer any remote-id dn:\"CN=" + "a,".repeat(500_000) + "\"");
            check("connection c peer any ike-proposal " + "aes128-".repeat(150_000) + "sha256");
            check("connection c peer any ike-proposal " + "ke1_mlkem768-".repeat(80_000));
            check("\"".repeat(1_000_000));
            check("tunnel t peer 203.0.113.7 spi-in 300 spi-out 301" + " local-net 10.0.0.0/8".repeat(50_000));
            check("interface inside device eth0\ninterface outside device eth1\naddress 198.51.100.2/24\n"
                    + "tunnel t peer 203.0.113.7 spi-in 300 spi-out 301 key-in " + "11".repeat(20) + " key-out " + "22".repeat(20)
                    + " local-net 10.0.0.0/8".repeat(20_000) + " remote-net 10.1.0.0/16".repeat(20_000));
        });
    }

    @Test
    void tenThousandLinesParseInBoundedTime() throws ConfigException {
        StringBuilder valid = new StringBuilder("interface inside device eth0\ninterface outside device eth1\naddress 198.51.100.2/24\n"
                + "tunnel t peer 203.0.113.7 spi-in 300 spi-out 301 key-in " + "11".repeat(20) + " key-out " + "22".repeat(20) + "\n");
        for (int i = 1; i <= 10_000; i++)
            valid.append("policy ").append(i).append(" from 10.").append(i >> 8).append('.').append(i & 0xff).append(".0/24 to any proto tcp dport ")
                 .append(i).append(" action ").append(i % 2 == 0 ? "configured tunnel t" : "permit").append('\n');
        StringBuilder broken = new StringBuilder();
        for (int i = 1; i <= 10_000; i++) broken.append("policy ").append(i).append(" from any to 10.0.0.1/8 action deny\n");
        Configuration c = assertTimeoutPreemptively(Duration.ofSeconds(30), () -> ConfigParser.parse(valid.toString()));
        assertEquals(10_000, c.policies().size());
        ConfigException e = assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
            try {
                ConfigParser.parse(broken.toString());
                throw new AssertionError("accepted");
            } catch (ConfigException x) {
                return x;
            }
        });
        assertEquals(10_000, e.errors().size());
        assertEquals(10_000, e.errors().get(9_999).line());
        assertTimeoutPreemptively(Duration.ofSeconds(30), () -> check(c.render()));
    }
}
