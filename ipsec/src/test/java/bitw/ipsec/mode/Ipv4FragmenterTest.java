// Specification of IPv4 pre-fragmentation: every fragment is a valid IPv4 packet no larger than asked, and a
// plain reassembler in this test rebuilds the exact original datagram, for many sizes and MTUs.
package bitw.ipsec.mode;

import static org.junit.jupiter.api.Assertions.*;

import bitw.ipsec.packet.Bytes;
import bitw.ipsec.packet.FlowKey;
import bitw.ipsec.packet.InternetChecksum;
import bitw.ipsec.packet.IpPacketParser;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class Ipv4FragmenterTest {
    static final int HEADROOM = 64;

    /** Collects copies of the fragments and checks where they were written. */
    static final class Collector implements Ipv4Fragmenter.FragmentSink {
        final List<byte[]> fragments = new ArrayList<>();
        @Override public void fragment(byte[] buf, int off, int len) {
            assertEquals(HEADROOM, off, "fragment written after the headroom");
            assertTrue(buf.length >= off + len + Ipv4Fragmenter.TAILROOM, "tailroom left for the ESP trailer");
            fragments.add(Arrays.copyOfRange(buf, off, off + len));
        }
    }

    /** An IPv4 UDP datagram of {@code total} bytes with a payload pattern and the given options (padded by the caller). */
    static byte[] datagram(int total, byte[] options, boolean df, Random r) {
        int ihl = 20 + options.length;
        byte[] p = new byte[total];
        r.nextBytes(p);
        p[0] = (byte) (0x40 | ihl / 4);
        p[1] = (byte) 0xb8;
        Bytes.put16(p, 2, total);
        Bytes.put16(p, 4, 0x4242);
        Bytes.put16(p, 6, df ? 0x4000 : 0);
        p[8] = 33;
        p[9] = 17;
        Bytes.put16(p, 10, 0);
        Bytes.put32(p, 12, 0xc0000201);
        Bytes.put32(p, 16, 0xc6336402);
        System.arraycopy(options, 0, p, 20, options.length);
        Bytes.put16(p, 10, InternetChecksum.fold(InternetChecksum.sum(p, 0, ihl, 0)));
        return p;
    }

    /** A plain reassembler (RFC 791 §3.2 in the simplest form): header from the offset-0 fragment, data placed by offset. */
    static byte[] reassemble(List<byte[]> fragments) {
        byte[] data = new byte[65536];
        boolean[] have = new boolean[65536];
        byte[] firstHeader = null;
        int end = -1;
        for (byte[] f : fragments) {
            int ihl = (f[0] & 15) * 4, fo = Bytes.u16(f, 6);
            int off = (fo & 0x1fff) * 8, len = Bytes.u16(f, 2) - ihl;
            if (off == 0) firstHeader = Arrays.copyOf(f, ihl);
            for (int i = 0; i < len; i++) { assertFalse(have[off + i], "overlap at " + (off + i)); have[off + i] = true; data[off + i] = f[ihl + i]; }
            if ((fo & 0x2000) == 0) end = off + len;
        }
        assertNotNull(firstHeader, "no first fragment");
        assertTrue(end >= 0, "no last fragment");
        for (int i = 0; i < end; i++) assertTrue(have[i], "hole at " + i);
        byte[] out = Arrays.copyOf(firstHeader, firstHeader.length + end);
        System.arraycopy(data, 0, out, firstHeader.length, end);
        Bytes.put16(out, 2, out.length);
        Bytes.put16(out, 6, Bytes.u16(out, 6) & 0x4000);
        Bytes.put16(out, 10, 0);
        Bytes.put16(out, 10, InternetChecksum.fold(InternetChecksum.sum(out, 0, firstHeader.length, 0)));
        return out;
    }

    static void assertValidFragments(byte[] original, List<byte[]> fragments, int max) {
        FlowKey k = new FlowKey();
        for (int i = 0; i < fragments.size(); i++) {
            byte[] f = fragments.get(i);
            assertTrue(f.length <= max, "fragment of " + f.length + " > " + max);
            assertEquals(IpPacketParser.OK, IpPacketParser.parse(f, 0, f.length, k), "fragment parses with a valid checksum");
            assertEquals(f.length, k.totalLength);
            boolean last = i == fragments.size() - 1;
            boolean mf = (Bytes.u16(f, 6) & 0x2000) != 0;
            if (!last) {
                assertTrue(mf, "MF on all but the last");
                assertEquals(0, (f.length - k.headerLength) % 8, "non-last fragment data is a multiple of 8");
            }
            assertEquals(Bytes.u16(original, 4), Bytes.u16(f, 4), "identification kept");
            assertEquals(original[1], f[1], "TOS kept");
            assertEquals(original[8], f[8], "TTL kept");
            assertEquals(original[9], f[9], "protocol kept");
            assertArrayEquals(Arrays.copyOfRange(original, 12, 20), Arrays.copyOfRange(f, 12, 20), "addresses kept");
        }
    }

    @Test
    void fragmentsReassembleToTheOriginalForManySizesAndMtus() {
        Random r = new Random(5);
        Ipv4Fragmenter fragmenter = new Ipv4Fragmenter(1500, HEADROOM);
        int runs = 0;
        for (int total = 28; total <= 9000; total += 1 + r.nextInt(300)) {
            for (int mtu : new int[] {28, 68, 69, 75, 576, 577, 1280, 1400, 1438, 1500}) {
                byte[] p = datagram(total, new byte[0], false, r);
                Collector c = new Collector();
                int n = fragmenter.fragment(p, 0, p.length, mtu, c);
                assertEquals(c.fragments.size(), n);
                int effective = Math.min(mtu, 1500);
                assertTrue(n >= (total + effective - 1) / effective);
                assertValidFragments(p, c.fragments, effective);
                byte[] back = n == 1 ? c.fragments.get(0) : reassemble(c.fragments);
                assertArrayEquals(p, back, "total " + total + " mtu " + mtu);
                runs++;
            }
        }
        assertTrue(runs > 200);
    }

    @Test
    void passesAPacketThatFitsUnchangedAsOneFragment() {
        byte[] p = datagram(1000, new byte[0], true, new Random(1));
        Collector c = new Collector();
        assertEquals(1, new Ipv4Fragmenter(1500, HEADROOM).fragment(p, 0, p.length, 1000, c));
        assertArrayEquals(p, c.fragments.get(0));
    }

    @Test
    void refusesToFragmentAPacketWithDf() {
        byte[] p = datagram(1600, new byte[0], true, new Random(1));
        Collector c = new Collector();
        assertEquals(Ipv4Fragmenter.ERR_DONT_FRAGMENT, new Ipv4Fragmenter(2000, HEADROOM).fragment(p, 0, p.length, 1400, c));
        assertTrue(c.fragments.isEmpty());
    }

    @Test
    void copiesOnlyOptionsWithTheCopyFlagIntoLaterFragments_rfc791() {
        // Record route (7, not copied, 11 bytes), NOP, security (0x82, copied, 11 bytes), EOL: 24 bytes of options.
        byte[] options = Bytes.fromHex("070b040102030400000000" + "01" + "820b0000000000000078787800".substring(0, 22) + "00");
        assertEquals(24, options.length);
        byte[] p = datagram(1000, options, false, new Random(3));
        Collector c = new Collector();
        int n = new Ipv4Fragmenter(1500, HEADROOM).fragment(p, 0, p.length, 300, c);
        assertTrue(n >= 4);
        assertValidFragments(p, c.fragments, 300);
        assertArrayEquals(Arrays.copyOfRange(p, 0, 44), withLengthFlagsChecksumOf(c.fragments.get(0), p, 44), "first keeps all options");
        for (byte[] f : c.fragments.subList(1, n)) {
            assertEquals(0x48, f[0] & 0xff, "later header: 20 + 12 bytes");
            assertArrayEquals(Bytes.fromHex("820b000000000000007878" + "00"), Arrays.copyOfRange(f, 20, 32));
        }
        assertArrayEquals(p, reassemble(c.fragments));
    }

    /** The original header with the fragment's length, flags/offset and checksum, to compare the rest byte for byte. */
    private static byte[] withLengthFlagsChecksumOf(byte[] fragment, byte[] original, int ihl) {
        byte[] h = Arrays.copyOf(fragment, ihl);
        Bytes.put16(h, 2, Bytes.u16(original, 2));
        Bytes.put16(h, 6, Bytes.u16(original, 6));
        Bytes.put16(h, 10, Bytes.u16(original, 10));
        return h;
    }

    @Test
    void refragmentsAlreadyFragmentedPacketsKeepingOffsetsAndMf() {
        Random r = new Random(9);
        byte[] whole = datagram(4000, new byte[0], false, r);
        Ipv4Fragmenter fragmenter = new Ipv4Fragmenter(1500, HEADROOM);
        Collector firstPass = new Collector();
        fragmenter.fragment(whole, 0, whole.length, 1500, firstPass);
        assertEquals(3, firstPass.fragments.size());
        Collector secondPass = new Collector();
        for (byte[] f : firstPass.fragments) assertTrue(fragmenter.fragment(f, 0, f.length, 576, secondPass) >= 2);
        assertValidFragments(whole, secondPass.fragments, 576);
        long withoutMf = secondPass.fragments.stream().filter(f -> (Bytes.u16(f, 6) & 0x2000) == 0).count();
        assertEquals(1, withoutMf, "only the piece at the datagram's end has MF clear");
        assertArrayEquals(whole, reassemble(secondPass.fragments));
    }

    @Test
    void rejectsMtuThatCannotCarryEightBytesOfData() {
        byte[] p = datagram(200, new byte[0], false, new Random(1));
        assertEquals(Ipv4Fragmenter.ERR_MTU_TOO_SMALL, new Ipv4Fragmenter(1500, HEADROOM).fragment(p, 0, p.length, 27, new Collector()));
    }

    @Test
    void rejectsMalformedOptionsAndTruncatedInput() {
        byte[] bad = datagram(600, Bytes.fromHex("8232000000000000"), false, new Random(1));  // option length 50 > header
        Ipv4Fragmenter fragmenter = new Ipv4Fragmenter(1500, HEADROOM);
        assertEquals(Ipv4Fragmenter.ERR_MALFORMED, fragmenter.fragment(bad, 0, bad.length, 300, new Collector()));
        byte[] p = datagram(600, new byte[0], false, new Random(1));
        for (int len = 0; len < p.length; len++) {
            Collector c = new Collector();
            assertEquals(Ipv4Fragmenter.ERR_TRUNCATED, fragmenter.fragment(p, 0, len, 300, c), "length " + len);
            assertTrue(c.fragments.isEmpty());
        }
        byte[] v6 = p.clone();
        v6[0] = 0x65;
        assertEquals(Ipv4Fragmenter.ERR_MALFORMED, fragmenter.fragment(v6, 0, v6.length, 300, new Collector()));
    }

    @Test
    void neverThrowsOnRandomHeaders() {
        Random r = new Random(11);
        Ipv4Fragmenter fragmenter = new Ipv4Fragmenter(1500, HEADROOM);
        Ipv4Fragmenter.FragmentSink sink = (b, o, l) -> assertTrue(l <= 1500);
        for (int i = 0; i < 5000; i++) {
            byte[] p = new byte[r.nextInt(2000)];
            r.nextBytes(p);
            if (p.length > 0) p[0] = (byte) (0x40 | (p[0] & 15));
            int rc = fragmenter.fragment(p, 0, p.length, 68 + r.nextInt(1500), sink);
            assertTrue(rc >= -4 && rc != 0, "rc " + rc);
        }
    }

    @Test
    void fragmentingAllocatesNothing() {
        byte[] p = datagram(9000, new byte[0], false, new Random(1));
        Ipv4Fragmenter fragmenter = new Ipv4Fragmenter(1500, HEADROOM);
        int[] bytes = new int[1];
        Ipv4Fragmenter.FragmentSink sink = (b, o, l) -> bytes[0] += l;
        for (int i = 0; i < 2000; i++) fragmenter.fragment(p, 0, p.length, 1400, sink);
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long tid = Thread.currentThread().threadId();
        long before = threads.getThreadAllocatedBytes(tid);
        for (int i = 0; i < 5000; i++) fragmenter.fragment(p, 0, p.length, 1400, sink);
        long allocated = threads.getThreadAllocatedBytes(tid) - before;
        assertTrue(allocated < 4096, "allocated " + allocated + " bytes (" + bytes[0] + ")");
    }
}
