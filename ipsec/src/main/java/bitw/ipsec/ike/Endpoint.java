// One end of an IKE conversation: an IP address and UDP port (500 or 4500 normally). Part of the engine's I/O
// boundary: the shell maps sockets to these, the engine decides which port to use (NAT-T float to 4500).
package bitw.ipsec.ike;

import bitw.ipsec.packet.IpAddress;

public record Endpoint(IpAddress address, int port) {
    public static final int IKE_PORT = 500, NAT_T_PORT = 4500;

    public Endpoint {
        if (address == null) throw new IllegalArgumentException("address required");
        if (port < 0 || port > 0xffff) throw new IllegalArgumentException("port out of range");
    }

    public Endpoint withPort(int p) { return new Endpoint(address, p); }

    @Override public String toString() { return (address.family() == IpAddress.V6 ? "[" + address + "]" : address.toString()) + ":" + port; }
}
