// Specification of the OE state per host pair with a hand-driven clock: holds, discovery to negotiation,
// negative cache and its expiry, caps with LRU eviction, the lookup rate limit under a flood, and the
// tunnel lifespan (1 minute, then 20 while busy; idle -> 3 Deletes 10 s apart; crossed Deletes).
package bitw.ipsec.oe;

import static org.junit.jupiter.api.Assertions.*;

import bitw.ipsec.oe.OpportunisticTunnels.Action;
import bitw.ipsec.oe.OpportunisticTunnels.Disposition;
import bitw.ipsec.oe.OpportunisticTunnels.HostPair;
import bitw.ipsec.oe.OpportunisticTunnels.State;
import bitw.ipsec.packet.IpAddress;
import bitw.ipsec.spd.Fallback;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Name;
import org.xbill.DNS.TXTRecord;

class OpportunisticTunnelsTest {
    static final IpAddress SRC = IpAddress.parse("10.0.0.5"), DST = IpAddress.parse("192.0.2.10");
    static final HostPair PAIR = new HostPair(SRC, DST);
    static final int TCP = 6;

    long now = 1_000_000_000L;
    final OpportunisticTunnels.Config config = OpportunisticTunnels.Config.DEFAULTS;

    OpportunisticTunnels tunnels(OpportunisticTunnels.Config c) { return new OpportunisticTunnels(c, () -> now); }

    void advance(Duration d) { now += d.toNanos(); }

    static <T extends Action> List<T> only(List<Action> actions, Class<T> type) {
        return actions.stream().filter(type::isInstance).map(type::cast).toList();
    }

    /** Answers every Lookup action with a delegation to 198.51.100.1 (key in the TXT) or empty answers. */
    static void answer(OpportunisticTunnels t, List<Action> actions, boolean withRecord) {
        for (Action.Lookup l : only(actions, Action.Lookup.class)) {
            List<org.xbill.DNS.Record> records = withRecord && l.lookup().type() == org.xbill.DNS.Type.TXT
                    ? List.of(new TXTRecord(Name.root, DClass.IN, 60, "X-IPsec-Server(10)=198.51.100.1 " + OeTestKeys.base64(0)))
                    : List.of();
            t.lookupResult(l.pair(), l.lookup(), LookupResult.answer(records, false));
        }
    }

    OpportunisticTunnels establish(OpportunisticTunnels.Config c) {
        OpportunisticTunnels t = tunnels(c);
        assertEquals(Disposition.HOLD, t.acquire(SRC, DST, TCP, 40000, 443, Fallback.CLEAR));
        answer(t, t.drainActions(), true);
        Action.Negotiate n = only(t.drainActions(), Action.Negotiate.class).getFirst();
        assertEquals(IpAddress.parse("198.51.100.1"), n.gateway());
        t.negotiated(PAIR);
        assertEquals(State.ESTABLISHED, t.state(PAIR));
        return t;
    }

    @Test
    void holdsOnePacketPerSelectorPairWhilePending() {
        OpportunisticTunnels t = tunnels(config);
        assertEquals(Disposition.HOLD, t.acquire(SRC, DST, TCP, 40000, 443, Fallback.CLEAR));
        List<Action> first = t.drainActions();
        assertEquals(2, only(first, Action.Lookup.class).size(), "TXT and IPSECKEY");
        assertEquals(Disposition.DROP, t.acquire(SRC, DST, TCP, 40000, 443, Fallback.CLEAR), "same selectors: already held");
        assertEquals(Disposition.HOLD, t.acquire(SRC, DST, TCP, 40001, 443, Fallback.CLEAR), "other selector pair");
        assertEquals(List.of(), t.drainActions(), "no second lookup for a pending pair");
        assertEquals(State.PENDING, t.state(PAIR));
        for (int p = 2; p < config.heldSelectorsPerPair(); p++) t.acquire(SRC, DST, TCP, 40000 + p, 443, Fallback.CLEAR);
        assertEquals(Disposition.DROP, t.acquire(SRC, DST, TCP, 49999, 443, Fallback.CLEAR), "per-pair hold cap");
    }

    @Test
    void statusViewShowsTheGatewayTheKeySourceValidationAndLifespanLeft() {
        OpportunisticTunnels t = establish(config);
        advance(Duration.ofSeconds(15));
        List<OpportunisticTunnels.TunnelView> v = t.tunnels();
        assertEquals(1, v.size());
        assertEquals(PAIR, v.get(0).pair());
        assertEquals(IpAddress.parse("198.51.100.1"), v.get(0).gateway());
        assertEquals(bitw.ipsec.oe.OeRecord.KeySource.TXT, v.get(0).source());
        assertFalse(v.get(0).dnssecValidated(), "the scripted answer was not validated");
        assertEquals(Duration.ofSeconds(45), v.get(0).lifespanLeft(), "one-minute initial lifespan, 15 s gone");
    }

    @Test
    void discoveryLeadsToNegotiationAndEstablished() {
        OpportunisticTunnels t = establish(config);
        assertEquals(Disposition.ENCRYPT, t.acquire(SRC, DST, TCP, 1, 2, Fallback.CLEAR));
        assertEquals(1, t.establishedCount());
        assertEquals(0, t.pendingCount());
    }

    @Test
    void noRecordsFallsBackAndIsCachedUntilExpiry() {
        OpportunisticTunnels t = tunnels(config);
        t.acquire(SRC, DST, TCP, 40000, 443, Fallback.CLEAR);
        answer(t, t.drainActions(), false);
        List<Action> out = t.drainActions();
        assertEquals(List.of(new Action.Fallback(PAIR, Fallback.CLEAR)), only(out, Action.Fallback.class));
        assertTrue(only(out, Action.Log.class).getFirst().line().contains("NO_RECORDS"), out.toString());
        assertEquals(State.CLEAR, t.state(PAIR));
        advance(Duration.ofSeconds(59));
        assertEquals(Disposition.CLEAR, t.acquire(SRC, DST, TCP, 40000, 443, Fallback.CLEAR));
        assertEquals(List.of(), t.drainActions(), "negative cache: no new lookup");
        advance(Duration.ofSeconds(1));
        assertEquals(Disposition.HOLD, t.acquire(SRC, DST, TCP, 40000, 443, Fallback.CLEAR), "expired: try again");
        List<Action> again = t.drainActions();
        assertEquals(List.of(new Action.FallbackExpired(PAIR)), only(again, Action.FallbackExpired.class), "the clear decision goes first");
        assertEquals(2, only(again, Action.Lookup.class).size());
    }

    @Test
    void everyEndOfANegativeEntryTakesItsDecisionAway() {
        // Expiry on the tick: the decision (a host-pair permit/deny entry in the lead) must not outlive the cache.
        OpportunisticTunnels t = tunnels(config.withNegativeCacheTime(Duration.ofSeconds(5)));
        t.acquire(SRC, DST, TCP, 40000, 443, Fallback.CLEAR);
        answer(t, t.drainActions(), false);
        assertEquals(List.of(new Action.Fallback(PAIR, Fallback.CLEAR)), only(t.drainActions(), Action.Fallback.class));
        advance(Duration.ofSeconds(4));
        t.tick();
        assertEquals(List.of(), only(t.drainActions(), Action.FallbackExpired.class));
        advance(Duration.ofSeconds(1));
        t.tick();
        assertEquals(List.of(new Action.FallbackExpired(PAIR)), only(t.drainActions(), Action.FallbackExpired.class));
        // Eviction by the cap: one decision out for each one in, so decisions never exceed maxNegative.
        OpportunisticTunnels u = tunnels(config.withCaps(10, 10, 3).withRateLimit(1e9, 1_000_000));
        int decided = 0, undecided = 0;
        for (int i = 0; i < 20; i++) {
            u.acquire(SRC, IpAddress.v4(0xC6120000 + i), 17, 1000, 53, Fallback.DROP);
            answer(u, u.drainActions(), false);
            List<Action> out = u.drainActions();
            decided += only(out, Action.Fallback.class).size();
            undecided += only(out, Action.FallbackExpired.class).size();
            assertEquals(u.negativeCount(), decided - undecided, "decisions in force = negative entries");
        }
        assertEquals(3, u.negativeCount());
        // Withdrawn by a commit.
        u.withdraw(new HostPair(SRC, IpAddress.v4(0xC6120000 + 19)), "policy changed");
        assertEquals(List.of(new Action.FallbackExpired(new HostPair(SRC, IpAddress.v4(0xC6120000 + 19)))), only(u.drainActions(), Action.FallbackExpired.class));
    }

    @Test
    void aRateLimitedPairIsNotDecided() {
        OpportunisticTunnels t = tunnels(config.withRateLimit(1, 1));
        assertEquals(Disposition.HOLD, t.acquire(SRC, DST, TCP, 1, 1, Fallback.CLEAR));
        HostPair other = new HostPair(SRC, IpAddress.parse("192.0.2.77"));
        assertEquals(Disposition.DROP, t.acquire(SRC, other.remote(), TCP, 1, 1, Fallback.CLEAR), "no token: no cleartext either");
        assertNull(t.state(other));
        assertTrue(only(t.drainActions(), Action.Fallback.class).isEmpty());
        advance(Duration.ofSeconds(1));
        assertEquals(Disposition.HOLD, t.acquire(SRC, other.remote(), TCP, 1, 1, Fallback.CLEAR), "asked again a second later: looked up");
    }

    @Test
    void ikeFailureWithDropFallbackIsFailed() {
        OpportunisticTunnels t = tunnels(config.withNegativeCacheTime(Duration.ofSeconds(5)));
        t.acquire(SRC, DST, TCP, 40000, 443, Fallback.DROP);
        answer(t, t.drainActions(), true);
        t.drainActions();
        t.negotiationFailed(PAIR, "no response");
        assertEquals(State.FAILED, t.state(PAIR));
        assertEquals(List.of(new Action.Fallback(PAIR, Fallback.DROP)), only(t.drainActions(), Action.Fallback.class));
        assertEquals(Disposition.DROP, t.acquire(SRC, DST, TCP, 40000, 443, Fallback.DROP));
        advance(Duration.ofSeconds(5));
        t.tick();
        assertNull(t.state(PAIR), "tick frees expired negative entries");
        assertEquals(0, t.negativeCount());
    }

    @Test
    void pendingTimesOut() {
        OpportunisticTunnels t = tunnels(config);
        t.acquire(SRC, DST, TCP, 40000, 443, Fallback.CLEAR);
        t.drainActions();
        advance(Duration.ofSeconds(59));
        t.tick();
        assertEquals(State.PENDING, t.state(PAIR));
        advance(Duration.ofSeconds(1));
        t.tick();
        assertEquals(State.CLEAR, t.state(PAIR));
        assertTrue(only(t.drainActions(), Action.Log.class).getFirst().line().contains("timed out"));
    }

    @Test
    void rateLimitBoundsAFloodOf100kDestinations() {
        OpportunisticTunnels t = tunnels(config.withCaps(500, 100, 1000));
        int lookups = 0, holds = 0;
        for (int i = 0; i < 100_000; i++) {
            Disposition d = t.acquire(SRC, IpAddress.v4(0xC6120000 + i), 17, 1000, 53, Fallback.CLEAR);
            if (d == Disposition.HOLD) holds++;
            lookups += only(t.drainActions(), Action.Lookup.class).size();
            if (i % 1000 == 999) { advance(Duration.ofMillis(100)); t.tick(); t.drainActions(); }
        }
        // The burst of 100, then 99 steps of 100 ms at 50/s (the last step comes after the last acquire).
        assertEquals(100 + 99 * 5, holds);
        assertEquals(2 * holds, lookups);
        assertTrue(t.pendingCount() <= 500, "pending " + t.pendingCount());
        assertTrue(t.negativeCount() <= 1000);
        assertEquals(100_000 - holds, t.rateLimitedCount());
        // Caps hold when lookups do finish: every pending one fails into the negative cache.
        OpportunisticTunnels u = tunnels(config.withCaps(50, 100, 80).withRateLimit(1e9, 1_000_000));
        for (int i = 0; i < 10_000; i++) {
            u.acquire(SRC, IpAddress.v4(0xC6120000 + i), 17, 1000, 53, Fallback.DROP);
            answer(u, u.drainActions(), false);
            u.drainActions();
            assertTrue(u.pendingCount() <= 50 && u.negativeCount() <= 80);
        }
        assertEquals(80, u.negativeCount());
        assertTrue(u.evictionCount() >= 10_000 - 80);
    }

    @Test
    void pendingCapAbandonsTheLeastRecentlyUsedPairWithoutDecidingIt() {
        OpportunisticTunnels t = tunnels(config.withCaps(2, 10, 10));
        IpAddress a = IpAddress.parse("192.0.2.1"), b = IpAddress.parse("192.0.2.2"), c = IpAddress.parse("192.0.2.3");
        t.acquire(SRC, a, TCP, 1, 1, Fallback.CLEAR);
        t.acquire(SRC, b, TCP, 1, 1, Fallback.CLEAR);
        t.acquire(SRC, a, TCP, 2, 2, Fallback.CLEAR); // touches a: b is now the eldest
        t.drainActions();
        t.acquire(SRC, c, TCP, 1, 1, Fallback.CLEAR);
        List<Action> out = t.drainActions();
        assertEquals(List.of(), only(out, Action.Fallback.class), "nothing is known of b's peer: no cleartext decision");
        assertEquals(List.of(new Action.Teardown(new HostPair(SRC, b))), only(out, Action.Teardown.class), "whatever b's attempt set up goes");
        assertNull(t.state(new HostPair(SRC, b)));
        assertEquals(State.PENDING, t.state(new HostPair(SRC, a)));
        assertEquals(2, t.pendingCount());
    }

    @Test
    void establishedCapTearsDownTheLeastRecentlyUsedTunnel() {
        OpportunisticTunnels t = establish(config.withCaps(10, 1, 10));
        IpAddress other = IpAddress.parse("192.0.2.99");
        t.acquire(SRC, other, TCP, 1, 1, Fallback.CLEAR);
        answer(t, t.drainActions(), true);
        t.drainActions();
        t.negotiated(new HostPair(SRC, other));
        List<Action> out = t.drainActions();
        assertEquals(List.of(new Action.Teardown(PAIR)), only(out, Action.Teardown.class));
        assertEquals(1, t.establishedCount());
        assertEquals(State.ESTABLISHED, t.state(new HostPair(SRC, other)));
    }

    @Test
    void idleTunnelIsDeletedAfterOneMinuteWithThreeDeletesTenSecondsApart() {
        OpportunisticTunnels t = establish(config);
        t.drainActions();
        advance(Duration.ofSeconds(20));
        t.trafficSeen(PAIR); // first half only: does not count
        advance(Duration.ofSeconds(40));
        t.tick();
        assertEquals(List.of(new Action.SendDelete(PAIR, 1)), only(t.drainActions(), Action.SendDelete.class));
        assertEquals(State.DELETING, t.state(PAIR));
        advance(Duration.ofSeconds(9));
        t.tick();
        assertEquals(List.of(), t.drainActions());
        advance(Duration.ofSeconds(1));
        t.tick();
        assertEquals(List.of(new Action.SendDelete(PAIR, 2)), only(t.drainActions(), Action.SendDelete.class));
        advance(Duration.ofSeconds(10));
        t.tick();
        assertEquals(List.of(new Action.SendDelete(PAIR, 3)), only(t.drainActions(), Action.SendDelete.class));
        advance(Duration.ofSeconds(10));
        t.tick();
        List<Action> out = t.drainActions();
        assertEquals(List.of(new Action.Teardown(PAIR)), only(out, Action.Teardown.class));
        assertEquals(List.of(), only(out, Action.SendDelete.class), "three tries only");
        assertNull(t.state(PAIR));
        t.deleteReceived(PAIR);
        assertEquals(List.of(), t.drainActions(), "a Delete for a tunnel already gone is ignored silently");
    }

    @Test
    void busyTunnelGetsTwentyMoreMinutesAndIsExaminedAgain() {
        OpportunisticTunnels t = establish(config);
        advance(Duration.ofSeconds(45));
        t.trafficSeen(PAIR);
        advance(Duration.ofSeconds(15));
        t.tick();
        assertEquals(List.of(), only(t.drainActions(), Action.SendDelete.class));
        assertEquals(State.ESTABLISHED, t.state(PAIR));
        advance(Duration.ofMinutes(15));
        t.trafficSeen(PAIR); // in the second half of the 20 minutes
        advance(Duration.ofMinutes(5).minusSeconds(1));
        t.tick();
        assertEquals(State.ESTABLISHED, t.state(PAIR));
        advance(Duration.ofSeconds(1));
        t.tick();
        assertEquals(State.ESTABLISHED, t.state(PAIR), "busy again: another 20 minutes");
        advance(Duration.ofMinutes(20));
        t.tick();
        assertEquals(State.DELETING, t.state(PAIR), "idle for the whole period");
    }

    @Test
    void lifespansAreConfigurable() {
        OpportunisticTunnels t = establish(config.withLifespans(Duration.ofSeconds(2), Duration.ofSeconds(4)));
        advance(Duration.ofMillis(1500));
        t.trafficSeen(PAIR);
        advance(Duration.ofMillis(500));
        t.tick();
        assertEquals(State.ESTABLISHED, t.state(PAIR));
        advance(Duration.ofSeconds(4));
        t.tick();
        assertEquals(State.DELETING, t.state(PAIR));
    }

    @Test
    void acknowledgedOrCrossedDeleteEndsTheTunnelWithoutMoreMessages() {
        OpportunisticTunnels t = establish(config);
        advance(Duration.ofMinutes(1));
        t.tick();
        t.drainActions();
        t.deleteReceived(PAIR); // the peer's Delete crossed ours
        List<Action> out = t.drainActions();
        assertEquals(List.of(new Action.Teardown(PAIR)), only(out, Action.Teardown.class));
        assertEquals(List.of(), only(out, Action.SendDelete.class));
        advance(Duration.ofSeconds(30));
        t.tick();
        assertEquals(List.of(), only(t.drainActions(), Action.SendDelete.class), "no retries after the crossing");

        OpportunisticTunnels u = establish(config);
        advance(Duration.ofMinutes(1));
        u.tick();
        u.drainActions();
        u.deleteAcknowledged(PAIR);
        assertEquals(List.of(new Action.Teardown(PAIR)), only(u.drainActions(), Action.Teardown.class));
        assertNull(u.state(PAIR));
    }

    @Test
    void peerDeleteOfAnEstablishedTunnelTearsItDown() {
        OpportunisticTunnels t = establish(config);
        t.drainActions();
        t.deleteReceived(PAIR);
        assertEquals(List.of(new Action.Teardown(PAIR)), only(t.drainActions(), Action.Teardown.class));
        assertEquals(0, t.establishedCount());
    }

    @Test
    void aWithdrawnPairLosesItsTunnelAtOnceAndLeavesNoNegativeEntry() {
        OpportunisticTunnels t = establish(config);
        t.drainActions();
        assertEquals(List.of(PAIR), t.activePairs());
        t.withdraw(PAIR, "no longer under an opportunistic policy");
        List<Action> a = t.drainActions();
        assertEquals(1, only(a, Action.Teardown.class).size());
        assertTrue(only(a, Action.Log.class).getFirst().line().contains("no longer under an opportunistic policy"));
        assertNull(t.state(PAIR), "nothing cached: a later policy may make the pair opportunistic again at once");
        assertEquals(List.of(), t.activePairs());
        // A pending pair goes too, and a withdrawn unknown pair is no event.
        assertEquals(Disposition.HOLD, t.acquire(SRC, DST, TCP, 40000, 443, Fallback.DROP));
        t.drainActions();
        t.withdraw(PAIR, "gone");
        assertNull(t.state(PAIR));
        t.withdraw(new HostPair(DST, SRC), "never known");
        assertEquals(1, only(t.drainActions(), Action.Teardown.class).size());
    }

    @Test
    void failuresOfAFloodAreLoggedAtABoundedRateAndSummarized() {
        OpportunisticTunnels t = tunnels(config.withRateLimit(10_000, 10_000));
        for (int i = 0; i < 500; i++) t.acquire(SRC, IpAddress.v4(0x0A800000 | i), TCP, 1, 2, Fallback.DROP);
        answer(t, t.drainActions(), false);   // no records anywhere
        List<Action> a = t.drainActions();
        assertEquals(500, only(a, Action.Fallback.class).size(), "every pair falls back");
        assertEquals(OpportunisticTunnels.FAILURE_LOGS_PER_SECOND, only(a, Action.Log.class).size(), "but only so many lines a second");
        t.tick();
        List<Action.Log> summary = only(t.drainActions(), Action.Log.class);
        assertTrue(summary.stream().anyMatch(l -> l.line().contains((500 - OpportunisticTunnels.FAILURE_LOGS_PER_SECOND) + " more host pairs fell back")), summary.toString());
    }
}
