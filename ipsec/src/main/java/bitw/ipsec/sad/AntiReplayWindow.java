// The receiver's anti-replay window of one inbound SA (RFC 4303 §3.4.3, Appendix A; RFC 4302 same rules).
// Inbound flow: SAD lookup -> infer() the full sequence number -> check() -> verify ICV -> update().
// Sequence numbers are unsigned 64-bit values held in a long; all comparisons are unsigned.
// Not thread-safe: only the inbound data thread touches it; highest() may be read racily for display.
package bitw.ipsec.sad;

import java.util.Arrays;

public final class AntiReplayWindow {

    /** With anti-replay disabled we still infer ESN high bits; half the 32-bit space either side is the widest choice. */
    private static final long DISABLED_INFERENCE_WINDOW = 1L << 31;

    private final int size;
    /**
     * Ring of 64-bit blocks indexed by (seq >>> 6) & wordMask. It holds at least size/64 + 1 words: a window of
     * {@code size} numbers that does not start on a block boundary touches size/64 + 1 blocks, and the spare word
     * means sliding only ever clears whole words (the RFC 6479 layout), never shifts bits.
     */
    private final long[] words;
    private final int wordMask;
    private long highest;

    /** @param size window size in packets; 0 disables checking, otherwise rounded up to a multiple of 64. */
    public AntiReplayWindow(int size) {
        if (size < 0) throw new IllegalArgumentException("replay window size must not be negative: " + size);
        if (size > (1 << 30)) throw new IllegalArgumentException("replay window size too large: " + size);
        this.size = (size + 63) & ~63;
        int needed = this.size == 0 ? 1 : this.size / 64 + 1;
        int n = Integer.highestOneBit(needed);
        if (n < needed) n <<= 1;
        this.words = new long[n];
        this.wordMask = n - 1;
    }

    /** The effective window size (a multiple of 64, or 0 when checking is disabled). */
    public int size() { return size; }

    /**
     * The full sequence number of a packet whose header carries {@code seqLow32} (only its low 32 bits count).
     * Without ESN this is the 32-bit value itself. With ESN it applies RFC 4303 Appendix A2.2: the high half is
     * the window top's, one more when the low half lies below the window's bottom edge (it wrapped ahead of us),
     * one less when the window spans a 2^32 boundary and the packet lies in the older part. The inferred value
     * is only a guess until the ICV verifies with it.
     */
    public long infer(long seqLow32, boolean esn) {
        long seql = seqLow32 & 0xFFFF_FFFFL;
        if (!esn) return seql;
        long w = size == 0 ? DISABLED_INFERENCE_WINDOW : size;
        long tl = highest & 0xFFFF_FFFFL;
        long th = highest >>> 32;
        long seqh;
        if (tl >= w - 1) {                             // Case A: window within one 2^32 subspace
            long bottom = tl - w + 1;
            seqh = seql >= bottom ? th : th + 1;
        } else {                                       // Case B: window reaches into the previous subspace
            long bottom = (tl - w + 1) & 0xFFFF_FFFFL;
            // There is no subspace before the first one: then the packet can only be ahead of us.
            seqh = seql >= bottom && th > 0 ? th - 1 : th;
        }
        return (seqh << 32) | seql;
    }

    /**
     * Whether a packet with full sequence number {@code seq} may be processed: called before the ICV so that
     * replays cost no cryptography. False for 0 (never sent: senders start at 1), for a number already marked,
     * and for one left of the window. Always true when the window is disabled (size 0).
     */
    public boolean check(long seq) {
        if (size == 0) return true;
        if (seq == 0) return false;
        if (Long.compareUnsigned(seq, highest) > 0) return true;
        if (Long.compareUnsigned(highest - seq, size) >= 0) return false;
        return (words[(int) (seq >>> 6) & wordMask] & (1L << seq)) == 0;
    }

    /**
     * Records {@code seq} after its ICV verified: slides the window right if it is new, then marks it.
     * Numbers left of the window are ignored (check() refused them already).
     */
    public void update(long seq) {
        if (Long.compareUnsigned(seq, highest) > 0) {
            if (size != 0) {
                long oldBlock = highest >>> 6;
                long newBlock = seq >>> 6;
                long advance = newBlock - oldBlock;
                if (Long.compareUnsigned(advance, words.length) >= 0) {
                    Arrays.fill(words, 0L);
                } else {
                    for (long b = oldBlock + 1; b != newBlock + 1; b++) words[(int) b & wordMask] = 0L;
                }
            }
            highest = seq;
        } else if (size == 0 || Long.compareUnsigned(highest - seq, size) >= 0) {
            return;
        }
        if (size != 0) words[(int) (seq >>> 6) & wordMask] |= 1L << seq;
    }

    /** The highest sequence number that passed its ICV (0 before the first packet). */
    public long highest() { return highest; }

    /** Test hook: start the window at {@code top} as if that packet had just been accepted. */
    void resetTo(long top) {
        Arrays.fill(words, 0L);
        highest = 0;
        update(top);
    }
}
