// The acquire ring between the data plane and key management: requests come out in order with their selectors,
// a full ring drops and counts, and the consumer is woken only when a request lands in an empty ring.
package bitw.bridge;

import static org.junit.jupiter.api.Assertions.*;

import bitw.ipsec.packet.FlowKey;
import bitw.ipsec.packet.IpAddress;
import bitw.ipsec.spd.Fallback;
import bitw.ipsec.spd.PolicyAction;
import bitw.ipsec.spd.PolicyEntry;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class AcquireQueueTest {
    static final PolicyEntry OE = new PolicyEntry("oe", BackToBack.sel("10.1.0.0/24", "10.2.0.0/24"), PolicyAction.OPPORTUNISTIC, Fallback.CLEAR, null);

    static FlowKey key(String src, String dst) {
        FlowKey k = new FlowKey();
        IpAddress s = IpAddress.parse(src), d = IpAddress.parse(dst);
        k.family = s.family();
        k.srcHi = s.hi(); k.srcLo = s.lo(); k.dstHi = d.hi(); k.dstLo = d.lo();
        k.protocol = 17; k.srcPort = 1000; k.dstPort = 53;
        return k;
    }

    @Test
    void theConsumerIsWokenWhenARequestLandsInAnEmptyRingOnly() {
        AcquireQueue q = new AcquireQueue();
        AtomicInteger wakes = new AtomicInteger();
        q.onFirstRequest(wakes::incrementAndGet);
        assertTrue(q.offer(OE, key("10.1.0.10", "10.2.0.20")));
        assertTrue(q.offer(OE, key("10.1.0.11", "10.2.0.20")));
        assertEquals(1, wakes.get(), "one wake-up for a batch");
        AcquireQueue.Acquire a = q.poll();
        assertEquals("10.1.0.10", a.source().toString());
        assertEquals("10.2.0.20", a.destination().toString());
        assertSame(OE, a.entry());
        assertEquals(53, a.destinationPort());
        assertEquals("10.1.0.11", q.poll().source().toString());
        assertNull(q.poll());
        q.offer(OE, key("10.1.0.12", "10.2.0.20"));
        assertEquals(2, wakes.get(), "empty again: the next request wakes the consumer again");
    }

    @Test
    void aFullRingDropsAndCountsAndWakesNobody() {
        AcquireQueue q = new AcquireQueue();
        AtomicInteger wakes = new AtomicInteger();
        q.onFirstRequest(wakes::incrementAndGet);
        int accepted = 0;
        for (int i = 0; i < 1100; i++) if (q.offer(OE, key("10.1.0.10", "10.2." + (i >> 8) + "." + (i & 0xff)))) accepted++;
        assertEquals(1024, accepted);
        assertEquals(76, q.dropped());
        assertEquals(1, wakes.get());
    }
}
