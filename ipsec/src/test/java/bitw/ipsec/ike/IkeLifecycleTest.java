// After establishment: Child and IKE SA rekeys (make-before-break, collisions per RFC 7296 §2.8), Delete from
// either side, dead peer detection and its actions, retransmission under loss and duplication, INITIAL_CONTACT.
package bitw.ipsec.ike;

import static org.junit.jupiter.api.Assertions.*;

import bitw.ipsec.sad.SaParameters;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class IkeLifecycleTest {
    private static EnginePair up(TestConnections.Builder a, TestConnections.Builder b, long seed) {
        EnginePair p = new EnginePair(seed);
        p.start(List.of(a.build()), List.of(b.build()));
        p.a.engine.initiate(a.name, p.now);
        p.run();
        IkeEstablishmentTest.assertMirrored(p);
        return p;
    }

    private static EnginePair up() { return up(TestConnections.a(), TestConnections.b(), 11); }

    private static int index(List<String> log, String prefix) {
        for (int i = 0; i < log.size(); i++) if (log.get(i).startsWith(prefix)) return i;
        return -1;
    }

    @Test
    void childRekeyInstallsTheNewPairBeforeRemovingTheOld() {
        EnginePair p = up();
        int oldA = p.a.live.keySet().iterator().next(), oldB = p.b.live.keySet().iterator().next();
        p.advance(1200 - 60 + 1);
        IkeEstablishmentTest.assertMirrored(p);
        int newA = p.a.live.keySet().iterator().next(), newB = p.b.live.keySet().iterator().next();
        assertNotEquals(oldA, newA);
        assertNotEquals(oldB, newB);
        for (EnginePair.Side s : List.of(p.a, p.b)) {
            int oldSpi = s == p.a ? oldA : oldB, newSpi = s == p.a ? newA : newB;
            int installed = index(s.log, "install " + Integer.toHexString(newSpi)), removed = index(s.log, "remove " + Integer.toHexString(oldSpi));
            assertTrue(installed >= 0 && removed > installed, s.log.toString());
        }
        assertEquals(1, p.a.events(IkeEvent.ChildSaRekeyed.class).size() + p.b.events(IkeEvent.ChildSaRekeyed.class).size() - 1);
    }

    @Test
    void ikeRekeyKeepsChildSasAndMovesToNewSpis() {
        EnginePair p = up();
        long oldSpiI = p.a.engine.status().get(0).initiatorSpi();
        int installs = p.a.installed.size();
        // Child lifetime longer than the IKE lifetime so only the IKE SA rekeys in this window.
        p.advance(3600 - 60 + 1);
        assertEquals(1, p.a.engine.status().size(), p.a.log.toString());
        assertEquals(1, p.b.engine.status().size(), p.b.log.toString());
        IkeSaStatus s = p.a.engine.status().get(0);
        assertNotEquals(oldSpiI, s.initiatorSpi());
        assertEquals("ESTABLISHED", s.state());
        assertEquals(1, s.children().size(), "the Child SA moved to the new IKE SA");
        assertFalse(p.a.events(IkeEvent.IkeSaRekeyed.class).isEmpty());
        assertFalse(p.b.events(IkeEvent.IkeSaRekeyed.class).isEmpty());
        IkeEstablishmentTest.assertMirrored(p);
        // Child rekeys happened in between (1200 s lifetime); the IKE rekey itself neither installed nor removed SAs.
        assertTrue(p.a.installed.size() >= installs);
        // The new IKE SA works: a further child rekey runs over it.
        p.advance(1200);
        IkeEstablishmentTest.assertMirrored(p);
    }

    @Test
    void simultaneousChildRekeyLeavesExactlyOnePair() {
        for (long seed = 1; seed <= 6; seed++) {
            EnginePair p = up(TestConnections.a(), TestConnections.b(), seed);
            int spiA = p.a.live.keySet().iterator().next(), spiB = p.b.live.keySet().iterator().next();
            p.a.engine.childSaExpired(spiA, false, p.now);
            p.b.engine.childSaExpired(spiB, false, p.now);
            p.run();
            p.advance(5);
            IkeEstablishmentTest.assertMirrored(p);
            assertNotEquals(spiA, p.a.live.keySet().iterator().next());
            assertEquals(3, p.a.installed.size(), "old, ours, theirs: " + p.a.log);
            assertEquals(2, p.a.removed.size());
        }
    }

    @Test
    void simultaneousIkeRekeyLeavesExactlyOneIkeSa() {
        for (long seed = 1; seed <= 6; seed++) {
            EnginePair p = up(TestConnections.a(), TestConnections.b(), seed);
            p.a.engine.ikeSas().get(0).rekeyAt = p.now;
            p.b.engine.ikeSas().get(0).rekeyAt = p.now;
            p.a.engine.tick(p.now);
            p.b.engine.tick(p.now);
            p.run();
            p.advance(5);
            assertEquals(1, p.a.engine.status().size(), p.a.log.toString());
            assertEquals(1, p.b.engine.status().size(), p.b.log.toString());
            IkeSaStatus sa = p.a.engine.status().get(0), sb = p.b.engine.status().get(0);
            assertEquals(sa.initiatorSpi(), sb.initiatorSpi());
            assertEquals(sa.responderSpi(), sb.responderSpi());
            assertEquals(1, sa.children().size(), p.a.log.toString());
            assertEquals(1, sb.children().size(), p.b.log.toString());
            IkeEstablishmentTest.assertMirrored(p);
            assertTrue(p.a.removed.isEmpty() && p.b.removed.isEmpty(), "IKE rekeys do not touch the Child SAs");
            // And the survivor still works.
            p.advance(1200);
            IkeEstablishmentTest.assertMirrored(p);
        }
    }

    @Test
    void deleteFromInitiatorRemovesEverythingOnBothSides() {
        EnginePair p = up();
        p.a.engine.terminate("gw", p.now);
        p.run();
        assertTrue(p.a.live.isEmpty() && p.b.live.isEmpty());
        assertTrue(p.a.engine.status().isEmpty() && p.b.engine.status().isEmpty());
        assertEquals(1, p.a.events(IkeEvent.IkeSaDeleted.class).size());
        assertTrue(p.b.events(IkeEvent.IkeSaDeleted.class).get(0).message().contains("deleted by the peer"));
    }

    @Test
    void terminateNowRemovesOurSideBeforeReturningAndStillTellsThePeer() {
        EnginePair p = up();
        p.a.engine.terminateNow("gw", p.now);
        assertTrue(p.a.live.isEmpty(), "our SAs are gone at once");
        assertTrue(p.a.engine.status().isEmpty());
        assertEquals(1, p.a.events(IkeEvent.IkeSaDeleted.class).size(), "and its event came before the call returned");
        p.run();
        assertTrue(p.b.live.isEmpty(), "the peer got the Delete and removed its side");
        assertTrue(p.b.events(IkeEvent.IkeSaDeleted.class).get(0).message().contains("deleted by the peer"));
        assertEquals(1, p.a.events(IkeEvent.IkeSaDeleted.class).size(), "the peer's answer finds nothing left to delete");
    }

    @Test
    void deleteFromResponderRemovesEverythingOnBothSides() {
        EnginePair p = up();
        p.b.engine.terminate("gw", p.now);
        p.run();
        assertTrue(p.a.live.isEmpty() && p.b.live.isEmpty());
        assertTrue(p.a.engine.status().isEmpty() && p.b.engine.status().isEmpty());
    }

    @Test
    void clearingAllSasDeletesThemAtThePeerAndStartUpConnectionsComeBack() {
        var a = TestConnections.a();
        a.start = StartAction.START;
        EnginePair p = up(a, TestConnections.b(), 7);
        long oldSpi = p.a.engine.status().get(0).initiatorSpi();
        java.util.Set<Integer> oldChildren = new java.util.HashSet<>(p.b.live.keySet());
        assertEquals(1, p.a.engine.terminateAll(p.now));   // A's operator: "clear sas"
        p.run();
        assertTrue(p.a.events(IkeEvent.IkeSaDeleted.class).get(0).message().contains("cleared by the operator"), p.a.log.toString());
        assertTrue(p.b.events(IkeEvent.IkeSaDeleted.class).get(0).message().contains("deleted by the peer"), "B was told: " + p.b.log);
        assertTrue(p.b.live.isEmpty() && p.b.engine.status().isEmpty(), "B keeps nothing stale");
        p.advance(1);   // A's start-up connection comes back at its next tick
        IkeEstablishmentTest.assertMirrored(p);
        assertEquals(1, p.a.engine.status().size());
        assertNotEquals(oldSpi, p.a.engine.status().get(0).initiatorSpi(), "a new IKE SA, not the cleared one");
        java.util.Set<Integer> now = new java.util.HashSet<>(p.b.live.keySet());
        now.retainAll(oldChildren);
        assertTrue(now.isEmpty(), "new Child SAs");
    }

    @Test
    void deadPeerIsDetectedAndCleared() {
        var a = TestConnections.a();
        a.dpd = 10;
        EnginePair p = up(a, TestConnections.b(), 5);
        p.lose = d -> true;   // B vanishes
        p.advance(10 + 200);
        assertEquals(1, p.a.events(IkeEvent.PeerDead.class).size(), p.a.log.toString());
        assertTrue(p.a.live.isEmpty());
        assertTrue(p.a.engine.status().isEmpty());
    }

    @Test
    void livePeerSurvivesDpd() {
        var a = TestConnections.a();
        a.dpd = 10;
        EnginePair p = up(a, TestConnections.b(), 5);
        int before = p.a.sent.size();
        p.advance(100);
        assertTrue(p.a.sent.size() >= before + 9, "a DPD probe every 10 s of silence");
        assertTrue(p.a.events(IkeEvent.PeerDead.class).isEmpty());
        IkeEstablishmentTest.assertMirrored(p);
    }

    @Test
    void deadPeerWithRestartReconnectsWhenThePeerReturns() {
        var a = TestConnections.a();
        a.dpd = 10;
        a.dpdAction = DpdAction.RESTART;
        EnginePair p = up(a, TestConnections.b(), 5);
        p.lose = d -> true;
        p.advance(10 + 130);
        assertEquals(1, p.a.events(IkeEvent.PeerDead.class).size(), p.a.log.toString());
        p.lose = d -> false;
        p.advance(60);
        assertEquals(2, p.a.events(IkeEvent.IkeSaEstablished.class).size(), p.a.log.toString());
        // B kept the old SA (it never noticed), but INITIAL_CONTACT replaced it.
        assertEquals(1, p.b.engine.status().size(), p.b.log.toString());
        IkeEstablishmentTest.assertMirrored(p);
    }

    @Test
    void heldConnectionReinitiatesOnTraffic() {
        var a = TestConnections.a();
        a.dpd = 10;
        a.dpdAction = DpdAction.HOLD;
        EnginePair p = up(a, TestConnections.b(), 5);
        p.lose = d -> true;
        p.advance(10 + 130);
        p.lose = d -> false;
        p.advance(30);
        assertTrue(p.a.live.isEmpty(), "hold waits for traffic");
        p.a.engine.acquire("gw", bitw.ipsec.packet.IpAddress.parse("10.1.0.5"), bitw.ipsec.packet.IpAddress.parse("10.2.0.5"), 6, p.now);
        p.run();
        IkeEstablishmentTest.assertMirrored(p);
    }

    @Test
    void establishesThroughLossAndDuplication() {
        for (long seed = 1; seed <= 5; seed++) {
            EnginePair p = new EnginePair(seed);
            Random r = new Random(seed);
            p.lose = d -> r.nextDouble() < 0.3;
            p.duplicate = 0.3;
            p.reorder = 0.2;
            p.start(List.of(TestConnections.a().build()), List.of(TestConnections.b().build()));
            p.a.engine.initiate("gw", p.now);
            p.run();
            for (int i = 0; i < 120 && (p.a.live.isEmpty() || p.b.live.isEmpty()); i++) p.advance(1);
            p.lose = d -> false;
            p.advance(130);
            IkeEstablishmentTest.assertMirrored(p);
            assertEquals(1, p.b.engine.status().size(), "retransmitted IKE_SA_INIT did not create a second SA");
        }
    }

    @Test
    void duplicateRequestGetsTheKeptResponseAndIsNotProcessedTwice() {
        EnginePair p = up();
        p.a.engine.terminate("gw", p.now);
        // Capture A's Delete request, deliver it twice.
        p.lose = d -> false;
        Datagram delete = p.a.sent.getLast();
        p.run();
        int sentByB = p.b.sent.size();
        p.b.engine.receive(new Datagram(delete.remote(), delete.local(), delete.data()), p.now);
        assertEquals(sentByB, p.b.sent.size(), "the SA is gone; a stray duplicate is dropped");
        // Now a live case: a DPD request retransmitted.
        EnginePair q = up();
        q.a.engine.ikeSas().get(0).queue(new Exchange(bitw.ipsec.ike.message.ExchangeType.INFORMATIONAL, new DpdTask(q.a.engine.ikeSas().get(0))), q.now);
        Datagram dpd = q.a.sent.getLast();
        q.run();
        int before = q.b.sent.size();
        q.b.engine.receive(new Datagram(dpd.remote(), dpd.local(), dpd.data()), q.now);
        assertEquals(before + 1, q.b.sent.size());
        assertArrayEquals(q.b.sent.get(before - 1).data(), q.b.sent.get(before).data(), "the same response, byte for byte");
    }

    @Test
    void initialContactFromARebootedPeerReplacesTheOldSas() {
        EnginePair p = up();
        SaParameters[] oldB = p.b.live.values().iterator().next();
        // A reboots: a new engine with the same configuration, no memory of the old SA.
        p.a.engine = new IkeEngine(List.of(TestConnections.a().build()), p.a, new Random(99), p.now);
        p.a.live.clear();
        p.a.engine.initiate("gw", p.now);
        p.run();
        assertEquals(1, p.b.engine.status().size(), p.b.log.toString());
        assertFalse(p.b.live.containsKey(oldB[0].spi()), "old Child SA removed after INITIAL_CONTACT");
        IkeEstablishmentTest.assertMirrored(p);
    }

    @Test
    void reconfigureKeepsSasOfUnchangedConnectionsAndDropsChangedOnes() {
        EnginePair p = up();
        var other = TestConnections.a();
        other.name = "other";
        other.peer = bitw.ipsec.packet.IpAddress.parse("198.51.100.99");
        // The same definition rebuilt from scratch (fresh PSK arrays) counts as unchanged.
        p.a.engine.reconfigure(List.of(TestConnections.a().build(), other.build()), p.now);
        p.run();
        IkeEstablishmentTest.assertMirrored(p);
        assertTrue(p.a.removed.isEmpty());
        var changed = TestConnections.a();
        changed.remoteNets = List.of(bitw.ipsec.packet.IpPrefix.parse("10.2.0.0/24"));
        p.a.engine.reconfigure(List.of(changed.build()), p.now);
        p.run();
        assertTrue(p.a.live.isEmpty() && p.b.live.isEmpty(), p.a.log.toString());
        assertTrue(p.a.engine.status().isEmpty());
    }

    @Test
    void unknownInboundSpiIsReportedAndThePeerDropsThePair() {
        EnginePair p = up();
        int bOutbound = p.b.live.values().iterator().next()[1].spi();
        // A lost its SA state for that SPI (say the SAD was flushed) and sees ESP for it.
        assertTrue(p.a.engine.invalidSpi(EnginePair.B_ADDR, bOutbound, p.now));
        p.run();
        assertTrue(p.b.live.isEmpty(), p.b.log.toString());
        assertTrue(p.b.failedWith(IkeEvent.Failure.INVALID_SPI));
        assertFalse(p.a.engine.invalidSpi(bitw.ipsec.packet.IpAddress.parse("203.0.113.77"), 0x1234, p.now), "no IKE SA with that peer");
        int sent = p.a.sent.size();
        p.a.engine.invalidSpi(EnginePair.B_ADDR, bOutbound, p.now);
        assertEquals(sent, p.a.sent.size(), "rate-limited per SPI");
    }

    @Test
    void startActionBringsTheConnectionUpAndTrapWaitsForTraffic() {
        var a = TestConnections.a();
        a.start = StartAction.START;
        EnginePair p = new EnginePair(8);
        p.start(List.of(a.build()), List.of(TestConnections.b().build()));
        p.run();
        IkeEstablishmentTest.assertMirrored(p);
        var t = TestConnections.a();
        t.start = StartAction.TRAP;
        EnginePair q = new EnginePair(8);
        q.start(List.of(t.build()), List.of(TestConnections.b().build()));
        q.run();
        assertTrue(q.a.sent.isEmpty());
        q.a.engine.acquire("gw", bitw.ipsec.packet.IpAddress.parse("10.1.0.5"), bitw.ipsec.packet.IpAddress.parse("10.2.0.5"), 17, q.now);
        q.a.engine.acquire("gw", bitw.ipsec.packet.IpAddress.parse("10.1.0.5"), bitw.ipsec.packet.IpAddress.parse("10.2.0.5"), 17, q.now);
        q.run();
        IkeEstablishmentTest.assertMirrored(q);
        assertEquals(1, q.b.engine.status().size(), "a second acquire while connecting starts nothing new");
    }

    @Test
    void startConnectionRetriesUntilThePeerAnswers() {
        var a = TestConnections.a();
        a.start = StartAction.START;
        EnginePair p = new EnginePair(8);
        p.lose = d -> true;
        p.start(List.of(a.build()), List.of(TestConnections.b().build()));
        p.advance(200);
        assertTrue(p.a.failedWith(IkeEvent.Failure.TIMEOUT), p.a.log.toString());
        p.lose = d -> false;
        p.advance(200);
        IkeEstablishmentTest.assertMirrored(p);
        assertEquals(1, p.a.engine.status().size());
    }

    @Test
    void aShellThatThrowsCannotMakeAResponseCountTwice() {
        EnginePair p = new EnginePair(12);
        var b = TestConnections.b();
        // A's installChildSa throws once (a broken SAD); the IKE SA must still come up exactly once.
        EnginePair.Side flaky = p.a;
        boolean[] thrown = {false};
        p.a.engine = null;
        IkeOutput out = new IkeOutput() {
            @Override public void send(Datagram d) { flaky.send(d); }
            @Override public void installChildSa(String c, bitw.ipsec.sad.SaParameters in, bitw.ipsec.sad.SaParameters o) {
                if (!thrown[0]) { thrown[0] = true; throw new IllegalStateException("SAD full"); }
                flaky.installChildSa(c, in, o);
            }
            @Override public void removeChildSa(String c, bitw.ipsec.sad.SaParameters in, bitw.ipsec.sad.SaParameters o) { flaky.removeChildSa(c, in, o); }
            @Override public void event(IkeEvent e) { flaky.event(e); }
        };
        p.b.engine = new IkeEngine(List.of(b.build()), p.b, new Random(1), p.now);
        p.a.engine = new IkeEngine(List.of(TestConnections.a().build()), out, new Random(2), p.now);
        p.a.engine.initiate("gw", p.now);
        p.run();
        p.advance(20);
        assertTrue(thrown[0]);
        assertEquals(1, p.a.events(IkeEvent.IkeSaEstablished.class).size(), p.a.log.toString());
        assertTrue(p.a.failedWith(IkeEvent.Failure.INTERNAL), p.a.log.toString());
        assertEquals(1, p.a.engine.dropCounters().get("output error in installChildSa()"));
    }

    @Test
    void childRekeyWithPfsRetriesAfterInvalidKe() {
        var a = TestConnections.a();
        var b = TestConnections.b();
        a.esp = List.of(new EspProposalSpec(List.of(bitw.ipsec.crypto.EncryptionAlgorithm.AES_GCM_128), List.of(),
                List.of(bitw.ipsec.ike.crypto.KeyExchangeMethod.ECP_256, bitw.ipsec.ike.crypto.KeyExchangeMethod.CURVE25519), false));
        b.esp = List.of(new EspProposalSpec(List.of(bitw.ipsec.crypto.EncryptionAlgorithm.AES_GCM_128), List.of(),
                List.of(bitw.ipsec.ike.crypto.KeyExchangeMethod.CURVE25519), false));
        b.childLifetime = 5000;   // only A rekeys
        EnginePair p = up(a, b, 13);
        p.advance(1200 - 60 + 1);
        IkeEstablishmentTest.assertMirrored(p);
        assertTrue(p.a.failedWith(IkeEvent.Failure.INVALID_KE_PAYLOAD), p.a.log.toString());
        assertEquals(2, p.a.installed.size());
        assertEquals(1, p.a.events(IkeEvent.ChildSaRekeyed.class).size());
    }

    @Test
    void bothSidesStartingAtOnceKeepOneIkeSaAndOnePair() {
        var a = TestConnections.a();
        var b = TestConnections.b();
        a.start = b.start = StartAction.START;
        for (long seed = 30; seed < 36; seed++) bothStart(a, b, seed);
    }

    private static void bothStart(TestConnections.Builder a, TestConnections.Builder b, long seed) {
        EnginePair p = new EnginePair(seed);
        p.reorder = seed % 2 == 0 ? 0.5 : 0;
        p.start(List.of(a.build()), List.of(b.build()));
        p.run();
        p.advance(1300);
        assertEquals(1, p.a.engine.status().size(), p.a.log.toString());
        assertEquals(1, p.b.engine.status().size(), p.b.log.toString());
        assertEquals(p.a.engine.status().get(0).initiatorSpi(), p.b.engine.status().get(0).initiatorSpi());
        assertEquals(1, p.a.live.size());
        for (SaParameters[] x : p.a.live.values()) {
            SaParameters[] y = null;
            for (SaParameters[] c : p.b.live.values()) if (c[0].spi() == x[1].spi()) y = c;
            assertNotNull(y, "every pair of A has its mirror on B");
            IkeEstablishmentTest.assertMirror(x, y);
        }
        assertEquals(p.a.live.size(), p.b.live.size());
    }
}
