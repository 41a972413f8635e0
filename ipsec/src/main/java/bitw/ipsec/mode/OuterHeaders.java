// Writes the headers that encapsulation puts in front of ESP: the outer IPv4 or IPv6 header of tunnel
// mode and IIPtran, and the UDP header of ESP-in-UDP (RFC 3948). Callers write them in place into the
// headroom before the ESP header; nothing is allocated. The caller sizes the buffer (headroom is
// preallocated), so these writers do no bounds checks of their own.
package bitw.ipsec.mode;

import bitw.ipsec.packet.Bytes;
import bitw.ipsec.packet.InternetChecksum;
import bitw.ipsec.packet.IpAddress;

public final class OuterHeaders {
    public static final int IPV4_HEADER = 20, IPV6_HEADER = 40, UDP_HEADER = 8;
    private static final int PROTO_UDP = 17;

    private OuterHeaders() {}

    /** A 20-byte IPv4 header (no options) with its header checksum. {@code src} and {@code dst} must be IPv4. */
    public static void writeIpv4(byte[] b, int off, int totalLength, int tos, int id, boolean df, int ttl, int protocol,
                                 IpAddress src, IpAddress dst) {
        writeIpv4(b, off, totalLength, tos, id, df, ttl, protocol, (int) src.lo(), (int) dst.lo());
    }

    /** As above with addresses as 32-bit values, for callers that copy them from a packet. */
    public static void writeIpv4(byte[] b, int off, int totalLength, int tos, int id, boolean df, int ttl, int protocol,
                                 int src, int dst) {
        Bytes.put8(b, off, 0x45);
        Bytes.put8(b, off + 1, tos);
        Bytes.put16(b, off + 2, totalLength);
        Bytes.put16(b, off + 4, id);
        Bytes.put16(b, off + 6, df ? 0x4000 : 0);
        Bytes.put8(b, off + 8, ttl);
        Bytes.put8(b, off + 9, protocol);
        Bytes.put16(b, off + 10, 0);
        Bytes.put32(b, off + 12, src);
        Bytes.put32(b, off + 16, dst);
        Bytes.put16(b, off + 10, InternetChecksum.fold(InternetChecksum.sum(b, off, IPV4_HEADER, 0)));
    }

    /** A 40-byte IPv6 header. {@code src} and {@code dst} must be IPv6. */
    public static void writeIpv6(byte[] b, int off, int payloadLength, int trafficClass, int flowLabel, int hopLimit,
                                 int nextHeader, IpAddress src, IpAddress dst) {
        writeIpv6(b, off, payloadLength, trafficClass, flowLabel, hopLimit, nextHeader, src.hi(), src.lo(), dst.hi(), dst.lo());
    }

    /** As above with addresses as pairs of longs, for callers that copy them from a packet. */
    public static void writeIpv6(byte[] b, int off, int payloadLength, int trafficClass, int flowLabel, int hopLimit,
                                 int nextHeader, long srcHi, long srcLo, long dstHi, long dstLo) {
        Bytes.put32(b, off, 6 << 28 | (trafficClass & 0xff) << 20 | (flowLabel & 0xfffff));
        Bytes.put16(b, off + 4, payloadLength);
        Bytes.put8(b, off + 6, nextHeader);
        Bytes.put8(b, off + 7, hopLimit);
        Bytes.put64(b, off + 8, srcHi);
        Bytes.put64(b, off + 16, srcLo);
        Bytes.put64(b, off + 24, dstHi);
        Bytes.put64(b, off + 32, dstLo);
    }

    /** An 8-byte UDP header with checksum 0, which RFC 3948 §2.1 allows for ESP-in-UDP over IPv4. */
    public static void writeUdp(byte[] b, int off, int srcPort, int dstPort, int udpLength) {
        Bytes.put16(b, off, srcPort);
        Bytes.put16(b, off + 2, dstPort);
        Bytes.put16(b, off + 4, udpLength);
        Bytes.put16(b, off + 6, 0);
    }

    /**
     * Fills the checksum of the UDP datagram at {@code udpOff} (header and payload already written) inside the
     * IPv6 packet at {@code ipOff}: IPv6 forbids a zero UDP checksum (RFC 8200 §8.1), so a computed 0 is sent as 0xffff.
     */
    public static void fillUdpChecksumV6(byte[] b, int ipOff, int udpOff, int udpLength) {
        Bytes.put16(b, udpOff + 6, 0);
        int s = InternetChecksum.pseudoHeaderSum(IpAddress.V6, b, ipOff + 8, ipOff + 24, PROTO_UDP, udpLength);
        int c = InternetChecksum.fold(InternetChecksum.sum(b, udpOff, udpLength, s));
        Bytes.put16(b, udpOff + 6, c == 0 ? 0xffff : c);
    }
}
