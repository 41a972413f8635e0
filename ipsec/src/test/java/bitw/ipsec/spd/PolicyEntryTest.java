// Specification of PolicyEntry: which action/fallback/tunnel combinations are valid, and the traffic counters.
package bitw.ipsec.spd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import bitw.ipsec.packet.IpAddress;
import org.junit.jupiter.api.Test;

class PolicyEntryTest {
    private static final Selector ANY = Selector.any(IpAddress.V4);

    private static String reject(PolicyAction a, Fallback f, String tunnel) {
        return assertThrows(IllegalArgumentException.class, () -> new PolicyEntry("p", ANY, a, f, tunnel)).getMessage();
    }

    @Test
    void configuredNeedsATunnelAndHoldsOrDropsButNeverClears() {
        assertTrue(reject(PolicyAction.CONFIGURED, Fallback.HOLD, null).contains("needs a tunnel"));
        assertTrue(reject(PolicyAction.CONFIGURED, Fallback.CLEAR, "t").contains("HOLD or DROP"));
        assertTrue(reject(PolicyAction.CONFIGURED, null, "t").contains("HOLD or DROP"));
        assertEquals(Fallback.HOLD, new PolicyEntry("p", ANY, PolicyAction.CONFIGURED, Fallback.HOLD, "t").fallback());
        assertEquals("t", new PolicyEntry("p", ANY, PolicyAction.CONFIGURED, Fallback.DROP, "t").tunnel());
    }

    @Test
    void opportunisticClearsOrDropsWithOrWithoutATunnel() {
        assertTrue(reject(PolicyAction.OPPORTUNISTIC, Fallback.HOLD, null).contains("CLEAR or DROP"));
        reject(PolicyAction.OPPORTUNISTIC, null, null);
        assertNull(new PolicyEntry("p", ANY, PolicyAction.OPPORTUNISTIC, Fallback.CLEAR, null).tunnel());
        assertEquals("oe", new PolicyEntry("p", ANY, PolicyAction.OPPORTUNISTIC, Fallback.DROP, "oe").tunnel());
    }

    @Test
    void denyAndPermitTakeNoTunnelAndNoFallback() {
        for (PolicyAction a : new PolicyAction[] {PolicyAction.DENY, PolicyAction.PERMIT}) {
            assertTrue(reject(a, null, "t").contains("takes no tunnel"));
            assertTrue(reject(a, Fallback.DROP, null).contains("takes no fallback"));
            PolicyEntry e = new PolicyEntry("p", ANY, a, null, null);
            assertNull(e.fallback());
            assertEquals(a, e.action());
        }
    }

    @Test
    void needsNameSelectorActionAndNoBlankTunnel() {
        assertThrows(IllegalArgumentException.class, () -> new PolicyEntry(" ", ANY, PolicyAction.DENY, null, null));
        assertThrows(IllegalArgumentException.class, () -> new PolicyEntry(null, ANY, PolicyAction.DENY, null, null));
        assertThrows(IllegalArgumentException.class, () -> new PolicyEntry("p", null, PolicyAction.DENY, null, null));
        assertThrows(IllegalArgumentException.class, () -> new PolicyEntry("p", ANY, null, null, null));
        assertTrue(reject(PolicyAction.CONFIGURED, Fallback.HOLD, "").contains("blank"));
    }

    @Test
    void indexIsUnassignedUntilAnSpdTakesTheEntry() {
        assertEquals(-1, new PolicyEntry("p", ANY, PolicyAction.DENY, null, null).index());
    }

    @Test
    void countersCountEachDirectionAndDropsOfBoth() {
        PolicyEntry.Counters c = new PolicyEntry("p", ANY, PolicyAction.PERMIT, null, null).counters;
        c.countOutbound(100);
        c.countOutbound(1400);
        c.countInbound(60);
        c.countDrop();
        c.countInboundDrop();
        c.countInboundDrop();
        assertEquals(2, c.outboundPackets());
        assertEquals(1500, c.outboundBytes());
        assertEquals(1, c.inboundPackets());
        assertEquals(60, c.inboundBytes());
        assertEquals(3, c.drops());
    }

    @Test
    void clearStartsAllCountersFromZeroAndCountingContinues() {
        PolicyEntry.Counters c = new PolicyEntry("p", ANY, PolicyAction.PERMIT, null, null).counters;
        c.countOutbound(10);
        c.countInbound(20);
        c.countDrop();
        c.clear();
        assertEquals(0, c.outboundPackets() + c.outboundBytes() + c.inboundPackets() + c.inboundBytes() + c.drops());
        c.countOutbound(7);
        c.countInboundDrop();
        assertEquals(1, c.outboundPackets());
        assertEquals(7, c.outboundBytes());
        assertEquals(1, c.drops());
    }

    @Test
    void twoWriterThreadsLoseNoCounts() throws InterruptedException {
        PolicyEntry.Counters c = new PolicyEntry("p", ANY, PolicyAction.PERMIT, null, null).counters;
        Thread out = new Thread(() -> { for (int i = 0; i < 200_000; i++) { c.countOutbound(3); if ((i & 7) == 0) c.countDrop(); } });
        Thread in = new Thread(() -> { for (int i = 0; i < 200_000; i++) { c.countInbound(5); if ((i & 7) == 0) c.countInboundDrop(); } });
        out.start(); in.start();
        out.join(); in.join();
        assertEquals(200_000, c.outboundPackets());
        assertEquals(600_000, c.outboundBytes());
        assertEquals(200_000, c.inboundPackets());
        assertEquals(1_000_000, c.inboundBytes());
        assertEquals(50_000, c.drops());
    }

    @Test
    void aContinuedEntryIsFreeForANewSpdAndSharesTheCounters() {
        PolicyEntry e = new PolicyEntry("p", ANY, PolicyAction.OPPORTUNISTIC, Fallback.CLEAR, null);
        new SecurityPolicyDatabase(java.util.List.of(e));
        e.counters.countOutbound(100);
        PolicyEntry next = e.continued();
        assertEquals(-1, next.index(), "belongs to no SPD yet");
        new SecurityPolicyDatabase(java.util.List.of(next));
        assertTrue(next.sameRule(e));
        assertSame(e.counters, next.counters);
        next.counters.countOutbound(50);
        assertEquals(150, e.counters.outboundBytes());
        assertFalse(next.sameRule(new PolicyEntry("p", ANY, PolicyAction.OPPORTUNISTIC, Fallback.DROP, null)), "another fallback is another rule");
        assertFalse(next.sameRule(new PolicyEntry("q", ANY, PolicyAction.OPPORTUNISTIC, Fallback.CLEAR, null)));
    }
}
