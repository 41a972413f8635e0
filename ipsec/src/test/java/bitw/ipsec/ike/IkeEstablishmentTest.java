// IKE_SA_INIT + IKE_AUTH between two engines in memory: the three interop proposals, failures reported on both
// sides, INVALID_KE retry, traffic-selector narrowing, IIPtran, NAT traversal and SA parameters that mirror.
package bitw.ipsec.ike;

import static org.junit.jupiter.api.Assertions.*;

import bitw.ipsec.crypto.EncryptionAlgorithm;
import bitw.ipsec.crypto.IntegrityAlgorithm;
import bitw.ipsec.ike.crypto.KeyExchangeMethod;
import bitw.ipsec.ike.crypto.Prf;
import bitw.ipsec.packet.IpPrefix;
import bitw.ipsec.sad.SaMode;
import bitw.ipsec.sad.SaParameters;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class IkeEstablishmentTest {
    static EnginePair establish(TestConnections.Builder a, TestConnections.Builder b) {
        EnginePair p = new EnginePair(7);
        p.start(List.of(a.build()), List.of(b.build()));
        p.a.engine.initiate(a.name, p.now);
        p.run();
        return p;
    }

    /** Both sides installed exactly one pair, and each side's inbound SA is the other's outbound SA. */
    static void assertMirrored(EnginePair p) {
        assertEquals(1, p.a.live.size(), p.a.log.toString());
        assertEquals(1, p.b.live.size(), p.b.log.toString());
        SaParameters[] x = p.a.live.values().iterator().next(), y = p.b.live.values().iterator().next();
        assertMirror(x, y);
        if (!p.natInFrontOfA) assertEquals(x[0].localAddress(), y[1].peerAddress());
    }

    static void assertMirror(SaParameters[] x, SaParameters[] y) {
        assertEquals(x[0].spi(), y[1].spi());
        assertEquals(x[1].spi(), y[0].spi());
        assertArrayEquals(x[0].encryptionKey(), y[1].encryptionKey());
        assertArrayEquals(x[1].encryptionKey(), y[0].encryptionKey());
        assertArrayEquals(x[0].integrityKey(), y[1].integrityKey());
        assertArrayEquals(x[1].integrityKey(), y[0].integrityKey());
        assertFalse(Arrays.equals(x[0].encryptionKey(), x[1].encryptionKey()), "directions must have distinct keys");
        assertEquals(x[0].encryption(), y[0].encryption());
        assertEquals(x[0].localSelectors(), y[0].remoteSelectors());
        assertEquals(x[0].remoteSelectors(), y[0].localSelectors());
        assertTrue(Integer.compareUnsigned(x[0].spi(), 256) >= 0 && Integer.compareUnsigned(y[0].spi(), 256) >= 0);
    }

    @Test
    void establishesWithAes128GcmPrfSha256Ecp256() {
        EnginePair p = establish(TestConnections.a(), TestConnections.b());
        assertMirrored(p);
        SaParameters in = p.a.live.values().iterator().next()[0];
        assertEquals(EncryptionAlgorithm.AES_GCM_128, in.encryption());
        assertEquals(20, in.encryptionKey().length);
        assertEquals("gw", in.name());
        assertEquals(SaMode.TUNNEL, in.mode());
        assertEquals(List.of(IpPrefix.parse("10.1.0.0/16")), in.localSelectors());
        assertFalse(in.udpEncapsulation());
        assertEquals(1, p.a.events(IkeEvent.IkeSaEstablished.class).size());
        assertEquals(1, p.b.events(IkeEvent.IkeSaEstablished.class).size());
        assertEquals("ESTABLISHED", p.a.engine.status().get(0).state());
        assertEquals(Identity.parse("fqdn:b.example"), p.a.engine.status().get(0).remoteId());
    }

    @Test
    void establishesWithAes256CbcSha256Modp2048() {
        var a = TestConnections.a();
        var b = TestConnections.b();
        a.ike = b.ike = List.of(TestConnections.CBC256_MODP2048);
        a.esp = b.esp = List.of(TestConnections.ESP_CBC256);
        EnginePair p = establish(a, b);
        assertMirrored(p);
        SaParameters in = p.b.live.values().iterator().next()[0];
        assertEquals(EncryptionAlgorithm.AES_CBC_256, in.encryption());
        assertEquals(IntegrityAlgorithm.HMAC_SHA256_128, in.integrity());
        assertEquals(32, in.integrityKey().length);
    }

    @Test
    void establishesWithAes256GcmPrfSha384Ecp384() {
        var a = TestConnections.a();
        var b = TestConnections.b();
        a.ike = b.ike = List.of(TestConnections.GCM256_ECP384);
        a.esp = b.esp = List.of(TestConnections.ESP_GCM256);
        EnginePair p = establish(a, b);
        assertMirrored(p);
        assertEquals(36, p.b.live.values().iterator().next()[1].encryptionKey().length);
    }

    @Test
    void responderPicksItsOwnFirstPreference() {
        var a = TestConnections.a();
        var b = TestConnections.b();
        a.ike = List.of(TestConnections.GCM128_ECP256, TestConnections.GCM256_ECP384);
        b.ike = List.of(TestConnections.GCM256_ECP384, TestConnections.GCM128_ECP256);
        a.esp = List.of(TestConnections.ESP_GCM128, TestConnections.ESP_CBC256);
        b.esp = List.of(TestConnections.ESP_CBC256, TestConnections.ESP_GCM128);
        EnginePair p = establish(a, b);
        assertMirrored(p);
        assertTrue(p.a.engine.status().get(0).algorithms().startsWith("aes256gcm16"), p.a.engine.status().get(0).algorithms());
        assertEquals(EncryptionAlgorithm.AES_CBC_256, p.a.live.values().iterator().next()[0].encryption());
        // The initiator offered ECP-256 first; the responder wanted ECP-384: one INVALID_KE round trip.
        assertTrue(p.a.failedWith(IkeEvent.Failure.INVALID_KE_PAYLOAD));
    }

    @Test
    void wrongPskFailsAuthenticationOnBothSides() {
        var a = TestConnections.a();
        a.localAuth = new Authentication.Psk("wrong".getBytes());
        EnginePair p = establish(a, TestConnections.b());
        assertTrue(p.b.failedWith(IkeEvent.Failure.AUTHENTICATION_FAILED), p.b.log.toString());
        assertTrue(p.a.failedWith(IkeEvent.Failure.AUTHENTICATION_FAILED), p.a.log.toString());
        assertTrue(p.a.installed.isEmpty() && p.b.installed.isEmpty());
        assertTrue(p.a.engine.status().isEmpty() && p.b.engine.status().isEmpty());
    }

    @Test
    void responderWithWrongPskIsRejectedByInitiator() {
        var b = TestConnections.b();
        b.localAuth = new Authentication.Psk("wrong".getBytes());
        b.peerAuth = new PeerVerification.Psk(TestConnections.PSK);
        EnginePair p = establish(TestConnections.a(), b);
        assertTrue(p.a.failedWith(IkeEvent.Failure.AUTHENTICATION_FAILED), p.a.log.toString());
        assertTrue(p.a.live.isEmpty());
        assertTrue(p.a.engine.status().isEmpty());
        // A told B (INFORMATIONAL with AUTHENTICATION_FAILED), so B drops what it had installed.
        assertTrue(p.b.failedWith(IkeEvent.Failure.AUTHENTICATION_FAILED), p.b.log.toString());
        assertTrue(p.b.live.isEmpty(), p.b.log.toString());
        assertTrue(p.b.engine.status().isEmpty());
    }

    @Test
    void noCommonIkeProposalIsReportedOnBothSides() {
        var a = TestConnections.a();
        var b = TestConnections.b();
        a.ike = List.of(TestConnections.GCM128_ECP256);
        b.ike = List.of(TestConnections.CBC256_MODP2048);
        EnginePair p = establish(a, b);
        assertTrue(p.a.failedWith(IkeEvent.Failure.NO_PROPOSAL_CHOSEN), p.a.log.toString());
        assertTrue(p.b.failedWith(IkeEvent.Failure.NO_PROPOSAL_CHOSEN), p.b.log.toString());
        assertTrue(p.b.engine.status().isEmpty(), "responder keeps no state");
    }

    @Test
    void noCommonEspProposalKeepsIkeSaButNoChild() {
        var a = TestConnections.a();
        var b = TestConnections.b();
        a.esp = List.of(TestConnections.ESP_GCM128);
        b.esp = List.of(TestConnections.ESP_CBC256);
        EnginePair p = establish(a, b);
        assertTrue(p.a.failedWith(IkeEvent.Failure.NO_PROPOSAL_CHOSEN), p.a.log.toString());
        assertTrue(p.b.failedWith(IkeEvent.Failure.NO_PROPOSAL_CHOSEN), p.b.log.toString());
        assertTrue(p.a.live.isEmpty() && p.b.live.isEmpty());
        assertEquals("ESTABLISHED", p.a.engine.status().get(0).state());
    }

    @Test
    void invalidKeRetriesWithTheRequestedGroup() {
        var a = TestConnections.a();
        var b = TestConnections.b();
        a.ike = List.of(new IkeProposalSpec(List.of(EncryptionAlgorithm.AES_GCM_128), List.of(Prf.HMAC_SHA2_256), List.of(),
                List.of(KeyExchangeMethod.ECP_256, KeyExchangeMethod.CURVE25519), List.of()));
        b.ike = List.of(new IkeProposalSpec(List.of(EncryptionAlgorithm.AES_GCM_128), List.of(Prf.HMAC_SHA2_256), List.of(),
                List.of(KeyExchangeMethod.CURVE25519), List.of()));
        EnginePair p = establish(a, b);
        assertTrue(p.a.failedWith(IkeEvent.Failure.INVALID_KE_PAYLOAD));
        assertTrue(p.b.failedWith(IkeEvent.Failure.INVALID_KE_PAYLOAD));
        assertMirrored(p);
        assertTrue(p.a.engine.status().get(0).algorithms().contains("curve25519"), p.a.engine.status().get(0).algorithms());
    }

    @Test
    void responderNarrowsTrafficSelectorsToItsNets() {
        var a = TestConnections.a();
        var b = TestConnections.b();
        a.remoteNets = List.of(IpPrefix.parse("10.0.0.0/8"));
        b.localNets = List.of(IpPrefix.parse("10.2.3.0/24"));
        EnginePair p = establish(a, b);
        assertMirrored(p);
        SaParameters out = p.a.live.values().iterator().next()[1];
        assertEquals(List.of(IpPrefix.parse("10.2.3.0/24")), out.remoteSelectors());
    }

    @Test
    void disjointTrafficSelectorsAreUnacceptable() {
        var a = TestConnections.a();
        a.remoteNets = List.of(IpPrefix.parse("172.16.0.0/12"));
        EnginePair p = establish(a, TestConnections.b());
        assertTrue(p.b.failedWith(IkeEvent.Failure.TS_UNACCEPTABLE), p.b.log.toString());
        assertTrue(p.a.failedWith(IkeEvent.Failure.TS_UNACCEPTABLE), p.a.log.toString());
        assertTrue(p.a.live.isEmpty() && p.b.live.isEmpty());
    }

    @Test
    void iiptranNegotiatesTransportModeBetweenGateways() {
        var a = TestConnections.a();
        var b = TestConnections.b();
        a.mode = b.mode = SaMode.IIPTRAN;
        EnginePair p = establish(a, b);
        assertMirrored(p);
        SaParameters in = p.a.live.values().iterator().next()[0];
        assertEquals(SaMode.IIPTRAN, in.mode());
        // Inner selectors are the configured nets, enforced locally (not negotiated).
        assertEquals(List.of(IpPrefix.parse("10.1.0.0/16")), in.localSelectors());
        assertEquals(List.of(IpPrefix.parse("10.2.0.0/16")), in.remoteSelectors());
    }

    @Test
    void iiptranAgainstTunnelIsRefused() {
        var b = TestConnections.b();
        b.mode = SaMode.IIPTRAN;
        EnginePair p = establish(TestConnections.a(), b);
        assertTrue(p.a.live.isEmpty() && p.b.live.isEmpty());
        assertTrue(p.a.failedWith(IkeEvent.Failure.NO_PROPOSAL_CHOSEN), p.a.log.toString());
        assertTrue(p.b.failedWith(IkeEvent.Failure.NO_PROPOSAL_CHOSEN), p.b.log.toString());
    }

    @Test
    void natInFrontOfInitiatorFloatsTo4500AndEncapsulates() {
        var a = TestConnections.a();
        a.local = EnginePair.A_ADDR;
        EnginePair p = new EnginePair(3);
        p.natInFrontOfA = true;
        p.start(List.of(a.build()), List.of(TestConnections.b().build()));
        // B sees the NAT's public address, which its connection (peer 192.0.2.1) would not accept: allow any peer.
        var b = TestConnections.b();
        b.peer = null;
        p.b.engine.reconfigure(List.of(b.build()), p.now);
        p.a.engine.initiate("gw", p.now);
        p.run();
        assertMirrored(p);
        SaParameters[] pa = p.a.live.values().iterator().next(), pb = p.b.live.values().iterator().next();
        assertTrue(pa[0].udpEncapsulation() && pb[0].udpEncapsulation());
        assertEquals(4500, pa[1].localPort());
        assertEquals(4500, pa[1].peerPort());
        assertEquals(EnginePair.NAT_PUBLIC, pb[1].peerAddress());
        assertNotEquals(4500, pb[1].peerPort(), "B sends to the NAT's mapped port");
        assertEquals(p.b.sent.getLast().remote().port(), pb[1].peerPort(), "the mapping of A's port 4500, not of 500");
        assertEquals(4500, pb[1].localPort());
        assertFalse(p.a.events(IkeEvent.NatDetected.class).isEmpty());
        assertFalse(p.b.events(IkeEvent.NatDetected.class).isEmpty());
        // IKE_AUTH went over 4500 already.
        assertEquals(4500, p.a.sent.getLast().local().port());
    }

    @Test
    void forcedEncapsulationWithoutNat() {
        var a = TestConnections.a();
        a.forceEncap = true;
        EnginePair p = establish(a, TestConnections.b());
        assertMirrored(p);
        SaParameters[] pb = p.b.live.values().iterator().next();
        assertTrue(pb[0].udpEncapsulation(), "the fake NAT-D hash makes the peer encapsulate too");
        assertEquals(4500, pb[1].peerPort());
    }

    @Test
    void establishesOverIpv6WithIpv6Nets() {
        var a = TestConnections.a();
        var b = TestConnections.b();
        a.local = b.peer = bitw.ipsec.packet.IpAddress.parse("2001:db8::1");
        b.local = a.peer = bitw.ipsec.packet.IpAddress.parse("2001:db8::2");
        a.localId = b.remoteId = Identity.parse("2001:db8::1");
        a.remoteId = b.localId = Identity.parse("2001:db8::2");
        a.localNets = b.remoteNets = List.of(IpPrefix.parse("2001:db8:1::/48"));
        a.remoteNets = b.localNets = List.of(IpPrefix.parse("2001:db8:2::/48"));
        EnginePair p = new EnginePair(21);
        p.aAddress = a.local;
        p.bAddress = b.local;
        p.start(List.of(a.build()), List.of(b.build()));
        p.a.engine.initiate("gw", p.now);
        p.run();
        assertMirrored(p);
        SaParameters in = p.a.live.values().iterator().next()[0];
        assertEquals(List.of(IpPrefix.parse("2001:db8:1::/48")), in.localSelectors());
        assertEquals(b.local, in.peerAddress());
        assertFalse(in.udpEncapsulation());
    }

    @Test
    void fragmentedExchangeSurvivesLostFragments() {
        var a = TestConnections.a();
        var b = TestConnections.b();
        a.ike = b.ike = List.of(new IkeProposalSpec(List.of(EncryptionAlgorithm.AES_GCM_256), List.of(Prf.HMAC_SHA2_256), List.of(),
                List.of(KeyExchangeMethod.ECP_256), List.of(KeyExchangeMethod.ML_KEM_768)));
        EnginePair p = new EnginePair(22);
        p.start(List.of(a.build()), List.of(b.build()));
        p.a.engine.setFragmentSize(400);
        p.b.engine.setFragmentSize(400);
        int[] n = {0};
        // ML-KEM's 1184-byte key and 1088-byte ciphertext go in several fragments each; lose some of them.
        java.util.Set<Integer> lossy = java.util.Set.of(3, 6, 12, 13, 20);   // request and response fragments, some twice
        p.lose = d -> lossy.contains(++n[0]);
        p.a.engine.initiate("gw", p.now);
        p.run();
        for (int i = 0; i < 60 && p.a.live.isEmpty(); i++) p.advance(1);
        assertEquals(1, p.a.live.size(), p.a.log + " " + p.a.engine.dropCounters() + " " + p.b.engine.dropCounters() + " sent " + p.a.sent.size() + "/" + p.b.sent.size());
        assertMirrored(p);
        assertTrue(p.a.sent.size() > 8, "fragments and retransmissions: " + p.a.sent.size());
    }
}
