// Specification of the errors of 'connection' statements: each names the line of the option at fault (also on
// continuation lines) and says what is wrong and, where it can, what was meant.
package bitw.config;

import static bitw.config.ConfigErrorsTest.BASE;
import static bitw.config.ConfigErrorsTest.TUNNEL_T;
import static bitw.config.ConfigErrorsTest.errors;
import static bitw.config.ConfigErrorsTest.rejects;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class ConnectionErrorsTest {

    static final String PSK = " auth psk psk correct-horse-battery";

    @Test
    void pskAuthNeedsAKeyOfAtLeastEightCharacters() {
        rejects(BASE + "connection b peer 203.0.113.7 \\\n  auth psk\n", 6, "connection b: auth psk needs 'psk <secret>'");
        rejects(BASE + "connection b peer 203.0.113.7 auth psk \\\n  psk 1234567\n", 6, "psk is 7 characters; at least 8 are required");
        rejects(BASE + "connection b peer 203.0.113.7" + PSK + " \\\n  certificate a.crt\n", 6, "certificate is for auth pubkey");
        rejects(BASE + "connection b peer 203.0.113.7\n", 5, "connection b needs 'auth psk' or 'auth pubkey'");
    }

    @Test
    void pubkeyAuthNeedsAPrivateKeyAndAWayToTrustThePeer() {
        rejects(BASE + "connection b peer 203.0.113.7 auth pubkey certificate a.crt ca root.crt\n", 5, "auth pubkey needs 'private-key <file>'");
        rejects(BASE + "connection b peer 203.0.113.7 auth pubkey private-key a.key\n", 5, "needs 'certificate <file>' (with 'ca <file>') or 'peer-key <file>'");
        rejects(BASE + "connection b peer 203.0.113.7 auth pubkey private-key a.key \\\n certificate a.crt\n", 6,
                "nothing can verify the peer's certificate: add 'ca <file>'");
        rejects(BASE + "connection b peer 203.0.113.7 auth pubkey private-key a.key peer-key b.pub \\\n psk correct-horse-battery\n", 6,
                "psk is for auth psk");
        rejects(BASE + "connection b peer 203.0.113.7 auth pubkey private-key \"\" peer-key b.pub\n", 5, "private-key needs a file name");
    }

    @Test
    void anAeadIkeProposalWithoutPrfIsRejectedOnItsLine() {
        rejects(BASE + "connection b peer 203.0.113.7" + PSK + " \\\n  ike-proposal aes128gcm16-prfsha256-ecp256 \\\n  ike-proposal aes256gcm16-ecp384\n",
                7, "ike-proposal aes256gcm16-ecp384: an AEAD proposal needs an explicit prf", "strongSwan requires it too");
    }

    @Test
    void anUnknownAlgorithmGetsASuggestion() {
        rejects(BASE + "connection b peer 203.0.113.7" + PSK + " \\\n  esp-proposal aes128gcm16 esp-proposal aes256-sha265\n", 6,
                "esp-proposal: unknown algorithm 'sha265' in 'aes256-sha265'; did you mean 'sha256'?");
        rejects(BASE + "connection b peer 203.0.113.7" + PSK + " ike-proposal aes128gcm16-prfsha256-ecp265\n", 5, "did you mean 'ecp256'?");
        rejects(BASE + "connection b peer 203.0.113.7" + PSK + " dpd-action retsart\n", 5, "unknown dpd-action 'retsart'", "did you mean 'restart'?");
        rejects(BASE + "connection b peer 203.0.113.7" + PSK + " \\\n  ike-lifetim 3600\n", 6, "unknown connection option 'ike-lifetim'",
                "did you mean 'ike-lifetime'?");
    }

    @Test
    void peerAnyNeedsARemoteIdAndWaits() {
        rejects(BASE + "connection road peer any" + PSK + " start wait\n", 5, "connection road: peer any needs 'remote-id <id>'");
        rejects(BASE + "connection road peer any remote-id fqdn:road.example.net" + PSK + "\n", 5, "peer any cannot be initiated: use 'start wait'");
        rejects(BASE + "connection road peer any remote-id fqdn:road.example.net" + PSK + " start wait \\\n dpd-action restart\n", 6,
                "peer any cannot be restarted");
    }

    @Test
    void aPolicyOutsideItsConnectionsNetsIsRejected() {
        rejects(BASE + "connection hq peer 203.0.113.7" + PSK + " local-net 10.1.0.0/16 remote-net 10.2.0.0/16\n"
                + "policy 10 from 10.1.0.0/16 \\\n  to 10.9.0.0/16 action configured tunnel hq\n",
                7, "policy 10: to 10.9.0.0/16 is not inside connection hq's remote-net");
    }

    @Test
    void aConnectionCannotReuseATunnelsName() {
        rejects(BASE + TUNNEL_T + "connection t peer 203.0.113.8" + PSK + "\n", 6,
                "connection t: the name t is already a tunnel (line 5); tunnels and connections share one namespace");
    }

    @Test
    void badIdentitiesAndQuotesNameTheirLine() {
        rejects(BASE + "connection b peer 203.0.113.7" + PSK + " \\\n  remote-id gw.example.net\n", 6,
                "remote-id: 'gw.example.net' is not an identity");
        rejects(BASE + "connection b peer 203.0.113.7" + PSK + " \\\n  remote-id dn:\"CN=x\n", 6, "unterminated quoted string");
        rejects(BASE + "connection b peer 203.0.113.7" + PSK + " local-id dn:\"no equals\"\n", 5, "is not a distinguished name");
    }

    @Test
    void timersMustFitTogether() {
        rejects(BASE + "connection b peer 203.0.113.7" + PSK + " child-lifetime 600 \\\n rekey-margin 600\n", 6,
                "rekey-margin 600 must be at least 1 and shorter than the shorter lifetime (600 s)");
        rejects(BASE + "connection b peer 203.0.113.7" + PSK + " ike-lifetime 59\n", 5, "ike-lifetime 59 outside 60..604800");
        rejects(BASE + "connection b peer 203.0.113.7" + PSK + " dpd 3601\n", 5, "dpd 3601 outside 0..3600");
    }

    @Test
    void addressesMustMatchTheOwnOnes() {
        rejects(BASE + "connection b peer 203.0.113.7 local 198.51.100.9" + PSK + "\n", 5, "local 198.51.100.9 is not the own IPv4 address");
        rejects(BASE + "connection b peer 198.51.100.2" + PSK + "\n", 5, "peer is the appliance's own address");
        rejects("interface inside device eth0\ninterface outside device eth1\naddress 198.51.100.2/24\n"
                + "connection b peer 2001:db8::7" + PSK + "\n", 4, "there is no IPv6 'address'");
        assertEquals(List.of(new ConfigError(0, "connections need an own outside address: add an 'address' statement")),
                errors("interface inside device eth0\ninterface outside device eth1\nconnection b peer 203.0.113.7" + PSK + "\n"));
    }

    @Test
    void aConnectionOptionAtTheStartOfALinePointsAtAMissingContinuation() {
        List<ConfigError> e = errors(BASE + "connection b peer 203.0.113.7" + PSK + "\n  ike-proposal aes128gcm16-prfsha256-ecp256\n");
        assertEquals(new ConfigError(6, "'ike-proposal' is a connection option, not a statement: does the line before lack its trailing '\\'?"),
                e.get(e.size() - 1));
    }
}
