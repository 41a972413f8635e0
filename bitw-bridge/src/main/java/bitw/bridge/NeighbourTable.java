// IP → MAC of hosts on the inside segment, learned from the frames they send (ARP and IP sources).
// Decapsulated packets need a destination MAC; the hosts' own frames tell us. Open addressing on primitive
// keys, written only by the outbound (inside reader) thread and read by the inbound and TAP threads.
// A reader may see an entry mid-update; a seqlock-free check (key re-read after the MAC) makes that a miss.
package bitw.bridge;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

public final class NeighbourTable {
    private static final VarHandle LONGS = MethodHandles.arrayElementVarHandle(long[].class);
    private static final long EMPTY = 0;
    private final int mask;
    private final long[] keyHi, keyLo, macs; // keyHi carries the family in its low bits for IPv4 (hi is 0 for v4)

    public NeighbourTable(int capacityPowerOfTwo) {
        int cap = Integer.highestOneBit(Math.max(16, capacityPowerOfTwo));
        mask = cap - 1;
        keyHi = new long[cap];
        keyLo = new long[cap];
        macs = new long[cap];
    }

    private static long tagHi(int family, long hi) { return family == 4 ? 4 : hi ^ 0x6000_0000_0000_0000L; }

    private int slot(long hi, long lo) {
        long h = hi * 0x9E3779B97F4A7C15L ^ lo * 0xC2B2AE3D27D4EB4FL;
        return (int) (h ^ (h >>> 29)) & mask;
    }

    /** Learns or refreshes; a full probe chain overwrites its first slot (the table is a cache). */
    public void learn(int family, long hi, long lo, long mac) {
        long th = tagHi(family, hi);
        if (th == EMPTY && lo == EMPTY) return;
        int s = slot(th, lo);
        int first = s;
        for (int i = 0; i < 8; i++, s = (s + 1) & mask) {
            long kh = keyHi[s], kl = keyLo[s];
            if (kh == th && kl == lo) {
                if (macs[s] != mac) LONGS.setRelease(macs, s, mac);
                return;
            }
            if (kh == EMPTY && kl == EMPTY) { first = s; break; }
        }
        LONGS.setRelease(keyHi, first, 0L);
        LONGS.setRelease(keyLo, first, lo);
        LONGS.setRelease(macs, first, mac);
        LONGS.setRelease(keyHi, first, th);
    }

    /** The learned MAC, or -1. */
    public long lookup(int family, long hi, long lo) {
        long th = tagHi(family, hi);
        int s = slot(th, lo);
        for (int i = 0; i < 8; i++, s = (s + 1) & mask) {
            long kh = (long) LONGS.getAcquire(keyHi, s);
            if (kh == EMPTY) return -1;
            long mac = (long) LONGS.getAcquire(macs, s);
            if (kh == th && (long) LONGS.getAcquire(keyLo, s) == lo && (long) LONGS.getAcquire(keyHi, s) == th) return mac;
        }
        return -1;
    }

    /** True if some learned neighbour has this MAC (used to route TAP frames to the inside port). */
    public boolean knowsMac(long mac) {
        for (int s = 0; s <= mask; s++) if ((long) LONGS.getAcquire(keyHi, s) != EMPTY && (long) LONGS.getAcquire(macs, s) == mac) return true;
        return false;
    }
}
