// How a rekeyed Child SA pair reaches the shell: as responder of the peer's rekey the engine uses
// IkeOutput.installRekeyedChildSaAsResponder (the shell may hold back the new outbound SA until the old pair is
// deleted, because the peer installs its new inbound SA only when our response arrives, RFC 7296 §2.8); the first
// pair and pairs of our own rekeys go through installChildSa.
package bitw.ipsec.ike;

import static org.junit.jupiter.api.Assertions.*;

import bitw.ipsec.sad.SaParameters;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ChildRekeyResponderInstallTest {
    @Test
    void onlyPairsMadeAsRekeyResponderComeThroughTheResponderInstall() {
        EnginePair p = new EnginePair(21);
        List<String> calls = new ArrayList<>();
        IkeOutput recordingA = new IkeOutput() {
            @Override public void send(Datagram d) { p.a.send(d); }
            @Override public void installChildSa(String c, SaParameters in, SaParameters o) {
                calls.add("install " + Integer.toHexString(in.spi()));
                p.a.installChildSa(c, in, o);
            }
            @Override public void installRekeyedChildSaAsResponder(String c, SaParameters in, SaParameters o) {
                calls.add("responder-install " + Integer.toHexString(in.spi()));
                p.a.installChildSa(c, in, o);
            }
            @Override public void removeChildSa(String c, SaParameters in, SaParameters o) { p.a.removeChildSa(c, in, o); }
            @Override public void event(IkeEvent e) { p.a.event(e); }
        };
        p.b.engine = new IkeEngine(List.of(TestConnections.b().build()), p.b, new Random(1), p.now);
        p.a.engine = new IkeEngine(List.of(TestConnections.a().build()), recordingA, new Random(2), p.now);
        p.a.engine.initiate("gw", p.now);
        p.run();
        assertEquals(1, calls.size(), calls.toString());
        assertTrue(calls.get(0).startsWith("install "), calls.toString());

        // B rekeys: A answers and must hand the new pair over as rekey responder.
        int bSpi = p.b.live.keySet().iterator().next();
        p.b.engine.childSaExpired(bSpi, false, p.now);
        p.run();
        assertEquals(2, calls.size(), calls.toString());
        int aSpi = p.a.live.keySet().iterator().next();
        assertEquals("responder-install " + Integer.toHexString(aSpi), calls.get(1), p.a.log.toString());
        assertEquals(1, p.a.live.size(), "the old pair was deleted: " + p.a.log);

        // A rekeys itself: an ordinary install.
        p.a.engine.childSaExpired(aSpi, false, p.now);
        p.run();
        assertEquals(3, calls.size(), calls.toString());
        assertTrue(calls.get(2).startsWith("install "), calls.toString());
    }
}
