// Delivery of decapsulated packets to inside hosts whose MAC is not yet learned. TCP (and most stacks) refuse
// unicast IP in a broadcast frame, so instead of guessing we ask: an ARP probe (sender 0.0.0.0, as RFC 5227
// probes do) or a Neighbor Solicitation from our link-local address, park the packets, and send them in order
// once the outbound thread has learned the answer. Several packets per host, like the kernel's unresolved queue:
// the fragments of one datagram arrive together, and parking only the first would lose the datagram.
// Owned by the inbound thread; allocates only when a slot is first used.
package bitw.bridge;

import bitw.ipsec.DropReason;
import bitw.ipsec.mode.OuterHeaders;
import bitw.ipsec.packet.Bytes;
import bitw.ipsec.packet.InternetChecksum;
import bitw.ipsec.packet.IpAddress;

final class NeighbourResolver {
    /** PER_HOST covers the 45 fragments of a 64 KiB datagram; MAX_PARKED keeps one silent host from taking all. */
    static final int MAX_PARKED = 256, PER_HOST = 48;
    static final long RESOLVE_NANOS = 1_000_000_000L, RESOLICIT_NANOS = 250_000_000L;

    private final DataPlane plane;
    private final DropCounters drops;
    private final byte[][] frames = new byte[MAX_PARKED][];
    private final int[] ipOffset = new int[MAX_PARKED], ipLength = new int[MAX_PARKED], family = new int[MAX_PARKED], vlan = new int[MAX_PARKED];
    private final long[] hi = new long[MAX_PARKED], lo = new long[MAX_PARKED], since = new long[MAX_PARKED], solicited = new long[MAX_PARKED];
    private final long[] srcMac = new long[MAX_PARKED];
    private int count;
    private final byte[] solicitation = new byte[FrameBuffers.HEADROOM + 128];
    private final long linkLocalHi = 0xfe80_0000_0000_0000L, linkLocalLo;

    NeighbourResolver(DataPlane plane, DropCounters drops) {
        this.plane = plane;
        this.drops = drops;
        long mac = plane.own.mac();
        // Modified EUI-64 interface identifier from our MAC (RFC 4291 appendix A).
        linkLocalLo = ((mac >>> 24) << 40 | 0xfffeL << 24 | (mac & 0xffffffL)) ^ 0x0200_0000_0000_0000L;
    }

    /** Our link-local IPv6 address on the inside segment: the source of our solicitations. */
    boolean isOwnLinkLocal(long h, long l) { return h == linkLocalHi && l == linkLocalLo; }

    int parked() { return count; }

    /** Parks the IP packet buf[ip, +len) for inside host (fam, h, l) and, for its first packet, solicits its MAC. */
    void park(byte[] buf, int ip, int len, int fam, long h, long l, int vlanTci, long src) {
        int sameHost = 0;
        for (int i = 0; i < count; i++) if (family[i] == fam && hi[i] == h && lo[i] == l) sameHost++;
        if (sameHost == PER_HOST || count == MAX_PARKED || len > 65535) { drops.drop(DropReason.NEIGHBOUR_UNRESOLVED); return; }
        int i = count++;
        int off = FrameBuffers.HEADROOM;
        if (frames[i] == null || frames[i].length < off + len) frames[i] = new byte[off + Math.max(len, 1600)];
        System.arraycopy(buf, ip, frames[i], off, len);
        ipOffset[i] = off;
        ipLength[i] = len;
        family[i] = fam;
        hi[i] = h;
        lo[i] = l;
        vlan[i] = vlanTci;
        srcMac[i] = src;
        since[i] = solicited[i] = System.nanoTime();
        if (sameHost == 0) solicit(fam, h, l, vlanTci);
    }

    /**
     * Sends what has been resolved in arrival order, drops what waited a second, and re-solicits once per host (from
     * its oldest packet). Called by the inbound thread's loop.
     */
    void flush() {
        long now = System.nanoTime();
        int kept = 0;
        for (int i = 0; i < count; i++) {
            long mac = plane.neighbours.lookup(family[i], hi[i], lo[i]);
            if (mac >= 0) {
                byte[] f = frames[i];
                int eth = OutboundPath.writeEthernet(f, ipOffset[i], family[i], mac, srcMac[i], vlan[i]);
                plane.sendInside(f, eth, ipOffset[i] + ipLength[i] - eth);
            } else if (now - since[i] > RESOLVE_NANOS) {
                drops.drop(DropReason.NEIGHBOUR_UNRESOLVED);
            } else {
                if (now - solicited[i] > RESOLICIT_NANOS) {
                    // A later packet of the host is due too, but its oldest asks for it; marking it keeps the scan
                    // to once per RESOLICIT per packet rather than once per received frame.
                    solicited[i] = now;
                    if (isOldestFor(i, kept)) solicit(family[i], hi[i], lo[i], vlan[i]);
                }
                moveTo(i, kept++);
            }
        }
        count = kept;
    }

    /** Whether no kept packet before position {@code kept} is for the same host as packet i. */
    private boolean isOldestFor(int i, int kept) {
        for (int k = 0; k < kept; k++) if (family[k] == family[i] && hi[k] == hi[i] && lo[k] == lo[i]) return false;
        return true;
    }

    /** Moves slot i to position k (k <= i), swapping buffers so none is lost or shared. */
    private void moveTo(int i, int k) {
        if (i == k) return;
        byte[] f = frames[k];
        frames[k] = frames[i]; ipOffset[k] = ipOffset[i]; ipLength[k] = ipLength[i]; family[k] = family[i];
        hi[k] = hi[i]; lo[k] = lo[i]; vlan[k] = vlan[i]; srcMac[k] = srcMac[i]; since[k] = since[i]; solicited[k] = solicited[i];
        frames[i] = f;
    }

    private void solicit(int fam, long h, long l, int vlanTci) {
        byte[] b = solicitation;
        int ip = FrameBuffers.HEADROOM;
        long own = plane.own.mac();
        if (fam == IpAddress.V4) {
            // ARP request: sender MAC ours, sender IP 0.0.0.0 (a probe: it claims no address), target the host.
            Bytes.put16(b, ip, 1);
            Bytes.put16(b, ip + 2, Ethernet.IPV4);
            b[ip + 4] = 6;
            b[ip + 5] = 4;
            Bytes.put16(b, ip + 6, 1);
            Ethernet.putMac(b, ip + 8, own);
            Bytes.put32(b, ip + 14, 0);
            Ethernet.putMac(b, ip + 18, 0);
            Bytes.put32(b, ip + 24, (int) l);
            int eth = OutboundPath.writeEthernet(b, ip, IpAddress.V4, Ethernet.BROADCAST, own, vlanTci);
            Bytes.put16(b, ip - 2, Ethernet.ARP);
            plane.sendInside(b, eth, ip + 28 - eth);
            return;
        }
        // Neighbor Solicitation (RFC 4861 §4.3) from our link-local address to the target's solicited-node group.
        long snHi = 0xff02_0000_0000_0000L, snLo = 0x0000_0001_ff00_0000L | (l & 0xffffffL);
        int icmp = ip + OuterHeaders.IPV6_HEADER, len = 32;
        OuterHeaders.writeIpv6(b, ip, len, 0, 0, 255, 58, linkLocalHi, linkLocalLo, snHi, snLo);
        b[icmp] = (byte) 135;
        b[icmp + 1] = 0;
        Bytes.put16(b, icmp + 2, 0);
        Bytes.put32(b, icmp + 4, 0);
        Bytes.put64(b, icmp + 8, h);
        Bytes.put64(b, icmp + 16, l);
        b[icmp + 24] = 1; // source link-layer address option
        b[icmp + 25] = 1;
        Ethernet.putMac(b, icmp + 26, own);
        int sum = InternetChecksum.pseudoHeaderSum(IpAddress.V6, b, ip + 8, ip + 24, 58, len);
        Bytes.put16(b, icmp + 2, InternetChecksum.fold(InternetChecksum.sum(b, icmp, len, sum)));
        long dstMac = 0x3333_0000_0000L | 0xff00_0000L | (l & 0xffffffL);
        int eth = OutboundPath.writeEthernet(b, ip, IpAddress.V6, dstMac, own, vlanTci);
        plane.sendInside(b, eth, ip + OuterHeaders.IPV6_HEADER + len - eth);
    }
}
