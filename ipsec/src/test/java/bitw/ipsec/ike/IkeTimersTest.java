// The engine's timer schedule: tick() visits only the IKE SAs that are due. Proven against the plain rule it
// replaced ("look at every SA on every tick"): the same seeded scenarios — rekeys by time and by bytes,
// simultaneous ones, DPD against a silent peer with each action, lost and duplicated datagrams, expiry, Deletes —
// run once ticking only due SAs and once ticking every SA in the same order; every datagram (its IKE header), install,
// removal and event on both sides, and the moment of each, must be identical. A tick of an SA that was not due may therefore never have done anything.
package bitw.ipsec.ike;

import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

class IkeTimersTest {

    /** Everything one run did, on both sides, in order. */
    private static List<String> run(long seed, boolean tickEverySa, Consumer<EnginePair> scenario) {
        EnginePair p = new EnginePair(seed);
        p.tickEverySa = tickEverySa;
        scenario.accept(p);
        List<String> out = new ArrayList<>(p.a.timeline);
        out.add("--- B");
        out.addAll(p.b.timeline);
        out.add("--- status " + p.a.engine.status() + " " + p.b.engine.status());
        return out;
    }

    private static void sameEitherWay(String what, Consumer<EnginePair> scenario) {
        for (long seed = 1; seed <= 4; seed++) {
            List<String> due = run(seed, false, scenario), every = run(seed, true, scenario);
            assertTrue(due.size() > 10, what + ": the scenario did something");
            for (int i = 0; i < Math.min(due.size(), every.size()); i++)
                assertEquals(every.get(i), due.get(i), what + ", seed " + seed + ", entry " + i + " differs");
            assertEquals(every.size(), due.size(), what + ", seed " + seed);
        }
    }

    private static void start(EnginePair p, TestConnections.Builder a, TestConnections.Builder b) {
        p.start(List.of(a.build()), List.of(b.build()));
    }

    @Test
    void rekeysAndExpiryUnderLossHappenAtTheSameMoments() {
        sameEitherWay("rekeys under loss", p -> {
            var a = TestConnections.a();
            var b = TestConnections.b();
            a.ikeLifetime = 300; a.childLifetime = 120; a.margin = 30;
            b.ikeLifetime = 280; b.childLifetime = 100; b.margin = 20;
            start(p, a, b);
            Random loss = new Random(p.random.nextLong());
            p.lose = d -> loss.nextDouble() < 0.15;
            p.duplicate = 0.1;
            p.a.engine.initiate("gw", p.now);
            p.run();
            p.advance(900);
            // Rekeys by bytes (the SAD's soft and hard limits) at arbitrary moments.
            for (int k = 0; k < 3 && !p.a.live.isEmpty(); k++) {
                p.a.engine.childSaExpired(p.a.live.keySet().iterator().next(), k == 2, p.now);
                p.advance(40);
            }
        });
    }

    @Test
    void deadPeerDetectionAndItsActionsHappenAtTheSameMoments() {
        for (DpdAction action : DpdAction.values()) {
            sameEitherWay("dpd " + action, p -> {
                var a = TestConnections.a();
                var b = TestConnections.b();
                a.dpd = 20; a.dpdAction = action; a.start = StartAction.START;
                b.dpd = 30;
                start(p, a, b);
                p.advance(60);
                p.lose = d -> true;    // B goes silent
                p.advance(200);
                p.lose = d -> false;   // and comes back
                p.a.engine.acquire("gw", null, null, -1, p.now);
                p.advance(120);
            });
        }
    }

    @Test
    void simultaneousStartsRekeysAndDeletesHappenAtTheSameMoments() {
        sameEitherWay("both sides at once", p -> {
            var a = TestConnections.a();
            var b = TestConnections.b();
            a.start = StartAction.START; b.start = StartAction.START;
            a.ikeLifetime = b.ikeLifetime = 200; a.childLifetime = b.childLifetime = 90; a.margin = b.margin = 30;
            start(p, a, b);
            p.reorder = 0.3;
            p.run();
            p.advance(400);
            p.b.engine.terminate("gw", p.now);
            p.advance(100);
        });
    }
}
