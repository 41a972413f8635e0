// The appliance's own identity on the outside segment: MAC, IPv4 and/or IPv6 address, and the outside MTU.
// Frames for these addresses that are not ESP go to the TAP (kernel stack); ESP is handled here.
package bitw.bridge;

import bitw.ipsec.packet.IpAddress;

public record OwnAddress(long mac, IpAddress ipv4, IpAddress ipv6, int outsideMtu) {
    public boolean isOwn(int family, long hi, long lo) {
        IpAddress a = family == IpAddress.V4 ? ipv4 : ipv6;
        return a != null && a.hi() == hi && a.lo() == lo;
    }

    public IpAddress forFamily(int family) { return family == IpAddress.V4 ? ipv4 : ipv6; }
}
