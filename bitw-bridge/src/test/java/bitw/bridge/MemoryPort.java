// An in-memory FramePort: frames sent on one end arrive on its peer. Lets two data planes run back to back
// in a unit test, with the test playing the LAN hosts and tapping the wire.
package bitw.bridge;

import java.util.Arrays;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

final class MemoryPort implements FramePort {
    private final String name;
    final LinkedBlockingQueue<byte[]> rx = new LinkedBlockingQueue<>();
    final LinkedBlockingQueue<byte[]> sentLog = new LinkedBlockingQueue<>();
    MemoryPort peer;
    private volatile boolean closed;

    MemoryPort(String name) { this.name = name; }

    static MemoryPort[] wire(String a, String b) {
        MemoryPort x = new MemoryPort(a), y = new MemoryPort(b);
        x.peer = y;
        y.peer = x;
        return new MemoryPort[] {x, y};
    }

    @Override public int receive(byte[] buf, int off, int maxLen) {
        if (closed) return -1;
        try {
            byte[] f = rx.poll(5, TimeUnit.MILLISECONDS);
            if (f == null) return closed ? -1 : 0;
            int n = Math.min(f.length, maxLen);
            System.arraycopy(f, 0, buf, off, n);
            return n;
        } catch (InterruptedException e) {
            return -1;
        }
    }

    @Override public boolean send(byte[] buf, int off, int len) {
        byte[] f = Arrays.copyOfRange(buf, off, off + len);
        sentLog.add(f);
        if (peer != null) peer.rx.add(f);
        return true;
    }

    /** Injects a frame as if it arrived on this port. */
    void inject(byte[] frame) { rx.add(frame.clone()); }

    byte[] nextSent(long millis) throws InterruptedException { return sentLog.poll(millis, TimeUnit.MILLISECONDS); }

    @Override public void breakLoop() { closed = true; }

    @Override public String name() { return name; }

    @Override public void close() { closed = true; }
}
