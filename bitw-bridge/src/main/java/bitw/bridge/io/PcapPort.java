// One NIC port of the bump in the wire: raw Ethernet frames in and out through libpcap. It is the first and last
// stage of both directions (port receive -> pipeline -> other port send); the TAP device is the appliance's own
// address path and is separate.
//
// Pcap4J opens and configures the capture (promiscuous, immediate mode, snaplen 65536, 32 MiB buffer, direction
// IN so the port does not see its own injected frames), but its receive calls allocate per frame, so the hot path
// takes the native pcap_t* out of the Pcap4J handle and calls libpcap through FFM. A frame is copied once on the
// way in (ring slot -> the caller's buffer, which has headroom for the headers the pipeline prepends) and never on
// the way out: pcap_sendpacket reads the caller's byte[] directly (a critical downcall with heap access).
//
// The ports carry no IP configuration and are not enslaved to a kernel bridge: the appliance, not the kernel,
// decides what crosses. HostInterfaceSetup#preparePort brings a port up with IPv6 disabled, no addresses, ARP off,
// IPv4 forwarding off for it and offloads off (so captures see wire-sized frames); never add a port to a bridge.
// Prepare a port before opening it: libpcap sizes each ring slot from the MTU when offloads are off (~1.6 KB, so
// the 32 MiB ring holds ~20k frames) but 64 KiB when they are on (~500 frames).
package bitw.bridge.io;

import com.sun.jna.Pointer;
import org.pcap4j.core.PcapHandle;
import org.pcap4j.core.PcapNativeException;
import org.pcap4j.core.PcapNetworkInterface;
import org.pcap4j.core.Pcaps;
import org.pcap4j.packet.namednumber.DataLinkType;
import org.tinylog.Logger;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.lang.reflect.Field;
import java.util.Objects;

import static bitw.bridge.io.Libc.ALL;
import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * A NIC port. One thread calls {@link #receive}; {@link #send} may be called from several threads (the other
 * direction's pipeline and the TAP reader); {@link #breakLoop}, {@link #stats} and {@link #close} from any thread.
 *
 * <p>Frames longer than the caller's buffer, or cut by the snapshot length, are dropped and counted
 * ({@link Stats#oversizeDropped}), never truncated: a truncated frame would be forwarded corrupt.
 */
public final class PcapPort implements AutoCloseable {
    public static final int SNAPLEN = 65536;
    public static final int BUFFER_BYTES = 32 << 20;
    public static final int READ_TIMEOUT_MILLIS = 100;

    /** Counters of one port; kernel figures come from pcap_stats (ps_drop: ring full; ps_ifdrop: NIC/driver). */
    public record Stats(long received, long sent, long sendFailed, long oversizeDropped,
                        long kernelDropped, long interfaceDropped) {}

    // struct pcap_pkthdr on LP64: struct timeval (16 bytes), bpf_u_int32 caplen, bpf_u_int32 len.
    private static final long CAPLEN_OFFSET = 16, WIRE_LEN_OFFSET = 20;

    private static final MethodHandle PCAP_NEXT_EX, PCAP_SENDPACKET, PCAP_STATS, PCAP_GET_SELECTABLE_FD;
    static {
        SymbolLookup pcap = libpcap();
        Linker linker = Linker.nativeLinker();
        // pcap_t* is passed as a long: it is what Pointer.nativeValue gives, and needs no segment per call.
        // Critical downcalls skip the thread-state transitions around the call (no safepoint can start while they
        // run): only for calls that never block. pcap_next_ex is non-blocking here (we wait in poll()), and
        // pcap_sendpacket's send() on a non-blocking packet socket returns at once. With heap access, the frame's
        // byte[] is passed to pcap_sendpacket in place instead of being copied to native memory first.
        PCAP_NEXT_EX = linker.downcallHandle(find(pcap, "pcap_next_ex"),
                FunctionDescriptor.of(JAVA_INT, JAVA_LONG, ADDRESS, ADDRESS), Linker.Option.critical(false));
        PCAP_SENDPACKET = linker.downcallHandle(find(pcap, "pcap_sendpacket"),
                FunctionDescriptor.of(JAVA_INT, JAVA_LONG, ADDRESS, JAVA_INT), Linker.Option.critical(true));
        PCAP_STATS = linker.downcallHandle(find(pcap, "pcap_stats"),
                FunctionDescriptor.of(JAVA_INT, JAVA_LONG, ADDRESS));
        PCAP_GET_SELECTABLE_FD = linker.downcallHandle(find(pcap, "pcap_get_selectable_fd"),
                FunctionDescriptor.of(JAVA_INT, JAVA_LONG));
    }

    // The per-frame state of the receiving thread and of the senders (calls in flight, counters) lives in two
    // lanes of one array, 128 bytes apart and 64 bytes from its ends: they are different threads on different
    // cores, and fields both wrote per frame would bounce one cache line between them. Counters are single-writer
    // (the receive thread, or holders of sendLock); opaque access lets stats() read them from another thread
    // without tearing and without a fence on the hot path. In-flight counts are atomic (see enter/exit).
    private static final VarHandle LANE = MethodHandles.arrayElementVarHandle(long[].class);
    private static final int RX = 8, TX = 24;                       // lane starts
    private static final int IN_FLIGHT = 0, FRAMES = 1, DROPPED = 2; // RX: received, oversize; TX: sent, failed
    private final long[] lanes = new long[TX + 16];

    private final String name;
    private final int waitMillis;
    private final PcapHandle handle;
    private final long pcap;
    // An automatic arena: its segments need no per-access liveness checks (a shared arena's atomic acquire/release
    // on every native call was the top hot spot); the memory goes with the port object.
    private final Arena arena = Arena.ofAuto();
    private final MemorySegment headerSlot, dataSlot;   // pcap_next_ex out-parameters
    private final MemorySegment pollFds;                // [0] capture fd, [1] wake eventfd
    private final MemorySegment statBuffer;             // struct pcap_stat: ps_recv, ps_drop, ps_ifdrop
    private final MemorySegment wakeValue, wakeCapture;   // for signal: any thread, under TX
    private final MemorySegment drainValue, drainCapture; // for drain: the receiving thread
    private final int wakeFd;

    // Serialises senders (the other direction's pipeline and the TAP reader) on libpcap's handle and the send
    // counters; a monitor because the syscall (~1-2 µs) dwarfs an uncontended lock (~20 ns), contention is rare
    // (the TAP path is light), and unlike ReentrantLock it allocates no queue node on the Java heap when contended.
    private final Object sendLock = new Object();
    private static final int SEGMENT_SLOTS = 64;
    private final MemorySegment[] segments = new MemorySegment[SEGMENT_SLOTS];
    private final byte[][] segmentArrays = new byte[SEGMENT_SLOTS][];
    private final int[] segmentOffsets = new int[SEGMENT_SLOTS];

    private volatile boolean stopped;   // breakLoop, close or a capture error: receive returns -1 from now on
    private volatile boolean closed;

    private long kernelDropped, interfaceDropped;   // last pcap_stats figures, guarded by statBuffer

    private PcapPort(String name, PcapHandle handle, long pcap, int captureFd, int waitMillis) throws PortException {
        this.name = name;
        this.waitMillis = waitMillis;
        this.handle = handle;
        this.pcap = pcap;
        headerSlot = arena.allocate(ADDRESS);
        dataSlot = arena.allocate(ADDRESS);
        statBuffer = arena.allocate(16, 8);
        wakeValue = arena.allocate(JAVA_LONG);
        wakeCapture = Libc.allocateCapture(arena);
        drainValue = arena.allocate(JAVA_LONG);
        drainCapture = Libc.allocateCapture(arena);
        wakeFd = Libc.eventFd();
        if (wakeFd < 0) {
            throw new PortException("cannot create the wake-up eventfd for port " + name);
        }
        pollFds = Libc.allocatePollFds(arena, 2);
        Libc.setPollFd(pollFds, 0, captureFd, Libc.POLLIN);
        Libc.setPollFd(pollFds, 1, wakeFd, Libc.POLLIN);
    }

    /** Opens NIC port {@code ifName}; it must exist, be up and be Ethernet. */
    public static PcapPort open(String ifName) throws PortException {
        return open(ifName, READ_TIMEOUT_MILLIS);
    }

    /** As {@link #open(String)}, with {@code receive} waiting up to {@code waitMillis} for a frame (tests). */
    static PcapPort open(String ifName, int waitMillis) throws PortException {
        PcapNetworkInterface nif;
        try {
            nif = Pcaps.getDevByName(ifName);
        } catch (PcapNativeException e) {
            throw new PortException("cannot look up interface " + ifName + ": " + e.getMessage(), e);
        }
        if (nif == null) throw new PortException("interface " + ifName + " does not exist");
        if (!nif.isUp()) throw new PortException("interface " + ifName + " is down; bring it up before opening it");
        PcapHandle handle;
        try {
            handle = new PcapHandle.Builder(ifName)
                    .promiscuousMode(PcapNetworkInterface.PromiscuousMode.PROMISCUOUS)
                    .immediateMode(true)
                    .snaplen(SNAPLEN)
                    .bufferSize(BUFFER_BYTES)
                    .timeoutMillis(READ_TIMEOUT_MILLIS)
                    .build();
        } catch (PcapNativeException e) {
            throw new PortException("cannot open interface " + ifName + ": " + e.getMessage(), e);
        }
        try {
            if (handle.getDlt() != DataLinkType.EN10MB)
                throw new PortException("interface " + ifName + " is not Ethernet (link type " + handle.getDlt() + ")");
            handle.setDirection(PcapHandle.PcapDirection.IN);
            // In blocking immediate mode libpcap 1.10 never returns from pcap_next_ex on an idle link (its poll loop
            // ignores the read timeout), so the port is non-blocking and waits in its own poll() with a timeout.
            handle.setBlockingMode(PcapHandle.BlockingMode.NONBLOCKING);
            long pcap = nativeHandle(handle);
            int fd = (int) PCAP_GET_SELECTABLE_FD.invokeExact(pcap);
            if (fd < 0) throw new PortException("interface " + ifName + " has no selectable capture descriptor");
            // libpcap's setdirection(IN) filters our own sends in user space only; this stops the kernel from copying
            // every frame we inject back into this socket's ring (Linux ≥ 4.20).
            if (!Libc.setIntOption(fd, Libc.SOL_PACKET, Libc.PACKET_IGNORE_OUTGOING, 1))
                org.tinylog.Logger.debug("PACKET_IGNORE_OUTGOING not available on {}; own frames are filtered in user space", ifName);
            // libpcap's non-blocking mode only changes how it waits for the ring; the socket itself must not block
            // either, or a send on a congested NIC (socket buffer full) would stall the critical pcap_sendpacket.
            // Now such a send fails at once and is counted (a full link drops, as a router's would).
            if (!Libc.setNonBlocking(fd))
                throw new PortException("cannot make the capture socket of " + ifName + " non-blocking");
            return new PcapPort(ifName, handle, pcap, fd, waitMillis);
        } catch (PortException e) {
            handle.close();
            throw e;
        } catch (Throwable e) {
            handle.close();
            throw new PortException("cannot set up capture on interface " + ifName + ": " + e, e);
        }
    }

    /**
     * Copies the next frame into {@code buf[off..]}. Returns its length; 0 if none arrived within the read timeout
     * (or the one that arrived was too long and was dropped and counted); -1 once the port is closed, stopped by
     * {@link #breakLoop} or broken by a capture error. Allocates nothing.
     */
    public int receive(byte[] buf, int off, int maxLen) {
        Objects.checkFromIndexSize(off, maxLen, buf.length);
        if (stopped || !enter(RX)) return -1;
        try {
            int rc = nextEx();
            if (rc == 0) {
                if (!awaitFrame()) return stopped ? -1 : 0;
                rc = nextEx();
            }
            if (rc == 1) return deliver(buf, off, maxLen);
            if (rc == 0) return 0;
            return broken(rc);
        } finally {
            exit(RX);
        }
    }

    private int nextEx() {
        try {
            return (int) PCAP_NEXT_EX.invokeExact(pcap, headerSlot, dataSlot);
        } catch (Throwable t) {
            return -1;
        }
    }

    /** Waits for the capture descriptor or the wake-up eventfd; true if a frame may be ready. */
    private boolean awaitFrame() {
        int rc;
        try {
            rc = (int) Libc.POLL.invokeExact(pollFds, 2L, waitMillis);
        } catch (Throwable t) {
            return false;
        }
        if (rc > 0 && !stopped && Libc.revents(pollFds, 1) != 0) Libc.drain(wakeFd, drainValue, drainCapture);
        return rc > 0 && !stopped && Libc.revents(pollFds, 0) != 0;
    }

    private int deliver(byte[] buf, int off, int maxLen) {
        long header = headerSlot.get(JAVA_LONG, 0);
        int capLen = ALL.get(JAVA_INT, header + CAPLEN_OFFSET);
        int wireLen = ALL.get(JAVA_INT, header + WIRE_LEN_OFFSET);
        if (capLen != wireLen || capLen > maxLen) {
            count(RX + DROPPED);
            return 0;
        }
        MemorySegment.copy(ALL, JAVA_BYTE, dataSlot.get(JAVA_LONG, 0), buf, off, capLen);
        count(RX + FRAMES);
        return capLen;
    }

    /** Kernel receive time of the frame the last successful {@link #receive} returned, in µs since the epoch (measurements). */
    long lastFrameMicros() {
        long header = headerSlot.get(JAVA_LONG, 0);
        return ALL.get(JAVA_LONG, header) * 1_000_000L + ALL.get(JAVA_LONG, header + 8);
    }

    private int broken(int rc) {
        if (!stopped) {
            stopped = true;
            String why;
            try { why = handle.getError(); } catch (Exception e) { why = "pcap_next_ex returned " + rc; }
            Logger.warn("port {}: capture stopped: {}", name, why);
        }
        return -1;
    }

    /** Sends one frame; false (and counted) if libpcap refuses it, it exceeds {@link #SNAPLEN} or the port is closed. */
    public boolean send(byte[] buf, int off, int len) {
        Objects.checkFromIndexSize(off, len, buf.length);
        boolean entered = !closed && enter(TX);
        try {
            synchronized (sendLock) {
                boolean ok = entered && len <= SNAPLEN && sendLocked(buf, off, len);
                count(ok ? TX + FRAMES : TX + DROPPED);
                return ok;
            }
        } finally {
            if (entered) exit(TX);
        }
    }

    private boolean sendLocked(byte[] buf, int off, int len) {
        try {
            return (int) PCAP_SENDPACKET.invokeExact(pcap, frameAt(buf, off), len) == 0;
        } catch (Throwable t) {
            return false;
        }
    }

    /**
     * A heap segment from {@code buf[off]} to the end of the array. Frames leave from a few fixed buffers at a few
     * offsets (the headroom minus the headers prepended), so the segments are cached, direct-mapped by offset:
     * C2 does not scalar-replace a segment made per call here (it measured 112 bytes per frame). Guarded by sendLock.
     */
    private MemorySegment frameAt(byte[] buf, int off) {
        int slot = off & (SEGMENT_SLOTS - 1);
        MemorySegment s = segments[slot];
        if (segmentArrays[slot] != buf || segmentOffsets[slot] != off) {
            s = MemorySegment.ofArray(buf).asSlice(off);
            segments[slot] = s;
            segmentArrays[slot] = buf;
            segmentOffsets[slot] = off;
        }
        return s;
    }

    /** Makes the receiving thread's current or next {@link #receive} return -1 promptly; final (the port stays
     *  usable for sending until closed). */
    public void breakLoop() {
        stopped = true;
        if (enter(TX)) {
            try { Libc.signal(wakeFd, wakeValue, wakeCapture); } finally { exit(TX); }
        }
    }

    /** Makes the receiving thread's current or next {@link #receive} return 0 promptly (it then waits again). */
    public void wake() {
        if (stopped) return;
        if (enter(TX)) {
            try { Libc.signal(wakeFd, wakeValue, wakeCapture); } finally { exit(TX); }
        }
    }

    public String name() { return name; }

    public Stats stats() {
        synchronized (statBuffer) {
            if (enter(TX)) {
                try { readKernelStats(); } finally { exit(TX); }
            }
            return new Stats(counter(RX + FRAMES), counter(TX + FRAMES), counter(TX + DROPPED), counter(RX + DROPPED),
                    kernelDropped, interfaceDropped);
        }
    }

    private void readKernelStats() {
        try {
            if ((int) PCAP_STATS.invokeExact(pcap, statBuffer) == 0) {
                kernelDropped = Integer.toUnsignedLong(statBuffer.get(JAVA_INT, 4));
                interfaceDropped = Integer.toUnsignedLong(statBuffer.get(JAVA_INT, 8));
            }
        } catch (Throwable t) {
            // Keep the last figures.
        }
    }

    /** Stops the receiver, waits for calls in progress to leave libpcap, then frees the handle. */
    @Override
    public void close() {
        synchronized (statBuffer) {
            if (closed) return;
            readKernelStats();
            stopped = true;
            closed = true;
        }
        Libc.signal(wakeFd, wakeValue, wakeCapture);
        long deadline = System.nanoTime() + 5_000_000_000L;
        while ((long) LANE.getVolatile(lanes, RX + IN_FLIGHT) != 0 || (long) LANE.getVolatile(lanes, TX + IN_FLIGHT) != 0) {
            if (System.nanoTime() > deadline) {
                // Freeing the pcap_t under a running call would crash the JVM; leaking it is the lesser harm.
                Logger.error("port {}: a call is still inside libpcap after 5 s; handle leaked", name);
                return;
            }
            Thread.onSpinWait();
            Thread.yield();
        }
        handle.close();
        Libc.close(wakeFd);
    }

    // enter/exit bracket every native call so close() can wait for them; the increment-then-check pairs with
    // close's set-then-wait (both sequentially consistent), so no call starts on a freed handle.
    private boolean enter(int lane) {
        LANE.getAndAdd(lanes, lane + IN_FLIGHT, 1L);
        if (closed) {
            LANE.getAndAdd(lanes, lane + IN_FLIGHT, -1L);
            return false;
        }
        return true;
    }

    private void exit(int lane) { LANE.getAndAdd(lanes, lane + IN_FLIGHT, -1L); }

    private void count(int index) { LANE.setOpaque(lanes, index, (long) LANE.getOpaque(lanes, index) + 1); }

    private long counter(int index) { return (long) LANE.getOpaque(lanes, index); }

    /** The pcap_t* inside a Pcap4J handle: its one private field of type com.sun.jna.Pointer. */
    private static long nativeHandle(PcapHandle handle) throws ReflectiveOperationException {
        Field pointerField = null;
        for (Field f : PcapHandle.class.getDeclaredFields()) {
            if (f.getType() == Pointer.class) {
                if (pointerField != null) throw new NoSuchFieldException("PcapHandle has several Pointer fields");
                pointerField = f;
            }
        }
        if (pointerField == null) throw new NoSuchFieldException("PcapHandle has no Pointer field");
        pointerField.setAccessible(true);
        long address = Pointer.nativeValue((Pointer) pointerField.get(handle));
        if (address == 0) throw new IllegalStateException("PcapHandle holds a null pcap_t");
        return address;
    }

    /** The same libpcap that Pcap4J loaded through JNA (dlopen returns the already loaded library). */
    private static SymbolLookup libpcap() {
        String configured = System.getProperty("org.pcap4j.core.pcapLibName");
        String[] names = configured != null
                ? new String[] {configured}
                : new String[] {"libpcap.so.0.8", "libpcap.so.1", "libpcap.so"};
        IllegalArgumentException last = null;
        for (String n : names) {
            try {
                return SymbolLookup.libraryLookup(n, Arena.global());
            } catch (IllegalArgumentException e) {
                last = e;
            }
        }
        throw new UnsatisfiedLinkError("libpcap not found (tried " + String.join(", ", names) + "): " + last);
    }

    private static MemorySegment find(SymbolLookup lookup, String symbol) {
        return lookup.find(symbol).orElseThrow(() -> new UnsatisfiedLinkError("libpcap has no " + symbol));
    }
}
