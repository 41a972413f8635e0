// INITIAL_CONTACT (RFC 7296 §2.4) through the engine's index of established IKE SAs by peer identity: the index must
// follow IKE SA rekeys (the replacement SA is found) and must not reach SAs of other identities.
package bitw.ipsec.ike;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class InitialContactTest {
    private static EnginePair up() {
        EnginePair p = new EnginePair(23);
        p.start(List.of(TestConnections.a().build()), List.of(TestConnections.b().build()));
        p.a.engine.initiate("gw", p.now);
        p.run();
        IkeEstablishmentTest.assertMirrored(p);
        return p;
    }

    @Test
    void initialContactAfterAnIkeRekeyReplacesTheRekeyedSa() {
        EnginePair p = up();
        long firstSpiR = p.b.engine.status().get(0).responderSpi();
        p.a.engine.ikeSas().get(0).rekeyAt = p.now;
        p.advance(1);
        assertEquals(1, p.b.engine.status().size(), p.b.log.toString());
        assertNotEquals(firstSpiR, p.b.engine.status().get(0).responderSpi(), "the IKE SA was rekeyed");
        int liveBefore = p.b.live.size();
        // A reboots and comes back with INITIAL_CONTACT: the rekeyed SA (and its Child SA) must go.
        p.a.engine = new IkeEngine(List.of(TestConnections.a().build()), p.a, new Random(5), p.now);
        p.a.live.clear();
        p.a.engine.initiate("gw", p.now);
        p.run();
        assertEquals(1, p.b.engine.status().size(), p.b.log.toString());
        assertEquals(liveBefore, p.b.live.size(), "old Child SA replaced, not kept beside the new one");
        assertFalse(p.b.events(IkeEvent.IkeSaDeleted.class).isEmpty());
        IkeEstablishmentTest.assertMirrored(p);
    }

    @Test
    void initialContactLeavesOtherIdentitiesOfTheSameConnectionAlone() {
        // B accepts any identity on one connection; A holds SAs as a.example and as c.example to it.
        var b = TestConnections.b();
        b.remoteId = null;
        var a2 = TestConnections.a();
        a2.name = "gw2";
        a2.localId = Identity.parse("fqdn:c.example");
        EnginePair p = new EnginePair(29);
        p.start(List.of(TestConnections.a().build(), a2.build()), List.of(b.build()));
        p.a.engine.initiate("gw", p.now);
        p.a.engine.initiate("gw2", p.now);
        p.run();
        assertEquals(2, p.b.engine.status().size(), p.b.log.toString());
        // A reboots with only a.example configured and comes back with INITIAL_CONTACT.
        p.a.engine = new IkeEngine(List.of(TestConnections.a().build()), p.a, new Random(6), p.now);
        p.a.engine.initiate("gw", p.now);
        p.run();
        List<IkeSaStatus> sas = p.b.engine.status();
        assertEquals(2, sas.size(), p.b.log.toString());
        assertEquals(1, sas.stream().filter(s -> s.remoteId().equals(Identity.parse("fqdn:c.example"))).count(), "c.example's SA survives");
        assertEquals(1, p.b.events(IkeEvent.IkeSaDeleted.class).size(), "only a.example's old SA was replaced");
    }
}
