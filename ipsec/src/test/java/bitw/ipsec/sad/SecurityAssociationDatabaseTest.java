// Specification of the SAD: SPI lookup (against a plain map), outbound slots and make-before-break rekeying,
// lifetime events delivered by tick() exactly once, whatever thread crossed the limit.
package bitw.ipsec.sad;

import static bitw.ipsec.sad.TestSas.SECOND;
import static bitw.ipsec.sad.TestSas.T0;
import static org.junit.jupiter.api.Assertions.*;

import bitw.ipsec.sad.SaParameters.Direction;
import bitw.ipsec.sad.SaParameters.Lifetime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SecurityAssociationDatabaseTest {

    /** Records events in order as "soft:0x..."/"hard:0x...". */
    static final class RecordingListener implements SaEventListener {
        final List<String> events = new ArrayList<>();
        public void softExpired(SecurityAssociation sa) { events.add("soft:" + Integer.toHexString(sa.spi())); }
        public void hardExpired(SecurityAssociation sa) { events.add("hard:" + Integer.toHexString(sa.spi())); }
    }

    private final RecordingListener listener = new RecordingListener();
    private final SecurityAssociationDatabase sad = new SecurityAssociationDatabase(listener);

    // ---- inbound lookup ----

    @Test
    void findsAnInstalledInboundSaBySpiAndProtocol() {
        SecurityAssociation esp = TestSas.inbound(0x1234);
        SecurityAssociation ah = TestSas.inbound(0x1234, SaProtocol.AH);
        sad.install(esp);
        assertSame(esp, sad.inbound(0x1234, 50));
        assertNull(sad.inbound(0x1234, 51));
        sad.install(ah);
        assertSame(ah, sad.inbound(0x1234, 51));
        assertSame(esp, sad.inbound(0x1234, 50));
        assertNull(sad.inbound(0x1235, 50));
        assertNull(sad.inbound(0, 0));
    }

    @Test
    void refusesASecondInboundSaWithTheSameSpiAndProtocol() {
        SecurityAssociation first = TestSas.inbound(0x1234);
        sad.install(first);
        assertThrows(IllegalStateException.class, () -> sad.install(TestSas.inbound(0x1234)));
        assertSame(first, sad.inbound(0x1234, 50));
        assertEquals(List.of(first), sad.all());
    }

    @Test
    void refusesInstallingTwiceOrAfterRemoval() {
        SecurityAssociation sa = TestSas.inbound(0x1234);
        sad.install(sa);
        assertThrows(IllegalStateException.class, () -> sad.install(sa));
        sad.remove(sa);
        assertThrows(IllegalStateException.class, () -> sad.install(sa));
    }

    @Test
    void anSaBelongsToOneDatabaseAtATime() {
        SecurityAssociationDatabase other = new SecurityAssociationDatabase(new RecordingListener());
        SecurityAssociation sa = TestSas.inbound(0x1234);
        sad.install(sa);
        assertThrows(IllegalStateException.class, () -> other.install(sa));
        assertNull(other.inbound(0x1234, 50));
        assertSame(sa, sad.inbound(0x1234, 50));
    }

    @Test
    void removingAnSaHidesItAndMarksItExpired() {
        SecurityAssociation sa = TestSas.inbound(0x1234);
        sad.install(sa);
        sad.remove(sa);
        assertNull(sad.inbound(0x1234, 50));
        assertTrue(sa.expired());
        assertEquals(List.of(), sad.all());
        sad.remove(sa);                                 // idempotent
        assertEquals(List.of(), listener.events, "removal is not an expiry event");
    }

    @Test
    void agreesWithAPlainMapOverThousandsOfSpisIncludingHighBitOnes() {
        Random rnd = new Random(4303);
        Map<Integer, SecurityAssociation> reference = new HashMap<>();
        int[] fixed = {0x8000_0000, 0xFFFF_FFFF, 0x8000_0100, 0x0000_0100, 0x7FFF_FFFF, 0xC000_0000};
        for (int spi : fixed) reference.put(spi, TestSas.inbound(spi));
        while (reference.size() < 3000) {
            int spi = rnd.nextInt();
            if (Integer.compareUnsigned(spi, 255) > 0) reference.putIfAbsent(spi, TestSas.inbound(spi));
        }
        for (SecurityAssociation sa : reference.values()) sad.install(sa);
        for (var e : reference.entrySet()) assertSame(e.getValue(), sad.inbound(e.getKey(), 50));
        for (int i = 0; i < 20_000; i++) {
            int spi = rnd.nextInt();
            assertSame(reference.get(spi), sad.inbound(spi, 50));
            assertNull(sad.inbound(spi, 51));
        }
        List<Integer> spis = new ArrayList<>(reference.keySet());
        for (int i = 0; i < spis.size(); i += 2) {
            sad.remove(reference.remove(spis.get(i)));
        }
        for (int spi : spis) assertSame(reference.get(spi), sad.inbound(spi, 50), "spi " + Integer.toHexString(spi));
        assertEquals(reference.size(), sad.all().size());
    }

    @Test
    void findsEverySpiOfALongCollisionChainAlsoAfterRemovalsInsideIt() {
        // SPIs whose hashes agree in the low 10 bits share one start slot in any table up to 1024 entries.
        List<Integer> colliding = new ArrayList<>();
        int target = SecurityAssociationDatabase.InboundTable.hash(0x1000, 50) & 0x3FF;
        for (int spi = 0x1000; colliding.size() < 200; spi++) {
            if ((SecurityAssociationDatabase.InboundTable.hash(spi, 50) & 0x3FF) == target) colliding.add(spi);
        }
        for (int spi = 0x8000_0000; colliding.size() < 300; spi++) {
            if ((SecurityAssociationDatabase.InboundTable.hash(spi, 50) & 0x3FF) == target) colliding.add(spi);
        }
        Map<Integer, SecurityAssociation> installed = new HashMap<>();
        for (int spi : colliding) {
            SecurityAssociation sa = TestSas.inbound(spi);
            sad.install(sa);
            installed.put(spi, sa);
        }
        for (int spi : colliding) assertSame(installed.get(spi), sad.inbound(spi, 50));
        for (int i = 1; i < colliding.size(); i += 3) sad.remove(installed.remove(colliding.get(i)));
        for (int spi : colliding) assertSame(installed.get(spi), sad.inbound(spi, 50));
        assertNull(sad.inbound(colliding.getLast() + 1, 50));
    }

    // ---- outbound slots ----

    @Test
    void anOutboundSlotIsOneStableObjectPerTunnelAndEmptyUntilAnSaArrives() {
        SecurityAssociationDatabase.OutboundSlot slot = sad.outboundSlot("branch");
        assertSame(slot, sad.outboundSlot("branch"));
        assertNotSame(slot, sad.outboundSlot("hq"));
        assertEquals("branch", slot.tunnel());
        assertNull(slot.current());
        SecurityAssociation sa = TestSas.outbound("branch", 0x2000);
        sad.install(sa);
        assertSame(sa, slot.current());
        assertNull(sad.outboundSlot("hq").current());
        assertNull(sad.inbound(0x2000, 50), "outbound SAs are not found by SPI");
    }

    @Test
    void rekeyIsMakeBeforeBreakTheNewSaIsCurrentWhileTheOldStaysInstalledUntilRemoved() {
        SecurityAssociation old = TestSas.outbound("branch", 0x2000);
        SecurityAssociation rekeyed = TestSas.outbound("branch", 0x2001);
        SecurityAssociationDatabase.OutboundSlot slot = sad.outboundSlot("branch");
        sad.install(old);
        sad.install(rekeyed);
        assertSame(rekeyed, slot.current());
        assertEquals(List.of(old, rekeyed), sad.all());
        assertFalse(old.expired(), "packets already holding the old SA may still finish with it");
        sad.remove(old);
        assertSame(rekeyed, slot.current());
        assertTrue(old.expired());
        assertEquals(List.of(rekeyed), sad.all());
    }

    @Test
    void removingTheCurrentSaFallsBackToTheNewestRemainingOneOfTheTunnel() {
        SecurityAssociation a = TestSas.outbound("branch", 0x2000);
        SecurityAssociation b = TestSas.outbound("branch", 0x2001);
        sad.install(a);
        sad.install(b);
        sad.remove(b);
        assertSame(a, sad.outboundSlot("branch").current());
        sad.remove(a);
        assertNull(sad.outboundSlot("branch").current());
    }

    @Test
    void anExpiredRemainingSaIsNotAFallback() {
        SecurityAssociation a = new SecurityAssociation(TestSas.params("branch", Direction.OUTBOUND, 0x2000,
                SaProtocol.ESP, false, 0, new Lifetime(0, 0, 0, 100)), T0);
        SecurityAssociation b = TestSas.outbound("branch", 0x2001);
        sad.install(a);
        sad.install(b);
        a.account(100);                                 // hard by bytes; tick has not run yet
        sad.remove(b);
        assertNull(sad.outboundSlot("branch").current());
    }

    // ---- lifetime events ----

    @Test
    void timeLifetimesGiveOneSoftEventThenOneHardEventAndRemoval() {
        SecurityAssociation sa = TestSas.withLifetime(Direction.INBOUND, 0x3000, new Lifetime(10, 20, 0, 0));
        sad.install(sa);
        sad.tick(T0 + 5 * SECOND);
        assertEquals(List.of(), listener.events);
        for (int s = 10; s < 20; s++) sad.tick(T0 + s * SECOND);
        assertEquals(List.of("soft:3000"), listener.events);
        assertSame(sa, sad.inbound(0x3000, 50));
        sad.tick(T0 + 20 * SECOND);
        sad.tick(T0 + 21 * SECOND);
        assertEquals(List.of("soft:3000", "hard:3000"), listener.events);
        assertNull(sad.inbound(0x3000, 50));
        assertTrue(sa.expired());
        assertEquals(List.of(), sad.all());
    }

    @Test
    void byteLimitsCrossedOnTheDataPathReachTheListenerOnlyThroughTick() {
        SecurityAssociation sa = TestSas.withLifetime(Direction.INBOUND, 0x3000, new Lifetime(0, 0, 1000, 2000));
        sad.install(sa);
        assertEquals(LifetimeState.SOFT_EXPIRED, sa.account(1000));
        assertEquals(List.of(), listener.events, "the data thread never calls the listener");
        sad.tick(T0);
        sad.tick(T0 + SECOND);
        assertEquals(List.of("soft:3000"), listener.events);
        assertEquals(LifetimeState.HARD_EXPIRED, sa.account(1000));
        assertTrue(sa.expired(), "the data path stops using it at once");
        assertSame(sa, sad.inbound(0x3000, 50), "removal waits for the control thread");
        sad.tick(T0 + 2 * SECOND);
        sad.tick(T0 + 3 * SECOND);
        assertEquals(List.of("soft:3000", "hard:3000"), listener.events);
        assertNull(sad.inbound(0x3000, 50));
    }

    @Test
    void softByBytesAndSoftByTimeMakeOneSoftEvent() {
        SecurityAssociation sa = TestSas.withLifetime(Direction.OUTBOUND, 0x3000, new Lifetime(10, 0, 100, 0));
        sad.install(sa);
        sa.account(100);
        sad.tick(T0 + SECOND);
        sad.tick(T0 + 10 * SECOND);
        sad.tick(T0 + 11 * SECOND);
        assertEquals(List.of("soft:3000"), listener.events);
    }

    @Test
    void hardWithoutAPriorSoftGivesOnlyTheHardEvent() {
        SecurityAssociation sa = TestSas.withLifetime(Direction.OUTBOUND, 0x3000, new Lifetime(0, 0, 100, 200));
        sad.install(sa);
        sa.account(500);
        sad.tick(T0);
        assertEquals(List.of("hard:3000"), listener.events);
        assertNull(sad.outboundSlot("t").current());
    }

    @Test
    void sequenceExhaustionIsReportedAsHardExpiry() {
        SecurityAssociation sa = TestSas.outboundEsn(false);
        sad.install(sa);
        sa.setLastSequence(0xFFFF_FFFFL);
        assertEquals(-1, sa.nextSequence());
        sad.tick(T0);
        assertEquals(List.of("hard:1000"), listener.events);
        assertNull(sad.outboundSlot("t").current());
    }

    @Test
    void aListenerMayRekeyFromInsideTheEvents() {
        SecurityAssociationDatabase[] db = new SecurityAssociationDatabase[1];
        List<String> seen = new ArrayList<>();
        db[0] = new SecurityAssociationDatabase(new SaEventListener() {
            public void softExpired(SecurityAssociation sa) {
                seen.add("soft:" + Integer.toHexString(sa.spi()));
                db[0].install(TestSas.outbound("t", sa.spi() + 1));
            }
            public void hardExpired(SecurityAssociation sa) {
                seen.add("hard:" + Integer.toHexString(sa.spi()));
            }
        });
        SecurityAssociation old = TestSas.withLifetime(Direction.OUTBOUND, 0x3000, new Lifetime(10, 20, 0, 0));
        db[0].install(old);
        db[0].tick(T0 + 10 * SECOND);
        assertEquals(0x3001, db[0].outboundSlot("t").current().spi());
        db[0].tick(T0 + 20 * SECOND);
        assertEquals(List.of("soft:3000", "hard:3000"), seen);
        assertEquals(0x3001, db[0].outboundSlot("t").current().spi());
        assertEquals(1, db[0].all().size());
    }

    @Test
    void anExplicitlyRemovedSaGetsNoEvents() {
        SecurityAssociation sa = TestSas.withLifetime(Direction.INBOUND, 0x3000, new Lifetime(0, 0, 100, 200));
        sad.install(sa);
        sa.account(150);
        sad.remove(sa);
        sad.tick(T0);
        assertEquals(List.of(), listener.events);
    }
}
