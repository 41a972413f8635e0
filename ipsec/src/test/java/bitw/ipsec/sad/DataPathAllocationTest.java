// The per-packet SAD operations allocate nothing once warm: SPI lookup, byte accounting, sequence numbers,
// replay check/update. Measured with the JVM's per-thread allocation counter.
package bitw.ipsec.sad;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import bitw.ipsec.DropReason;
import java.lang.management.ManagementFactory;
import java.util.Random;
import org.junit.jupiter.api.Test;

class DataPathAllocationTest {

    private static final int CALLS = 100_000;
    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    private static long allocatedSoFar() { return THREADS.getCurrentThreadAllocatedBytes(); }

    /**
     * Bytes allocated by {@code calls}, fewest over a few rounds: a one-off allocation by the JVM itself (JIT
     * transitions) can land in one round, but anything allocated per call shows in every round.
     */
    private static long fewestBytesAllocatedBy(Runnable calls) {
        long fewest = Long.MAX_VALUE;
        for (int round = 0; round < 5 && fewest != 0; round++) {
            allocatedSoFar();
            long before = allocatedSoFar();
            calls.run();
            long after = allocatedSoFar();
            fewest = Math.min(fewest, after - before);
        }
        return fewest;
    }

    private long sink;

    private final SecurityAssociationDatabase sad = new SecurityAssociationDatabase(new SaEventListener() {
        public void softExpired(SecurityAssociation sa) {}
        public void hardExpired(SecurityAssociation sa) {}
    });

    private int[] installSpis() {
        Random rnd = new Random(1);
        int[] spis = new int[512];
        for (int i = 0; i < spis.length; i++) {
            int spi = 0x100 + i * 7919 + (i % 2 == 0 ? 0x8000_0000 : 0);   // half with the high bit set
            spis[i] = spi;
            if (i % 4 != 3) sad.install(TestSas.inbound(spi));             // a quarter are misses
        }
        for (int i = spis.length - 1; i > 0; i--) {
            int j = rnd.nextInt(i + 1);
            int t = spis[i]; spis[i] = spis[j]; spis[j] = t;
        }
        return spis;
    }

    private void lookups(int[] spis, int n) {
        long found = 0;
        for (int i = 0; i < n; i++) {
            SecurityAssociation sa = sad.inbound(spis[i & (spis.length - 1)], 50);
            if (sa != null) found += sa.spi();
        }
        sink += found;
    }

    private void packets(SecurityAssociation out, SecurityAssociation in, int n) {
        AntiReplayWindow w = in.replayWindow();
        long sum = 0;
        for (int i = 0; i < n; i++) {
            long seq = out.nextSequence();
            sum += out.account(1400).ordinal();
            long full = w.infer(seq, false);
            if (w.check(full)) w.update(full);
            else in.countDrop(DropReason.REPLAY);
            sum += in.account(1400).ordinal();
        }
        sink += sum;
    }

    @Test
    void inboundLookupAllocatesNothing() {
        assumeTrue(THREADS.isThreadAllocatedMemorySupported() && THREADS.isThreadAllocatedMemoryEnabled());
        int[] spis = installSpis();
        lookups(spis, 3 * CALLS);                       // warm up (and let the JIT compile the loop)
        Runnable calls = () -> lookups(spis, CALLS);
        assertEquals(0, fewestBytesAllocatedBy(calls), "bytes allocated by " + CALLS + " lookups");
        assertNotEquals(0, sink);
    }

    @Test
    void accountingSequenceAndReplayWindowAllocateNothing() {
        assumeTrue(THREADS.isThreadAllocatedMemorySupported() && THREADS.isThreadAllocatedMemoryEnabled());
        SecurityAssociation out = TestSas.outbound("t", 0x2000);
        SecurityAssociation in = TestSas.inbound(0x2000);
        sad.install(out);
        sad.install(in);
        packets(out, in, 3 * CALLS);
        long before = in.packets();
        Runnable calls = () -> packets(out, in, CALLS);
        assertEquals(0, fewestBytesAllocatedBy(calls), "bytes allocated by " + CALLS + " packets");
        assertEquals(0, (in.packets() - before) % CALLS);
        assertTrue(in.packets() - before >= CALLS);
        assertEquals(0, in.drops(DropReason.REPLAY));
    }
}
