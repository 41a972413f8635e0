// Specification of the 'opportunistic' statement: every option into the model, the defaults, the round trip
// through render(), and the mistakes it refuses (no DNS server, require-dnssec without an anchor, zero timers, an
// identity that is not an FQDN).
package bitw.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class OpportunisticConfigTest {
    static final String BASE = ConfigErrorsTest.BASE;

    @Test
    void everyOptionParsesIntoTheModel() throws ConfigException {
        Configuration c = ConfigParser.parse(BASE + """
                opportunistic private-key "/etc/bitw/oe key.pem" dns 192.0.2.53 dns 2001:db8::53 \\
                    dnssec-anchor /etc/bitw/anchor.ds require-dnssec on failure-cache 30 lifespan-initial 10 lifespan-extend 600
                """);
        OpportunisticConfig expected = new OpportunisticConfig("/etc/bitw/oe key.pem",
                List.of(AddressText.parseAddress("192.0.2.53"), AddressText.parseAddress("2001:db8::53")),
                Optional.of("/etc/bitw/anchor.ds"), true, 30, 10, 600);
        assertEquals(Optional.of(expected), c.opportunistic());
    }

    @Test
    void timersDefaultToTheFreeSwanLifespans() throws ConfigException {
        OpportunisticConfig o = ConfigParser.parse(BASE + "opportunistic private-key k.pem dns 192.0.2.53\n").opportunistic().orElseThrow();
        assertEquals(60, o.failureCacheSeconds());
        assertEquals(60, o.lifespanInitialSeconds());
        assertEquals(1200, o.lifespanExtendSeconds());
        assertEquals(false, o.requireDnssec());
        assertEquals(Optional.empty(), o.dnssecAnchor());
    }

    @Test
    void absentMeansNoOpportunisticEncryption() throws ConfigException {
        assertEquals(Optional.empty(), ConfigParser.parse(BASE).opportunistic());
    }

    @Test
    void rendersToTextThatParsesBackToTheSameStatement() throws ConfigException {
        Configuration c = ConfigParser.parse(BASE + "opportunistic private-key k.pem dns 192.0.2.53 dns 192.0.2.54 lifespan-initial 5\n");
        Configuration again = ConfigParser.parse(c.render());
        assertEquals(c.opportunistic(), again.opportunistic());
        assertTrue(c.render().contains("dns 192.0.2.53 dns 192.0.2.54"), c.render());
        assertEquals(c.opportunistic().orElseThrow(), c.statement("opportunistic").orElseThrow());
    }

    @Test
    void refusesMissingDnsServer() {
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigParser.parse(BASE + "opportunistic private-key k.pem\n"));
        assertTrue(e.getMessage().contains("at least one 'dns"), e.getMessage());
    }

    @Test
    void refusesRequireDnssecWithoutAnchor() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> ConfigParser.parse(BASE + "opportunistic private-key k.pem dns 192.0.2.53 require-dnssec on\n"));
        assertTrue(e.getMessage().contains("dnssec-anchor"), e.getMessage());
    }

    @Test
    void refusesZeroLifespan() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> ConfigParser.parse(BASE + "opportunistic private-key k.pem dns 192.0.2.53 lifespan-initial 0\n"));
        assertTrue(e.getMessage().contains("lifespan-initial"), e.getMessage());
    }

    @Test
    void refusesMissingPrivateKey() {
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigParser.parse(BASE + "opportunistic dns 192.0.2.53\n"));
        assertTrue(e.getMessage().contains("private-key"), e.getMessage());
    }

    @Test
    void fqdnIdentityParsesRendersAndDefaultsToTheAddress() throws ConfigException {
        Configuration c = ConfigParser.parse(BASE + "opportunistic private-key k.pem dns 192.0.2.53 identity fqdn:GW-B.oe.example\n");
        assertEquals(Optional.of("gw-b.oe.example"), c.opportunistic().orElseThrow().identityFqdn(), "FQDNs compare case-insensitively");
        assertEquals(c.opportunistic(), ConfigParser.parse(c.render()).opportunistic());
        assertTrue(c.render().contains("identity fqdn:gw-b.oe.example"), c.render());
        assertEquals(Optional.empty(), ConfigParser.parse(BASE + "opportunistic private-key k.pem dns 192.0.2.53\n").opportunistic().orElseThrow().identityFqdn());
    }

    @Test
    void refusesAnIdentityThatIsNotAnFqdn() {
        for (String id : List.of("192.0.2.2", "email:a@b.example", "fqdn:bad..name")) {
            ConfigException e = assertThrows(ConfigException.class,
                    () -> ConfigParser.parse(BASE + "opportunistic private-key k.pem dns 192.0.2.53 identity " + id + "\n"), id);
            assertTrue(e.getMessage().contains("identity"), e.getMessage());
        }
    }
}
