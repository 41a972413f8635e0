// The Internet checksum (RFC 1071): IPv4 header checksums, ICMP/ICMPv6 and UDP checksums of the
// headers the data plane writes (outer headers, ICMP errors, fragments).
package bitw.ipsec.packet;

public final class InternetChecksum {
    private InternetChecksum() {}

    /**
     * Adds {@code len} bytes as big-endian 16-bit words to {@code initial} and returns the 32-bit running sum,
     * not folded. An odd last byte counts as the high byte of a word padded with zero, so pieces of one
     * message can be chained only when every piece but the last has even length. The range must lie inside
     * {@code b}: callers checksum headers they have already bounds-checked or written.
     */
    public static int sum(byte[] b, int off, int len, int initial) {
        long s = initial & 0xffffffffL;
        int end = off + (len & ~1);
        for (int i = off; i < end; i += 2) s += Bytes.u16(b, i);
        if ((len & 1) != 0) s += (b[off + len - 1] & 0xff) << 8;
        // 2^32 is congruent to 1 modulo 0xffff, so folding the carry above bit 31 keeps the ones' complement sum.
        while ((s >>> 32) != 0) s = (s & 0xffffffffL) + (s >>> 32);
        return (int) s;
    }

    /** Folds a running sum to 16 bits and returns its ones' complement: the value to store in a checksum field. */
    public static int fold(int sum) {
        long s = sum & 0xffffffffL;
        while ((s >>> 16) != 0) s = (s & 0xffff) + (s >>> 16);
        return (int) (~s & 0xffff);
    }

    /**
     * The running sum of the pseudo-header for TCP/UDP/ICMPv6: source and destination address (4 bytes each for
     * {@link IpAddress#V4}, 16 for V6) read from {@code b}, the protocol (next header) and the upper-layer length.
     */
    public static int pseudoHeaderSum(int family, byte[] b, int srcOff, int dstOff, int protocol, int length) {
        int addrLen = family == IpAddress.V4 ? 4 : 16;
        int s = sum(b, srcOff, addrLen, 0);
        s = sum(b, dstOff, addrLen, s);
        long t = (s & 0xffffffffL) + (protocol & 0xff) + (length >>> 16) + (length & 0xffff);
        while ((t >>> 32) != 0) t = (t & 0xffffffffL) + (t >>> 32);
        return (int) t;
    }
}
