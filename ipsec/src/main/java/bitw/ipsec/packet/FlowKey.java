// What the data plane needs to know about one IP packet: the selector fields (addresses, protocol, ports)
// and the header facts that encapsulation and fragmentation decisions depend on. One instance is
// preallocated per data thread and refilled by IpPacketParser for every packet.
package bitw.ipsec.packet;

public final class FlowKey {
    /** Marks a port (or ICMP type/code) that the packet does not carry or that is not visible in this fragment. */
    public static final int NO_PORT = -1;

    /** {@link IpAddress#V4} or {@link IpAddress#V6}. */
    public int family;
    /** Upper-layer protocol: IPv4 protocol field, or for IPv6 the first next-header value that is not hop-by-hop,
     *  routing, fragment or destination options (so 50 for ESP, 51 for AH, 59 for no next header). */
    public int protocol;
    /** TCP/UDP/SCTP ports; for ICMP and ICMPv6 the type is in srcPort and the code in dstPort. {@link #NO_PORT} when absent. */
    public int srcPort, dstPort;
    /** Addresses as in {@link IpAddress}: IPv4 in the low 32 bits of lo, hi = 0. */
    public long srcHi, srcLo, dstHi, dstLo;
    /** Bytes from the start of the IP header to the transport header (IPv6: after the extension headers walked). */
    public int headerLength;
    /** IP total length from the header (IPv6: 40 + payload length). */
    public int totalLength;
    /** IPv4 TOS byte or IPv6 traffic class: DSCP in the high six bits, ECN in the low two. */
    public int tos;
    /** IPv4 TTL or IPv6 hop limit. */
    public int ttl;
    /** IPv4 DF flag; always true for IPv6, which routers never fragment. */
    public boolean dontFragment;
    /** True for any fragment: IPv4 MF set or offset non-zero; IPv6 fragment header with M set or offset non-zero. */
    public boolean fragment;
    /** True for a fragment with offset zero (it holds the transport header); false for whole packets. */
    public boolean firstFragment;

    // The two accessors below allocate: for the control plane and tests, not the per-packet path.
    public IpAddress source() { return family == IpAddress.V4 ? IpAddress.v4((int) srcLo) : new IpAddress(family, srcHi, srcLo); }
    public IpAddress destination() { return family == IpAddress.V4 ? IpAddress.v4((int) dstLo) : new IpAddress(family, dstHi, dstLo); }

    /** True when the fragment carries no transport header: selectors on ports must treat it as OPAQUE (RFC 4301 §7). */
    public boolean nonFirstFragment() { return fragment && !firstFragment; }

    void clear() {
        family = protocol = headerLength = totalLength = tos = ttl = 0;
        srcPort = dstPort = NO_PORT;
        srcHi = srcLo = dstHi = dstLo = 0;
        dontFragment = fragment = firstFragment = false;
    }
}
