// 'address <ip>/<len> [gateway <ip>]': one of the appliance's own outside addresses (at most one per family),
// the endpoint of its tunnels. The address keeps its host bits; the length gives the on-link subnet.
package bitw.config;

import bitw.ipsec.packet.IpAddress;
import bitw.ipsec.packet.IpPrefix;
import java.util.Optional;

public record OwnAddress(IpAddress address, int prefixLength, Optional<IpAddress> gateway) implements Statement {
    public OwnAddress {
        if (prefixLength < 0 || prefixLength > address.bitLength()) throw new IllegalArgumentException("prefix length out of range");
    }

    public int family() { return address.family(); }

    /** The on-link subnet. */
    public IpPrefix subnet() { return AddressText.masked(address, prefixLength); }

    public static String keyFor(int family) { return "address v" + family; }

    public String key() { return keyFor(address.family()); }

    public String render() {
        return "address " + AddressText.addressText(address) + "/" + prefixLength
                + gateway.map(g -> " gateway " + AddressText.addressText(g)).orElse("");
    }
}
