// The serial line itself: a TTY device (/dev/ttyS0, a USB adapter, or a pty in tests) opened with O_NOCTTY through
// the JDK's FFM API. O_NOCTTY matters: a daemon that opened its console as controlling terminal would be sent
// SIGHUP — and the JVM would exit — when the line hangs up. Reads wait in poll() with a short timeout so close()
// ends a blocked reader; end of file and I/O errors (EIO after a hang-up, ENODEV after an unplug) are reported as
// such, and SerialConsole then reopens the device.
package bitw.mgmt;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.nio.file.Path;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

final class TtyDevice implements AutoCloseable {
    private static final int O_RDWR = 2, O_NOCTTY = 0x100, O_CLOEXEC = 0x80000;
    private static final int EINTR = 4, EAGAIN = 11;
    private static final short POLLIN = 0x1, POLLERR = 0x8, POLLHUP = 0x10, POLLNVAL = 0x20;
    private static final int POLL_MILLIS = 200;

    private static final Linker LINKER = Linker.nativeLinker();
    private static final StructLayout CAPTURE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = CAPTURE.varHandle(MemoryLayout.PathElement.groupElement("errno"));
    private static final MethodHandle OPEN = bind("open", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT),
            Linker.Option.captureCallState("errno"), Linker.Option.firstVariadicArg(2));
    private static final MethodHandle READ = bind("read", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG),
            Linker.Option.captureCallState("errno"));
    private static final MethodHandle WRITE = bind("write", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG),
            Linker.Option.captureCallState("errno"));
    private static final MethodHandle POLL = bind("poll", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT),
            Linker.Option.captureCallState("errno"));
    private static final MethodHandle CLOSE = bind("close", FunctionDescriptor.of(JAVA_INT, JAVA_INT));

    private static MethodHandle bind(String name, FunctionDescriptor fd, Linker.Option... options) {
        return LINKER.downcallHandle(LINKER.defaultLookup().find(name).orElseThrow(), fd, options);
    }

    private final Path path;
    private final int fd;
    private volatile boolean closed;

    private TtyDevice(Path path, int fd) {
        this.path = path;
        this.fd = fd;
    }

    static TtyDevice open(Path path) throws IOException {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment cap = a.allocate(CAPTURE);
            int fd = (int) OPEN.invokeExact(cap, a.allocateFrom(path.toString()), O_RDWR | O_NOCTTY | O_CLOEXEC, 0);
            if (fd < 0) throw new IOException("cannot open " + path + ": errno " + errno(cap));
            return new TtyDevice(path, fd);
        } catch (IOException e) {
            throw e;
        } catch (Throwable t) {
            throw new IOException("cannot open " + path, t);
        }
    }

    Path path() { return path; }

    private static int errno(MemorySegment cap) { return (int) ERRNO.get(cap, 0L); }

    /** Reads at least one byte, waiting as long as needed; -1 at end of file or after close(). */
    int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) return 0;
        try (Arena a = Arena.ofConfined()) {
            MemorySegment cap = a.allocate(CAPTURE);
            MemorySegment pfd = a.allocate(8, 4);
            MemorySegment buf = a.allocate(len);
            while (true) {
                if (closed) return -1;
                if (Thread.currentThread().isInterrupted()) throw new InterruptedIOException("interrupted");
                pfd.set(JAVA_INT, 0, fd);
                pfd.set(JAVA_SHORT, 4, POLLIN);
                pfd.set(JAVA_SHORT, 6, (short) 0);
                int ready = (int) POLL.invokeExact(cap, pfd, 1L, POLL_MILLIS);
                if (ready < 0 && errno(cap) != EINTR) throw new IOException(path + ": poll failed: errno " + errno(cap));
                if (ready <= 0) continue;
                short rev = pfd.get(JAVA_SHORT, 6);
                if ((rev & POLLNVAL) != 0) return -1;
                long n = (long) READ.invokeExact(cap, fd, buf, (long) len);
                if (n > 0) {
                    MemorySegment.copy(buf, JAVA_BYTE, 0, b, off, (int) n);
                    return (int) n;
                }
                if (n == 0) return -1;   // end of file (e.g. hang-up with CLOCAL off)
                int e = errno(cap);
                if (e == EINTR || e == EAGAIN) {
                    if ((rev & (POLLHUP | POLLERR)) != 0) throw new IOException(path + ": hung up");
                    continue;
                }
                throw new IOException(path + ": read failed: errno " + e);
            }
        } catch (IOException e) {
            throw e;
        } catch (Throwable t) {
            throw new IOException(path + ": read failed", t);
        }
    }

    void write(byte[] b, int off, int len) throws IOException {
        if (closed) throw new IOException(path + " is closed");
        try (Arena a = Arena.ofConfined()) {
            MemorySegment cap = a.allocate(CAPTURE);
            MemorySegment buf = a.allocate(Math.max(1, len));
            MemorySegment.copy(b, off, buf, JAVA_BYTE, 0, len);
            long done = 0;
            while (done < len) {
                long n = (long) WRITE.invokeExact(cap, fd, buf.asSlice(done), (long) (len - done));
                if (n < 0) {
                    int e = errno(cap);
                    if (e == EINTR) continue;
                    if (e == EAGAIN) { Thread.sleep(10); continue; }
                    throw new IOException(path + ": write failed: errno " + e);
                }
                done += n;
            }
        } catch (IOException e) {
            throw e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted");
        } catch (Throwable t) {
            throw new IOException(path + ": write failed", t);
        }
    }

    InputStream input() {
        return new InputStream() {
            @Override public int read() throws IOException {
                byte[] one = new byte[1];
                int n = TtyDevice.this.read(one, 0, 1);
                return n < 0 ? -1 : one[0] & 0xff;
            }

            @Override public int read(byte[] b, int off, int len) throws IOException { return TtyDevice.this.read(b, off, len); }

            @Override public void close() { TtyDevice.this.close(); }
        };
    }

    OutputStream output() {
        return new OutputStream() {
            @Override public void write(int b) throws IOException { TtyDevice.this.write(new byte[] {(byte) b}, 0, 1); }

            @Override public void write(byte[] b, int off, int len) throws IOException { TtyDevice.this.write(b, off, len); }

            @Override public void close() { TtyDevice.this.close(); }
        };
    }

    @Override public synchronized void close() {
        if (closed) return;
        closed = true;
        // Give a reader inside read() time to see the flag before the descriptor number can be reused.
        try {
            Thread.sleep(POLL_MILLIS + 50);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            int ignored = (int) CLOSE.invokeExact(fd);
        } catch (Throwable t) {
            // nothing useful to do
        }
    }
}
