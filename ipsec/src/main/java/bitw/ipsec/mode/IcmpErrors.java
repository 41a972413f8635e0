// Builds the ICMP errors the data plane sends back to the original sender: IPv4 "fragmentation needed"
// (RFC 1191) and ICMPv6 "packet too big" (RFC 4443) when a DF packet does not fit the tunnel after
// encapsulation, and "time exceeded" when a TTL runs out. Each writes a complete IP packet into the
// caller's buffer; the rules of RFC 1122 §3.2.2 / RFC 4443 §2.4(e) decide when no error may be sent.
package bitw.ipsec.mode;

import bitw.ipsec.packet.Bytes;
import bitw.ipsec.packet.InternetChecksum;
import bitw.ipsec.packet.IpAddress;
import bitw.ipsec.packet.IpPacketParser;

public final class IcmpErrors {
    public static final int MIN_IPV6_MTU = 1280;
    /** Returned when {@code out} has no room for the message or {@code from} is of the wrong family. */
    public static final int ERR_BAD_ARGUMENT = -1;
    /** TTL / hop limit of the errors we originate. */
    public static final int TTL = 64;
    /** IPv4 TOS of the errors: precedence "internetwork control", as routers send them (RFC 1812 §4.3.2.5). */
    public static final int TOS = 0xc0;
    public static final int ICMP_HEADER = 8;

    private static final int PROTO_ICMP = 1, PROTO_ICMPV6 = 58;

    private IcmpErrors() {}

    /**
     * ICMP destination unreachable, fragmentation needed and DF set (type 3 code 4) with {@code nextHopMtu}, from
     * {@code from} to the source of the IPv4 packet at {@code orig[ipOff]}, quoting its header and first 8 payload
     * bytes. Returns the length written at {@code out[outOff]}, 0 when no error may be sent (see {@link #mayAnswerIpv4}),
     * or {@link #ERR_BAD_ARGUMENT}.
     */
    public static int fragmentationNeeded(byte[] orig, int ipOff, int origLen, int nextHopMtu, IpAddress from, byte[] out, int outOff) {
        return ipv4Error(orig, ipOff, origLen, 3, 4, nextHopMtu & 0xffff, from, out, outOff);
    }

    /**
     * ICMPv6 packet too big (type 2) from {@code from} to the source of the IPv6 packet at {@code orig[ipOff]}, quoting
     * as much of it as fits in {@link #MIN_IPV6_MTU} bytes. An {@code mtu} below 1280 is reported as 1280: IPv6 links
     * carry at least that much (RFC 8200 §5), so the tunnel must carry such packets by fragmenting the outer packet.
     * Returns the length written, 0 when no error may be sent, or {@link #ERR_BAD_ARGUMENT}.
     */
    public static int packetTooBig(byte[] orig, int ipOff, int origLen, int mtu, IpAddress from, byte[] out, int outOff) {
        return ipv6Error(orig, ipOff, origLen, 2, 0, Math.max(mtu, MIN_IPV6_MTU), from, out, outOff);
    }

    /** ICMP time exceeded in transit (IPv4 type 11 / ICMPv6 type 3, code 0) for the packet at {@code orig[ipOff]}. */
    public static int timeExceeded(byte[] orig, int ipOff, int origLen, IpAddress from, byte[] out, int outOff) {
        if (orig == null || ipOff < 0 || origLen < 1 || ipOff > orig.length - origLen) return 0;
        int version = (orig[ipOff] & 0xff) >>> 4;
        if (version == 4) return ipv4Error(orig, ipOff, origLen, 11, 0, 0, from, out, outOff);
        if (version == 6) return ipv6Error(orig, ipOff, origLen, 3, 0, 0, from, out, outOff);
        return 0;
    }

    /**
     * Whether RFC 1122 §3.2.2 allows an ICMP error about this IPv4 packet: not about an ICMP error, a non-first
     * fragment, or a packet whose source is not one unicast host (0/8, 127/8, multicast, class E, broadcast) or whose
     * destination is multicast or limited broadcast. Returns the number of bytes to quote (header + 8), or 0.
     */
    public static int mayAnswerIpv4(byte[] b, int ip, int available) {
        if (b == null || ip < 0 || available < 20 || ip > b.length - available) return 0;
        if ((b[ip] & 0xf0) != 0x40) return 0;
        int ihl = (b[ip] & 0x0f) * 4;
        int total = Bytes.u16(b, ip + 2);
        if (ihl < 20 || total < ihl || ihl > available) return 0;
        int end = Math.min(total, available);
        if ((Bytes.u16(b, ip + 6) & 0x1fff) != 0) return 0;
        int src = Bytes.i32(b, ip + 12), dst = Bytes.i32(b, ip + 16);
        int srcFirst = src >>> 24, dstFirst = dst >>> 24;
        if (srcFirst == 0 || srcFirst == 127 || srcFirst >= 224) return 0;
        if (dstFirst >= 224 && dstFirst <= 239 || dst == -1) return 0;
        if ((b[ip + 9] & 0xff) == PROTO_ICMP) {
            if (ihl + 1 > end) return 0;  // cannot tell whether it is an error message: stay silent
            if (isIcmpv4Error(b[ip + ihl] & 0xff)) return 0;
        }
        return Math.min(end, ihl + 8);
    }

    /**
     * Whether RFC 4443 §2.4(e) allows an ICMPv6 error about this IPv6 packet: not about an ICMPv6 error message, nor
     * to an unspecified or multicast source. Errors about packets to multicast destinations are allowed only for
     * packet too big ({@code packetTooBig}). Returns the number of bytes to quote (up to 1280 - 48), or 0.
     */
    public static int mayAnswerIpv6(byte[] b, int ip, int available, boolean packetTooBig) {
        if (b == null || ip < 0 || available < 40 || ip > b.length - available) return 0;
        if ((b[ip] & 0xf0) != 0x60) return 0;
        int end = Math.min(40 + Bytes.u16(b, ip + 4), available);
        long srcHi = Bytes.i64(b, ip + 8), srcLo = Bytes.i64(b, ip + 16);
        if ((srcHi == 0 && srcLo == 0) || (srcHi >>> 56) == 0xff) return 0;
        if (!packetTooBig && (b[ip + 24] & 0xff) == 0xff) return 0;
        if (end >= 40) {
            long walk = IpPacketParser.walkIpv6Headers(b, ip, ip + end);
            if (walk < 0) return 0;
            int upper = (int) (walk & 0xffffffffL);
            int protocol = (int) ((walk >>> 32) & 0xff);
            if ((walk & IpPacketParser.NON_FIRST_FRAGMENT) == 0 && protocol == PROTO_ICMPV6) {
                if (upper >= ip + end) return 0;
                if ((b[upper] & 0xff) < 128) return 0;  // types 0..127 are error messages
            }
        }
        return Math.min(end, MIN_IPV6_MTU - 40 - ICMP_HEADER);
    }

    private static boolean isIcmpv4Error(int type) {
        return type == 3 || type == 4 || type == 5 || type == 11 || type == 12;
    }

    private static int ipv4Error(byte[] orig, int ipOff, int origLen, int type, int code, int mtu, IpAddress from, byte[] out, int outOff) {
        if (from == null || from.family() != IpAddress.V4 || out == null) return ERR_BAD_ARGUMENT;
        int quote = mayAnswerIpv4(orig, ipOff, origLen);
        if (quote == 0) return 0;
        int length = OuterHeaders.IPV4_HEADER + ICMP_HEADER + quote;
        if (outOff < 0 || outOff > out.length - length) return ERR_BAD_ARGUMENT;
        OuterHeaders.writeIpv4(out, outOff, length, TOS, 0, false, TTL, PROTO_ICMP, (int) from.lo(), Bytes.i32(orig, ipOff + 12));
        int icmp = outOff + OuterHeaders.IPV4_HEADER;
        out[icmp] = (byte) type;
        out[icmp + 1] = (byte) code;
        Bytes.put16(out, icmp + 2, 0);
        Bytes.put16(out, icmp + 4, 0);        // unused
        Bytes.put16(out, icmp + 6, mtu);      // next-hop MTU (RFC 1191); zero for other types
        System.arraycopy(orig, ipOff, out, icmp + ICMP_HEADER, quote);
        Bytes.put16(out, icmp + 2, InternetChecksum.fold(InternetChecksum.sum(out, icmp, ICMP_HEADER + quote, 0)));
        return length;
    }

    private static int ipv6Error(byte[] orig, int ipOff, int origLen, int type, int code, int word, IpAddress from, byte[] out, int outOff) {
        if (from == null || from.family() != IpAddress.V6 || out == null) return ERR_BAD_ARGUMENT;
        int quote = mayAnswerIpv6(orig, ipOff, origLen, type == 2);
        if (quote == 0) return 0;
        int icmpLength = ICMP_HEADER + quote;
        int length = OuterHeaders.IPV6_HEADER + icmpLength;
        if (outOff < 0 || outOff > out.length - length) return ERR_BAD_ARGUMENT;
        OuterHeaders.writeIpv6(out, outOff, icmpLength, 0, 0, TTL, PROTO_ICMPV6, from.hi(), from.lo(),
                Bytes.i64(orig, ipOff + 8), Bytes.i64(orig, ipOff + 16));
        int icmp = outOff + OuterHeaders.IPV6_HEADER;
        out[icmp] = (byte) type;
        out[icmp + 1] = (byte) code;
        Bytes.put16(out, icmp + 2, 0);
        Bytes.put32(out, icmp + 4, word);     // MTU for packet too big, unused (zero) otherwise
        System.arraycopy(orig, ipOff, out, icmp + ICMP_HEADER, quote);
        int s = InternetChecksum.pseudoHeaderSum(IpAddress.V6, out, outOff + 8, outOff + 24, PROTO_ICMPV6, icmpLength);
        Bytes.put16(out, icmp + 2, InternetChecksum.fold(InternetChecksum.sum(out, icmp, icmpLength, s)));
        return length;
    }
}
