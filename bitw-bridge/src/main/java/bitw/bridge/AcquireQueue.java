// Acquire requests (RFC 4301 §5.2's "ACQUIRE"): the outbound thread found a protect policy without an SA and
// asks key management (IKE, opportunistic discovery) to make one. A single-producer/single-consumer ring of
// preallocated primitive slots, so offering allocates nothing; when full, the request is dropped and counted
// (the packet's policy fallback already decided the packet's fate, and the next packet will ask again). The consumer
// polls periodically; a request landing in an empty ring also calls its wake-up hook, so a first packet does not
// wait for the next poll.
package bitw.bridge;

import bitw.ipsec.packet.FlowKey;
import bitw.ipsec.packet.IpAddress;
import bitw.ipsec.spd.PolicyEntry;
import java.util.concurrent.atomic.AtomicLong;

public final class AcquireQueue {
    /** One request, as the key-management side sees it. */
    public record Acquire(PolicyEntry entry, IpAddress source, IpAddress destination, int protocol, int sourcePort, int destinationPort) {}

    private static final int SIZE = 1024, MASK = SIZE - 1;
    private final PolicyEntry[] entries = new PolicyEntry[SIZE];
    private final int[] family = new int[SIZE], protocol = new int[SIZE], srcPort = new int[SIZE], dstPort = new int[SIZE];
    private final long[] srcHi = new long[SIZE], srcLo = new long[SIZE], dstHi = new long[SIZE], dstLo = new long[SIZE];
    private final AtomicLong head = new AtomicLong(), tail = new AtomicLong();
    private long dropped;
    private volatile Runnable wakeUp;

    /**
     * Called on the offering (data-plane) thread when a request lands in an empty ring: it must be cheap and never
     * block (e.g. hand a preallocated task to the consumer's event loop). A request offered while the consumer drains
     * may miss the wake-up; the consumer's periodic poll still finds it.
     */
    public void onFirstRequest(Runnable r) { wakeUp = r; }

    /** Outbound thread only. False (and counted) when the consumer is behind. */
    boolean offer(PolicyEntry e, FlowKey k) {
        long t = tail.get(), h = head.get();
        if (t - h >= SIZE) { dropped++; return false; }
        int i = (int) (t & MASK);
        entries[i] = e;
        family[i] = k.family;
        srcHi[i] = k.srcHi; srcLo[i] = k.srcLo; dstHi[i] = k.dstHi; dstLo[i] = k.dstLo;
        protocol[i] = k.protocol; srcPort[i] = k.srcPort; dstPort[i] = k.dstPort;
        tail.lazySet(t + 1); // publishes the slot
        Runnable w = wakeUp;
        if (t == h && w != null) w.run();
        return true;
    }

    /** Consumer thread only; null when empty. */
    public Acquire poll() {
        long h = head.get();
        if (h == tail.get()) return null;
        int i = (int) (h & MASK);
        int f = family[i];
        Acquire a = new Acquire(entries[i], address(f, srcHi[i], srcLo[i]), address(f, dstHi[i], dstLo[i]), protocol[i], srcPort[i], dstPort[i]);
        entries[i] = null;
        head.lazySet(h + 1);
        return a;
    }

    private static IpAddress address(int family, long hi, long lo) {
        return family == IpAddress.V4 ? IpAddress.v4((int) lo) : new IpAddress(IpAddress.V6, hi, lo);
    }

    public long dropped() { return dropped; }
}
