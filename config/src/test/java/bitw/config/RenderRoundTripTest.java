// Property: canonical rendering loses nothing. For random valid configurations, parse(render(c)) equals c and
// rendering is a fixed point.
package bitw.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class RenderRoundTripTest {

    @Test
    void parsingTheRenderingOfARandomConfigurationGivesItBack() throws ConfigException {
        RandomConfigurations gen = new RandomConfigurations(20261122);
        int boundPolicies = 0, ahTunnels = 0, v6Tunnels = 0, udpTunnels = 0, connections = 0, anyPeers = 0, pskConnections = 0, toConnections = 0;
        for (int i = 0; i < 500; i++) {
            Configuration c = gen.next();
            boundPolicies += (int) c.policies().stream().filter(p -> p.tunnel().isPresent()).count();
            ahTunnels += (int) c.tunnels().values().stream().filter(t -> t.protocol() == bitw.ipsec.sad.SaProtocol.AH).count();
            v6Tunnels += (int) c.tunnels().values().stream().filter(t -> t.peer().family() == 6).count();
            udpTunnels += (int) c.tunnels().values().stream().filter(TunnelConfig::udpEncapsulation).count();
            connections += c.connections().size();
            anyPeers += (int) c.connections().values().stream().filter(k -> k.peer().isEmpty()).count();
            pskConnections += (int) c.connections().values().stream().filter(k -> k.psk().isPresent()).count();
            toConnections += (int) c.policies().stream().filter(p -> p.tunnel().isPresent() && c.connections().containsKey(p.tunnel().get())).count();
            List<ConfigError> problems = Validator.validate(c);
            assertEquals(List.of(), problems, "generator must produce valid configurations:\n" + c.render());
            String text = c.render();
            Configuration back;
            try {
                back = ConfigParser.parse(text);
            } catch (ConfigException e) {
                throw new AssertionError("rendering rejected:\n" + e.getMessage() + "\n" + text, e);
            }
            assertEquals(c, back, text);
            assertEquals(text, back.render());
            assertEquals(c.saParameters().size(), back.saParameters().size());
        }
        // The property only means something if the generator reaches the interesting statements.
        assertTrue(boundPolicies > 100 && ahTunnels > 50 && v6Tunnels > 50 && udpTunnels > 50,
                boundPolicies + " " + ahTunnels + " " + v6Tunnels + " " + udpTunnels);
        assertTrue(connections > 300 && anyPeers > 50 && pskConnections > 100 && connections - pskConnections > 100 && toConnections > 100,
                connections + " " + anyPeers + " " + pskConnections + " " + toConnections);
    }

    @Test
    void everyStatementAloneRoundTripsThroughTheConsoleParser() throws ConfigException {
        RandomConfigurations gen = new RandomConfigurations(7);
        for (int i = 0; i < 100; i++) {
            for (Statement s : gen.next().statements()) assertEquals(s, ConfigParser.parseStatement(s.render()), s.render());
        }
    }
}
