// Specification of PcapPort on a real veth pair in the root namespace (needs root: tag netns): frames cross intact
// and in order, a port never hears its own frames, receive times out and stops promptly, the hot path allocates
// nothing, and opening a missing or down interface says which one.
package bitw.bridge.io;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Tag("netns")
class PcapPortTest {
    private static VethPair wire;
    private final byte[] out = new byte[2048], in = new byte[2048];

    @BeforeAll
    static void createWire() throws Exception { wire = VethPair.createPrepared(); }

    @AfterAll
    static void removeWire() { if (wire != null) wire.close(); }

    /** The next test frame on {@code port} (other frames skipped), its length, or -1 if none within the time. */
    private static int receiveTestFrame(PcapPort port, byte[] buf, long timeoutMillis) {
        long deadline = System.nanoTime() + timeoutMillis * 1_000_000;
        while (System.nanoTime() < deadline) {
            int n = port.receive(buf, 0, buf.length);
            if (n < 0) return -1;
            if (n > 0 && TestFrames.isTestFrame(buf, n)) return n;
        }
        return -1;
    }

    @Test
    void carriesTenThousandFramesOf60To1514BytesIntactInOrderWithoutLoss() throws Exception {
        int frames = 10_000;
        try (PcapPort a = PcapPort.open(wire.a); PcapPort b = PcapPort.open(wire.b)) {
            AtomicReference<Throwable> senderFailure = new AtomicReference<>();
            Thread sender = Thread.ofPlatform().start(() -> {
                byte[] f = new byte[2048];
                try {
                    for (int seq = 0; seq < frames; seq++) {
                        int len = TestFrames.lengthFor(seq);
                        TestFrames.build(f, 1, seq, len);
                        if (!a.send(f, 0, len)) throw new AssertionError("send failed at " + seq);
                        if (seq % 50 == 49) Thread.sleep(1);   // a modest rate: at most ~50k frames/s
                    }
                } catch (Throwable t) {
                    senderFailure.set(t);
                }
            });
            int expected = 0;
            int n;
            while (expected < frames && (n = receiveTestFrame(b, in, 3000)) > 0) {
                assertEquals(expected, TestFrames.seq(in), "frames arrive in order with none missing");
                assertEquals(TestFrames.lengthFor(expected), n, "length of frame " + expected);
                TestFrames.build(out, 1, expected, n);
                assertArrayEquals(java.util.Arrays.copyOf(out, n), java.util.Arrays.copyOf(in, n), "frame " + expected);
                expected++;
            }
            sender.join();
            assertNull(senderFailure.get());
            assertEquals(frames, expected, "frames received");
            assertEquals(frames, a.stats().sent());
            assertEquals(0, a.stats().sendFailed());
            assertTrue(b.stats().received() >= frames);
            assertEquals(0, b.stats().kernelDropped());
        }
    }

    /** The pipeline sends from wherever the frame starts in its buffer (headroom minus prepended headers). */
    @Test
    void sendsFramesFromAnyOffsetOfSeveralBuffersIntact() throws Exception {
        byte[][] buffers = {new byte[4096], new byte[4096], new byte[3000]};
        byte[] frame = new byte[2048];
        try (PcapPort a = PcapPort.open(wire.a); PcapPort b = PcapPort.open(wire.b)) {
            int seq = 0;
            for (int round = 0; round < 3; round++) {
                for (int off = 0; off < 200; off += 3) {   // offsets 64 apart share a cache slot: both must work
                    byte[] buf = buffers[(off + round) % buffers.length];
                    int len = TestFrames.lengthFor(seq);
                    TestFrames.build(frame, 6, seq, len);
                    System.arraycopy(frame, 0, buf, off, len);
                    assertTrue(a.send(buf, off, len), "send at offset " + off);
                    int n = receiveTestFrame(b, in, 3000);
                    assertEquals(len, n, "length of frame " + seq + " sent from offset " + off);
                    assertEquals(seq, TestFrames.seq(in));
                    assertTrue(TestFrames.intact(in, n), "frame " + seq + " from offset " + off + " arrived intact");
                    seq++;
                }
            }
        }
    }

    @Test
    void doesNotReceiveTheFramesItSendsItself() throws Exception {
        try (PcapPort a = PcapPort.open(wire.a); PcapPort b = PcapPort.open(wire.b)) {
            sendAndExpectOnlyAtPeer(a, a, b);
        }
    }

    @Test
    void doesNotReceiveFramesOthersSendOutOfItsInterface() throws Exception {
        // The kernel never loops a packet socket's own frames back to it; direction IN is what also hides frames
        // that the host stack or another socket sends out of the port (without it, this test fails).
        try (PcapPort a = PcapPort.open(wire.a); PcapPort other = PcapPort.open(wire.a); PcapPort b = PcapPort.open(wire.b)) {
            sendAndExpectOnlyAtPeer(other, a, b);
        }
    }

    private void sendAndExpectOnlyAtPeer(PcapPort sender, PcapPort listener, PcapPort peer) {
        for (int seq = 0; seq < 200; seq++) {
            TestFrames.build(out, 2, seq, 100);
            assertTrue(sender.send(out, 0, 100));
        }
        int atPeer = 0;
        while (atPeer < 200 && receiveTestFrame(peer, in, 2000) > 0) atPeer++;
        assertEquals(200, atPeer, "the peer end sees every frame");
        assertEquals(-1, receiveTestFrame(listener, in, 300), "the sending end sees none of the frames leaving through it");
    }

    @Test
    void receiveReturnsZeroWhenNothingArrivesWithinTheReadTimeout() throws Exception {
        try (PcapPort a = PcapPort.open(wire.a)) {
            long start = System.nanoTime();
            int n = a.receive(in, 0, in.length);
            long millis = (System.nanoTime() - start) / 1_000_000;
            assertEquals(0, n);
            assertTrue(millis >= PcapPort.READ_TIMEOUT_MILLIS / 2 && millis < 1000, "waited " + millis + " ms");
        }
    }

    /** The stop tests wait this long in receive: far above any scheduling delay on a loaded machine. */
    private static final int LONG_WAIT_MILLIS = 10_000;

    @Test
    void breakLoopFromAnotherThreadEndsABlockedReceivePromptly() throws Exception {
        try (PcapPort a = PcapPort.open(wire.a, LONG_WAIT_MILLIS)) {
            assertReceiverStopsPromptly(a, a::breakLoop);
            assertEquals(-1, a.receive(in, 0, in.length), "stays stopped");
            TestFrames.build(out, 3, 0, 64);
            assertTrue(a.send(out, 0, 64), "a stopped port still sends until closed");
        }
    }

    @Test
    void wakeEndsOneWaitingReceiveWithZeroAndTheNextOneWaitsAgain() throws Exception {
        try (PcapPort a = PcapPort.open(wire.a, LONG_WAIT_MILLIS)) {
            AtomicInteger first = new AtomicInteger(Integer.MIN_VALUE);
            AtomicReference<Long> firstEnded = new AtomicReference<>();
            AtomicInteger secondWaits = new AtomicInteger(Integer.MIN_VALUE);
            Thread receiver = Thread.ofPlatform().start(() -> {
                byte[] buf = new byte[2048];
                first.set(a.receive(buf, 0, buf.length));
                firstEnded.set(System.nanoTime());
                secondWaits.set(a.receive(buf, 0, buf.length));   // ended by breakLoop below, not by a stale wake
            });
            Thread.sleep(300);
            assertTrue(receiver.isAlive(), "receiver waits while the link is idle");
            long wokenAt = System.nanoTime();
            a.wake();
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (firstEnded.get() == null && System.nanoTime() < deadline) Thread.sleep(5);
            assertEquals(0, first.get(), "a woken receive returns 0: no frame, but the reader runs its work now");
            assertTrue((firstEnded.get() - wokenAt) / 1_000_000 < 2000, "woken promptly, not by the 10 s timeout");
            // The eventfd was drained: the next receive blocks again instead of spinning on a readable descriptor.
            Thread.sleep(500);
            assertTrue(receiver.isAlive(), "the next receive waits again");
            assertEquals(Integer.MIN_VALUE, secondWaits.get());
            a.breakLoop();
            receiver.join(LONG_WAIT_MILLIS);
            assertEquals(-1, secondWaits.get());
        }
    }

    @Test
    void closeFromAnotherThreadEndsABlockedReceivePromptly() throws Exception {
        PcapPort a = PcapPort.open(wire.a, LONG_WAIT_MILLIS);
        assertReceiverStopsPromptly(a, a::close);
        assertEquals(-1, a.receive(in, 0, in.length));
        TestFrames.build(out, 3, 0, 64);
        assertFalse(a.send(out, 0, 64), "a closed port refuses to send");
        assertEquals(1, a.stats().sendFailed());
    }

    /**
     * Runs receive in a thread on an idle link (waiting up to 10 s per call), calls {@code stop} after 300 ms and
     * expects -1 within 2 s: only the wake-up eventfd can end the wait that early.
     */
    private static void assertReceiverStopsPromptly(PcapPort port, Runnable stop) throws Exception {
        AtomicInteger last = new AtomicInteger(Integer.MIN_VALUE);
        AtomicReference<Long> endedAt = new AtomicReference<>();
        Thread receiver = Thread.ofPlatform().start(() -> {
            byte[] buf = new byte[2048];
            int n;
            do { n = port.receive(buf, 0, buf.length); } while (n >= 0);
            endedAt.set(System.nanoTime());
            last.set(n);
        });
        Thread.sleep(300);
        assertTrue(receiver.isAlive(), "receiver waits while the link is idle");
        long stoppedAt = System.nanoTime();
        stop.run();
        receiver.join(LONG_WAIT_MILLIS);
        assertFalse(receiver.isAlive(), "receiver ended");
        assertEquals(-1, last.get());
        long millis = (endedAt.get() - stoppedAt) / 1_000_000;
        // Far below the wait: the wake-up eventfd, not the timeout, ended it (with margin for a loaded machine).
        assertTrue(millis < 2000, "receive returned " + millis + " ms after the stop");
    }

    @Test
    void receiveAndSendAllocateNothingPerFrameAfterWarmUp() throws Exception {
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        try (PcapPort a = PcapPort.open(wire.a); PcapPort b = PcapPort.open(wire.b)) {
            bounce(a, b, 30_000);   // warm-up: let the JIT compile the path
            // Best of up to five rounds (JIT may lag on a loaded machine); a real per-frame allocation shows in every round.
            long allocated = Long.MAX_VALUE;
            for (int round = 0; round < 5 && allocated > 0; round++) {
                long before = threads.getCurrentThreadAllocatedBytes();
                int delivered = bounce(a, b, 10_000);
                allocated = Math.min(allocated, threads.getCurrentThreadAllocatedBytes() - before);
                assertEquals(10_000, delivered);
            }
            assertEquals(0, allocated, "bytes allocated over 10k send+receive");
        }
    }

    /** Sends {@code count} frames a->b, receiving each before the next; returns how many arrived intact. */
    private int bounce(PcapPort a, PcapPort b, int count) {
        int delivered = 0;
        for (int seq = 0; seq < count; seq++) {
            int len = TestFrames.lengthFor(seq);
            TestFrames.build(out, 4, seq, len);
            if (!a.send(out, 0, len)) continue;
            for (int tries = 0; tries < 20; tries++) {
                int n = b.receive(in, 0, in.length);
                if (n > 0 && TestFrames.isTestFrame(in, n)) {
                    if (n == len && TestFrames.seq(in) == seq && TestFrames.intact(in, n)) delivered++;
                    break;
                }
            }
        }
        return delivered;
    }

    @Test
    void framesLongerThanTheBufferAreDroppedAndCountedNotTruncated() throws Exception {
        try (PcapPort a = PcapPort.open(wire.a); PcapPort b = PcapPort.open(wire.b)) {
            TestFrames.build(out, 5, 0, 1000);
            assertTrue(a.send(out, 0, 1000));
            TestFrames.build(out, 5, 1, 400);
            assertTrue(a.send(out, 0, 400));
            byte[] small = new byte[500];
            int n = 0;
            long deadline = System.nanoTime() + 2_000_000_000L;
            while (System.nanoTime() < deadline && !(n > 0 && TestFrames.isTestFrame(small, n)))
                n = b.receive(small, 0, small.length);
            assertEquals(400, n, "the long frame is skipped, the next one delivered");
            assertEquals(1, TestFrames.seq(small));
            assertEquals(1, b.stats().oversizeDropped());
        }
    }

    @Test
    void concurrentSendersNeverCorruptEachOthersFrames() throws Exception {
        int perSender = 3000;
        try (PcapPort a = PcapPort.open(wire.a); PcapPort b = PcapPort.open(wire.b)) {
            Thread[] senders = new Thread[2];
            for (int s = 0; s < 2; s++) {
                int sender = 10 + s;
                senders[s] = Thread.ofPlatform().start(() -> {
                    byte[] f = new byte[2048];
                    for (int seq = 0; seq < perSender; seq++) {
                        int len = TestFrames.lengthFor(seq + sender);
                        TestFrames.build(f, sender, seq, len);
                        a.send(f, 0, len);
                        if (seq % 50 == 49) sleepQuietly();
                    }
                });
            }
            int[] next = new int[2];
            int n, total = 0;
            while (total < 2 * perSender && (n = receiveTestFrame(b, in, 3000)) > 0) {
                int s = TestFrames.sender(in) - 10;
                assertTrue(TestFrames.intact(in, n), "frame intact");
                assertEquals(next[s]++, TestFrames.seq(in), "sender " + s + " order");
                total++;
            }
            for (Thread t : senders) t.join();
            assertEquals(2 * perSender, total);
            assertEquals(2L * perSender, a.stats().sent());
        }
    }

    private static void sleepQuietly() {
        try { Thread.sleep(1); } catch (InterruptedException e) { Thread.currentThread().interrupt(); }
    }

    @Test
    void openingAMissingInterfaceFailsNamingIt() {
        PortException e = assertThrows(PortException.class, () -> PcapPort.open("btnosuch0"));
        assertTrue(e.getMessage().contains("btnosuch0") && e.getMessage().contains("does not exist"), e.getMessage());
    }

    @Test
    void openingADownInterfaceFailsSayingSo() throws Exception {
        try (VethPair down = VethPair.createDown()) {
            PortException e = assertThrows(PortException.class, () -> PcapPort.open(down.a));
            assertTrue(e.getMessage().contains(down.a) && e.getMessage().contains("down"), e.getMessage());
        }
    }
}
