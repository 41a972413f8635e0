// The few libc calls the frame I/O needs (open, ioctl, read, write, close, poll, eventfd, fcntl, setsockopt),
// bound once with FFM.
// PcapPort uses poll/eventfd to wait for frames with a timeout and to be woken by breakLoop(); TapDevice uses all.
package bitw.bridge.io;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

final class Libc {
    static final int O_RDWR = 2, O_CLOEXEC = 0x80000;
    static final int EFD_NONBLOCK = 0x800, EFD_CLOEXEC = 0x80000;
    static final short POLLIN = 0x1;
    /** struct pollfd: int fd; short events; short revents. */
    static final int POLLFD_SIZE = 8;

    /** Every native address as a segment, for copying from a raw address without creating a segment per frame. */
    static final MemorySegment ALL = MemorySegment.NULL.reinterpret(Long.MAX_VALUE);

    private static final Linker LINKER = Linker.nativeLinker();
    private static final SymbolLookup LIBC = LINKER.defaultLookup();

    // errno is captured only where a failure message needs it (open, ioctl, read, write).
    private static final StructLayout CAPTURE_LAYOUT = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO =
            CAPTURE_LAYOUT.varHandle(MemoryLayout.PathElement.groupElement("errno"));
    private static final Linker.Option CAPTURE_ERRNO = Linker.Option.captureCallState("errno");

    /** int open(const char *path, int flags, ...) with the capture segment first. */
    static final MethodHandle OPEN = bind("open", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT),
            CAPTURE_ERRNO, Linker.Option.firstVariadicArg(2));
    /** int ioctl(int fd, unsigned long request, void *arg) with the capture segment first. */
    static final MethodHandle IOCTL = bind("ioctl", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, ADDRESS),
            CAPTURE_ERRNO, Linker.Option.firstVariadicArg(2));
    /** ssize_t read(int fd, void *buf, size_t n) with the capture segment first. */
    static final MethodHandle READ = bind("read", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG),
            CAPTURE_ERRNO);
    /** ssize_t write(int fd, const void *buf, size_t n) with the capture segment first. */
    static final MethodHandle WRITE = bind("write", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG),
            CAPTURE_ERRNO);
    static final MethodHandle CLOSE = bind("close", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    /** int poll(struct pollfd *fds, nfds_t n, int timeoutMillis). */
    static final MethodHandle POLL = bind("poll", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT));
    /** int eventfd(unsigned int initval, int flags). */
    static final MethodHandle EVENTFD = bind("eventfd", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT));

    /** int fcntl(int fd, int cmd, int arg). */
    static final MethodHandle FCNTL = bind("fcntl", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT),
            Linker.Option.firstVariadicArg(2));
    static final int F_GETFL = 3, F_SETFL = 4, O_NONBLOCK = 0x800;

    /** Sets O_NONBLOCK on {@code fd}; false if fcntl failed. */
    static boolean setNonBlocking(int fd) {
        try {
            int flags = (int) FCNTL.invokeExact(fd, F_GETFL, 0);
            return flags >= 0 && (int) FCNTL.invokeExact(fd, F_SETFL, flags | O_NONBLOCK) == 0;
        } catch (Throwable t) {
            return false;
        }
    }

    static final MethodHandle SETSOCKOPT = bind("setsockopt", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT));
    static final int SOL_PACKET = 263, PACKET_IGNORE_OUTGOING = 23;

    /** Sets an int socket option; returns false if the kernel refused it. */
    static boolean setIntOption(int fd, int level, int option, int value) {
        try (java.lang.foreign.Arena a = java.lang.foreign.Arena.ofConfined()) {
            java.lang.foreign.MemorySegment v = a.allocate(JAVA_INT);
            v.set(JAVA_INT, 0, value);
            return (int) SETSOCKOPT.invokeExact(fd, level, option, v, 4) == 0;
        } catch (Throwable e) {
            return false;
        }
    }

    private Libc() {}

    private static MethodHandle bind(String name, FunctionDescriptor fd, Linker.Option... options) {
        MemorySegment symbol = LIBC.find(name).orElseThrow(() -> new UnsatisfiedLinkError("libc has no " + name));
        return LINKER.downcallHandle(symbol, fd, options);
    }

    /** A segment to receive errno from the calls bound with capture. */
    static MemorySegment allocateCapture(Arena arena) { return arena.allocate(CAPTURE_LAYOUT); }

    static int errno(MemorySegment capture) { return (int) ERRNO.get(capture, 0L); }

    /** A pollfd array of {@code n} entries. */
    static MemorySegment allocatePollFds(Arena arena, int n) { return arena.allocate(POLLFD_SIZE * (long) n, 8); }

    static void setPollFd(MemorySegment fds, int index, int fd, short events) {
        fds.set(JAVA_INT, index * (long) POLLFD_SIZE, fd);
        fds.set(JAVA_SHORT, index * (long) POLLFD_SIZE + 4, events);
        fds.set(JAVA_SHORT, index * (long) POLLFD_SIZE + 6, (short) 0);
    }

    static short revents(MemorySegment fds, int index) {
        return fds.get(JAVA_SHORT, index * (long) POLLFD_SIZE + 6);
    }

    /** A non-blocking eventfd used to wake a thread blocked in poll(); -1 if it cannot be made. */
    static int eventFd() {
        try {
            return (int) EVENTFD.invokeExact(0, EFD_NONBLOCK | EFD_CLOEXEC);
        } catch (Throwable t) {
            return -1;
        }
    }

    /** Resets a signalled eventfd, so the next poll() waits again. */
    static void drain(int eventFd, MemorySegment eightBytes, MemorySegment capture) {
        try {
            long ignored = (long) READ.invokeExact(capture, eventFd, eightBytes, 8L);
        } catch (Throwable t) {
            // Still readable: the next poll() returns at once and drains again.
        }
    }

    /** Makes the eventfd readable until drained (a stop is never drained: it is final). */
    static void signal(int eventFd, MemorySegment eightBytes, MemorySegment capture) {
        eightBytes.set(JAVA_LONG, 0, 1L);
        try {
            long ignored = (long) WRITE.invokeExact(capture, eventFd, eightBytes, 8L);
        } catch (Throwable t) {
            // The poll timeout still bounds how long a reader waits.
        }
    }

    static void close(int fd) {
        if (fd < 0) return;
        try {
            int ignored = (int) CLOSE.invokeExact(fd);
        } catch (Throwable t) {
            // Nothing useful to do when close fails.
        }
    }

    static String errnoName(int errno) {
        return switch (errno) {
            case 1 -> "EPERM"; case 2 -> "ENOENT"; case 4 -> "EINTR"; case 5 -> "EIO"; case 9 -> "EBADF";
            case 11 -> "EAGAIN"; case 13 -> "EACCES"; case 16 -> "EBUSY"; case 19 -> "ENODEV"; case 22 -> "EINVAL";
            case 24 -> "EMFILE"; case 100 -> "ENETDOWN";
            default -> "errno " + errno;
        };
    }
}
