// Specification of one SA: sequence numbers that never wrap, byte and time lifetimes, counters, validation.
package bitw.ipsec.sad;

import static bitw.ipsec.sad.TestSas.SECOND;
import static bitw.ipsec.sad.TestSas.T0;
import static org.junit.jupiter.api.Assertions.*;

import bitw.ipsec.DropReason;
import bitw.ipsec.crypto.AhTransform;
import bitw.ipsec.crypto.EspTransform;
import bitw.ipsec.sad.SaParameters.Direction;
import bitw.ipsec.sad.SaParameters.Lifetime;
import org.junit.jupiter.api.Test;

class SecurityAssociationTest {

    @Test
    void outboundSequenceNumbersStartAtOne() {
        SecurityAssociation sa = TestSas.outboundEsn(false);
        assertEquals(1, sa.nextSequence());
        assertEquals(2, sa.nextSequence());
        assertEquals(3, sa.nextSequence());
    }

    @Test
    void withoutEsnTheLastSequenceNumberIs2To32Minus1AndThenItRefusesInsteadOfWrapping() {
        SecurityAssociation sa = TestSas.outboundEsn(false);
        sa.setLastSequence(0xFFFF_FFFDL);
        assertEquals(0xFFFF_FFFEL, sa.nextSequence());
        assertFalse(sa.expired());
        assertEquals(0xFFFF_FFFFL, sa.nextSequence());
        assertEquals(-1, sa.nextSequence());
        assertEquals(-1, sa.nextSequence());
        assertTrue(sa.expired(), "an exhausted SA can carry nothing more");
    }

    @Test
    void withEsnTheCounterRunsPast2To32() {
        SecurityAssociation sa = TestSas.outboundEsn(true);
        sa.setLastSequence(0xFFFF_FFFFL);
        assertEquals(1L << 32, sa.nextSequence());
        assertEquals((1L << 32) + 1, sa.nextSequence());
        assertFalse(sa.expired());
    }

    @Test
    void withEsnTheCounterStopsBeforeItWouldWrap64Bits() {
        SecurityAssociation sa = TestSas.outboundEsn(true);
        sa.setLastSequence(-4L);                        // 2^64-4
        assertEquals(-3L, sa.nextSequence());
        assertEquals(-2L, sa.nextSequence());           // 2^64-2: the last usable value (2^64-1 is the -1 sentinel)
        assertEquals(-1, sa.nextSequence());
        assertEquals(-1, sa.nextSequence());
        assertTrue(sa.expired());
    }

    @Test
    void softByteLimitIsReportedExactlyOnceThenHardFromTheHardLimitOn() {
        SecurityAssociation sa = TestSas.withLifetime(Direction.OUTBOUND, 0x1000, new Lifetime(0, 0, 1000, 2000));
        assertEquals(LifetimeState.OK, sa.account(600));
        assertEquals(LifetimeState.SOFT_EXPIRED, sa.account(400));       // reaches 1000
        assertEquals(LifetimeState.OK, sa.account(500));
        assertEquals(LifetimeState.OK, sa.account(499));
        assertFalse(sa.expired());
        assertEquals(LifetimeState.HARD_EXPIRED, sa.account(1));         // reaches 2000
        assertTrue(sa.expired());
        assertEquals(LifetimeState.HARD_EXPIRED, sa.account(1));
        assertEquals(6, sa.packets());
        assertEquals(2001, sa.bytes());
    }

    @Test
    void aPacketJumpingPastBothByteLimitsIsHardOnly() {
        SecurityAssociation sa = TestSas.withLifetime(Direction.INBOUND, 0x1000, new Lifetime(0, 0, 100, 200));
        assertEquals(LifetimeState.HARD_EXPIRED, sa.account(1500));
        assertEquals(LifetimeState.HARD_EXPIRED, sa.account(10));
    }

    @Test
    void zeroByteLimitsMeanUnlimited() {
        SecurityAssociation sa = TestSas.withLifetime(Direction.INBOUND, 0x1000, Lifetime.UNLIMITED);
        for (int i = 0; i < 1000; i++) assertEquals(LifetimeState.OK, sa.account(Integer.MAX_VALUE));
        assertFalse(sa.expired());
    }

    @Test
    void timeLifetimesCountFromCreationSoftOnceHardFromThenOn() {
        SecurityAssociation sa = TestSas.withLifetime(Direction.INBOUND, 0x1000, new Lifetime(10, 20, 0, 0));
        assertEquals(T0, sa.createdNanos());
        assertEquals(LifetimeState.OK, sa.checkTime(T0 + 10 * SECOND - 1));
        assertEquals(LifetimeState.SOFT_EXPIRED, sa.checkTime(T0 + 10 * SECOND));
        assertEquals(LifetimeState.OK, sa.checkTime(T0 + 11 * SECOND));
        assertEquals(LifetimeState.OK, sa.checkTime(T0 + 20 * SECOND - 1));
        assertFalse(sa.expired());
        assertEquals(LifetimeState.HARD_EXPIRED, sa.checkTime(T0 + 20 * SECOND));
        assertTrue(sa.expired());
        assertEquals(LifetimeState.HARD_EXPIRED, sa.checkTime(T0 + 21 * SECOND));
        assertEquals(LifetimeState.HARD_EXPIRED, sa.account(1), "the data path sees the time expiry too");
    }

    @Test
    void aHugeSecondsLifetimeDoesNotOverflowIntoExpiry() {
        SecurityAssociation sa = TestSas.withLifetime(Direction.INBOUND, 0x1000,
                new Lifetime(Long.MAX_VALUE / 2, Long.MAX_VALUE, 0, 0));
        assertEquals(LifetimeState.OK, sa.checkTime(T0 + 100L * 365 * 86400 * SECOND));
    }

    @Test
    void clearingCountersResetsTheDisplayButNotTheByteLifetime() {
        SecurityAssociation sa = TestSas.withLifetime(Direction.INBOUND, 0x1000, new Lifetime(0, 0, 1000, 0));
        sa.account(800);
        sa.countDrop(DropReason.REPLAY);
        sa.clearCounters();
        assertEquals(0, sa.packets());
        assertEquals(0, sa.bytes());
        assertEquals(0, sa.drops(DropReason.REPLAY));
        assertEquals(LifetimeState.SOFT_EXPIRED, sa.account(300));
        assertEquals(1, sa.packets());
        assertEquals(300, sa.bytes());
    }

    @Test
    void countsDropsPerReason() {
        SecurityAssociation sa = TestSas.inbound(0x1000);
        sa.countDrop(DropReason.REPLAY);
        sa.countDrop(DropReason.REPLAY);
        sa.countDrop(DropReason.ICV_FAILED);
        assertEquals(2, sa.drops(DropReason.REPLAY));
        assertEquals(1, sa.drops(DropReason.ICV_FAILED));
        assertEquals(0, sa.drops(DropReason.BAD_PADDING));
    }

    @Test
    void accountingUpdatesLastUsed() {
        SecurityAssociation sa = TestSas.inbound(0x1000);
        assertEquals(T0, sa.lastUsedNanos());
        long before = System.nanoTime();
        sa.account(64);
        assertTrue(sa.lastUsedNanos() - before >= 0);
    }

    @Test
    void inboundSasHaveAReplayWindowOfTheConfiguredSizeOutboundOnesNone() {
        assertEquals(1024, TestSas.inbound(0x1000).replayWindow().size());
        SecurityAssociation disabled = new SecurityAssociation(TestSas.params("t", Direction.INBOUND, 0x1000,
                SaProtocol.ESP, true, 0, Lifetime.UNLIMITED), T0);
        assertEquals(0, disabled.replayWindow().size());
        assertNull(TestSas.outbound("t", 0x1000).replayWindow());
        assertTrue(TestSas.inbound(0x1000).inbound());
        assertFalse(TestSas.outbound("t", 0x1000).inbound());
    }

    @Test
    void refusesReservedSpisAndAcceptsHighBitSpis() {
        for (int spi : new int[] {0, 1, 255})
            assertThrows(IllegalArgumentException.class, () -> TestSas.inbound(spi), "spi " + spi);
        assertEquals(256, TestSas.inbound(256).spi());
        assertEquals(0x8000_0000, TestSas.inbound(0x8000_0000).spi());
        assertEquals(-1, TestSas.inbound(-1).spi());
    }

    @Test
    void theProductionConstructorWantsExactlyTheTransformOfTheProtocol() {
        SaParameters esp = TestSas.params("t", Direction.INBOUND, 0x1000, SaProtocol.ESP, false, 64, Lifetime.UNLIMITED);
        SaParameters ah = TestSas.params("t", Direction.INBOUND, 0x1000, SaProtocol.AH, false, 64, Lifetime.UNLIMITED);
        EspTransform e = new FixedEsp();
        AhTransform a = new FixedAh();
        assertSame(e, new SecurityAssociation(esp, e, null, T0).esp());
        assertSame(a, new SecurityAssociation(ah, null, a, T0).ah());
        assertThrows(IllegalArgumentException.class, () -> new SecurityAssociation(esp, null, null, T0));
        assertThrows(IllegalArgumentException.class, () -> new SecurityAssociation(esp, e, a, T0));
        assertThrows(IllegalArgumentException.class, () -> new SecurityAssociation(esp, null, a, T0));
        assertThrows(IllegalArgumentException.class, () -> new SecurityAssociation(ah, e, null, T0));
        assertThrows(IllegalArgumentException.class, () -> new SecurityAssociation(ah, null, null, T0));
    }

    @Test
    void refusesNegativeLifetimes() {
        assertThrows(IllegalArgumentException.class,
                () -> TestSas.withLifetime(Direction.INBOUND, 0x1000, new Lifetime(0, 0, -1, 0)));
    }

    /** Only stands in for a transform object; the SA never calls it. */
    private static final class FixedEsp implements EspTransform {
        public int ivLength() { return 8; }
        public int icvLength() { return 16; }
        public int maxTrailerLength() { return 34; }
        public int seal(byte[] buf, int espOff, int payloadLen, int nextHeader, int spi, long seq, boolean esn) { return ERR_TRUNCATED; }
        public int open(byte[] buf, int espOff, int espLen, long seq, boolean esn) { return ERR_ICV; }
        public int lastNextHeader() { return 0; }
    }

    private static final class FixedAh implements AhTransform {
        public int headerLength(int ipFamily) { return 24; }
        public void seal(byte[] buf, int ipOff, int packetLen, int ahOff, int nextHeader, int spi, long seq, boolean esn) {}
        public int open(byte[] buf, int ipOff, int packetLen, int ahOff, long seq, boolean esn) { return ERR_ICV; }
        public int lastNextHeader() { return 0; }
    }
}
