// Inbound: the journey of a frame from the outside port to the inside port (or to the kernel via the TAP).
//
//   receive (outside) → Ethernet/VLAN → non-IP: ARP for us → TAP | L2 policy → inside
//   → IP parse → for our own address?
//        ESP / UDP 4500 without the non-ESP marker → SAD by SPI → replay check → verify + decrypt in place
//          → next header 4/41 → inner parse → SA selectors → SPD check of the inner packet → inside
//        AH → SAD → replay → verify → inner → same checks → inside
//        NAT keepalive → consumed;   anything else (ARP/ND/ICMP/IKE 500, 4500 with marker) → TAP
//   → not for us: cleartext → SPD check (a configured policy never accepts cleartext) → inside
//
// One thread runs this and is the only user of inbound SAs' transforms and replay windows.
package bitw.bridge;

import bitw.ipsec.DropReason;
import bitw.ipsec.crypto.AhTransform;
import bitw.ipsec.crypto.EspTransform;
import bitw.ipsec.mode.EncapsulationRules;
import bitw.ipsec.packet.Bytes;
import bitw.ipsec.packet.FlowKey;
import bitw.ipsec.packet.InternetChecksum;
import bitw.ipsec.packet.IpAddress;
import bitw.ipsec.packet.IpPacketParser;
import bitw.ipsec.packet.IpPrefix;
import bitw.ipsec.sad.AntiReplayWindow;
import bitw.ipsec.sad.LifetimeState;
import bitw.ipsec.sad.SaMode;
import bitw.ipsec.sad.SaParameters;
import bitw.ipsec.sad.SecurityAssociation;
import bitw.ipsec.spd.Fallback;
import bitw.ipsec.spd.PolicyAction;
import bitw.ipsec.spd.PolicyEntry;
import java.util.List;

final class InboundPath implements Runnable {
    private static final int HEADROOM = FrameBuffers.HEADROOM;
    private static final int UDP_ENCAP_PORT = 4500;

    private final DataPlane plane;
    final DropCounters drops = new DropCounters("inbound");
    private final byte[] buf = FrameBuffers.allocate();
    private final FlowKey outer = new FlowKey();
    private final FlowKey inner = new FlowKey();
    final NeighbourResolver resolver;

    InboundPath(DataPlane plane) {
        this.plane = plane;
        this.resolver = new NeighbourResolver(plane, drops);
    }

    @Override public void run() {
        FramePort outside = plane.outside;
        while (true) {
            int n = outside.receive(buf, HEADROOM, FrameBuffers.MAX_FRAME);
            if (n < 0) return;
            if (n > 0) {
                plane.outsideCounters.received(n);
                handle(HEADROOM, n);
            }
            if (resolver.parked() > 0) resolver.flush();
        }
    }

    /** Runs one frame through the path as if the outside port had received it (tests and benchmarks). */
    void process(byte[] frame, int len) {
        System.arraycopy(frame, 0, buf, HEADROOM, len);
        handle(HEADROOM, len);
    }

    void handle(int off, int len) {
        PolicyTable t = plane.table;
        int eh = Ethernet.headerLength(buf, off, len);
        if (eh < 0) { drops.drop(DropReason.MALFORMED); return; }
        int type = Ethernet.etherType(buf, off, eh);
        if (type == Ethernet.ARP) { arp(t, off, eh, len); return; }
        if (type != Ethernet.IPV4 && type != Ethernet.IPV6) {
            boolean pass = type == Ethernet.LLDP ? t.l2.lldp() : eh > Ethernet.HEADER ? t.l2.vlan() : t.l2.other();
            if (pass) plane.sendInside(buf, off, len); else drops.drop(DropReason.L2_POLICY);
            return;
        }
        int ip = off + eh;
        int r = IpPacketParser.parse(buf, ip, len - eh, outer);
        if (r != IpPacketParser.OK) { drops.drop(r == IpPacketParser.ERR_TRUNCATED ? DropReason.TRUNCATED : DropReason.MALFORMED); return; }

        if (outer.family == IpAddress.V6 && outer.protocol == 58 && outer.srcPort >= 133 && outer.srcPort <= 137) {
            if (plane.ndTargetsOwn(buf, ip, outer)) plane.toHost(buf, off, len);
            else if (t.l2.ipv6Nd()) plane.sendInside(buf, off, len);
            else drops.drop(DropReason.L2_POLICY);
            return;
        }
        if (plane.own.isOwn(outer.family, outer.dstHi, outer.dstLo)) { forUs(t, off, eh, ip, len); return; }
        cleartext(t, outer, off, len);
    }

    private void arp(PolicyTable t, int off, int eh, int len) {
        int a = off + eh;
        if (len - eh < 28) { drops.drop(DropReason.TRUNCATED); return; }
        IpAddress own4 = plane.own.ipv4();
        if (own4 != null && Bytes.u16(buf, a + 2) == Ethernet.IPV4 && Bytes.u32(buf, a + 24) == own4.lo()) {
            plane.toHost(buf, off, len);
            return;
        }
        if (t.l2.arp()) plane.sendInside(buf, off, len); else drops.drop(DropReason.L2_POLICY);
    }

    /** A packet addressed to the appliance itself. */
    private void forUs(PolicyTable t, int off, int eh, int ip, int len) {
        plane.learnGateway(Ethernet.mac(buf, off + 6));
        int l4 = ip + outer.headerLength;
        int ipEnd = ip + outer.totalLength;
        if (outer.protocol == 50 || outer.protocol == 51 || (outer.protocol == 17 && outer.dstPort == UDP_ENCAP_PORT)) {
            if (outer.fragment) { drops.drop(DropReason.FRAGMENTED_ESP); return; }
        }
        switch (outer.protocol) {
            case 50 -> esp(t, off, eh, l4, ipEnd);
            case 51 -> ah(t, off, eh, ip, l4, ipEnd);
            case 17 -> {
                if (outer.dstPort == UDP_ENCAP_PORT && ipEnd - l4 >= 8) {
                    int payload = l4 + 8, plen = ipEnd - payload;
                    if (plen == 1 && buf[payload] == (byte) 0xff) { drops.drop(DropReason.NAT_KEEPALIVE); return; }
                    if (plen >= 4 && Bytes.i32(buf, payload) != 0) { esp(t, off, eh, payload, ipEnd); return; }
                }
                plane.toHost(buf, off, len);
            }
            default -> plane.toHost(buf, off, len);
        }
    }

    private void esp(PolicyTable t, int off, int eh, int espOff, int ipEnd) {
        int espLen = ipEnd - espOff;
        if (espLen < 8) { drops.drop(DropReason.TRUNCATED); return; }
        int spi = Bytes.i32(buf, espOff);
        SecurityAssociation sa = plane.sad.inbound(spi, 50);
        if (sa == null) { drops.drop(DropReason.UNKNOWN_SPI); return; }
        if (sa.expired()) { sa.countDrop(DropReason.SA_EXPIRED); drops.drop(DropReason.SA_EXPIRED); return; }
        SaParameters p = sa.params();
        AntiReplayWindow w = sa.replayWindow();
        long seq = w.infer(Bytes.u32(buf, espOff + 4), p.esn());
        if (!w.check(seq)) { sa.countDrop(DropReason.REPLAY); drops.drop(DropReason.REPLAY); return; }
        EspTransform esp = sa.esp();
        int n = esp.open(buf, espOff, espLen, seq, p.esn());
        if (n < 0) {
            DropReason why = n == EspTransform.ERR_ICV ? DropReason.ICV_FAILED : n == EspTransform.ERR_PADDING ? DropReason.BAD_PADDING : DropReason.TRUNCATED;
            sa.countDrop(why);
            drops.drop(why);
            return;
        }
        w.update(seq);
        if (sa.account(n) == LifetimeState.HARD_EXPIRED) { sa.countDrop(DropReason.SA_EXPIRED); drops.drop(DropReason.SA_EXPIRED); return; }
        deliver(t, sa, off, eh, espOff + 8 + esp.ivLength(), n, esp.lastNextHeader());
    }

    private void ah(PolicyTable t, int off, int eh, int ip, int ahOff, int ipEnd) {
        if (ipEnd - ahOff < 12) { drops.drop(DropReason.TRUNCATED); return; }
        int spi = Bytes.i32(buf, ahOff + 4);
        SecurityAssociation sa = plane.sad.inbound(spi, 51);
        if (sa == null) { drops.drop(DropReason.UNKNOWN_SPI); return; }
        if (sa.expired()) { sa.countDrop(DropReason.SA_EXPIRED); drops.drop(DropReason.SA_EXPIRED); return; }
        SaParameters p = sa.params();
        AntiReplayWindow w = sa.replayWindow();
        long seq = w.infer(Bytes.u32(buf, ahOff + 8), p.esn());
        if (!w.check(seq)) { sa.countDrop(DropReason.REPLAY); drops.drop(DropReason.REPLAY); return; }
        AhTransform ah = sa.ah();
        int payload = ah.open(buf, ip, ipEnd - ip, ahOff, seq, p.esn());
        if (payload < 0) {
            DropReason why = payload == AhTransform.ERR_ICV ? DropReason.ICV_FAILED : payload == AhTransform.ERR_TRUNCATED ? DropReason.TRUNCATED : DropReason.MALFORMED;
            sa.countDrop(why);
            drops.drop(why);
            return;
        }
        w.update(seq);
        int n = ipEnd - payload;
        if (sa.account(n) == LifetimeState.HARD_EXPIRED) { sa.countDrop(DropReason.SA_EXPIRED); drops.drop(DropReason.SA_EXPIRED); return; }
        deliver(t, sa, off, eh, payload, n, ah.lastNextHeader());
    }

    /** The decapsulated inner packet at buf[in, +n): selector and policy checks, then out the inside port. */
    private void deliver(PolicyTable t, SecurityAssociation sa, int off, int eh, int in, int n, int nextHeader) {
        if (nextHeader == 59) { sa.countDrop(DropReason.MALFORMED); return; } // RFC 4303 dummy packet: discard silently
        if (nextHeader != 4 && nextHeader != 41) { sa.countDrop(DropReason.MALFORMED); drops.drop(DropReason.MALFORMED); return; }
        int r = IpPacketParser.parse(buf, in, n, inner);
        if (r != IpPacketParser.OK || inner.family != (nextHeader == 4 ? IpAddress.V4 : IpAddress.V6)) {
            sa.countDrop(DropReason.MALFORMED); drops.drop(DropReason.MALFORMED); return;
        }
        SaParameters p = sa.params();
        if (!within(p.remoteSelectors(), inner.family, inner.srcHi, inner.srcLo) || !within(p.localSelectors(), inner.family, inner.dstHi, inner.dstLo)) {
            sa.countDrop(DropReason.SELECTOR_MISMATCH); drops.drop(DropReason.SELECTOR_MISMATCH); return;
        }
        // The inner packet must also be one our SPD sends through this tunnel (or would let through in the clear).
        PolicyEntry e = lookupInbound(t, inner);
        PolicyAction action = e == null ? t.defaultAction : e.action();
        boolean allowed = action == PolicyAction.PERMIT
                || ((action == PolicyAction.CONFIGURED || action == PolicyAction.OPPORTUNISTIC) && p.name().equals(e.tunnel()));
        if (!allowed) {
            if (e != null) e.counters.countInboundDrop();
            DropReason why = action == PolicyAction.DENY ? (e == null ? DropReason.NO_POLICY : DropReason.POLICY_DENY) : DropReason.SELECTOR_MISMATCH;
            sa.countDrop(why);
            drops.drop(why);
            return;
        }
        EncapsulationRules rules = p.mode() == SaMode.IIPTRAN ? EncapsulationRules.IIPTRAN : EncapsulationRules.TUNNEL;
        int tos = rules.innerTosAfterDecapsulation(outer.tos, inner.tos);
        if (tos < 0) { sa.countDrop(DropReason.MALFORMED); drops.drop(DropReason.MALFORMED); return; }
        if (tos != inner.tos) setTos(in, tos);
        if (e != null) e.counters.countInbound(inner.totalLength);

        long dstMac = plane.neighbours.lookup(inner.family, inner.dstHi, inner.dstLo);
        long srcMac = Ethernet.mac(buf, off + 6);
        int vlan = eh > Ethernet.HEADER ? Bytes.u16(buf, off + 14) : -1;
        if (dstMac < 0) { resolver.park(buf, in, inner.totalLength, inner.family, inner.dstHi, inner.dstLo, vlan, srcMac); return; }
        int eth = OutboundPath.writeEthernet(buf, in, inner.family, dstMac, srcMac, vlan);
        plane.sendInside(buf, eth, in + inner.totalLength - eth);
    }

    private void setTos(int ip, int tos) {
        if (inner.family == IpAddress.V4) {
            buf[ip + 1] = (byte) tos;
            Bytes.put16(buf, ip + 10, 0);
            Bytes.put16(buf, ip + 10, InternetChecksum.fold(InternetChecksum.sum(buf, ip, (buf[ip] & 0xf) * 4, 0)));
        } else {
            int w = Bytes.i32(buf, ip);
            Bytes.put32(buf, ip, (w & 0xf00f_ffff) | (tos << 20));
        }
    }

    private static boolean within(List<IpPrefix> selectors, int family, long hi, long lo) {
        if (selectors.isEmpty()) return true;
        for (int i = 0, n = selectors.size(); i < n; i++) if (selectors.get(i).contains(family, hi, lo)) return true;
        return false;
    }

    /** SPD lookup for a packet travelling towards the inside: the SPD is written from the LAN's side. */
    private static PolicyEntry lookupInbound(PolicyTable t, FlowKey k) {
        boolean icmp = k.protocol == 1 || k.protocol == 58;
        return t.spd.lookup(k.family, k.dstHi, k.dstLo, k.srcHi, k.srcLo, k.protocol, icmp ? k.srcPort : k.dstPort, icmp ? k.dstPort : k.srcPort);
    }

    /** Cleartext from outside: allowed only where the SPD would send it in the clear. */
    private void cleartext(PolicyTable t, FlowKey k, int off, int len) {
        PolicyEntry e = lookupInbound(t, k);
        PolicyAction action = e == null ? t.defaultAction : e.action();
        boolean pass = action == PolicyAction.PERMIT || (action == PolicyAction.OPPORTUNISTIC && e.fallback() == Fallback.CLEAR);
        if (!pass) {
            if (e != null) e.counters.countInboundDrop();
            drops.drop(action == PolicyAction.DENY ? (e == null ? DropReason.NO_POLICY : DropReason.POLICY_DENY) : DropReason.CLEARTEXT_UNDER_POLICY);
            return;
        }
        if (e != null) e.counters.countInbound(k.totalLength);
        plane.sendInside(buf, off, len);
    }
}
