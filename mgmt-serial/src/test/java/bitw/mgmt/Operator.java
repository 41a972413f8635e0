// The person at the other end of the serial cable, for pty tests: types bytes one at a time (or raw bursts),
// collects everything the console prints, and waits for expected text with a deadline so a hung console fails
// the test instead of hanging it. Matching ignores escape sequences and carriage returns.
package bitw.mgmt;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Pattern;

public final class Operator implements AutoCloseable {
    static final Duration WAIT = Duration.ofSeconds(15);
    private static final Pattern ESCAPES = Pattern.compile("\u001b\\[[0-9;?>=]*[ -/]*[@-~]|\u001b[()][0-9A-Za-z]|\u001b[=>78]|\r|\u0007");

    private final TtyDevice tty;
    private final StringBuilder screen = new StringBuilder();
    private int mark;
    private final Thread reader;
    private volatile boolean open = true;

    public Operator(Path device) throws IOException {
        tty = TtyDevice.open(device);
        reader = new Thread(this::collect, "operator-reader");
        reader.setDaemon(true);
        reader.start();
    }

    private void collect() {
        byte[] buf = new byte[4096];
        try {
            while (open) {
                int n = tty.read(buf, 0, buf.length);
                if (n < 0) return;
                synchronized (screen) {
                    screen.append(new String(buf, 0, n, StandardCharsets.ISO_8859_1));
                    screen.notifyAll();
                }
            }
        } catch (IOException e) {
            // hung up: the test decides what that means
        }
    }

    /** Types text one byte at a time, as a person (or a slow terminal) would. */
    public Operator type(String text) throws IOException, InterruptedException {
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
            tty.write(new byte[] {b}, 0, 1);
            Thread.sleep(1);
        }
        return this;
    }

    /** Sends bytes in one burst (a paste, line noise). */
    public Operator burst(byte[] bytes) throws IOException {
        for (int off = 0; off < bytes.length; off += 1024) tty.write(bytes, off, Math.min(1024, bytes.length - off));
        return this;
    }

    public Operator line(String text) throws IOException, InterruptedException { return type(text + "\r"); }

    /** Waits until {@code text} appears after what was matched before; returns everything up to and including it. */
    public String expect(String text) throws InterruptedException { return expect(text, WAIT); }

    public String expect(String text, Duration limit) throws InterruptedException {
        long end = System.nanoTime() + limit.toNanos();
        synchronized (screen) {
            while (true) {
                StringBuilder visible = new StringBuilder();
                int[] raw = visible(mark, visible);
                int at = visible.indexOf(text);
                if (at >= 0) {
                    int last = at + text.length() - 1;
                    mark = raw[last] + 1;
                    return visible.substring(0, last + 1);
                }
                long left = end - System.nanoTime();
                if (left <= 0) throw new AssertionError("no '" + text + "' within " + limit + "; screen since last match:\n" + visible);
                screen.wait(Math.max(1, left / 1_000_000));
            }
        }
    }

    /** Waits until the console has printed nothing for {@code silence} (it has worked through what we sent). */
    public void waitForQuiet(Duration silence, Duration limit) throws InterruptedException {
        long end = System.nanoTime() + limit.toNanos();
        synchronized (screen) {
            int seen = -1;
            while (seen != screen.length()) {
                if (System.nanoTime() > end) throw new AssertionError("console still talking after " + limit);
                seen = screen.length();
                screen.wait(silence.toMillis());
            }
        }
    }

    /** Forgets everything printed so far: the next expect() looks only at what comes later (e.g. after line noise,
     *  whose output is full of old prompts). */
    public void skipAll() {
        synchronized (screen) {
            mark = screen.length();
        }
    }

    /** True if {@code text} appears after the mark within {@code limit} (does not fail). */
    public boolean sees(String text, Duration limit) throws InterruptedException {
        try {
            expect(text, limit);
            return true;
        } catch (AssertionError e) {
            return false;
        }
    }

    /** Everything visible since the last match (without consuming it). */
    public String pending() {
        synchronized (screen) {
            return visibleFrom(mark);
        }
    }

    private String visibleFrom(int from) {
        StringBuilder sb = new StringBuilder();
        visible(from, sb);
        return sb.toString();
    }

    /** Appends the screen from {@code from} without escapes to {@code out}; returns each visible char's raw offset. */
    private int[] visible(int from, StringBuilder out) {
        String rawText = screen.substring(from);
        int[] map = new int[rawText.length()];
        var m = ESCAPES.matcher(rawText);
        int pos = 0;
        while (true) {
            boolean found = m.find();
            int stop = found ? m.start() : rawText.length();
            for (int i = pos; i < stop; i++) { map[out.length()] = from + i; out.append(rawText.charAt(i)); }
            if (!found) break;
            pos = m.end();
        }
        return map;
    }

    @Override public void close() {
        open = false;
        tty.close();
    }
}
