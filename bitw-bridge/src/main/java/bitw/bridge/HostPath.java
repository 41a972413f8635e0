// Own-address path, kernel side: frames the kernel stack sends from the appliance's address (ARP, ND, ICMP,
// IKE, DNS, DHCP) leave through the outside port — or the inside port when addressed to a LAN host we learned.
// This traffic is the appliance's own and bypasses the SPD (IKE must flow before any SA exists).
package bitw.bridge;

final class HostPath implements Runnable {
    private final DataPlane plane;
    private final byte[] buf = FrameBuffers.allocate();

    HostPath(DataPlane plane) { this.plane = plane; }

    @Override public void run() {
        FramePort tap = plane.tap;
        while (true) {
            int n = tap.receive(buf, FrameBuffers.HEADROOM, FrameBuffers.MAX_FRAME);
            if (n < 0) return;
            if (n < Ethernet.HEADER) continue;
            plane.tapCounters.received(n);
            long dst = Ethernet.mac(buf, FrameBuffers.HEADROOM);
            if (!Ethernet.isMulticast(dst) && dst != plane.gatewayMac() && plane.neighbours.knowsMac(dst))
                plane.sendInside(buf, FrameBuffers.HEADROOM, n);
            else
                plane.sendOutside(buf, FrameBuffers.HEADROOM, n);
        }
    }
}
