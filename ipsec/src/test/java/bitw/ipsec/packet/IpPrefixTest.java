// Specification of IpPrefix.contains at the prefix-length edges of both families, and that it allocates nothing.
package bitw.ipsec.packet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;

class IpPrefixTest {
    private static boolean contains(String prefix, String address) { return IpPrefix.parse(prefix).contains(IpAddress.parse(address)); }

    @Test
    void ipv4EdgesOfPrefixLength() {
        assertTrue(contains("0.0.0.0/0", "255.255.255.255"));
        assertTrue(contains("128.0.0.0/1", "255.0.0.1"));
        assertFalse(contains("128.0.0.0/1", "127.255.255.255"));
        assertTrue(contains("10.0.0.2/31", "10.0.0.3"));
        assertFalse(contains("10.0.0.2/31", "10.0.0.4"));
        assertTrue(contains("10.0.0.1/32", "10.0.0.1"));
        assertFalse(contains("10.0.0.1/32", "10.0.0.0"));
        assertFalse(contains("0.0.0.0/0", "::"), "other family");
    }

    @Test
    void ipv6EdgesOfPrefixLengthAroundBothHalves() {
        assertTrue(contains("::/0", "ffff::ffff"));
        assertTrue(contains("2001:db8::/63", "2001:db8:0:1:ffff::"));
        assertFalse(contains("2001:db8::/63", "2001:db8:0:2::"));
        assertTrue(contains("2001:db8::/64", "2001:db8::ffff:ffff:ffff:ffff"));
        assertFalse(contains("2001:db8::/64", "2001:db8:0:1::"));
        assertTrue(contains("2001:db8::8000:0:0:0/65", "2001:db8::ffff:0:0:1"));
        assertFalse(contains("2001:db8::8000:0:0:0/65", "2001:db8::7fff:0:0:1"));
        assertTrue(contains("2001:db8::2/127", "2001:db8::3"));
        assertTrue(contains("2001:db8::1/128", "2001:db8::1"));
        assertFalse(contains("2001:db8::1/128", "2001:db8::"));
        assertFalse(contains("::/0", "0.0.0.0"));
    }

    @Test
    void masksAgreeWithTheAllocationFreeForms() {
        for (int len = 0; len <= 128; len++) {
            long[] m = IpPrefix.masks(IpAddress.V6, len);
            assertEquals(m[0], IpPrefix.maskHi(IpAddress.V6, len));
            assertEquals(m[1], IpPrefix.maskLo(IpAddress.V6, len));
            assertEquals(len, Long.bitCount(m[0]) + Long.bitCount(m[1]));
        }
        for (int len = 0; len <= 32; len++) {
            assertEquals(0, IpPrefix.maskHi(IpAddress.V4, len));
            assertEquals(len, Long.bitCount(IpPrefix.maskLo(IpAddress.V4, len)));
            assertEquals(0, IpPrefix.maskLo(IpAddress.V4, len) >>> 32);
        }
    }

    // Measured cold as well as warm: once C2 has compiled the caller, escape analysis can hide an allocating
    // implementation, but the interpreter and C1 (what runs first, and after every deoptimisation) cannot.
    @Test
    void containsAllocatesNothingColdOrWarm() {
        IpPrefix p6 = IpPrefix.parse("2001:db8::/61"), p4 = IpPrefix.parse("10.0.0.0/8");
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        threads.getCurrentThreadAllocatedBytes();
        long before = threads.getCurrentThreadAllocatedBytes();
        int hits = probeMany(p4, p6, 2_000);
        long coldAllocated = threads.getCurrentThreadAllocatedBytes() - before;
        for (int round = 0; round < 20; round++) hits += probeMany(p4, p6, 10_000);
        before = threads.getCurrentThreadAllocatedBytes();
        hits += probeMany(p4, p6, 100_000);
        long warmAllocated = threads.getCurrentThreadAllocatedBytes() - before;
        assertTrue(hits > 0);
        assertEquals(0, coldAllocated, "bytes allocated by the first 2,000 calls");
        assertEquals(0, warmAllocated, "bytes allocated by 100,000 calls after warm-up");
    }

    private static int probeMany(IpPrefix p4, IpPrefix p6, int count) {
        int hits = 0;
        for (int i = 0; i < count; i++) hits += probe(p4, p6, i);
        return hits;
    }

    private static int probe(IpPrefix p4, IpPrefix p6, int i) {
        return (p4.contains(IpAddress.V4, 0, 0x0a000000L | i) ? 1 : 0) + (p6.contains(IpAddress.V6, 0x20010db800000000L | i, i) ? 1 : 0);
    }
}
