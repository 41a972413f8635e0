// Specification of the receiver's anti-replay window and ESN inference (RFC 4303 §3.4.3, Appendix A2).
package bitw.ipsec.sad;

import static org.junit.jupiter.api.Assertions.*;

import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AntiReplayWindowTest {

    private static final long TWO_32 = 1L << 32;

    private static AntiReplayWindow accepting(int size, long... seqs) {
        AntiReplayWindow w = new AntiReplayWindow(size);
        for (long s : seqs) {
            assertTrue(w.check(s), "setup packet " + s + " should be accepted");
            w.update(s);
        }
        return w;
    }

    @Test
    void acceptsFirstPacketAndRejectsItsReplay() {
        AntiReplayWindow w = new AntiReplayWindow(64);
        assertTrue(w.check(1));
        w.update(1);
        assertFalse(w.check(1));
        assertEquals(1, w.highest());
    }

    @Test
    void rejectsSequenceNumberZero() {
        assertFalse(new AntiReplayWindow(64).check(0));
        assertFalse(accepting(1024, 5).check(0));
    }

    @Test
    void checkAloneDoesNotMarkBecauseTheIcvMayStillFail() {
        AntiReplayWindow w = accepting(64, 10);
        assertTrue(w.check(7));
        assertTrue(w.check(7));
        assertTrue(w.check(11));
        assertEquals(10, w.highest());
    }

    @Test
    void acceptsReorderedPacketsInsideTheWindowOnce() {
        AntiReplayWindow w = accepting(64, 1, 2, 5, 3);
        assertTrue(w.check(4));
        w.update(4);
        for (long s = 1; s <= 5; s++) assertFalse(w.check(s), "seq " + s);
        assertTrue(w.check(6));
    }

    @ParameterizedTest
    @ValueSource(ints = {64, 1024, 4096})
    void acceptsTheOldestNumberInsideTheWindowAndRejectsTheOneJustLeftOfIt(int size) {
        long top = 100_000;
        AntiReplayWindow w = accepting(size, top);
        assertTrue(w.check(top - size + 1));
        assertFalse(w.check(top - size));
        assertFalse(w.check(1));
        assertTrue(w.check(top + 1));
    }

    @ParameterizedTest
    @ValueSource(ints = {64, 1024, 4096})
    void slidingTheWindowForgetsMarksThatFellOutAndKeepsThoseStillInside(int size) {
        long top = 10 * size;
        AntiReplayWindow w = accepting(size, top, top - 1, top - size + 1);
        w.update(top + size - 2);                       // window is now [top-1, top+size-2]
        assertFalse(w.check(top));
        assertFalse(w.check(top - 1));
        assertFalse(w.check(top - 2));                  // now left of the window
        assertFalse(w.check(top - size + 1));
        assertTrue(w.check(top + 1));
        assertFalse(w.check(top + size - 2));
        w.update(top + 3 * size);                       // a jump wider than the window
        assertFalse(w.check(top + size - 1));
        assertTrue(w.check(top + 2 * size + 1));
        assertFalse(w.check(top + 3 * size));
    }

    @Test
    void roundsTheSizeUpToAMultipleOf64() {
        assertEquals(128, new AntiReplayWindow(100).size());
        assertEquals(64, new AntiReplayWindow(1).size());
        assertEquals(1024, new AntiReplayWindow(SaParameters.DEFAULT_REPLAY_WINDOW).size());
        AntiReplayWindow w = accepting(100, 1000);
        assertTrue(w.check(1000 - 127));
        assertFalse(w.check(1000 - 128));
    }

    @Test
    void sizeZeroDisablesCheckingButStillTracksTheHighestNumber() {
        AntiReplayWindow w = new AntiReplayWindow(0);
        assertEquals(0, w.size());
        w.update(500);
        assertTrue(w.check(500));
        assertTrue(w.check(1));
        assertEquals(500, w.highest());
        w.update(400);
        assertEquals(500, w.highest());
    }

    @Test
    void refusesNegativeSize() {
        assertThrows(IllegalArgumentException.class, () -> new AntiReplayWindow(-1));
    }

    // ---- ESN inference, RFC 4303 Appendix A2.2 ----

    @Test
    void withoutEsnTheInferredNumberIsTheLow32Bits() {
        AntiReplayWindow w = accepting(64, 7);
        assertEquals(0xFFFF_FFFFL, w.infer(0xFFFF_FFFFL, false));
        assertEquals(5, w.infer(TWO_32 + 5, false));
    }

    @Test
    void caseAKeepsTheHighHalfInsideOrRightOfTheWindowAndAdvancesItBelowTheBottom() {
        AntiReplayWindow w = new AntiReplayWindow(1024);
        long th = 3L << 32;
        w.resetTo(th + 5000);                           // Tl >= W-1: window within one subspace
        assertEquals(th + 4000, w.infer(4000, true));
        assertEquals(th + 3977, w.infer(3977, true));   // bottom edge Tl-W+1
        assertEquals(th + TWO_32 + 3976, w.infer(3976, true));  // below the bottom: the next subspace
        assertEquals(th + 6000, w.infer(6000, true));
        assertEquals(th + 0xFFFF_FFFFL, w.infer(0xFFFF_FFFFL, true));
    }

    @Test
    void caseBPutsNumbersAboveTheWrappedBottomIntoThePreviousSubspace() {
        AntiReplayWindow w = new AntiReplayWindow(1024);
        long th = 3L << 32;
        w.resetTo(th + 10);                             // Tl < W-1: window reaches back into subspace 2
        long bottom = (10 - 1024 + 1) & 0xFFFF_FFFFL;
        assertEquals(th - TWO_32 + bottom, w.infer(bottom, true));
        assertEquals(th - TWO_32 + 0xFFFF_FFF0L, w.infer(0xFFFF_FFF0L, true));
        assertEquals(th + bottom - 1, w.infer(bottom - 1, true));
        assertEquals(th + 5, w.infer(5, true));
        assertEquals(th + 2000, w.infer(2000, true));
    }

    @Test
    void theBoundaryBetweenCasesAAndBIsTlEqualsWMinus1() {
        int size = 4096;
        long th = 7L << 32;
        AntiReplayWindow a = new AntiReplayWindow(size);
        a.resetTo(th + size - 1);                       // Case A, bottom is Tl-W+1 = 0
        assertEquals(th, a.infer(0, true));
        assertEquals(th + 0xFFFF_FFFFL, a.infer(0xFFFF_FFFFL, true));
        AntiReplayWindow b = new AntiReplayWindow(size);
        b.resetTo(th + size - 2);                       // Case B, bottom wraps to 2^32-1
        assertEquals(th - 1, b.infer(0xFFFF_FFFFL, true));
        assertEquals(th, b.infer(0, true));
    }

    @Test
    void followsTheLow32BitsAcrossTheirWrapAndStillRejectsReplaysAfterIt() {
        AntiReplayWindow w = new AntiReplayWindow(64);
        w.resetTo(TWO_32 - 3);
        long[] lows = {0xFFFF_FFFEL, 0xFFFF_FFFFL, 0, 1, 2};
        long[] full = {TWO_32 - 2, TWO_32 - 1, TWO_32, TWO_32 + 1, TWO_32 + 2};
        for (int i = 0; i < lows.length; i++) {
            long seq = w.infer(lows[i], true);
            assertEquals(full[i], seq);
            assertTrue(w.check(seq));
            w.update(seq);
        }
        assertEquals(TWO_32 + 2, w.highest());
        long late = w.infer(0xFFFF_FFF0L, true);        // from before the wrap, still inside the window
        assertEquals(TWO_32 - 16, late);
        assertTrue(w.check(late));
        assertFalse(w.check(w.infer(0, true)));         // replay of 2^32
        assertFalse(w.check(w.infer(0xFFFF_FFFEL, true)));
        // Older than the window: A2.2 reads it as far ahead in the new subspace, where its ICV cannot verify.
        assertEquals(TWO_32 + 0xFFFF_FF00L, w.infer(0xFFFF_FF00L, true));
    }

    @Test
    void inTheFirstSubspaceAWrappedLookingNumberIsAheadNotInSubspaceMinusOne() {
        AntiReplayWindow w = accepting(1024, 1, 2);
        assertEquals(0xFFFF_FFF0L, w.infer(0xFFFF_FFF0L, true));
        assertEquals(0, w.infer(0, true));
        assertFalse(w.check(w.infer(0, true)), "the 64-bit number 0 is never sent");
    }

    @Test
    void aDisabledWindowStillInfersTheHighHalfAcrossTheWrap() {
        AntiReplayWindow w = new AntiReplayWindow(0);
        w.resetTo(TWO_32 - 5);
        assertEquals(TWO_32 + 3, w.infer(3, true));
        assertEquals(TWO_32 - 100, w.infer(TWO_32 - 100, true));
    }

    @ParameterizedTest
    @ValueSource(ints = {64, 1024, 4096, 0})
    void inferenceRecoversEveryNumberFromTheBottomEdgeUpTo2To32Beyond(int size) {
        // RFC 4303 A2.2 maps the low half onto [T-W+1, T-W+1+2^32): any number sent in that range comes back whole.
        Random rnd = new Random(size);
        long w = size == 0 ? 1L << 31 : size;
        for (int i = 0; i < 20_000; i++) {
            long top = w + (rnd.nextLong() >>> 2);
            AntiReplayWindow window = new AntiReplayWindow(size);
            window.resetTo(top);
            long seq = top - w + 1 + (rnd.nextLong() >>> 32);
            assertEquals(seq, window.infer(seq & 0xFFFF_FFFFL, true), "top " + top + " seq " + seq);
        }
    }

    // ---- randomized comparison with a plain reference ----

    @ParameterizedTest
    @ValueSource(ints = {64, 100, 1024, 4096})
    void agreesWithAPlainSetOfSeenNumbers(int requested) {
        for (long start : new long[] {0, TWO_32 - 3000, -1L - 1_000_000}) {
            Random rnd = new Random(requested * 31L + start);
            AntiReplayWindow w = new AntiReplayWindow(requested);
            int size = w.size();
            if (start != 0) w.resetTo(start);
            Set<Long> seen = new HashSet<>();
            if (start != 0) seen.add(start);
            long highest = start;
            for (int i = 0; i < 60_000; i++) {
                long seq;
                int kind = rnd.nextInt(100);
                if (kind < 45) seq = highest + 1 + rnd.nextInt(4);                  // in order, small gaps
                else if (kind < 85) seq = highest - rnd.nextInt(size + 200);     // reordered, replays, just left
                else if (kind < 95) seq = highest + rnd.nextInt(3 * size);       // bursts of loss
                else seq = highest + rnd.nextInt(40 * size);                     // long outage
                if (Long.compareUnsigned(seq, -1L - 64) > 0) seq = highest;       // stay clear of 2^64
                boolean expected = seq != 0 && !seen.contains(seq)
                        && (Long.compareUnsigned(seq, highest) > 0 || Long.compareUnsigned(highest - seq, size) < 0);
                assertEquals(expected, w.check(seq), "size " + size + " highest " + highest + " seq " + seq);
                if (expected && rnd.nextInt(10) != 0) {                          // 1 in 10 fails its ICV
                    w.update(seq);
                    seen.add(seq);
                    if (Long.compareUnsigned(seq, highest) > 0) highest = seq;
                }
                assertEquals(highest, w.highest());
            }
        }
    }
}
