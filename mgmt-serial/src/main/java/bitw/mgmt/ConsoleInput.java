// The bytes from the serial line on their way to JLine. A drain thread reads the device all the time, like a UART
// with a FIFO: what arrives while the console is busy (hashing a password, running a command) waits in a bounded
// buffer, and when that is full further bytes are dropped — never pushed back onto the line, where a pty (or a
// flow-controlled port) would otherwise stall the console's own output and deadlock. On the way it notes the time
// of the last byte (idle logout), remembers that the line hung up (EOF or I/O error, as opposed to an operator's
// Ctrl-D), and caps line length: past the cap it passes one Ctrl-C (so the line being edited is cancelled and JLine
// never holds more than the cap) and swallows everything up to the next line end.
package bitw.mgmt;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.util.concurrent.atomic.AtomicBoolean;

final class ConsoleInput extends InputStream {
    static final byte CTRL_C = 3;
    static final int CAPACITY = 16 * 1024;

    private final InputStream source;
    private final int maxLine;
    private final byte[] ring = new byte[CAPACITY];
    private int head, count;          // guarded by ring
    private boolean ended;            // guarded by ring: the source is finished (hang-up or close)
    private long dropped;             // guarded by ring
    private int lineBytes;            // drain thread only
    private boolean swallowing;       // drain thread only
    private volatile boolean hungUp;
    private volatile long lastActivityNanos = System.nanoTime();
    private final AtomicBoolean overlong = new AtomicBoolean();
    private final Thread drain;

    ConsoleInput(InputStream source, int maxLine) {
        this.source = source;
        this.maxLine = maxLine;
        this.drain = new Thread(this::drain, "serial-console-input");
        drain.setDaemon(true);
        drain.start();
    }

    boolean hungUp() { return hungUp; }

    long lastActivityNanos() { return lastActivityNanos; }

    void touch() { lastActivityNanos = System.nanoTime(); }

    /** True once after a line was cut for being too long. */
    boolean takeOverlong() { return overlong.getAndSet(false); }

    /** Bytes dropped because the console was not reading fast enough. */
    long dropped() {
        synchronized (ring) {
            return dropped;
        }
    }

    private void drain() {
        byte[] buf = new byte[1024];
        try {
            while (true) {
                int n = source.read(buf, 0, buf.length);
                if (n < 0) break;
                lastActivityNanos = System.nanoTime();
                int kept = filter(buf, n);
                synchronized (ring) {
                    for (int i = 0; i < kept; i++) {
                        if (count == CAPACITY) { dropped += kept - i; break; }
                        ring[(head + count++) % CAPACITY] = buf[i];
                    }
                    ring.notifyAll();
                }
            }
        } catch (IOException e) {
            // EIO after a hang-up, ENODEV after an unplug: the line is gone either way
        } finally {
            hungUp = true;
            synchronized (ring) {
                ended = true;
                ring.notifyAll();
            }
        }
    }

    /** Filters buf[0, n) in place for the line cap; returns how many bytes remain. */
    private int filter(byte[] b, int n) {
        int w = 0;
        for (int i = 0; i < n; i++) {
            byte c = b[i];
            boolean lineEnd = c == '\r' || c == '\n' || c == CTRL_C;
            if (swallowing) {
                if (lineEnd) { swallowing = false; lineBytes = 0; }
                continue;
            }
            if (lineEnd) { lineBytes = 0; b[w++] = c; continue; }
            if (++lineBytes > maxLine) {
                swallowing = true;
                overlong.set(true);
                b[w++] = CTRL_C;
                continue;
            }
            b[w++] = c;
        }
        return w;
    }

    @Override public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    /** Waits for at least one byte; -1 once the line has ended and everything before that was read. */
    @Override public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) return 0;
        synchronized (ring) {
            while (count == 0) {
                if (ended) return -1;
                try {
                    ring.wait();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new InterruptedIOException("interrupted");
                }
            }
            int n = Math.min(len, count);
            for (int i = 0; i < n; i++) b[off + i] = ring[(head + i) % CAPACITY];
            head = (head + n) % CAPACITY;
            count -= n;
            return n;
        }
    }

    @Override public int available() {
        synchronized (ring) {
            return count;
        }
    }

    @Override public void close() throws IOException { source.close(); }
}
