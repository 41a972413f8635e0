// Outbound: the journey of a frame from the inside (LAN) port to the outside port.
//
//   receive (inside) → Ethernet/VLAN → non-IP: L2 policy | IP: parse → learn neighbour → own address? → TAP
//   → SPD lookup → deny: drop | permit: forward clear | opportunistic/configured: SA of the entry's tunnel
//   → no SA: fallback (clear / hold / drop; configured never clear; opportunistic holds one packet per host pair
//     until OE decided the pair, whatever its fallback) → MTU: fits | pre-fragment | ICMP too-big
//   → sequence number → ESP (or AH) in place → [UDP 4500] → outer IP (tunnel / IIPtran rules) → Ethernet → send (outside)
//
// One thread runs this; it owns every buffer and counter here, and is the only user of outbound SAs' transforms.
// Nothing on this path allocates or logs per frame.
package bitw.bridge;

import bitw.ipsec.DropReason;
import bitw.ipsec.crypto.AhTransform;
import bitw.ipsec.crypto.EspTransform;
import bitw.ipsec.mode.EncapsulationRules;
import bitw.ipsec.mode.IcmpErrors;
import bitw.ipsec.mode.Ipv4Fragmenter;
import bitw.ipsec.mode.OuterHeaders;
import bitw.ipsec.packet.Bytes;
import bitw.ipsec.packet.FlowKey;
import bitw.ipsec.packet.IpAddress;
import bitw.ipsec.packet.IpPacketParser;
import bitw.ipsec.sad.LifetimeState;
import bitw.ipsec.sad.SaMode;
import bitw.ipsec.sad.SaParameters;
import bitw.ipsec.sad.SaProtocol;
import bitw.ipsec.sad.SecurityAssociation;
import bitw.ipsec.sad.SecurityAssociationDatabase;
import bitw.ipsec.spd.Fallback;
import bitw.ipsec.spd.PolicyAction;
import bitw.ipsec.spd.PolicyEntry;

final class OutboundPath implements Runnable, Ipv4Fragmenter.FragmentSink {
    private static final int HEADROOM = FrameBuffers.HEADROOM;

    private final DataPlane plane;
    final DropCounters drops = new DropCounters("outbound");
    private final byte[] buf = FrameBuffers.allocate();
    private final byte[] icmp = new byte[HEADROOM + 1600];
    private final byte[] aside = new byte[FrameBuffers.MAX_FRAME];
    private final FlowKey key = new FlowKey();
    private final Ipv4Fragmenter fragmenter = new Ipv4Fragmenter(65535, HEADROOM);
    private final HoldQueue holds = new HoldQueue();
    private long[] lastAcquire = new long[0];      // per SPD entry index, of the table below
    private PolicyTable acquireTable;
    static final long ACQUIRE_INTERVAL_NANOS = 1_000_000_000L;
    // Opportunistic entries cover many host pairs, each its own OE tunnel: their acquires are limited per
    // (entry, source, destination) in a small direct-mapped table. A collision only costs an extra acquire (key
    // management deduplicates), never a lost one for long, and the table is bounded whatever the traffic.
    static final int OE_ACQUIRE_SLOTS = 256;
    private final int[] oeEntry = new int[OE_ACQUIRE_SLOTS];
    private final long[] oeDstHi = new long[OE_ACQUIRE_SLOTS], oeDstLo = new long[OE_ACQUIRE_SLOTS], oeAt = new long[OE_ACQUIRE_SLOTS];
    private final long[] oeSrcHi = new long[OE_ACQUIRE_SLOTS], oeSrcLo = new long[OE_ACQUIRE_SLOTS];
    private int ipId = (int) System.nanoTime();
    /** While a held frame is run again under a new table: since when it is held (a re-hold keeps its age). */
    private boolean rerun;
    private long rerunSince;

    // The frame being protected, for the fragment sink.
    private long frameDstMac;
    private int vlanTci;          // -1 when untagged
    private SecurityAssociation sa;
    private PolicyEntry entry;

    OutboundPath(DataPlane plane) { this.plane = plane; }

    @Override public void run() {
        FramePort inside = plane.inside;
        while (true) {
            int n = inside.receive(buf, HEADROOM, FrameBuffers.MAX_FRAME);
            if (n < 0) return;
            if (n > 0) {
                plane.insideCounters.received(n);
                if (holds.size() > 0) {
                    // Held frames whose SA or table arrived go first: a pair's held first packet must not be
                    // overtaken by its next one. Releasing runs in buf, so the new frame waits aside meanwhile.
                    System.arraycopy(buf, HEADROOM, aside, 0, n);
                    releaseHolds();
                    System.arraycopy(aside, 0, buf, HEADROOM, n);
                }
                handle(HEADROOM, n);
            } else if (holds.size() > 0) {
                releaseHolds();
            }
        }
    }

    /** Whether frames are held (read from other threads without synchronisation: a hint only). */
    boolean holding() { return holds.size() > 0; }

    /** Runs one frame through the path as if the inside port had received it (tests and benchmarks). */
    void process(byte[] frame, int len) {
        System.arraycopy(frame, 0, buf, HEADROOM, len);
        handle(HEADROOM, len);
    }

    void handle(int off, int len) {
        PolicyTable t = plane.table;
        int eh = Ethernet.headerLength(buf, off, len);
        if (eh < 0) { drops.drop(DropReason.MALFORMED); return; }
        int type = Ethernet.etherType(buf, off, eh);
        long srcMac = Ethernet.mac(buf, off + 6);
        if (type == Ethernet.ARP) { arp(t, off, eh, len, srcMac); return; }
        if (type != Ethernet.IPV4 && type != Ethernet.IPV6) { nonIp(t, type, off, eh, len); return; }

        int ip = off + eh;
        int r = IpPacketParser.parse(buf, ip, len - eh, key);
        if (r != IpPacketParser.OK) { drops.drop(r == IpPacketParser.ERR_TRUNCATED ? DropReason.TRUNCATED : DropReason.MALFORMED); return; }
        if (!Ethernet.isMulticast(srcMac) && (key.srcLo != 0 || key.srcHi != 0)) plane.neighbours.learn(key.family, key.srcHi, key.srcLo, srcMac);

        if (key.family == IpAddress.V6 && key.protocol == 58 && key.srcPort >= 133 && key.srcPort <= 137) {
            int icmp = ip + key.headerLength;
            if (key.srcPort == 136 && key.totalLength - key.headerLength >= 24 && !Ethernet.isMulticast(srcMac))
                plane.neighbours.learn(IpAddress.V6, Bytes.i64(buf, icmp + 8), Bytes.i64(buf, icmp + 16), srcMac);
            if (plane.inbound.resolver.isOwnLinkLocal(key.dstHi, key.dstLo)) return; // an answer to our own solicitation
            if (plane.ndTargetsOwn(buf, ip, key)) plane.toHost(buf, off, len);
            else if (t.l2.ipv6Nd()) plane.sendOutside(buf, off, len);
            else drops.drop(DropReason.L2_POLICY);
            return;
        }
        if (plane.own.isOwn(key.family, key.dstHi, key.dstLo)) { plane.toHost(buf, off, len); return; }

        PolicyEntry e = t.spd.lookup(key.family, key.srcHi, key.srcLo, key.dstHi, key.dstLo, key.protocol, key.srcPort, key.dstPort);
        PolicyAction action = e == null ? t.defaultAction : e.action();
        switch (action) {
            case DENY -> {
                if (e != null) e.counters.countDrop();
                drops.drop(e == null ? DropReason.NO_POLICY : DropReason.POLICY_DENY);
            }
            case PERMIT -> {
                if (e != null) e.counters.countOutbound(key.totalLength);
                plane.sendOutside(buf, off, len);
            }
            case OPPORTUNISTIC, CONFIGURED -> {
                SecurityAssociationDatabase.OutboundSlot slot = t.slots[e.index()];
                SecurityAssociation current = slot == null ? null : slot.current();
                if (current == null || current.expired()) noSa(t, e, off, len);
                else protect(e, current, off, eh, ip);
            }
        }
    }

    private void arp(PolicyTable t, int off, int eh, int len, long srcMac) {
        int a = off + eh;
        if (len - eh < 28) { drops.drop(DropReason.TRUNCATED); return; }
        // Learn the sender (IPv4 over Ethernet ARP only).
        if (Bytes.u16(buf, a) == 1 && Bytes.u16(buf, a + 2) == Ethernet.IPV4) {
            long spa = Bytes.u32(buf, a + 14);
            if (spa != 0) plane.neighbours.learn(IpAddress.V4, 0, spa, Ethernet.mac(buf, a + 8));
            IpAddress own4 = plane.own.ipv4();
            if (own4 != null && Bytes.u32(buf, a + 24) == own4.lo()) { plane.toHost(buf, off, len); return; }
            // A reply to our own ARP probe (target IP 0.0.0.0, target MAC ours): learned above, goes no further.
            if (Bytes.u16(buf, a + 6) == 2 && Bytes.u32(buf, a + 24) == 0 && Ethernet.mac(buf, a + 18) == plane.own.mac()) return;
        }
        if (t.l2.arp()) plane.sendOutside(buf, off, len);
        else drops.drop(DropReason.L2_POLICY);
    }

    private void nonIp(PolicyTable t, int type, int off, int eh, int len) {
        boolean pass = type == Ethernet.LLDP ? t.l2.lldp() : eh > Ethernet.HEADER ? t.l2.vlan() : t.l2.other();
        if (pass) plane.sendOutside(buf, off, len);
        else drops.drop(DropReason.L2_POLICY);
    }

    private void noSa(PolicyTable t, PolicyEntry e, int off, int len) {
        acquire(t, e);
        Fallback f = e.fallback();
        boolean oeDecides = t.opportunisticKeying && e.tunnel() == null;
        if (e.action() == PolicyAction.OPPORTUNISTIC && f == Fallback.CLEAR && !oeDecides) {
            e.counters.countOutbound(key.totalLength);
            plane.sendOutside(buf, off, len);
            return;
        }
        if (!rerun) e.counters.countDrop();
        long since = rerun ? rerunSince : System.nanoTime();
        if (e.action() == PolicyAction.OPPORTUNISTIC) {
            // The pair's first packet waits (one per host pair) while key management looks, whatever the fallback:
            // a peer that supports OE must never see it in the clear. OE's decision (a tunnel, or a host-pair
            // permit/deny entry once discovery or IKE failed) swaps the table, which re-runs it; without one it
            // expires. Later packets of the pair are dropped and counted meanwhile.
            if (holds.holdPair(e, t, key.srcHi, key.srcLo, key.dstHi, key.dstLo, buf, off, len, since) != HoldQueue.HELD)
                drops.drop(DropReason.HOLD_QUEUE_FULL);   // this packet, or the older one it replaced
            return;
        }
        if (f == Fallback.HOLD) {
            if (!holds.hold(e, t, buf, off, len, since)) drops.drop(DropReason.HOLD_QUEUE_FULL);
            return;
        }
        drops.drop(DropReason.NO_SA);
    }

    /** Asks key management for an SA, at most once a second per policy entry (opportunistic: per entry and host pair). */
    private void acquire(PolicyTable t, PolicyEntry e) {
        if (acquireTable != t) { // once per table swap
            lastAcquire = new long[t.spd.size()];
            java.util.Arrays.fill(oeAt, 0);
            acquireTable = t;
        }
        long now = System.nanoTime();
        int i = e.index();
        if (e.action() == PolicyAction.OPPORTUNISTIC) {
            long h = (key.dstHi * 0x9E3779B97F4A7C15L) ^ (key.dstLo * 0xC2B2AE3D27D4EB4FL) ^ (i * 0x165667B19E3779F9L)
                    ^ (key.srcHi * 0x27D4EB2F165667C5L) ^ (key.srcLo * 0x85EBCA77C2B2AE63L);
            int s = (int) (h >>> 56) & (OE_ACQUIRE_SLOTS - 1);
            if (oeAt[s] != 0 && oeEntry[s] == i && oeDstHi[s] == key.dstHi && oeDstLo[s] == key.dstLo && oeSrcHi[s] == key.srcHi
                    && oeSrcLo[s] == key.srcLo && now - oeAt[s] < ACQUIRE_INTERVAL_NANOS) return;
            oeEntry[s] = i;
            oeDstHi[s] = key.dstHi;
            oeDstLo[s] = key.dstLo;
            oeSrcHi[s] = key.srcHi;
            oeSrcLo[s] = key.srcLo;
            oeAt[s] = now;
            plane.acquires.offer(e, key);
            return;
        }
        if (lastAcquire[i] != 0 && now - lastAcquire[i] < ACQUIRE_INTERVAL_NANOS) return;
        lastAcquire[i] = now;
        plane.acquires.offer(e, key);
    }

    /**
     * Re-runs held frames whose tunnel now has an SA or whose table was replaced; drops those held too long. A pair
     * held under an opportunistic entry asks key management again every ACQUIRE_INTERVAL (its acquire may have been
     * lost to a full ring or a lookup rate limit, and a pair with one packet sends no other to ask).
     */
    private void releaseHolds() {
        PolicyTable t = plane.table;
        long now = System.nanoTime();
        for (int i = holds.size() - 1; i >= 0; i--) {
            if (holds.table(i) != t) {   // held under an older table: its fate is the current table's to decide
                rerunSince = holds.since(i);
                int len = holds.take(i, buf, HEADROOM);
                rerun = true;
                handle(HEADROOM, len);
                rerun = false;
                continue;
            }
            PolicyEntry e = holds.entry(i);
            SecurityAssociationDatabase.OutboundSlot slot = t.slots[e.index()];
            SecurityAssociation current = slot == null ? null : slot.current();
            if (current != null && !current.expired()) {
                int len = holds.take(i, buf, HEADROOM);
                handle(HEADROOM, len);
            } else if (holds.expired(i, now)) {
                holds.remove(i);
                drops.drop(DropReason.NO_SA);
            } else if (e.action() == PolicyAction.OPPORTUNISTIC && now - holds.askedAt(i) >= ACQUIRE_INTERVAL_NANOS) {
                holds.asked(i, now);
                byte[] f = holds.frame(i);
                int len = holds.length(i), eh = Ethernet.headerLength(f, 0, len);
                if (eh > 0 && IpPacketParser.parse(f, eh, len - eh, key) == IpPacketParser.OK) acquire(t, e);
            }
        }
    }

    private void protect(PolicyEntry e, SecurityAssociation current, int off, int eh, int ip) {
        SaParameters p = current.params();
        int ipLen = key.totalLength;
        int mtu = plane.own.outsideMtu();
        int overhead = overhead(p, current);
        frameDstMac = Ethernet.mac(buf, off);
        vlanTci = eh > Ethernet.HEADER ? Bytes.u16(buf, off + 14) : -1;
        sa = current;
        entry = e;
        if (ipLen + overhead <= mtu) { encapsulateAndSend(buf, ip, ipLen); return; }
        int innerMtu = mtu - overhead;
        if (key.family == IpAddress.V4 && !key.dontFragment) {
            if (fragmenter.fragment(buf, ip, ipLen, innerMtu, this) < 0) drops.drop(DropReason.MALFORMED);
            return;
        }
        e.counters.countDrop();
        drops.drop(DropReason.TOO_BIG);
        tooBig(off, eh, ip, ipLen, innerMtu);
    }

    /** Worst-case bytes the SA adds to an inner packet (conservative by at most a cipher block). */
    private static int overhead(SaParameters p, SecurityAssociation s) {
        int outerIp = p.peerAddress().family() == IpAddress.V4 ? OuterHeaders.IPV4_HEADER : OuterHeaders.IPV6_HEADER;
        if (p.protocol() == SaProtocol.AH) return outerIp + s.ah().headerLength(p.peerAddress().family());
        EspTransform esp = s.esp();
        return outerIp + (p.udpEncapsulation() ? OuterHeaders.UDP_HEADER : 0) + 8 + esp.ivLength() + esp.maxTrailerLength();
    }

    @Override public void fragment(byte[] b, int off, int len) { encapsulateAndSend(b, off, len); }

    private void encapsulateAndSend(byte[] b, int ip, int ipLen) {
        SecurityAssociation s = sa;
        SaParameters p = s.params();
        long seq = s.nextSequence();
        if (seq < 0) { entry.counters.countDrop(); drops.drop(DropReason.SEQUENCE_EXHAUSTED); return; }
        if (s.account(ipLen) == LifetimeState.HARD_EXPIRED) { entry.counters.countDrop(); drops.drop(DropReason.SA_EXPIRED); return; }
        int nextHeader = key.family == IpAddress.V4 ? 4 : 41;
        int outerFamily = p.peerAddress().family();
        int outerIpLen = outerFamily == IpAddress.V4 ? OuterHeaders.IPV4_HEADER : OuterHeaders.IPV6_HEADER;
        EncapsulationRules rules = p.mode() == SaMode.IIPTRAN ? EncapsulationRules.IIPTRAN : EncapsulationRules.TUNNEL;
        int outerIp, outerLen, protocol;
        if (p.protocol() == SaProtocol.ESP) {
            EspTransform esp = s.esp();
            int espOff = ip - 8 - esp.ivLength();
            int espLen = esp.seal(b, espOff, ipLen, nextHeader, p.spi(), seq, p.esn());
            int l4 = espOff;
            protocol = 50;
            if (p.udpEncapsulation()) {
                l4 -= OuterHeaders.UDP_HEADER;
                OuterHeaders.writeUdp(b, l4, p.localPort(), p.peerPort(), espLen + OuterHeaders.UDP_HEADER);
                protocol = 17;
            }
            outerIp = l4 - outerIpLen;
            outerLen = outerIpLen + (espOff - l4) + espLen;
            writeOuterIp(b, outerIp, outerLen, outerFamily, rules, protocol, p);
            if (protocol == 17 && outerFamily == IpAddress.V6) OuterHeaders.fillUdpChecksumV6(b, outerIp, l4, outerLen - outerIpLen);
        } else {
            AhTransform ah = s.ah();
            int ahLen = ah.headerLength(outerFamily);
            int ahOff = ip - ahLen;
            outerIp = ahOff - outerIpLen;
            outerLen = outerIpLen + ahLen + ipLen;
            writeOuterIp(b, outerIp, outerLen, outerFamily, rules, 51, p);
            ah.seal(b, outerIp, outerLen, ahOff, nextHeader, p.spi(), seq, p.esn());
        }
        int eth = writeEthernet(b, outerIp, outerFamily, frameDstMac, plane.own.mac(), vlanTci);
        entry.counters.countOutbound(ipLen);
        plane.sendOutside(b, eth, outerIp + outerLen - eth);
    }

    private void writeOuterIp(byte[] b, int at, int totalLen, int family, EncapsulationRules rules, int protocol, SaParameters p) {
        if (family == IpAddress.V4)
            OuterHeaders.writeIpv4(b, at, totalLen, rules.outerTos(key.tos), ipId++ & 0xffff, rules.outerDf(key), rules.outerTtl(key), protocol, p.localAddress(), p.peerAddress());
        else
            OuterHeaders.writeIpv6(b, at, totalLen - OuterHeaders.IPV6_HEADER, rules.outerTos(key.tos), 0, rules.outerTtl(key), protocol, p.localAddress(), p.peerAddress());
    }

    /** Writes Ethernet (+ VLAN tag) in front of the IP header at ip; returns the frame start. */
    static int writeEthernet(byte[] b, int ip, int family, long dst, long src, int vlanTci) {
        int eth = ip - (vlanTci >= 0 ? Ethernet.HEADER + 4 : Ethernet.HEADER);
        Ethernet.putMac(b, eth, dst);
        Ethernet.putMac(b, eth + 6, src);
        if (vlanTci >= 0) {
            Bytes.put16(b, eth + 12, Ethernet.TPID_8021Q);
            Bytes.put16(b, eth + 14, vlanTci);
        }
        Bytes.put16(b, ip - 2, family == IpAddress.V4 ? Ethernet.IPV4 : Ethernet.IPV6);
        return eth;
    }

    /** ICMP fragmentation-needed / packet-too-big back to the inner sender, seemingly from its gateway. */
    private void tooBig(int off, int eh, int ip, int ipLen, int innerMtu) {
        IpAddress from = plane.own.forFamily(key.family);
        if (from == null) from = IpAddress.read(key.family, buf, ip + (key.family == IpAddress.V4 ? 16 : 24));
        int icmpIp = HEADROOM;
        int n = key.family == IpAddress.V4
                ? IcmpErrors.fragmentationNeeded(buf, ip, ipLen, innerMtu, from, icmp, icmpIp)
                : IcmpErrors.packetTooBig(buf, ip, ipLen, Math.max(innerMtu, IcmpErrors.MIN_IPV6_MTU), from, icmp, icmpIp);
        if (n <= 0) return;
        int eth = writeEthernet(icmp, icmpIp, key.family, Ethernet.mac(buf, off + 6), Ethernet.mac(buf, off), eh > Ethernet.HEADER ? Bytes.u16(buf, off + 14) : -1);
        plane.sendInside(icmp, eth, icmpIp + n - eth);
    }
}
