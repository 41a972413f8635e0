// The appliance's own address path: a TAP device whose kernel side carries the appliance's IP addresses (set by
// HostInterfaceSetup). Frames the pipeline finds addressed to the appliance are written here, and frames the kernel
// stack sends (IKE, management, ARP/ND replies) are read here and sent out of a NIC port.
//
// /dev/net/tun is driven with libc through FFM; reads and writes copy through native buffers preallocated per
// device, so nothing is allocated per frame.
package bitw.bridge.io;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

/**
 * A TAP device (Ethernet frames, no packet-information header). One thread reads; writes may come from several
 * threads; {@link #close} from any thread unblocks the reader. The interface disappears when the device is closed.
 */
public final class TapDevice implements AutoCloseable {
    private static final long TUNSETIFF = 0x400454caL;   // _IOW('T', 202, int)
    private static final short IFF_TAP = 0x0002, IFF_NO_PI = 0x1000;
    private static final int IFNAMSIZ = 16, IFREQ_SIZE = 40;
    /** Largest frame the kernel hands a TAP without offloads is MTU + 14; 64 KiB covers any MTU. */
    private static final int FRAME_BUFFER = 65536 + 14;
    private static final int POLL_MILLIS = 100;

    private final String name;
    private final int fd;
    private final int wakeFd;
    // An automatic arena: its segments need no per-access liveness checks (a shared arena's atomic acquire/release
    // on every native call was the top hot spot); the memory goes with the port object.
    private final Arena arena = Arena.ofAuto();
    private final MemorySegment readBuffer, readCapture, pollFds;
    private final MemorySegment writeBuffer, writeCapture;
    private final MemorySegment wakeValue, wakeCapture;
    private final Object writeLock = new Object();   // same reasoning as PcapPort's sendLock
    private final AtomicInteger inFlight = new AtomicInteger();
    private volatile boolean closed;

    private TapDevice(String name, int fd, int wakeFd) {
        this.name = name;
        this.fd = fd;
        this.wakeFd = wakeFd;
        readBuffer = arena.allocate(FRAME_BUFFER, 16);
        writeBuffer = arena.allocate(FRAME_BUFFER, 16);
        readCapture = Libc.allocateCapture(arena);
        writeCapture = Libc.allocateCapture(arena);
        wakeCapture = Libc.allocateCapture(arena);
        wakeValue = arena.allocate(8, 8);
        pollFds = Libc.allocatePollFds(arena, 2);
        Libc.setPollFd(pollFds, 0, fd, Libc.POLLIN);
        Libc.setPollFd(pollFds, 1, wakeFd, Libc.POLLIN);
    }

    /** Creates TAP interface {@code name} (1-15 characters); it appears down and unconfigured. */
    public static TapDevice create(String name) throws PortException {
        byte[] nameBytes = name.getBytes(StandardCharsets.US_ASCII);
        if (nameBytes.length == 0 || nameBytes.length >= IFNAMSIZ || name.indexOf('/') >= 0)
            throw new PortException("invalid TAP interface name '" + name + "'");
        try (Arena setup = Arena.ofConfined()) {
            MemorySegment capture = Libc.allocateCapture(setup);
            int fd = (int) Libc.OPEN.invokeExact(capture, setup.allocateFrom("/dev/net/tun"),
                    Libc.O_RDWR | Libc.O_CLOEXEC, 0);
            if (fd < 0)
                throw new PortException("cannot open /dev/net/tun for TAP " + name + ": "
                        + Libc.errnoName(Libc.errno(capture)));
            MemorySegment ifreq = setup.allocate(IFREQ_SIZE, 8);
            MemorySegment.copy(nameBytes, 0, ifreq, JAVA_BYTE, 0, nameBytes.length);
            ifreq.set(JAVA_SHORT, IFNAMSIZ, (short) (IFF_TAP | IFF_NO_PI));
            int rc = (int) Libc.IOCTL.invokeExact(capture, fd, TUNSETIFF, ifreq);
            if (rc < 0) {
                int errno = Libc.errno(capture);
                Libc.close(fd);
                throw new PortException("cannot create TAP " + name + " (ioctl TUNSETIFF): " + Libc.errnoName(errno)
                        + (errno == 16 ? " (an interface of that name exists and is not this kind of TAP)" : ""));
            }
            int wakeFd = Libc.eventFd();
            if (wakeFd < 0) {
                Libc.close(fd);
                throw new PortException("cannot create the wake-up eventfd for TAP " + name);
            }
            // The kernel writes back the name it used.
            String actual = ifreq.getString(0, StandardCharsets.US_ASCII);
            return new TapDevice(actual, fd, wakeFd);
        } catch (PortException e) {
            throw e;
        } catch (Throwable t) {
            throw new PortException("cannot create TAP " + name + ": " + t, t);
        }
    }

    /**
     * Blocks until the kernel sends a frame and copies it to {@code buf[off..]}; returns its length, or -1 once the
     * device is closed or broken. Frames longer than {@code max} are dropped (the next one is awaited).
     */
    public int read(byte[] buf, int off, int max) {
        Objects.checkFromIndexSize(off, max, buf.length);
        if (!enter()) return -1;
        try {
            while (!closed) {
                int ready;
                try {
                    ready = (int) Libc.POLL.invokeExact(pollFds, 2L, POLL_MILLIS);
                } catch (Throwable t) {
                    return -1;
                }
                if (closed) return -1;
                if (ready <= 0 || Libc.revents(pollFds, 0) == 0) continue;   // timeout or EINTR
                long n;
                try {
                    n = (long) Libc.READ.invokeExact(readCapture, fd, readBuffer, (long) FRAME_BUFFER);
                } catch (Throwable t) {
                    return -1;
                }
                if (n < 0) {
                    int errno = Libc.errno(readCapture);
                    if (errno == 4 || errno == 11) continue;   // EINTR, EAGAIN
                    return -1;
                }
                if (n == 0 || n > max) continue;
                MemorySegment.copy(readBuffer, JAVA_BYTE, 0, buf, off, (int) n);
                return (int) n;
            }
            return -1;
        } finally {
            exit();
        }
    }

    /** Hands one frame to the kernel stack; false if the kernel refuses it (e.g. the interface is down). */
    public boolean write(byte[] buf, int off, int len) {
        Objects.checkFromIndexSize(off, len, buf.length);
        if (len > FRAME_BUFFER || !enter()) return false;
        try {
            synchronized (writeLock) {
                MemorySegment.copy(buf, off, writeBuffer, JAVA_BYTE, 0, len);
                try {
                    return (long) Libc.WRITE.invokeExact(writeCapture, fd, writeBuffer, (long) len) == len;
                } catch (Throwable t) {
                    return false;
                }
            }
        } finally {
            exit();
        }
    }

    public String name() { return name; }

    /** Wakes a blocked reader, waits for calls in progress, then closes the descriptor (removing the interface). */
    @Override
    public void close() {
        synchronized (writeLock) {
            if (closed) return;
            closed = true;
        }
        Libc.signal(wakeFd, wakeValue, wakeCapture);
        while (inFlight.get() != 0) {
            Thread.onSpinWait();
            Thread.yield();
        }
        Libc.close(fd);
        Libc.close(wakeFd);
    }

    private boolean enter() {
        inFlight.getAndIncrement();
        if (closed) {
            inFlight.getAndDecrement();
            return false;
        }
        return true;
    }

    private void exit() { inFlight.getAndDecrement(); }
}
