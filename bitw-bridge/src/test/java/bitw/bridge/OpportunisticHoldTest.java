// The data plane's side of opportunistic encryption's packet hold (FreeS/WAN OE design, time points 5-6): while OE
// runs, a host pair under an opportunistic entry without a tunnel holds its first packet and drops later ones,
// whatever the entry's fallback, until OE decides the pair by swapping in a host-pair entry: a tunnel (the packet
// leaves encrypted), a permit (discovery failed, fallback clear: it leaves in the clear) or a deny (fallback drop:
// dropped and counted at once). A held packet asks key management again every second. Without OE, fallback clear
// is what it always was.
package bitw.bridge;

import static bitw.bridge.DataPlaneTest.drops;
import static bitw.bridge.DataPlaneTest.waitFor;
import static bitw.bridge.TestFrames.*;
import static org.junit.jupiter.api.Assertions.*;

import bitw.ipsec.DropReason;
import bitw.ipsec.sad.SaMode;
import bitw.ipsec.spd.Fallback;
import bitw.ipsec.spd.PolicyAction;
import bitw.ipsec.spd.PolicyEntry;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class OpportunisticHoldTest {
    static final String OE_TUNNEL = "t";

    /** A's table: OE's host-pair entries in front of "10.1.0.0/24 -> 10.2.0.0/24 opportunistic" (no tunnel). */
    static void tableA(BackToBack l, Fallback fallback, boolean oeRuns, PolicyEntry... hostPairs) {
        List<PolicyEntry> e = new ArrayList<>(List.of(hostPairs));
        e.add(new PolicyEntry("oe4", BackToBack.sel("10.1.0.0/24", "10.2.0.0/24"), PolicyAction.OPPORTUNISTIC, fallback, null));
        l.a.install(new PolicyTable(e, PolicyAction.DENY, L2Policy.PASS_ALL, l.a.sad(), oeRuns));
    }

    static PolicyEntry hostPair(String src, String dst, PolicyAction action) {
        String name = "%oe-" + src + "-" + dst;
        Fallback f = action == PolicyAction.CONFIGURED ? Fallback.HOLD : null;
        return new PolicyEntry(name, BackToBack.sel(src + "/32", dst + "/32"), action, f, action == PolicyAction.CONFIGURED ? OE_TUNNEL : null);
    }

    static byte[] frame(String src, int seed) { return udp(ROUTER_A_MAC, HOST_A_MAC, src, "10.2.0.20", 1, 2, 64, true, seed); }

    static String hex(byte[] frame) { return HexFormat.of().formatHex(ipPacket(frame)); }

    static List<String> asked(DataPlane p) {
        List<String> out = new ArrayList<>();
        for (AcquireQueue.Acquire a; (a = p.acquires.poll()) != null; ) out.add(a.source() + "->" + a.destination());
        return out;
    }

    @Test
    void underFallbackClearTheFirstPacketWaitsForOeAndLeavesInTheClearOnlyOnceDiscoveryFailed() throws Exception {
        try (BackToBack l = new BackToBack(1500, false)) {
            l.policies(PolicyAction.PERMIT, null);   // B lets whatever arrives through
            tableA(l, Fallback.CLEAR, true);
            l.start();
            byte[] first = frame("10.1.0.10", 1), again = frame("10.1.0.10", 2), otherPair = frame("10.1.0.11", 3);
            for (byte[] f : new byte[][] {first, again, otherPair}) l.aLan.send(f, 0, f.length);
            waitFor(() -> drops(l.a, DropReason.HOLD_QUEUE_FULL) == 1);   // "again": its pair already holds one
            assertTrue(l.aOut.sentLog.isEmpty(), "nothing in the clear before OE decided");
            assertEquals(List.of("10.1.0.10->10.2.0.20", "10.1.0.11->10.2.0.20"), asked(l.a));

            // OE: no records for the first pair, fallback clear -> a host-pair permit entry.
            // The next packet of the pair arrives right with the decision: the held one still goes first.
            byte[] later = frame("10.1.0.10", 4);
            tableA(l, Fallback.CLEAR, true, hostPair("10.1.0.10", "10.2.0.20", PolicyAction.PERMIT));
            l.aLan.send(later, 0, later.length);
            byte[] out = l.aOut.nextSent(2000);
            assertNotNull(out, "the held packet left once the pair was decided");
            assertEquals(hex(first), hex(out), "in the clear, unchanged, first");
            assertEquals(hex(later), hex(l.aOut.nextSent(2000)), "later packets of the decided pair pass at once");
            assertNull(l.aOut.nextSent(200), "the other pair is still undecided: nothing of it in the clear");

            // OE: the other pair's peer supports OE -> tunnel entry and SA; its held packet leaves encrypted.
            tableA(l, Fallback.CLEAR, true, hostPair("10.1.0.10", "10.2.0.20", PolicyAction.PERMIT),
                    hostPair("10.1.0.11", "10.2.0.20", PolicyAction.CONFIGURED));
            l.tunnel(DataPlaneTest.GCM128, SaMode.TUNNEL, SaMode.TUNNEL, false, false, 7);
            byte[] esp = l.aOut.nextSent(2000);
            assertNotNull(esp);
            assertEquals(50, esp[14 + 9] & 0xff, "ESP on the wire");
            assertEquals(-1, DataPlaneTest.indexOf(esp, java.util.Arrays.copyOfRange(ipPacket(otherPair), 28, 28 + 16)), "payload not in the clear");
        }
    }

    @Test
    void underFallbackDropTheDecisionDropsTheHeldPacketAtOnceAndCountsIt() throws Exception {
        try (BackToBack l = new BackToBack(1500, false)) {
            tableA(l, Fallback.DROP, true);
            l.start();
            byte[] first = frame("10.1.0.10", 1);
            l.aLan.send(first, 0, first.length);
            waitFor(() -> !asked(l.a).isEmpty());
            long denied = drops(l.a, DropReason.POLICY_DENY);
            PolicyEntry deny = hostPair("10.1.0.10", "10.2.0.20", PolicyAction.DENY);
            tableA(l, Fallback.DROP, true, deny);
            waitFor(() -> drops(l.a, DropReason.POLICY_DENY) == denied + 1, () -> "held packet dropped by the decision");
            byte[] later = frame("10.1.0.10", 2);
            l.aLan.send(later, 0, later.length);
            waitFor(() -> drops(l.a, DropReason.POLICY_DENY) == denied + 2);
            assertEquals(2, deny.counters.drops(), "counted under the pair's entry");
            assertTrue(l.aOut.sentLog.isEmpty());
            assertEquals(List.of(), asked(l.a), "a decided pair asks key management nothing more");
        }
    }

    @Test
    void aHeldPacketAsksAgainEverySecondUntilDecided() throws Exception {
        try (BackToBack l = new BackToBack(1500, false)) {
            tableA(l, Fallback.CLEAR, true);
            l.start();
            byte[] only = frame("10.1.0.10", 1);
            l.aLan.send(only, 0, only.length);
            waitFor(() -> l.a.acquires.poll() != null);
            // Its acquire was lost (rate limit, full ring): no other packet of the pair comes to ask, the held one does.
            long t0 = System.nanoTime();
            AcquireQueue.Acquire again = null;
            while (again == null && System.nanoTime() - t0 < 5_000_000_000L) {
                again = l.a.acquires.poll();
                Thread.sleep(20);
            }
            assertNotNull(again, "the held packet asked again");
            assertTrue(System.nanoTime() - t0 >= 900_000_000L, "not before a second");
            assertEquals("10.1.0.10->10.2.0.20", again.source() + "->" + again.destination());
            assertEquals("oe4", again.entry().name());
            assertTrue(l.aOut.sentLog.isEmpty(), "still nothing in the clear");
        }
    }

    @Test
    void heldPacketsExpireAsCountedDropsWhenNoDecisionComes() throws Exception {
        try (BackToBack l = new BackToBack(1500, false)) {
            tableA(l, Fallback.CLEAR, true);
            l.start();
            byte[] f = frame("10.1.0.10", 1);
            l.aLan.send(f, 0, f.length);
            long end = System.nanoTime() + HoldQueue.HOLD_NANOS + 5_000_000_000L;
            while (drops(l.a, DropReason.NO_SA) == 0 && System.nanoTime() < end) Thread.sleep(50);
            assertEquals(1, drops(l.a, DropReason.NO_SA), "the held packet expired as a counted drop");
            assertTrue(l.aOut.sentLog.isEmpty(), "and never left in the clear");
        }
    }

    @Test
    void withoutOeRunningFallbackClearSendsInTheClearAtOnce() throws Exception {
        try (BackToBack l = new BackToBack(1500, false)) {
            tableA(l, Fallback.CLEAR, false);   // no `opportunistic` statement: nobody would ever decide
            l.start();
            byte[] f = frame("10.1.0.10", 1);
            l.aLan.send(f, 0, f.length);
            assertEquals(hex(f), hex(l.aOut.nextSent(2000)));
            assertEquals(0, drops(l.a, DropReason.HOLD_QUEUE_FULL));
        }
    }

    @Test
    void aFloodUnderFallbackClearPutsNothingInTheClearAndLeavesRoomForTheNextPair() throws Exception {
        try (BackToBack l = new BackToBack(1500, false)) {
            l.policies(PolicyAction.PERMIT, null);
            tableA(l, Fallback.CLEAR, true);
            l.start();
            int flood = HoldQueue.MAX_HELD + 100;
            for (int i = 0; i < flood; i++) {
                byte[] f = udp(ROUTER_A_MAC, HOST_A_MAC, "10.1.0." + (1 + i % 250), "10.2.0." + (100 + i / 250), 1, 2, 64, true, i);
                l.aLan.send(f, 0, f.length);
            }
            waitFor(() -> drops(l.a, DropReason.HOLD_QUEUE_FULL) == 100, () -> "drops: " + drops(l.a, DropReason.HOLD_QUEUE_FULL));
            byte[] real = frame("10.1.0.10", 4242);
            l.aLan.send(real, 0, real.length);
            waitFor(() -> drops(l.a, DropReason.HOLD_QUEUE_FULL) == 101);
            assertTrue(l.aOut.sentLog.isEmpty(), "no flood packet and no real one in the clear while undecided");
            tableA(l, Fallback.CLEAR, true, hostPair("10.1.0.10", "10.2.0.20", PolicyAction.PERMIT));
            byte[] out = l.aOut.nextSent(2000);
            assertNotNull(out, "the real pair's first packet was still held (the oldest flood packet gave way)");
            assertEquals(hex(real), hex(out));
            assertNull(l.aOut.nextSent(300), "the undecided flood pairs stay held");
        }
    }
}
