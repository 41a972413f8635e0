// The traffic selector of one SPD entry (RFC 4301 §4.4.1.1), written from the LAN's point of view:
// source = inside host, destination = remote. matches() is the plain reference semantics that
// SecurityPolicyDatabase's lookup structure must reproduce exactly.
package bitw.ipsec.spd;

import bitw.ipsec.packet.IpAddress;
import bitw.ipsec.packet.IpPrefix;

/**
 * @param protocol         IP protocol number 0..255, or -1 for any
 * @param sourcePorts      only non-ANY with protocol 6 (TCP), 17 (UDP) or 132 (SCTP)
 * @param destinationPorts same rule as sourcePorts
 * @param icmpType         0..255 or -1 for any; only with protocol 1 (IPv4) or 58 (IPv6)
 * @param icmpCode         0..255 or -1 for any; only together with a specific icmpType
 */
public record Selector(IpPrefix source, IpPrefix destination, int protocol, PortRange sourcePorts,
                       PortRange destinationPorts, int icmpType, int icmpCode) {
    public static final int ANY_PROTOCOL = -1, ICMP = 1, TCP = 6, UDP = 17, ICMPV6 = 58, SCTP = 132;

    // Port ranges are refused under "any protocol": the caller puts ICMP type/code in the port slots and -1 for
    // portless protocols, so a port range there would silently constrain ICMP types. Name the protocol instead.
    public Selector {
        if (source == null || destination == null) throw new IllegalArgumentException("selector needs a source and a destination prefix");
        if (sourcePorts == null || destinationPorts == null) throw new IllegalArgumentException("selector port ranges must not be null (use PortRange.ANY)");
        if (source.family() != destination.family())
            throw new IllegalArgumentException("source " + source + " and destination " + destination + " are of different address families");
        if (protocol < -1 || protocol > 255) throw new IllegalArgumentException("protocol " + protocol + " out of range (0..255, or -1 for any)");
        if ((!sourcePorts.isAny() || !destinationPorts.isAny()) && !hasPorts(protocol))
            throw new IllegalArgumentException("port ranges need protocol tcp (6), udp (17) or sctp (132), not " + protocolName(protocol));
        if (icmpType < -1 || icmpType > 255) throw new IllegalArgumentException("ICMP type " + icmpType + " out of range (0..255, or -1 for any)");
        if (icmpCode < -1 || icmpCode > 255) throw new IllegalArgumentException("ICMP code " + icmpCode + " out of range (0..255, or -1 for any)");
        if (icmpType != -1 || icmpCode != -1) {
            int icmp = source.family() == IpAddress.V4 ? ICMP : ICMPV6;
            if (protocol != icmp)
                throw new IllegalArgumentException("ICMP type/code need protocol " + icmp + " for IPv" + source.family() + ", not " + protocolName(protocol));
            if (icmpType == -1) throw new IllegalArgumentException("ICMP code " + icmpCode + " given without an ICMP type");
        }
    }

    /** Everything of one family: any addresses, any protocol, any ports. */
    public static Selector any(int family) {
        return new Selector(IpPrefix.any(family), IpPrefix.any(family), ANY_PROTOCOL, PortRange.ANY, PortRange.ANY, -1, -1);
    }

    /** Protocols whose selectors may carry port ranges. */
    public static boolean hasPorts(int protocol) { return protocol == TCP || protocol == UDP || protocol == SCTP; }

    public int family() { return source.family(); }

    /**
     * The reference semantics. For ICMP/ICMPv6 the caller passes type as srcPort and code as dstPort;
     * -1 means "not available" and matches only ANY port ranges and any ICMP type/code.
     */
    public boolean matches(int family, long srcHi, long srcLo, long dstHi, long dstLo, int protocol, int srcPort, int dstPort) {
        if (!source.contains(family, srcHi, srcLo) || !destination.contains(family, dstHi, dstLo)) return false;
        if (this.protocol != ANY_PROTOCOL && this.protocol != protocol) return false;
        if (!sourcePorts.isAny() && !sourcePorts.contains(srcPort)) return false;
        if (!destinationPorts.isAny() && !destinationPorts.contains(dstPort)) return false;
        if (icmpType != -1 && icmpType != srcPort) return false;
        return icmpCode == -1 || icmpCode == dstPort;
    }

    private static String protocolName(int protocol) { return protocol == ANY_PROTOCOL ? "any" : Integer.toString(protocol); }

    @Override public String toString() {
        StringBuilder sb = new StringBuilder().append(source).append(" -> ").append(destination);
        if (protocol != ANY_PROTOCOL) sb.append(" proto ").append(protocol);
        if (!sourcePorts.isAny()) sb.append(" sport ").append(sourcePorts);
        if (!destinationPorts.isAny()) sb.append(" dport ").append(destinationPorts);
        if (icmpType != -1) sb.append(" type ").append(icmpType);
        if (icmpCode != -1) sb.append(" code ").append(icmpCode);
        return sb.toString();
    }
}
