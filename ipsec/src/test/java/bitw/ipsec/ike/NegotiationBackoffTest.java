// A negotiation that fails is reported with its reason, and automatic attempts (traffic asking again, start-up
// connections kept up) back off: 5 s, then twice as long after each further failure, up to 5 min. Success resets
// it; an operator's explicit initiate is never held back. Injectable clock, engines back to back.
package bitw.ipsec.ike;

import static org.junit.jupiter.api.Assertions.*;

import bitw.ipsec.ike.message.ExchangeType;
import bitw.ipsec.packet.IpAddress;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class NegotiationBackoffTest {
    static final IpAddress SRC = IpAddress.parse("10.1.0.10"), DST = IpAddress.parse("10.2.0.20");
    static final long SECOND = 1_000_000_000L;

    /** Seconds (from the start of the pair) at which {@code side} sent a request of this exchange type. */
    private static List<Long> requests(EnginePair p, EnginePair.Side side, ExchangeType type, long t0) {
        List<Long> at = new ArrayList<>();
        for (String line : side.timeline) {
            if (!line.contains(" send ")) continue;
            String hex = line.substring(line.lastIndexOf(' ') + 1);
            int exchange = Integer.parseInt(hex.substring(36, 38), 16), flags = Integer.parseInt(hex.substring(38, 40), 16);
            if (exchange == type.value() && (flags & 0x20) == 0) at.add((Long.parseLong(line.substring(0, line.indexOf(' '))) - t0) / SECOND);
        }
        return at;
    }

    /** Traffic asks for the tunnel once a second (the data plane's acquire rate) for {@code seconds}. */
    private static void trafficFor(EnginePair p, long seconds) {
        for (long s = 0; s < seconds; s++) {
            p.a.engine.acquire("gw", SRC, DST, 17, p.now);
            p.run();
            p.advance(1);
        }
    }

    private static List<String> failures(EnginePair.Side s) {
        List<String> out = new ArrayList<>();
        for (IkeEvent.Failed f : s.events(IkeEvent.Failed.class)) out.add(f.failure() + ": " + f.message());
        return out;
    }

    @Test
    void failedNegotiationIsLoggedWithItsReasonAndTrafficRetriesItWithBackOff() {
        var a = TestConnections.a();
        var b = TestConnections.b();
        a.start = StartAction.TRAP;
        a.ike = List.of(TestConnections.GCM128_ECP256);
        b.ike = List.of(TestConnections.CBC256_MODP2048);
        EnginePair p = new EnginePair(1);
        long t0 = p.now;
        p.start(List.of(a.build()), List.of(b.build()));
        trafficFor(p, 400);
        // Attempts at 0, then 5, 10, 20, 40, 80, 160 s apart; 300 s at most.
        assertEquals(List.of(0L, 5L, 15L, 35L, 75L, 155L, 315L), requests(p, p.a, ExchangeType.IKE_SA_INIT, t0));
        List<String> f = failures(p.a);
        assertEquals(7, f.size(), f.toString());
        assertEquals("NO_PROPOSAL_CHOSEN: peer answered IKE_SA_INIT with NO_PROPOSAL_CHOSEN; failure 1 in a row: next attempt on traffic, not before 5 s", f.get(0));
        assertTrue(f.get(1).endsWith("failure 2 in a row: next attempt on traffic, not before 10 s"), f.get(1));
        assertTrue(f.get(6).endsWith("failure 7 in a row: next attempt on traffic, not before 300 s"), f.get(6));
        assertEquals(400 - 7, p.a.engine.attemptsDeferred, "every other acquire was held back and counted");
        // The responder's side of the story, with what was offered.
        assertTrue(p.b.failedWith(IkeEvent.Failure.NO_PROPOSAL_CHOSEN), p.b.log.toString());
        assertTrue(failures(p.b).get(0).contains("no IKE proposal in common"), failures(p.b).toString());
        assertTrue(p.a.engine.status().isEmpty() && p.b.engine.status().isEmpty(), "nothing half-open left behind");
    }

    @Test
    void successEndsTheBackOffAndAnOperatorInitiateIsNeverHeldBack() {
        var a = TestConnections.a();
        var b = TestConnections.b();
        a.start = StartAction.TRAP;
        b.ike = List.of(TestConnections.CBC256_MODP2048);
        EnginePair p = new EnginePair(2);
        p.start(List.of(a.build()), List.of(b.build()));
        trafficFor(p, 7);   // fails at 0 and 5: backing off for 10 s now
        assertEquals(2, p.a.events(IkeEvent.Failed.class).size());
        b.ike = List.of(TestConnections.GCM128_ECP256);   // the peer's operator fixes its side
        p.b.engine.reconfigure(List.of(b.build()), p.now);
        long deferred = p.a.engine.attemptsDeferred;
        p.a.engine.acquire("gw", SRC, DST, 17, p.now);
        p.run();
        assertEquals(deferred + 1, p.a.engine.attemptsDeferred, "traffic still waits for the back-off");
        assertTrue(p.a.live.isEmpty());
        p.a.engine.initiate("gw", p.now);   // the operator does not
        p.run();
        IkeEstablishmentTest.assertMirrored(p);
        // Up, then the peer deletes it and breaks its side again: the next failure starts the schedule afresh.
        b.ike = List.of(TestConnections.CBC256_MODP2048);
        p.b.engine.reconfigure(List.of(b.build()), p.now);
        p.advance(5);
        assertTrue(p.a.engine.status().isEmpty(), p.a.log.toString());
        trafficFor(p, 2);
        List<String> f = failures(p.a);
        assertTrue(f.getLast().endsWith("failure 1 in a row: next attempt on traffic, not before 5 s"), f.toString());
    }

    @Test
    void silentPeerTimesOutAndIsRetriedWithBackOff() {
        var a = TestConnections.a();
        a.start = StartAction.TRAP;
        EnginePair p = new EnginePair(3);
        long t0 = p.now;
        p.lose = d -> true;
        p.start(List.of(a.build()), List.of(TestConnections.b().build()));
        p.a.engine.setRetransmission(SECOND, 2);   // gives up after 1 + 2 + 4 s
        trafficFor(p, 60);
        // 0 (+1, +3 retransmissions, given up at 7), 12 (given up at 19), 29 (at 36), 56: 5, 10, 20 s after each failure.
        assertEquals(List.of(0L, 1L, 3L, 12L, 13L, 15L, 29L, 30L, 32L, 56L, 57L, 59L), requests(p, p.a, ExchangeType.IKE_SA_INIT, t0));
        List<String> f = failures(p.a);
        assertTrue(f.get(0).startsWith("TIMEOUT: no answer to IKE_SA_INIT from 198.51.100.2:500; failure 1 in a row"), f.toString());
        assertTrue(f.get(2).endsWith("failure 3 in a row: next attempt on traffic, not before 20 s"), f.toString());
    }

    @Test
    void startUpConnectionsRetryWithBackOffButNotFasterThanStartRetry() {
        var a = TestConnections.a();
        var b = TestConnections.b();
        a.start = StartAction.START;
        a.ike = List.of(TestConnections.GCM128_ECP256);
        b.ike = List.of(TestConnections.CBC256_MODP2048);
        EnginePair p = new EnginePair(4);
        long t0 = p.now;
        p.start(List.of(a.build()), List.of(b.build()));
        p.run();
        p.advance(200);
        // startRetry (30 s) is the floor between start-up attempts; the back-off takes over from 40 s.
        assertEquals(List.of(0L, 30L, 60L, 90L, 130L), requests(p, p.a, ExchangeType.IKE_SA_INIT, t0));
        List<String> f = failures(p.a);
        assertTrue(f.get(0).endsWith("failure 1 in a row: next attempt in 30 s"), f.toString());
        assertTrue(f.get(3).endsWith("failure 4 in a row: next attempt in 40 s"), f.toString());
    }

    @Test
    void childSaThatTheResponderRefusesIsAskedForAgainWithBackOff() {
        var a = TestConnections.a();
        var b = TestConnections.b();
        a.start = StartAction.TRAP;
        a.esp = List.of(TestConnections.ESP_GCM128);
        b.esp = List.of(TestConnections.ESP_CBC256);
        EnginePair p = new EnginePair(5);
        long t0 = p.now;
        p.start(List.of(a.build()), List.of(b.build()));
        trafficFor(p, 40);
        assertEquals(List.of(0L), requests(p, p.a, ExchangeType.IKE_SA_INIT, t0), "the IKE SA itself is up and stays");
        assertEquals(List.of(5L, 15L, 35L), requests(p, p.a, ExchangeType.CREATE_CHILD_SA, t0), "new Child SAs, backing off");
        List<String> f = failures(p.a);
        assertTrue(f.get(0).startsWith("NO_PROPOSAL_CHOSEN: peer answered the first Child SA with NO_PROPOSAL_CHOSEN; failure 1 in a row"), f.toString());
        assertTrue(f.get(1).startsWith("NO_PROPOSAL_CHOSEN: peer answered CREATE_CHILD_SA with NO_PROPOSAL_CHOSEN; failure 2 in a row"), f.toString());
        assertTrue(p.a.live.isEmpty());
    }
}
