// The bytes from the serial line on their way to JLine. Three jobs a terminal library cannot do for us:
// notes the time of the last byte (idle logout), remembers that the line hung up (EOF or I/O error, as opposed to
// an operator's Ctrl-D), and caps line length: past the cap it sends one Ctrl-C (so the line being edited is
// cancelled and JLine never holds more than the cap) and swallows everything up to the next line end.
package bitw.mgmt;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.atomic.AtomicBoolean;

final class ConsoleInput extends FilterInputStream {
    static final byte CTRL_C = 3;

    private final int maxLine;
    private int lineBytes;
    private boolean swallowing;
    private volatile boolean hungUp;
    private volatile long lastActivityNanos = System.nanoTime();
    private final AtomicBoolean overlong = new AtomicBoolean();

    ConsoleInput(InputStream in, int maxLine) {
        super(in);
        this.maxLine = maxLine;
    }

    boolean hungUp() { return hungUp; }

    long lastActivityNanos() { return lastActivityNanos; }

    void touch() { lastActivityNanos = System.nanoTime(); }

    /** True once after a line was cut for being too long. */
    boolean takeOverlong() { return overlong.getAndSet(false); }

    @Override public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override public int read(byte[] b, int off, int len) throws IOException {
        while (true) {
            int n;
            try {
                n = in.read(b, off, len);
            } catch (java.io.InterruptedIOException e) {
                throw e;
            } catch (IOException e) {
                hungUp = true;
                throw e;
            }
            if (n < 0) { hungUp = true; return -1; }
            lastActivityNanos = System.nanoTime();
            int kept = filter(b, off, n);
            if (kept > 0) return kept;
        }
    }

    /** Filters b[off, off+n) in place; returns how many bytes remain. */
    private int filter(byte[] b, int off, int n) {
        int w = off;
        for (int i = off; i < off + n; i++) {
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
        return w - off;
    }
}
