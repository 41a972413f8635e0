// The pipeline end to end, in memory: two appliances back to back, the test playing the LAN hosts and the wire.
package bitw.bridge;

import static bitw.bridge.TestFrames.*;
import static org.junit.jupiter.api.Assertions.*;

import bitw.ipsec.DropReason;
import bitw.ipsec.crypto.EncryptionAlgorithm;
import bitw.ipsec.crypto.IntegrityAlgorithm;
import bitw.ipsec.packet.Bytes;
import bitw.ipsec.sad.SaMode;
import bitw.ipsec.sad.SaProtocol;
import bitw.ipsec.spd.Fallback;
import bitw.ipsec.spd.PolicyAction;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

class DataPlaneTest {
    static final BackToBack.Transform GCM128 = new BackToBack.Transform(SaProtocol.ESP, EncryptionAlgorithm.AES_GCM_128, IntegrityAlgorithm.NONE);

    static Stream<BackToBack.Transform> transforms() {
        List<BackToBack.Transform> l = new ArrayList<>();
        for (EncryptionAlgorithm e : EncryptionAlgorithm.values()) {
            if (e.aead) { l.add(new BackToBack.Transform(SaProtocol.ESP, e, IntegrityAlgorithm.NONE)); continue; }
            for (IntegrityAlgorithm i : IntegrityAlgorithm.values()) if (i != IntegrityAlgorithm.NONE) l.add(new BackToBack.Transform(SaProtocol.ESP, e, i));
        }
        l.add(new BackToBack.Transform(SaProtocol.AH, EncryptionAlgorithm.NULL, IntegrityAlgorithm.HMAC_SHA256_128));
        l.add(new BackToBack.Transform(SaProtocol.AH, EncryptionAlgorithm.NULL, IntegrityAlgorithm.HMAC_SHA1_96));
        return l.stream();
    }

    private static BackToBack lab(BackToBack.Transform tf, SaMode ma, SaMode mb, boolean udp, boolean v6Outer) {
        BackToBack l = new BackToBack(1500, v6Outer);
        l.tunnel(tf, ma, mb, udp, v6Outer, 42);
        l.policies(PolicyAction.CONFIGURED, Fallback.DROP);
        l.start();
        return l;
    }

    /** Sends from host A, returns the frame host B received (asserting what crossed the wire). */
    private static byte[] crossAtoB(BackToBack l, byte[] frame, int wireProtocol) throws Exception {
        l.aLan.send(frame, 0, frame.length);
        byte[] wire = l.aOut.nextSent(2000);
        assertNotNull(wire, "nothing left A's outside port");
        int type = Bytes.u16(wire, 12);
        int proto = type == Ethernet.IPV4 ? wire[14 + 9] : wire[14 + 6];
        assertEquals(wireProtocol, proto & 0xff, "outer protocol on the wire");
        assertEquals(BackToBack.MAC_A, Ethernet.mac(wire, 6), "outer frame comes from A's own MAC");
        assertEquals(ROUTER_A_MAC, Ethernet.mac(wire, 0), "outer frame goes to the host's router");
        byte[] inner = ipPacket(frame);
        boolean confidential = wireProtocol == 50 && l.a.sad().all().get(0).params().encryption() != EncryptionAlgorithm.NULL;
        if (confidential) assertEquals(-1, indexOf(wire, Arrays.copyOfRange(inner, inner.length - 16, inner.length)) , "payload must not appear in the clear on the wire");
        byte[] got = l.bLan.rx.poll(2, java.util.concurrent.TimeUnit.SECONDS);
        assertNotNull(got, "nothing reached LAN B; drops: " + new StatusReport(l.b).text());
        return got;
    }

    static int indexOf(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int j = 0; j < needle.length; j++) if (hay[i + j] != needle[j]) continue outer;
            return i;
        }
        return -1;
    }

    @ParameterizedTest @MethodSource("transforms")
    void protectsIpv4AndIpv6BetweenLansWithEveryTransform(BackToBack.Transform tf) throws Exception {
        try (BackToBack l = lab(tf, SaMode.TUNNEL, SaMode.TUNNEL, false, false)) {
            int proto = tf.protocol() == SaProtocol.ESP ? 50 : 51;
            byte[] f4 = udp(ROUTER_A_MAC, HOST_A_MAC, "10.1.0.10", "10.2.0.20", 1000, 2000, 333, true, 1);
            assertArrayEquals(ipPacket(f4), ipPacket(crossAtoB(l, f4, proto)));
            byte[] f6 = udp(ROUTER_A_MAC, HOST_A_MAC, "2001:db8:1::10", "2001:db8:2::20", 1000, 2000, 1000, true, 2);
            assertArrayEquals(ipPacket(f6), ipPacket(crossAtoB(l, f6, proto)));
        }
    }

    static Stream<Arguments> modes() {
        return Stream.of(Arguments.of(SaMode.TUNNEL, SaMode.TUNNEL), Arguments.of(SaMode.IIPTRAN, SaMode.IIPTRAN),
                Arguments.of(SaMode.IIPTRAN, SaMode.TUNNEL), Arguments.of(SaMode.TUNNEL, SaMode.IIPTRAN));
    }

    @ParameterizedTest @MethodSource("modes")
    void iiptranAndTunnelModeInteroperateOverIpv4AndIpv6Outer(SaMode ma, SaMode mb) throws Exception {
        for (boolean v6Outer : new boolean[] {false, true}) {
            try (BackToBack l = lab(GCM128, ma, mb, false, v6Outer)) {
                byte[] f4 = udp(ROUTER_A_MAC, HOST_A_MAC, "10.1.0.10", "10.2.0.20", 5, 6, 100, false, 3);
                assertArrayEquals(ipPacket(f4), ipPacket(crossAtoB(l, f4, 50)));
                byte[] f6 = udp(ROUTER_A_MAC, HOST_A_MAC, "2001:db8:1::10", "2001:db8:2::20", 5, 6, 100, true, 4);
                assertArrayEquals(ipPacket(f6), ipPacket(crossAtoB(l, f6, 50)));
            }
        }
    }

    @Test
    void udpEncapsulatedEspTravelsInUdp4500() throws Exception {
        try (BackToBack l = lab(GCM128, SaMode.TUNNEL, SaMode.TUNNEL, true, false)) {
            byte[] f = udp(ROUTER_A_MAC, HOST_A_MAC, "10.1.0.10", "10.2.0.20", 1, 2, 50, true, 5);
            l.aLan.send(f, 0, f.length);
            byte[] wire = l.aOut.nextSent(2000);
            assertEquals(17, wire[14 + 9]);
            assertEquals(4500, Bytes.u16(wire, 14 + 20 + 2));
            assertNotEquals(0, Bytes.i32(wire, 14 + 28), "ESP in UDP starts with a non-zero SPI");
            assertArrayEquals(ipPacket(f), ipPacket(l.bLan.rx.poll(2, java.util.concurrent.TimeUnit.SECONDS)));
        }
    }

    @Test
    void replayedCorruptedTruncatedAndUnknownSpiFramesAreDroppedAndCounted() throws Exception {
        try (BackToBack l = lab(GCM128, SaMode.TUNNEL, SaMode.TUNNEL, false, false)) {
            byte[] f = udp(ROUTER_A_MAC, HOST_A_MAC, "10.1.0.10", "10.2.0.20", 1, 2, 200, true, 6);
            crossAtoB(l, f, 50);
            // Take the next frame that crosses and replay it, corrupt it, truncate it, change its SPI.
            l.aLan.send(f, 0, f.length);
            byte[] wire = l.aOut.nextSent(2000);
            assertNotNull(l.bLan.rx.poll(2, java.util.concurrent.TimeUnit.SECONDS));
            l.bOut.inject(wire);
            byte[] bad = wire.clone();
            bad[bad.length - 20] ^= 1;
            Bytes.put32(bad, 14 + 24, Bytes.i32(bad, 14 + 24) + 10); // fresh sequence number so the ICV, not replay, rejects it
            l.bOut.inject(bad);
            l.bOut.inject(Arrays.copyOf(wire, 14 + 20 + 6));
            byte[] spi = wire.clone();
            Bytes.put32(spi, 14 + 20, 0x7777);
            l.bOut.inject(spi);
            waitFor(() -> drops(l.b, DropReason.UNKNOWN_SPI) == 1);
            assertEquals(1, drops(l.b, DropReason.REPLAY));
            assertEquals(1, drops(l.b, DropReason.ICV_FAILED));
            assertEquals(1, drops(l.b, DropReason.TRUNCATED));
            assertNull(l.bLan.rx.poll(100, java.util.concurrent.TimeUnit.MILLISECONDS), "nothing bad reaches the LAN");
        }
    }

    @Test
    void configuredPolicyWithoutSaNeverSendsCleartext() throws Exception {
        try (BackToBack l = new BackToBack(1500, false)) {
            l.policies(PolicyAction.CONFIGURED, Fallback.DROP);
            l.start();
            for (int i = 0; i < 5; i++) {
                byte[] f = udp(ROUTER_A_MAC, HOST_A_MAC, "10.1.0.10", "10.2.0.20", 1, 2, 64, true, i);
                l.aLan.send(f, 0, f.length);
            }
            waitFor(() -> drops(l.a, DropReason.NO_SA) == 5);
            assertTrue(l.aOut.sentLog.isEmpty(), "nothing at all left the outside port");
        }
    }

    @Test
    void opportunisticPolicyAsksOncePerDestinationNotOncePerPolicy() throws Exception {
        try (BackToBack l = new BackToBack(1500, false)) {
            l.policies(PolicyAction.OPPORTUNISTIC, Fallback.DROP);
            l.start();
            for (String dst : new String[] {"10.2.0.20", "10.2.0.21", "10.2.0.20", "10.2.0.21", "10.2.0.22"}) {
                byte[] f = udp(ROUTER_A_MAC, HOST_A_MAC, "10.1.0.10", dst, 1, 2, 64, true, 1);
                l.aLan.send(f, 0, f.length);
            }
            waitFor(() -> drops(l.a, DropReason.HOLD_QUEUE_FULL) == 2);   // the repeats; the first of each pair is held
            assertTrue(l.aOut.sentLog.isEmpty(), "fallback drop: nothing in the clear");
            java.util.List<String> asked = new java.util.ArrayList<>();
            for (AcquireQueue.Acquire a; (a = l.a.acquires.poll()) != null; ) asked.add(a.destination().toString());
            assertEquals(java.util.List.of("10.2.0.20", "10.2.0.21", "10.2.0.22"), asked, "each new destination asks at once; repeats within a second do not");
        }
    }

    @Test
    void opportunisticDropHoldsTheFirstPacketOfEachHostPairUntilItsTunnelIsUp() throws Exception {
        try (BackToBack l = new BackToBack(1500, false)) {
            l.policies(PolicyAction.OPPORTUNISTIC, Fallback.DROP);
            l.start();
            byte[] first = udp(ROUTER_A_MAC, HOST_A_MAC, "10.1.0.10", "10.2.0.20", 1, 2, 64, true, 1);
            byte[] again = udp(ROUTER_A_MAC, HOST_A_MAC, "10.1.0.10", "10.2.0.20", 1, 2, 64, true, 2);
            byte[] otherPair = udp(ROUTER_A_MAC, HOST_A_MAC, "10.1.0.11", "10.2.0.20", 1, 2, 64, true, 3);
            l.aLan.send(first, 0, first.length);
            l.aLan.send(again, 0, again.length);
            l.aLan.send(otherPair, 0, otherPair.length);
            waitFor(() -> drops(l.a, DropReason.HOLD_QUEUE_FULL) == 1);
            assertEquals(0, drops(l.a, DropReason.NO_SA));
            assertTrue(l.aOut.sentLog.isEmpty(), "nothing in the clear while held");
            l.tunnel(GCM128, SaMode.TUNNEL, SaMode.TUNNEL, false, false, 7);
            java.util.Set<String> got = new java.util.HashSet<>();
            for (int i = 0; i < 2; i++) {
                byte[] g = l.bLan.rx.poll(3, java.util.concurrent.TimeUnit.SECONDS);
                assertNotNull(g, "both pairs' first packets released once the SA exists");
                got.add(java.util.HexFormat.of().formatHex(ipPacket(g)));
            }
            assertEquals(java.util.Set.of(java.util.HexFormat.of().formatHex(ipPacket(first)), java.util.HexFormat.of().formatHex(ipPacket(otherPair))), got);
        }
    }

    @Test
    void aFloodOfNewHostPairsCannotKeepTheNextPairsFirstPacketOut() throws Exception {
        try (BackToBack l = new BackToBack(1500, false)) {
            l.policies(PolicyAction.OPPORTUNISTIC, Fallback.DROP);
            l.start();
            int flood = HoldQueue.MAX_HELD + 100;
            for (int i = 0; i < flood; i++) {
                byte[] f = udp(ROUTER_A_MAC, HOST_A_MAC, "10.1.0." + (1 + i % 250), "10.2.0." + (100 + i / 250), 1, 2, 64, true, i);
                l.aLan.send(f, 0, f.length);
            }
            waitFor(() -> drops(l.a, DropReason.HOLD_QUEUE_FULL) == 100, () -> "drops: " + drops(l.a, DropReason.HOLD_QUEUE_FULL));
            byte[] real = udp(ROUTER_A_MAC, HOST_A_MAC, "10.1.0.10", "10.2.0.20", 7, 7, 64, true, 4242);
            l.aLan.send(real, 0, real.length);
            waitFor(() -> drops(l.a, DropReason.HOLD_QUEUE_FULL) == 101, () -> "drops: " + drops(l.a, DropReason.HOLD_QUEUE_FULL));
            assertTrue(l.aOut.sentLog.isEmpty(), "fallback drop: nothing in the clear");
            l.tunnel(GCM128, SaMode.TUNNEL, SaMode.TUNNEL, false, false, 7);
            String wanted = java.util.HexFormat.of().formatHex(ipPacket(real));
            boolean seen = false;
            for (int i = 0; i < HoldQueue.MAX_HELD && !seen; i++) {
                byte[] g = l.bLan.rx.poll(3, java.util.concurrent.TimeUnit.SECONDS);
                assertNotNull(g, "held packets released once the SA exists");
                seen = java.util.HexFormat.of().formatHex(ipPacket(g)).equals(wanted);
            }
            assertTrue(seen, "the oldest flood packet made room for the new pair's first packet, which left once the SA was there");
        }
    }

    @Test
    void holdKeepsOnePacketPerPolicyAndSendsItWhenTheSaArrives() throws Exception {
        try (BackToBack l = new BackToBack(1500, false)) {
            l.policies(PolicyAction.CONFIGURED, Fallback.HOLD);
            l.start();
            byte[] first = udp(ROUTER_A_MAC, HOST_A_MAC, "10.1.0.10", "10.2.0.20", 1, 2, 64, true, 1);
            byte[] second = udp(ROUTER_A_MAC, HOST_A_MAC, "10.1.0.10", "10.2.0.20", 1, 2, 64, true, 2);
            l.aLan.send(first, 0, first.length);
            l.aLan.send(second, 0, second.length);
            waitFor(() -> drops(l.a, DropReason.HOLD_QUEUE_FULL) == 1);
            assertTrue(l.aOut.sentLog.isEmpty());
            AcquireQueue.Acquire acq = l.a.acquires.poll();
            assertNotNull(acq, "the held packet asked key management for an SA");
            assertEquals("lan4", acq.entry().name());
            assertEquals("10.1.0.10", acq.source().toString());
            assertEquals("10.2.0.20", acq.destination().toString());
            assertEquals(17, acq.protocol());
            assertNull(l.a.acquires.poll(), "one acquire per policy per second, not one per packet");
            l.tunnel(GCM128, SaMode.TUNNEL, SaMode.TUNNEL, false, false, 7);
            byte[] got = l.bLan.rx.poll(3, java.util.concurrent.TimeUnit.SECONDS);
            assertNotNull(got, "held packet released once the SA exists");
            assertArrayEquals(ipPacket(first), ipPacket(got));
        }
    }

    @Test
    void heldPacketSurvivesATableSwapAndLeavesWhenTheSaArrives() throws Exception {
        try (BackToBack l = new BackToBack(1500, false)) {
            l.policies(PolicyAction.CONFIGURED, Fallback.HOLD);
            l.start();
            byte[] first = udp(ROUTER_A_MAC, HOST_A_MAC, "10.1.0.10", "10.2.0.20", 1, 2, 64, true, 1);
            l.aLan.send(first, 0, first.length);
            waitFor(() -> l.a.acquires.poll() != null);
            // Another commit (or an OE host pair coming or going) swaps the table while the packet waits.
            l.policies(PolicyAction.CONFIGURED, Fallback.HOLD);
            Thread.sleep(200);
            l.tunnel(GCM128, SaMode.TUNNEL, SaMode.TUNNEL, false, false, 7);
            byte[] got = l.bLan.rx.poll(3, java.util.concurrent.TimeUnit.SECONDS);
            assertNotNull(got, "held packet released under the new table once the SA exists");
            assertArrayEquals(ipPacket(first), ipPacket(got));
        }
    }

    @Test
    void denyDropsPermitPassesAndCleartextUnderConfiguredPolicyIsRefused() throws Exception {
        try (BackToBack l = new BackToBack(1500, false)) {
            l.policies(PolicyAction.PERMIT, null);
            l.start();
            byte[] f = udp(ROUTER_A_MAC, HOST_A_MAC, "10.1.0.10", "10.2.0.20", 1, 2, 64, true, 1);
            l.aLan.send(f, 0, f.length);
            assertArrayEquals(f, l.bLan.rx.poll(2, java.util.concurrent.TimeUnit.SECONDS), "permit forwards the frame unchanged");
            l.policies(PolicyAction.DENY, null);
            l.aLan.send(f, 0, f.length);
            waitFor(() -> drops(l.a, DropReason.POLICY_DENY) == 1);
            l.policies(PolicyAction.CONFIGURED, Fallback.DROP);
            l.bOut.inject(f); // cleartext from the outside that B's configured policy covers
            waitFor(() -> drops(l.b, DropReason.CLEARTEXT_UNDER_POLICY) == 1);
            assertNull(l.bLan.rx.poll(100, java.util.concurrent.TimeUnit.MILLISECONDS));
            byte[] other = udp(ROUTER_A_MAC, HOST_A_MAC, "10.1.0.10", "10.9.0.9", 1, 2, 64, true, 1);
            l.aLan.send(other, 0, other.length);
            waitFor(() -> drops(l.a, DropReason.NO_POLICY) == 1, () -> new StatusReport(l.a).text());
        }
    }

    @Test
    void tooBigWithDfGetsIcmpFragmentationNeededAndWithoutDfIsFragmented() throws Exception {
        try (BackToBack l = new BackToBack(1400, false)) {
            l.tunnel(GCM128, SaMode.IIPTRAN, SaMode.IIPTRAN, false, false, 9);
            l.policies(PolicyAction.CONFIGURED, Fallback.DROP);
            l.start();
            byte[] df = udp(ROUTER_A_MAC, HOST_A_MAC, "10.1.0.10", "10.2.0.20", 1, 2, 1400, true, 1);
            l.aLan.send(df, 0, df.length);
            byte[] icmp = l.aLan.rx.poll(2, java.util.concurrent.TimeUnit.SECONDS);
            assertNotNull(icmp, "ICMP comes back to the sender");
            assertEquals(1, icmp[14 + 9], "ICMP");
            assertEquals(3, icmp[14 + 20] & 0xff);
            assertEquals(4, icmp[14 + 20 + 1] & 0xff);
            int mtu = Bytes.u16(icmp, 14 + 20 + 6);
            assertTrue(mtu < 1400 - 40 && mtu > 1300, "next-hop MTU accounts for the ESP overhead: " + mtu);
            assertEquals(1, drops(l.a, DropReason.TOO_BIG));

            byte[] nodf = udp(ROUTER_A_MAC, HOST_A_MAC, "10.1.0.10", "10.2.0.20", 1, 2, 3000, false, 2);
            l.aLan.send(nodf, 0, nodf.length);
            List<byte[]> frags = new ArrayList<>();
            byte[] x;
            while ((x = l.bLan.rx.poll(500, java.util.concurrent.TimeUnit.MILLISECONDS)) != null) frags.add(ipPacket(x));
            assertTrue(frags.size() >= 3, "fragments delivered: " + frags.size());
            for (byte[] w : l.aOut.sentLog) assertTrue(w.length - 14 <= 1400, "every outer packet fits the MTU");
            assertArrayEquals(Arrays.copyOfRange(ipPacket(nodf), 20, ipPacket(nodf).length), reassembledPayload(frags));
        }
    }

    private static byte[] reassembledPayload(List<byte[]> frags) {
        byte[] out = new byte[65536];
        int end = 0;
        for (byte[] p : frags) {
            int off = (Bytes.u16(p, 6) & 0x1fff) * 8, hl = (p[0] & 0xf) * 4, len = Bytes.u16(p, 2) - hl;
            System.arraycopy(p, hl, out, off, len);
            end = Math.max(end, off + len);
        }
        return Arrays.copyOf(out, end);
    }

    @Test
    void arpForTheOwnAddressGoesToTheKernelOthersAreBridged() throws Exception {
        try (BackToBack l = new BackToBack(1500, false)) {
            l.policies(PolicyAction.PERMIT, null);
            l.start();
            l.bOut.inject(arpRequest(ROUTER_B_MAC, "192.0.2.254", "192.0.2.2"));
            assertNotNull(l.bTap.nextSent(2000), "ARP for our address reaches the TAP");
            l.bOut.inject(arpRequest(ROUTER_B_MAC, "10.2.0.1", "10.2.0.20"));
            assertNotNull(l.bLan.rx.poll(2, java.util.concurrent.TimeUnit.SECONDS), "other ARP is bridged");
        }
    }

    @Test
    void unknownInsideHostIsResolvedWithArpOrNeighborSolicitationBeforeDelivery() throws Exception {
        try (BackToBack l = new BackToBack(1500, false)) {
            l.tunnel(GCM128, SaMode.TUNNEL, SaMode.TUNNEL, false, false, 3);
            l.policies(PolicyAction.CONFIGURED, Fallback.DROP);
            l.startUnlearned();
            byte[] f = udp(ROUTER_A_MAC, HOST_A_MAC, "10.1.0.10", "10.2.0.20", 1, 2, 64, true, 1);
            l.aLan.send(f, 0, f.length);
            byte[] probe = l.bLan.rx.poll(2, java.util.concurrent.TimeUnit.SECONDS);
            assertNotNull(probe, "B asks for host B's MAC");
            assertEquals(Ethernet.ARP, Bytes.u16(probe, 12));
            assertEquals(Ethernet.BROADCAST, Ethernet.mac(probe, 0));
            assertEquals(0, Bytes.i32(probe, 14 + 14), "an ARP probe claims no sender address");
            assertEquals(bitw.ipsec.packet.IpAddress.parse("10.2.0.20").lo(), Bytes.u32(probe, 14 + 24));
            // Host B answers the probe; the parked packet follows, unicast to it.
            byte[] reply = arpReplyFromHostB();
            l.bLan.send(reply, 0, reply.length);
            byte[] got = l.bLan.rx.poll(2, java.util.concurrent.TimeUnit.SECONDS);
            assertNotNull(got);
            assertEquals(HOST_B_MAC, Ethernet.mac(got, 0), "delivered unicast to the resolved host");
            assertArrayEquals(ipPacket(f), ipPacket(got));
            assertNull(l.bOut.sentLog.stream().filter(x -> Bytes.u16(x, 12) == Ethernet.ARP).findAny().orElse(null), "the answer to our probe is not bridged");

            byte[] f6 = udp(ROUTER_A_MAC, HOST_A_MAC, "2001:db8:1::10", "2001:db8:2::20", 1, 2, 64, true, 2);
            l.aLan.send(f6, 0, f6.length);
            byte[] ns = l.bLan.rx.poll(2, java.util.concurrent.TimeUnit.SECONDS);
            assertNotNull(ns);
            assertEquals(Ethernet.IPV6, Bytes.u16(ns, 12));
            assertEquals(135, ns[14 + 40] & 0xff, "neighbor solicitation");
            assertEquals(0x3333ff000020L, Ethernet.mac(ns, 0), "to the solicited-node group");
            assertEquals(0, TestFrames.checksum(ns, 14 + 40, 32, icmp6Pseudo(ns)), "valid ICMPv6 checksum");
            waitFor(() -> drops(l.b, DropReason.NEIGHBOUR_UNRESOLVED) == 1); // nobody answered: dropped after a second, counted
            assertTrue(l.bLan.rx.stream().allMatch(x -> Bytes.u16(x, 12) == Ethernet.IPV6 && (x[14 + 40] & 0xff) == 135), "only re-solicitations, no guessing");
        }
    }

    @Test
    void everyPacketParkedForAnUnresolvedHostIsDeliveredInOrderUpToItsShare() throws Exception {
        // The fragments of one datagram arrive back to back: all of them must wait for the answer, not just the first.
        try (BackToBack l = new BackToBack(1500, false)) {
            l.tunnel(GCM128, SaMode.TUNNEL, SaMode.TUNNEL, false, false, 5);
            l.policies(PolicyAction.CONFIGURED, Fallback.DROP);
            l.startUnlearned();
            int sent = NeighbourResolver.PER_HOST + 2;
            java.util.List<byte[]> frames = new java.util.ArrayList<>();
            for (int i = 0; i < sent; i++) {
                byte[] f = udp(ROUTER_A_MAC, HOST_A_MAC, "10.1.0.10", "10.2.0.20", 1, 2, 64 + i, true, i);
                frames.add(f);
                l.aLan.send(f, 0, f.length);
            }
            waitFor(() -> drops(l.b, DropReason.NEIGHBOUR_UNRESOLVED) == 2, () -> "only what exceeds the host's share is dropped");
            java.util.List<byte[]> beforeAnswer = new java.util.ArrayList<>();
            l.bLan.rx.drainTo(beforeAnswer);
            assertFalse(beforeAnswer.isEmpty());
            assertTrue(beforeAnswer.stream().allMatch(x -> Bytes.u16(x, 12) == Ethernet.ARP), "nothing but ARP before the answer");
            assertTrue(beforeAnswer.size() <= 3, "one probe per host (and re-probes every 250 ms), not one per packet: " + beforeAnswer.size());
            byte[] reply = arpReplyFromHostB();
            l.bLan.send(reply, 0, reply.length);
            for (int i = 0; i < NeighbourResolver.PER_HOST; i++) {
                byte[] got;
                do {
                    got = l.bLan.rx.poll(2, java.util.concurrent.TimeUnit.SECONDS);
                    assertNotNull(got, "packet " + i + " of " + NeighbourResolver.PER_HOST + " delivered");
                } while (Bytes.u16(got, 12) == Ethernet.ARP);
                assertEquals(HOST_B_MAC, Ethernet.mac(got, 0));
                assertArrayEquals(ipPacket(frames.get(i)), ipPacket(got), "in arrival order: packet " + i);
            }
            assertEquals(2, drops(l.b, DropReason.NEIGHBOUR_UNRESOLVED));
        }
    }

    /** Host B's reply to our ARP probe for 10.2.0.20. */
    private static byte[] arpReplyFromHostB() {
        byte[] reply = arpRequest(HOST_B_MAC, "10.2.0.20", "0.0.0.0");
        Bytes.put16(reply, 20, 2);
        Ethernet.putMac(reply, 0, BackToBack.MAC_B);
        Ethernet.putMac(reply, 32, BackToBack.MAC_B);
        return reply;
    }

    private static int icmp6Pseudo(byte[] f) {
        int s = 0;
        for (int i = 14 + 8; i < 14 + 40; i += 2) s += Bytes.u16(f, i);
        return s + 58 + 32;
    }

    /** Inserts an 802.1Q tag (TPID 0x8100) with this VLAN id after the MAC addresses. */
    static byte[] tagged(byte[] f, int vlan) {
        byte[] t = new byte[f.length + 4];
        System.arraycopy(f, 0, t, 0, 12);
        Bytes.put16(t, 12, Ethernet.TPID_8021Q);
        Bytes.put16(t, 14, vlan);
        System.arraycopy(f, 12, t, 16, f.length - 12);
        return t;
    }

    @Test
    void vlanTaggedIpIsJudgedByTheSpdAndKeepsItsTag() throws Exception {
        try (BackToBack l = lab(GCM128, SaMode.TUNNEL, SaMode.TUNNEL, false, false)) {
            byte[] f = tagged(udp(ROUTER_A_MAC, HOST_A_MAC, "10.1.0.10", "10.2.0.20", 1, 2, 100, true, 1), 100);
            l.aLan.send(f, 0, f.length);
            byte[] wire = l.aOut.nextSent(2000);
            assertEquals(Ethernet.TPID_8021Q, Bytes.u16(wire, 12), "the outer frame stays on the VLAN");
            assertEquals(100, Bytes.u16(wire, 14) & 0xfff);
            assertEquals(50, wire[18 + 9], "and carries ESP: the IP inside the tag met the configured policy");
            byte[] got = l.bLan.rx.poll(2, java.util.concurrent.TimeUnit.SECONDS);
            assertNotNull(got);
            assertEquals(100, Bytes.u16(got, 14) & 0xfff, "delivered on the same VLAN");
            assertArrayEquals(Arrays.copyOfRange(f, 18, f.length), Arrays.copyOfRange(got, 18, got.length));
            // Under deny, tagged IP is dropped like untagged IP.
            l.policies(PolicyAction.DENY, null);
            l.aLan.send(f, 0, f.length);
            waitFor(() -> drops(l.a, DropReason.POLICY_DENY) == 1);
        }
    }

    @Test
    void l2PolicyDropsWhatItSaysAndCountsIt() throws Exception {
        try (BackToBack l = new BackToBack(1500, false)) {
            l.start();
            L2Policy none = new L2Policy(false, false, false, false, false);
            l.a.install(new PolicyTable(java.util.List.of(), PolicyAction.PERMIT, none, l.a.sad()));
            byte[] arp = arpRequest(HOST_A_MAC, "10.1.0.10", "10.1.0.1");
            byte[] lldp = arp.clone();
            Bytes.put16(lldp, 12, Ethernet.LLDP);
            byte[] other = arp.clone();
            Bytes.put16(other, 12, 0x88b5);
            byte[] vlanArp = tagged(arp, 7);
            for (byte[] f : new byte[][] {arp, lldp, other, vlanArp}) l.aLan.send(f, 0, f.length);
            waitFor(() -> drops(l.a, DropReason.L2_POLICY) == 4);
            assertTrue(l.aOut.sentLog.isEmpty(), "nothing crossed");
            l.a.install(new PolicyTable(java.util.List.of(), PolicyAction.PERMIT, L2Policy.PASS_ALL, l.a.sad()));
            for (byte[] f : new byte[][] {arp, lldp, other, vlanArp}) l.aLan.send(f, 0, f.length);
            for (byte[] f : new byte[][] {arp, lldp, other, vlanArp}) assertArrayEquals(f, l.aOut.nextSent(2000), "passed unchanged");
        }
    }

    static long drops(DataPlane p, DropReason r) {
        long t = 0;
        for (DropCounters d : p.status().drops()) t += d.count(r);
        return t;
    }

    static void waitFor(java.util.function.BooleanSupplier cond) throws InterruptedException {
        waitFor(cond, () -> "");
    }

    static void waitFor(java.util.function.BooleanSupplier cond, java.util.function.Supplier<String> detail) throws InterruptedException {
        long end = System.nanoTime() + 3_000_000_000L;
        while (!cond.getAsBoolean()) {
            if (System.nanoTime() > end) fail("condition not reached in 3 s " + detail.get());
            Thread.sleep(5);
        }
    }
}
