// Specification of the 'connection' statement by example: what each option means in the model the IKEv2 engine
// reads, the defaults filled in, and that the pre-shared key stays out of toString but in the rendered file.
package bitw.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import bitw.ipsec.crypto.EncryptionAlgorithm;
import bitw.ipsec.crypto.IntegrityAlgorithm;
import bitw.ipsec.packet.IpAddress;
import bitw.ipsec.packet.IpPrefix;
import bitw.ipsec.sad.SaMode;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class ConnectionConfigTest {

    static final String BASE = ConfigErrorsTest.BASE;

    static IpAddress ip(String s) { return AddressText.parseAddress(s); }
    static IpPrefix net(String s) { return AddressText.parsePrefix(s); }

    static ConnectionConfig only(String statement) throws ConfigException {
        Configuration c = ConfigParser.parse(BASE + statement + "\n");
        assertEquals(1, c.connections().size());
        return c.connections().values().iterator().next();
    }

    @Test
    void everyOptionParsesIntoTheModel() throws ConfigException {
        ConnectionConfig c = only("""
                connection hq peer 203.0.113.7 local 198.51.100.2 local-id fqdn:branch.example.net \\
                    remote-id dn:"CN=hq.example.net, O=Example\\, Inc., C=DE" \\
                    auth pubkey certificate /etc/bitw/branch.crt private-key "/etc/bitw/branch key.pem" \\
                    ca /etc/bitw/root.crt ca /etc/bitw/intermediate.crt \\
                    ike-proposal aes256gcm16-prfsha384-ecp384 ike-proposal aes256-sha256-modp2048 \\
                    esp-proposal aes128gcm16-ecp256 esp-proposal aes256-sha256-esn \\
                    mode iiptran encap udp local-net 10.1.0.0/16 remote-net 10.2.0.0/16 remote-net 10.3.0.0/16 \\
                    ike-lifetime 28800 child-lifetime 1800 rekey-bytes 1000000000 rekey-margin 120 \\
                    dpd 10 dpd-action restart start at-start fragmentation off replay-window 64""");
        ConnectionConfig expected = new ConnectionConfig("hq", Optional.of(ip("203.0.113.7")), Optional.of(ip("198.51.100.2")),
                Optional.of(new IkeIdentity(IkeIdentity.Kind.FQDN, "branch.example.net")),
                Optional.of(new IkeIdentity(IkeIdentity.Kind.DER_ASN1_DN, "CN=hq.example.net, O=Example\\, Inc., C=DE")),
                ConnectionConfig.Auth.PUBKEY, Optional.empty(), Optional.of("/etc/bitw/branch.crt"),
                Optional.of("/etc/bitw/branch key.pem"), Optional.empty(), List.of("/etc/bitw/root.crt", "/etc/bitw/intermediate.crt"),
                List.of(new IkeProposal(List.of(EncryptionAlgorithm.AES_GCM_256), List.of(Prf.HMAC_SHA384), List.of(), List.of(20), List.of()),
                        new IkeProposal(List.of(EncryptionAlgorithm.AES_CBC_256), List.of(Prf.HMAC_SHA256),
                                List.of(IntegrityAlgorithm.HMAC_SHA256_128), List.of(14), List.of())),
                List.of(new EspProposal(List.of(EncryptionAlgorithm.AES_GCM_128), List.of(), List.of(19), false),
                        new EspProposal(List.of(EncryptionAlgorithm.AES_CBC_256), List.of(IntegrityAlgorithm.HMAC_SHA256_128), List.of(), true)),
                SaMode.IIPTRAN, ConnectionConfig.Encapsulation.UDP,
                List.of(net("10.1.0.0/16")), List.of(net("10.2.0.0/16"), net("10.3.0.0/16")),
                28800, 1800, 1_000_000_000L, OptionalInt.of(120), 10, ConnectionConfig.DpdAction.RESTART,
                ConnectionConfig.StartAction.AT_START, false, 64);
        assertEquals(expected, c);
        assertEquals(120, c.ikeRekeyMarginSeconds());
        assertEquals(120, c.childRekeyMarginSeconds());
    }

    @Test
    void defaultsAreFilledInByTheParser() throws ConfigException {
        Configuration conf = ConfigParser.parse(BASE + "connection b peer 203.0.113.7 auth psk psk correct-horse-battery\n");
        ConnectionConfig c = conf.connections().get("b");
        assertEquals(IkeProposal.DEFAULTS, c.ikeProposals());
        assertEquals(List.of("aes128gcm16-prfsha256-ecp256", "aes256-sha256-prfsha256-modp2048"),
                c.ikeProposals().stream().map(IkeProposal::render).toList());
        assertEquals(List.of("aes128gcm16", "aes256-sha256"), c.espProposals().stream().map(EspProposal::render).toList());
        assertEquals(SaMode.TUNNEL, c.mode());
        assertEquals(ConnectionConfig.Encapsulation.AUTO, c.encapsulation());
        assertEquals(14400, c.ikeLifetimeSeconds());
        assertEquals(3600, c.childLifetimeSeconds());
        assertEquals(0, c.rekeyBytes());
        assertEquals(OptionalInt.empty(), c.rekeyMarginSeconds());
        assertEquals(1440, c.ikeRekeyMarginSeconds(), "10% of the IKE lifetime");
        assertEquals(360, c.childRekeyMarginSeconds(), "10% of the child lifetime");
        assertEquals(30, c.dpdSeconds());
        assertEquals(ConnectionConfig.DpdAction.CLEAR, c.dpdAction());
        assertEquals(ConnectionConfig.StartAction.ON_TRAFFIC, c.start());
        assertTrue(c.fragmentation());
        assertEquals(1024, c.replayWindow());
        assertEquals(List.of(IpPrefix.any(4), IpPrefix.any(6)), c.effectiveLocalNets());
        // Identities default to the addresses: ours of the peer's family, and the peer's.
        assertEquals(Optional.of(IkeIdentity.of(ip("198.51.100.2"))), conf.localIdentityOf(c));
        assertEquals(Optional.of(IkeIdentity.of(ip("203.0.113.7"))), c.effectiveRemoteId());
        assertEquals(Optional.of(ip("198.51.100.2")), conf.localAddressOf(c));
    }

    @Test
    void anIpv6PeerGetsTheOwnIpv6AddressAndIdentity() throws ConfigException {
        Configuration conf = ConfigParser.parse(BASE + "connection b peer 2001:db8:2::7 auth psk psk correct-horse-battery\n");
        ConnectionConfig c = conf.connections().get("b");
        assertEquals(Optional.of(IkeIdentity.of(ip("2001:db8:1::2"))), conf.localIdentityOf(c));
        assertEquals(IkeIdentity.Kind.IPV6_ADDR, c.effectiveRemoteId().orElseThrow().kind());
    }

    @Test
    void peerAnyIsAResponderThatKnowsThePeerByIdentity() throws ConfigException {
        Configuration conf = ConfigParser.parse(BASE
                + "connection road peer any remote-id email:alice@example.net auth pubkey private-key k.pem peer-key alice.pub start wait\n");
        ConnectionConfig c = conf.connections().get("road");
        assertEquals(Optional.empty(), c.peer());
        assertEquals(Optional.of(new IkeIdentity(IkeIdentity.Kind.RFC822_ADDR, "alice@example.net")), c.effectiveRemoteId());
        assertEquals(Optional.of("alice.pub"), c.peerKey());
        assertEquals(Optional.of(ip("198.51.100.2")), conf.localAddressOf(c), "IPv4 own address first");
        assertTrue(c.render().contains("peer any"));
    }

    @Test
    void proposalsWithPostQuantumAndPfsParse() throws ConfigException {
        ConnectionConfig c = only("connection pq peer 203.0.113.7 auth psk psk correct-horse-battery \\\n"
                + " ike-proposal chacha20poly1305-prfsha256-x25519-ke1_mlkem768 ike-proposal 3des-sha1-modp2048 \\\n"
                + " esp-proposal chacha20poly1305 esp-proposal aes128gcm16-ecp256");
        assertEquals(new IkeProposal(List.of(EncryptionAlgorithm.CHACHA20_POLY1305), List.of(Prf.HMAC_SHA256), List.of(), List.of(31),
                List.of(List.of(36))), c.ikeProposals().get(0));
        assertEquals(new IkeProposal(List.of(EncryptionAlgorithm.DES3_CBC), List.of(Prf.HMAC_SHA1), List.of(IntegrityAlgorithm.HMAC_SHA1_96),
                List.of(14), List.of()), c.ikeProposals().get(1));
        assertEquals(List.of(19), c.espProposals().get(1).pfsGroups());
    }

    @Test
    void thePresharedKeyStaysOutOfToStringButIsWrittenToTheFile() throws ConfigException {
        Configuration conf = ConfigParser.parse(BASE + "connection b peer 203.0.113.7 auth psk psk \"s3cret with # and \\\"quotes\\\"\"\n");
        ConnectionConfig c = conf.connections().get("b");
        assertEquals("s3cret with # and \"quotes\"", c.psk().orElseThrow().reveal());
        assertFalse(c.toString().contains("s3cret"), c.toString());
        assertFalse(conf.toString().contains("s3cret"));
        assertTrue(c.toString().contains("PresharedKey[26 characters]"), c.toString());
        assertTrue(conf.render().contains("psk \"s3cret with # and \\\"quotes\\\"\""), conf.render());
        assertEquals(conf, ConfigParser.parse(conf.render()));
    }

    @Test
    void aPolicyMayUseAConnectionAsItsTunnel() throws ConfigException {
        Configuration conf = ConfigParser.parse(BASE
                + "connection hq peer 203.0.113.7 auth psk psk correct-horse-battery local-net 10.1.0.0/16 remote-net 10.2.0.0/16\n"
                + "policy 10 from 10.1.2.0/24 to 10.2.0.0/16 action configured tunnel hq\n");
        assertEquals(Optional.of("hq"), conf.policy(10).orElseThrow().tunnel());
    }

    @Test
    void shortPresharedKeysAreAWarningNotAnError() throws ConfigException {
        Configuration conf = ConfigParser.parse(BASE + "connection b peer 203.0.113.7 auth psk psk 12345678\n");
        assertEquals(List.of(new ConfigError(0, "connection b: psk has 8 characters; 16 or more are recommended (offline guessing)")),
                Validator.warnings(conf));
        assertEquals(List.of(), Validator.warnings(ConfigParser.parse(BASE + "connection b peer 203.0.113.7 auth psk psk 1234567890abcdef\n")));
    }
}
