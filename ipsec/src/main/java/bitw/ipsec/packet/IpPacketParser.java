// First step of both data paths: reads an IPv4 or IPv6 packet's headers into a FlowKey (selector fields
// and the header facts encapsulation needs), validating lengths and the IPv4 header checksum on the way.
// Nothing here throws or allocates: bad packets come back as an error code the caller counts as a drop.
package bitw.ipsec.packet;

public final class IpPacketParser {
    public static final int OK = 0, ERR_TRUNCATED = -1, ERR_MALFORMED = -2;

    public static final int PROTO_HOP_BY_HOP = 0, PROTO_ICMP = 1, PROTO_IPIP = 4, PROTO_TCP = 6, PROTO_UDP = 17,
            PROTO_IPV6 = 41, PROTO_ROUTING = 43, PROTO_FRAGMENT = 44, PROTO_ESP = 50, PROTO_AH = 51,
            PROTO_ICMPV6 = 58, PROTO_NO_NEXT = 59, PROTO_DEST_OPTS = 60, PROTO_SCTP = 132;

    /** In the result of {@link #walkIpv6Headers}: set when a fragment header with a non-zero offset ended the walk. */
    public static final long NON_FIRST_FRAGMENT = 1L << 40;

    private IpPacketParser() {}

    /**
     * Parses the packet at {@code buf[ipOff]}, of which {@code available} bytes are present, into {@code out}.
     * Returns {@link #OK}, {@link #ERR_TRUNCATED} when the buffer holds fewer bytes than the headers promise,
     * or {@link #ERR_MALFORMED}. Bytes after the IP total length (link-layer padding) are ignored.
     */
    public static int parse(byte[] buf, int ipOff, int available, FlowKey out) {
        out.clear();
        if (buf == null || ipOff < 0 || available <= 0 || ipOff > buf.length - available) return available <= 0 ? ERR_TRUNCATED : ERR_MALFORMED;
        int version = (buf[ipOff] & 0xff) >>> 4;
        if (version == 4) return parseIpv4(buf, ipOff, available, out);
        if (version == 6) return parseIpv6(buf, ipOff, available, out);
        return ERR_MALFORMED;
    }

    private static int parseIpv4(byte[] b, int ip, int available, FlowKey out) {
        if (available < 20) return ERR_TRUNCATED;
        int ihl = (b[ip] & 0x0f) * 4;
        if (ihl < 20) return ERR_MALFORMED;
        if (ihl > available) return ERR_TRUNCATED;
        int total = Bytes.u16(b, ip + 2);
        if (total < ihl) return ERR_MALFORMED;
        if (total > available) return ERR_TRUNCATED;
        if (InternetChecksum.fold(InternetChecksum.sum(b, ip, ihl, 0)) != 0) return ERR_MALFORMED;
        int flagsOffset = Bytes.u16(b, ip + 6);
        boolean moreFragments = (flagsOffset & 0x2000) != 0;
        int fragOffset = flagsOffset & 0x1fff;
        out.family = IpAddress.V4;
        out.tos = b[ip + 1] & 0xff;
        out.totalLength = total;
        out.headerLength = ihl;
        out.ttl = b[ip + 8] & 0xff;
        out.protocol = b[ip + 9] & 0xff;
        out.srcLo = Bytes.u32(b, ip + 12);
        out.dstLo = Bytes.u32(b, ip + 16);
        out.dontFragment = (flagsOffset & 0x4000) != 0;
        out.fragment = moreFragments || fragOffset != 0;
        out.firstFragment = out.fragment && fragOffset == 0;
        if (fragOffset == 0) readPorts(b, ip + ihl, ip + total, out.protocol, PROTO_ICMP, out);
        return OK;
    }

    private static int parseIpv6(byte[] b, int ip, int available, FlowKey out) {
        if (available < 40) return ERR_TRUNCATED;
        int total = 40 + Bytes.u16(b, ip + 4);
        if (total > available) return ERR_TRUNCATED;
        int word0 = Bytes.i32(b, ip);
        out.family = IpAddress.V6;
        out.tos = (word0 >>> 20) & 0xff;
        out.totalLength = total;
        out.ttl = b[ip + 7] & 0xff;
        out.srcHi = Bytes.i64(b, ip + 8);
        out.srcLo = Bytes.i64(b, ip + 16);
        out.dstHi = Bytes.i64(b, ip + 24);
        out.dstLo = Bytes.i64(b, ip + 32);
        out.dontFragment = true;
        long walk = walk(b, ip, ip + total, out);
        if (walk < 0) return (int) walk;
        int upper = (int) (walk & 0xffffffffL);
        out.protocol = (int) ((walk >>> 32) & 0xff);
        out.headerLength = upper - ip;
        if ((walk & NON_FIRST_FRAGMENT) == 0) readPorts(b, upper, ip + total, out.protocol, PROTO_ICMPV6, out);
        return OK;
    }

    /**
     * Walks the IPv6 extension headers of the packet at {@code b[ipOff]} that end before {@code end}. Returns
     * {@code (protocol << 32) | upperLayerOffset}, with {@link #NON_FIRST_FRAGMENT} or'ed in when a fragment
     * header with a non-zero offset stops the walk, or {@link #ERR_MALFORMED} when a header crosses {@code end}
     * or hop-by-hop is not first (also when {@code ipOff + 40 <= end <= b.length} does not hold).
     */
    public static long walkIpv6Headers(byte[] b, int ipOff, int end) {
        if (b == null || ipOff < 0 || end > b.length || ipOff + 40 > end) return ERR_MALFORMED;
        return walk(b, ipOff, end, null);
    }

    private static long walk(byte[] b, int ip, int end, FlowKey out) {
        int nh = b[ip + 6] & 0xff;
        int p = ip + 40;
        while (true) {
            switch (nh) {
                case PROTO_HOP_BY_HOP, PROTO_ROUTING, PROTO_DEST_OPTS -> {
                    // RFC 8200 §4.1: hop-by-hop options may only follow the IPv6 header directly.
                    if (nh == PROTO_HOP_BY_HOP && p != ip + 40) return ERR_MALFORMED;
                    if (p + 8 > end) return ERR_MALFORMED;
                    int len = ((b[p + 1] & 0xff) + 1) * 8;
                    if (p + len > end) return ERR_MALFORMED;
                    nh = b[p] & 0xff;
                    p += len;
                }
                case PROTO_FRAGMENT -> {
                    if (p + 8 > end) return ERR_MALFORMED;
                    int offsetFlags = Bytes.u16(b, p + 2);
                    int fragOffset = offsetFlags & 0xfff8;
                    boolean more = (offsetFlags & 1) != 0;
                    nh = b[p] & 0xff;
                    p += 8;
                    // An atomic fragment (offset 0, M clear; RFC 6946) is a whole packet and is processed as one.
                    if (out != null && (fragOffset != 0 || more)) { out.fragment = true; out.firstFragment = fragOffset == 0; }
                    if (fragOffset != 0) return ((long) nh << 32) | (p & 0xffffffffL) | NON_FIRST_FRAGMENT;
                }
                default -> { return ((long) nh << 32) | (p & 0xffffffffL); }
            }
        }
    }

    private static void readPorts(byte[] b, int upper, int end, int protocol, int icmpProtocol, FlowKey out) {
        if (protocol == PROTO_TCP || protocol == PROTO_UDP || protocol == PROTO_SCTP) {
            if (upper + 4 <= end) { out.srcPort = Bytes.u16(b, upper); out.dstPort = Bytes.u16(b, upper + 2); }
        } else if (protocol == icmpProtocol) {
            if (upper + 2 <= end) { out.srcPort = b[upper] & 0xff; out.dstPort = b[upper + 1] & 0xff; }
        }
    }
}
