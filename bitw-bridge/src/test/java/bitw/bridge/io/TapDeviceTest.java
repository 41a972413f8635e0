// Specification of TapDevice with HostInterfaceSetup on its kernel side (needs root: tag netns). The TAP is created
// in the JVM's namespace and moved into a throwaway namespace, so its addresses and routes touch nothing else; the
// open descriptor keeps working across the move. A ping written into the TAP is answered by the kernel through it.
package bitw.bridge.io;

import bitw.bridge.io.HostInterfaceSetup.InterfaceAddress;
import bitw.ipsec.packet.IpAddress;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Tag("netns")
class TapDeviceTest {
    private static final AtomicInteger NEXT = new AtomicInteger();
    private static final byte[] TAP_MAC = {0x02, 0, 0, 0, 0x01, 0x01};
    private static final byte[] PEER_MAC = {0x02, 0, 0, 0, 0x01, 0x02};
    private static final byte[] TAP_IP = {(byte) 192, 0, 2, 1}, PEER_IP = {(byte) 192, 0, 2, 2};

    private String tapName, namespace;
    private TapDevice tap;

    @BeforeEach
    void createTap() throws Exception {
        int n = NEXT.getAndIncrement();
        tapName = "btt" + ProcessHandle.current().pid() + "x" + n;
        tap = TapDevice.create(tapName);
    }

    @AfterEach
    void removeTapAndNamespace() throws Exception {
        if (tap != null) tap.close();
        if (namespace != null) HostInterfaceSetup.run("ip", "netns", "del", namespace);
    }

    private HostInterfaceSetup inNamespace() throws Exception {
        namespace = "btns" + ProcessHandle.current().pid() + "x" + NEXT.getAndIncrement();
        HostInterfaceSetup.run("ip", "netns", "add", namespace);
        HostInterfaceSetup.run("ip", "link", "set", "dev", tapName, "netns", namespace);
        return new HostInterfaceSetup(List.of("ip", "-n", namespace), "ethtool", Path.of("/proc/sys"));
    }

    @Test
    void createsTheNamedInterfaceAndRemovesItOnClose() {
        assertEquals(tapName, tap.name());
        assertTrue(Files.exists(Path.of("/sys/class/net", tapName)));
        tap.close();
        assertFalse(Files.exists(Path.of("/sys/class/net", tapName)));
    }

    @Test
    void refusesAnInvalidName() {
        PortException e = assertThrows(PortException.class, () -> TapDevice.create("a-name-far-too-long-for-linux"));
        assertTrue(e.getMessage().contains("a-name-far-too-long-for-linux"), e.getMessage());
    }

    @Test
    void closeFromAnotherThreadEndsABlockedReadPromptly() throws Exception {
        AtomicInteger result = new AtomicInteger(Integer.MIN_VALUE);
        long[] endedAt = new long[1];
        Thread reader = Thread.ofPlatform().start(() -> {
            result.set(tap.read(new byte[2048], 0, 2048));   // the TAP is down: nothing arrives
            endedAt[0] = System.nanoTime();
        });
        Thread.sleep(300);
        assertTrue(reader.isAlive(), "read blocks while nothing arrives");
        long closedAt = System.nanoTime();
        tap.close();
        reader.join(2000);
        assertFalse(reader.isAlive());
        assertEquals(-1, result.get());
        assertTrue((endedAt[0] - closedAt) / 1_000_000 < 50, "read returned promptly after close");
        assertEquals(-1, tap.read(new byte[64], 0, 64));
        assertFalse(tap.write(new byte[64], 0, 64));
    }

    @Test
    void configuresMacMtuAddressesAndDefaultRoutesOnTheKernelSide() throws Exception {
        HostInterfaceSetup setup = inNamespace();
        setup.configureOwnAddress(tapName, "02:00:00:00:01:01", 1400,
                List.of(InterfaceAddress.parse("192.0.2.1/24"), InterfaceAddress.parse("2001:db8::1/64")),
                List.of(IpAddress.parse("192.0.2.254"), IpAddress.parse("2001:db8::fe")));
        String link = Commands.output("ip", "-n", namespace, "link", "show", "dev", tapName);
        assertTrue(link.contains("mtu 1400") && link.contains("link/ether 02:00:00:00:01:01") && link.contains(",UP"), link);
        String v4 = Commands.output("ip", "-n", namespace, "-4", "addr", "show", "dev", tapName);
        assertTrue(v4.contains("inet 192.0.2.1/24"), v4);
        String v6 = Commands.output("ip", "-n", namespace, "-6", "addr", "show", "dev", tapName);
        String global = v6.lines().filter(l -> l.contains("inet6 2001:db8::1/64")).findFirst().orElse("");
        assertTrue(!global.isEmpty() && !global.contains("tentative"), "usable at once (nodad): " + v6);
        String routes4 = Commands.output("ip", "-n", namespace, "-4", "route", "show", "default");
        assertTrue(routes4.contains("default via 192.0.2.254 dev " + tapName), routes4);
        String routes6 = Commands.output("ip", "-n", namespace, "-6", "route", "show", "default");
        assertTrue(routes6.contains("default via 2001:db8::fe dev " + tapName), routes6);
    }

    @Test
    void kernelAnswersAPingWrittenIntoTheTapThroughTheTap() throws Exception {
        HostInterfaceSetup setup = inNamespace();
        setup.configureOwnAddress(tapName, "02:00:00:00:01:01", 1500,
                List.of(InterfaceAddress.parse("192.0.2.1/24")), List.of());
        BlockingQueue<byte[]> fromKernel = new LinkedBlockingQueue<>();
        Thread reader = Thread.ofPlatform().start(() -> {
            byte[] buf = new byte[2048];
            int n;
            while ((n = tap.read(buf, 0, buf.length)) >= 0) fromKernel.add(Arrays.copyOf(buf, n));
        });

        byte[] payload = new byte[32];
        for (int i = 0; i < payload.length; i++) payload[i] = (byte) (0xa0 + i);
        byte[] request = echoRequest(0x4242, 1, payload);
        assertTrue(tap.write(request, 0, request.length), "kernel accepts the frame");

        byte[] reply = null;
        boolean answeredArp = false;
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (reply == null && System.nanoTime() < deadline) {
            byte[] f = fromKernel.poll(100, TimeUnit.MILLISECONDS);
            if (f == null) continue;
            if (isArpRequestFor(f, PEER_IP)) {
                byte[] arpReply = arpReply(f);
                assertTrue(tap.write(arpReply, 0, arpReply.length));
                answeredArp = true;
            } else if (isIcmpEchoReply(f)) {
                reply = f;
            }
        }
        tap.close();
        reader.join(2000);

        assertTrue(answeredArp, "the kernel asked for the peer's MAC through the TAP");
        assertNotNull(reply, "the kernel's echo reply came out of the TAP");
        assertArrayEquals(PEER_MAC, Arrays.copyOfRange(reply, 0, 6), "to the peer");
        assertArrayEquals(TAP_MAC, Arrays.copyOfRange(reply, 6, 12), "from the configured MAC");
        assertArrayEquals(TAP_IP, Arrays.copyOfRange(reply, 26, 30));
        assertArrayEquals(PEER_IP, Arrays.copyOfRange(reply, 30, 34));
        assertEquals(0, checksum(reply, 14, 20), "IPv4 header checksum");
        int ihl = (reply[14] & 0x0f) * 4, icmp = 14 + ihl, icmpLen = u16(reply, 16) - ihl;
        assertEquals(0, checksum(reply, icmp, icmpLen), "ICMP checksum");
        assertEquals(0x4242, u16(reply, icmp + 4));
        assertEquals(1, u16(reply, icmp + 6));
        assertArrayEquals(payload, Arrays.copyOfRange(reply, icmp + 8, icmp + 8 + payload.length));
    }

    @Test
    void framesCrossBothWaysIntactAndWithoutAllocationAfterWarmUp() throws Exception {
        // A PcapPort on the TAP's kernel side closes the loop: TAP write -> port receive, port send -> TAP read.
        new HostInterfaceSetup().preparePort(tapName);   // up, bare, no IPv6 chatter
        var threads = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        Thread watchdog = Thread.ofPlatform().daemon().start(() -> {
            try { Thread.sleep(30_000); tap.close(); } catch (InterruptedException e) { /* test finished */ }
        });
        try (PcapPort port = PcapPort.open(tapName)) {
            byte[] out = new byte[2048], in = new byte[2048];
            assertEquals(20_000, roundTrips(port, out, in, 20_000), "warm-up round trips");
            // Best of up to five rounds: on a loaded machine the JIT may still be compiling during the first
            // (interpreted FFM calls allocate); a real per-frame allocation shows in every round.
            long allocated = Long.MAX_VALUE;
            for (int round = 0; round < 5 && allocated > 0; round++) {
                long before = threads.getCurrentThreadAllocatedBytes();
                int intact = roundTrips(port, out, in, 10_000);
                allocated = Math.min(allocated, threads.getCurrentThreadAllocatedBytes() - before);
                assertEquals(10_000, intact);
            }
            assertEquals(0, allocated, "bytes allocated over 10k TAP writes and reads");
        } finally {
            watchdog.interrupt();
        }
    }

    /** Frames into the TAP and back out through the port on its kernel side; returns how many came back intact. */
    private int roundTrips(PcapPort port, byte[] out, byte[] in, int count) {
        int intact = 0;
        for (int seq = 0; seq < count; seq++) {
            int len = TestFrames.lengthFor(seq);
            TestFrames.build(out, 6, seq, len);
            if (!tap.write(out, 0, len)) return intact;
            int n;
            do { n = port.receive(in, 0, in.length); } while (n == 0 || (n > 0 && !TestFrames.isTestFrame(in, n)));
            if (n != len || TestFrames.seq(in) != seq || !TestFrames.intact(in, n)) return intact;
            if (!port.send(in, 0, n)) return intact;
            do { n = tap.read(out, 0, out.length); } while (n > 0 && !TestFrames.isTestFrame(out, n));
            if (n != len || TestFrames.seq(out) != seq || !TestFrames.intact(out, n)) return intact;
            intact++;
        }
        return intact;
    }

    // ---- frames the test plays the peer with ---------------------------------------------------------

    private static byte[] echoRequest(int id, int seq, byte[] payload) {
        int icmpLen = 8 + payload.length, ipLen = 20 + icmpLen;
        byte[] f = new byte[14 + ipLen];
        System.arraycopy(TAP_MAC, 0, f, 0, 6);
        System.arraycopy(PEER_MAC, 0, f, 6, 6);
        put16(f, 12, 0x0800);
        f[14] = 0x45;
        put16(f, 16, ipLen);
        put16(f, 18, 0x1234);
        put16(f, 20, 0x4000);   // DF
        f[22] = 64;
        f[23] = 1;              // ICMP
        System.arraycopy(PEER_IP, 0, f, 26, 4);
        System.arraycopy(TAP_IP, 0, f, 30, 4);
        put16(f, 24, checksum(f, 14, 20));
        int icmp = 34;
        f[icmp] = 8;            // echo request
        put16(f, icmp + 4, id);
        put16(f, icmp + 6, seq);
        System.arraycopy(payload, 0, f, icmp + 8, payload.length);
        put16(f, icmp + 2, checksum(f, icmp, icmpLen));
        return f;
    }

    private static boolean isArpRequestFor(byte[] f, byte[] ip) {
        return f.length >= 42 && u16(f, 12) == 0x0806 && u16(f, 20) == 1
                && Arrays.equals(f, 38, 42, ip, 0, 4);
    }

    private static byte[] arpReply(byte[] request) {
        byte[] f = new byte[42];
        System.arraycopy(request, 22, f, 0, 6);    // to the asker's MAC
        System.arraycopy(PEER_MAC, 0, f, 6, 6);
        put16(f, 12, 0x0806);
        put16(f, 14, 1);                           // Ethernet
        put16(f, 16, 0x0800);                      // IPv4
        f[18] = 6;
        f[19] = 4;
        put16(f, 20, 2);                           // reply
        System.arraycopy(PEER_MAC, 0, f, 22, 6);
        System.arraycopy(PEER_IP, 0, f, 28, 4);
        System.arraycopy(request, 22, f, 32, 10);  // target: the asker's MAC and IP
        return f;
    }

    private static boolean isIcmpEchoReply(byte[] f) {
        return f.length >= 42 && u16(f, 12) == 0x0800 && f[23] == 1 && f[14 + (f[14] & 0x0f) * 4] == 0;
    }

    /** RFC 1071 Internet checksum; 0 over a region that includes a correct checksum field. */
    private static int checksum(byte[] b, int off, int len) {
        long sum = 0;
        for (int i = 0; i + 1 < len; i += 2) sum += u16(b, off + i);
        if ((len & 1) != 0) sum += (b[off + len - 1] & 0xff) << 8;
        while ((sum >>> 16) != 0) sum = (sum & 0xffff) + (sum >>> 16);
        return (int) (~sum & 0xffff);
    }

    private static int u16(byte[] b, int off) { return ((b[off] & 0xff) << 8) | (b[off + 1] & 0xff); }

    private static void put16(byte[] b, int off, int v) { b[off] = (byte) (v >>> 8); b[off + 1] = (byte) v; }
}
