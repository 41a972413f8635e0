// Specification of the engine's opportunistic-responder hook: an initiator no configured connection accepts lands
// on the template and the callback decides; PENDING keeps the IKE_AUTH request unanswered (retransmissions ignored)
// until the shell resumes it, which answers at once, and refuses it when the half-open SA expires without an
// answer; REFUSE is AUTHENTICATION_FAILED; the accepted connection's raw keys and
// host-pair nets are what the IKE and Child SA use; configured identities are matched before the template; an IDr
// the template does not carry is accepted only when the hook owns it (an OE FQDN), and answered with it.
package bitw.ipsec.ike;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import bitw.ipsec.ike.crypto.SignatureScheme;
import bitw.ipsec.packet.IpPrefix;
import bitw.ipsec.sad.SaParameters;
import java.security.KeyPair;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class OpportunisticResponderTest {
    final KeyPair ka = TestPki.ec("secp256r1"), kb = TestPki.ec("secp256r1");
    final List<String> asked = new ArrayList<>();

    /** A's OE connection: host pair 10.1.0.10 -> 10.2.0.20, B's key from "DNS". */
    TestConnections.Builder initiator() {
        var a = TestConnections.a();
        a.name = "oe-a";
        a.localId = Identity.of(EnginePair.A_ADDR);
        a.remoteId = Identity.of(EnginePair.B_ADDR);
        a.localAuth = new Authentication.Signature(ka.getPrivate(), List.of(), SignatureScheme.ECDSA_SHA256);
        a.peerAuth = new PeerVerification.RawKeys(List.of(kb.getPublic()));
        a.localNets = List.of(IpPrefix.parse("10.1.0.10/32"));
        a.remoteNets = List.of(IpPrefix.parse("10.2.0.20/32"));
        return a;
    }

    /** B's template: peer any, no acceptable key of its own. */
    TestConnections.Builder template() {
        var b = TestConnections.b();
        b.name = "oe-template";
        b.peer = null;
        b.localId = Identity.of(EnginePair.B_ADDR);
        b.remoteId = null;
        b.localAuth = new Authentication.Signature(kb.getPrivate(), List.of(), SignatureScheme.ECDSA_SHA256);
        b.peerAuth = new PeerVerification.RawKeys(List.of());
        b.localNets = List.of(IpPrefix.parse("10.2.0.0/24"));
        b.remoteNets = List.of(IpPrefix.parse("0.0.0.0/0"));
        return b;
    }

    IkeConnection accepted(IkeConnection template, List<PublicKey> keys) {
        return new IkeConnection("oe-10.2.0.20-10.1.0.10", template.localAddress(), EnginePair.A_ADDR, template.localId(), Identity.of(EnginePair.A_ADDR),
                template.localAuth(), new PeerVerification.RawKeys(keys), template.ikeProposals(), template.espProposals(), template.mode(),
                List.of(IpPrefix.parse("10.2.0.20/32")), List.of(IpPrefix.parse("10.1.0.10/32")), 3600, 1200, 0, 60, 0, DpdAction.CLEAR,
                StartAction.NONE, false, true, 64);
    }

    EnginePair start(TestConnections.Builder b, OpportunisticResponder hook, List<IkeConnection> extraB) {
        return start(initiator(), b, hook, extraB);
    }

    EnginePair start(TestConnections.Builder a, TestConnections.Builder b, OpportunisticResponder hook, List<IkeConnection> extraB) {
        EnginePair p = new EnginePair(11);
        List<IkeConnection> bConns = new ArrayList<>(extraB);
        bConns.add(b.build());
        p.start(List.of(a.build()), bConns);
        p.b.engine.setOpportunisticResponder("oe-template", hook);
        p.a.engine.initiate("oe-a", p.now);
        p.run();
        return p;
    }

    /** A hook that says Pending("dns") until the test puts A's key (or a refusal) into "DNS"; counts its calls. */
    final List<PublicKey> dns = new ArrayList<>();
    String refusal;

    OpportunisticResponder lookingUp() {
        return (t, peer, addr, tsi, tsr) -> {
            asked.add(peer + " " + addr.address() + " " + tsi.get(0).start() + "-" + tsi.get(0).end());
            if (refusal != null) return new OpportunisticResponder.Answer.Refuse(refusal);
            return dns.isEmpty() ? new OpportunisticResponder.Answer.Pending("dns") : new OpportunisticResponder.Answer.Accept(accepted(t, dns));
        };
    }

    static long ikeAuthRequests(EnginePair.Side s) {
        return s.sent.stream().filter(d -> d.data()[18] == 35 && (d.data()[19] & 0x20) == 0).count();   // exchange type, R flag
    }

    @Test
    void pendingAnswerIsGivenAsSoonAsTheShellResumesWithoutWaitingForARetransmission() {
        EnginePair p = start(template(), lookingUp(), List.of());
        assertEquals(List.of("192.0.2.1 192.0.2.1 10.1.0.10-10.1.0.10"), asked);
        assertTrue(p.b.live.isEmpty() && p.a.live.isEmpty(), "nothing installed while pending");
        assertTrue(p.b.events(IkeEvent.Failed.class).isEmpty(), p.b.log.toString());
        assertEquals(1, p.b.engine.deferredCount(), "B keeps the IKE_AUTH request");
        dns.add(ka.getPublic());
        p.b.engine.resumeDeferred("dns", p.now);   // the lookup completed: same instant, no clock advance
        p.run();
        assertEquals(2, asked.size());
        IkeEstablishmentTest.assertMirrored(p);
        assertEquals(1, ikeAuthRequests(p.a), "answered before A had to retransmit");
        assertEquals(0, p.b.engine.deferredCount());
        SaParameters in = p.b.live.values().iterator().next()[0];
        assertEquals("oe-10.2.0.20-10.1.0.10", in.name());
        assertEquals(List.of(IpPrefix.parse("10.1.0.10/32")), in.remoteSelectors());
        assertEquals(List.of(IpPrefix.parse("10.2.0.20/32")), in.localSelectors());
    }

    @Test
    void retransmissionsWhileTheLookupRunsAskNothingNewAndTheAnswerStillComesOnResume() {
        EnginePair p = start(template(), lookingUp(), List.of());
        p.advance(7);   // A retransmits IKE_AUTH after 2 and 6 s
        assertEquals(3, ikeAuthRequests(p.a));
        assertEquals(1, asked.size(), "the hook was asked once: a retransmission starts no second lookup");
        assertEquals(2L, p.b.engine.dropCounters().get("retransmission of a request whose answer is deferred"));
        assertEquals(1, p.b.engine.deferredCount(), "still one deferred request");
        dns.add(ka.getPublic());
        p.b.engine.resumeDeferred("another lookup", p.now);
        p.run();
        assertTrue(p.b.live.isEmpty(), "an answer for another key leaves the request waiting");
        p.b.engine.resumeDeferred("dns", p.now);
        p.run();
        IkeEstablishmentTest.assertMirrored(p);
        p.advance(10);
        assertEquals(3, ikeAuthRequests(p.a), "nothing more to retransmit once answered");
        assertEquals(1, p.a.live.size());
    }

    @Test
    void lookupThatFindsNothingIsAuthenticationFailedAtOnce() {
        EnginePair p = start(template(), lookingUp(), List.of());
        refusal = "NO_RECORDS for 10.1.0.10";
        p.b.engine.resumeDeferred("dns", p.now);
        p.run();
        assertTrue(p.a.failedWith(IkeEvent.Failure.AUTHENTICATION_FAILED), p.a.log.toString());
        assertTrue(p.b.failedWith(IkeEvent.Failure.AUTHENTICATION_FAILED), p.b.log.toString());
        assertTrue(p.b.log.toString().contains("NO_RECORDS"), p.b.log.toString());
        assertEquals(1, ikeAuthRequests(p.a), "refused without a retransmission");
        assertTrue(p.a.engine.ikeSas().isEmpty() && p.b.engine.ikeSas().isEmpty(), "no IKE SA left on either side");
        assertEquals(0, p.b.engine.deferredCount());
    }

    @Test
    void anAnswerThatNeverComesIsRefusedWhenTheHalfOpenSaExpiresAndLeavesNothingBehind() {
        EnginePair p = start(template(), lookingUp(), List.of());
        p.advance(29);
        assertTrue(p.a.events(IkeEvent.Failed.class).isEmpty(), "still waiting: " + p.a.log);
        p.advance(2);   // B's half-open limit (30 s) passes while A still retransmits (it gives up only after 62 s)
        assertTrue(p.a.failedWith(IkeEvent.Failure.AUTHENTICATION_FAILED), "A is told: " + p.a.log);
        assertTrue(p.b.failedWith(IkeEvent.Failure.AUTHENTICATION_FAILED), p.b.log.toString());
        assertTrue(p.b.log.toString().contains("did not decide"), p.b.log.toString());
        assertEquals(1, asked.size());
        assertTrue(p.a.engine.ikeSas().isEmpty() && p.b.engine.ikeSas().isEmpty(), "no IKE SA left on either side");
        assertEquals(0, p.b.engine.deferredCount());
        dns.add(ka.getPublic());
        p.b.engine.resumeDeferred(null, p.now);   // a late answer finds nothing to resume
        p.run();
        assertTrue(p.b.live.isEmpty() && p.b.engine.ikeSas().isEmpty());
    }

    @Test
    void aDeferredRequestWhoseSaIsDeletedMeanwhileIsForgotten() {
        EnginePair p = start(template(), lookingUp(), List.of());
        p.b.engine.terminateNow("oe-template", p.now);   // e.g. OE restarted: its SAs go at once
        assertTrue(p.b.engine.ikeSas().isEmpty());
        assertEquals(0, p.b.engine.deferredCount());
        dns.add(ka.getPublic());
        p.b.engine.resumeDeferred("dns", p.now);
        p.run();
        assertTrue(p.b.live.isEmpty(), "nothing installed for an SA that is gone");
        assertEquals(1, asked.size());
    }

    @Test
    void aNullKeyResumesEveryDeferredRequest() {
        EnginePair p = start(template(), lookingUp(), List.of());
        dns.add(ka.getPublic());
        p.b.engine.resumeDeferred(null, p.now);   // the responder was replaced: everything waiting asks again
        p.run();
        IkeEstablishmentTest.assertMirrored(p);
    }

    @Test
    void refusalIsAuthenticationFailed() {
        EnginePair p = start(template(), (t, peer, addr, tsi, tsr) -> new OpportunisticResponder.Answer.Refuse("no KEY record"), List.of());
        assertTrue(p.b.failedWith(IkeEvent.Failure.AUTHENTICATION_FAILED), p.b.log.toString());
        assertTrue(p.a.failedWith(IkeEvent.Failure.AUTHENTICATION_FAILED), p.a.log.toString());
        assertTrue(p.b.log.toString().contains("no KEY record"), p.b.log.toString());
    }

    @Test
    void keyFromDnsThatDoesNotVerifyFailsAuthentication() {
        EnginePair p = start(template(), (t, peer, addr, tsi, tsr) -> new OpportunisticResponder.Answer.Accept(accepted(t, List.of(kb.getPublic()))), List.of());
        assertTrue(p.b.failedWith(IkeEvent.Failure.AUTHENTICATION_FAILED), p.b.log.toString());
        assertTrue(p.b.live.isEmpty());
    }

    @Test
    void aConfiguredIdentityIsNeverHandedToTheHook() {
        // B has a configured connection for identity 192.0.2.1 with another key: A claiming that identity gets it and fails.
        var configured = TestConnections.b();
        configured.name = "configured";
        configured.peer = null;
        configured.localId = Identity.of(EnginePair.B_ADDR);
        configured.remoteId = Identity.of(EnginePair.A_ADDR);
        configured.localAuth = new Authentication.Signature(kb.getPrivate(), List.of(), SignatureScheme.ECDSA_SHA256);
        configured.peerAuth = new PeerVerification.RawKeys(List.of(TestPki.ec("secp256r1").getPublic()));
        EnginePair p = start(template(), (t, peer, addr, tsi, tsr) -> {
            asked.add(peer.toString());
            return new OpportunisticResponder.Answer.Accept(accepted(t, List.of(ka.getPublic())));
        }, List.of(configured.build()));
        assertEquals(List.of(), asked);
        assertTrue(p.b.failedWith(IkeEvent.Failure.AUTHENTICATION_FAILED), p.b.log.toString());
        assertTrue(p.b.live.isEmpty());
    }


    /** A hook that owns B's FQDN besides its address and accepts A with its key, answering with the IDr asked for. */
    OpportunisticResponder fqdnHook(Identity ours) {
        return new OpportunisticResponder() {
            @Override public Answer respond(IkeConnection t, Identity peer, Endpoint addr, List<bitw.ipsec.ike.message.TrafficSelector> tsi,
                                            List<bitw.ipsec.ike.message.TrafficSelector> tsr) {
                throw new AssertionError("the engine calls the variant with the requested identity");
            }

            @Override public Answer respond(IkeConnection t, Identity peer, Identity requested, Endpoint addr,
                                            List<bitw.ipsec.ike.message.TrafficSelector> tsi, List<bitw.ipsec.ike.message.TrafficSelector> tsr) {
                asked.add(String.valueOf(requested));
                IkeConnection c = accepted(t, List.of(ka.getPublic()));
                return new Answer.Accept(new IkeConnection(c.name(), c.localAddress(), c.peerAddress(), ownsIdentity(requested) ? requested : t.localId(),
                        c.remoteId(), c.localAuth(), c.peerAuth(), c.ikeProposals(), c.espProposals(), c.mode(), c.localNets(), c.remoteNets(),
                        3600, 1200, 0, 60, 0, DpdAction.CLEAR, StartAction.NONE, false, true, 64));
            }

            @Override public boolean ownsIdentity(Identity id) { return id != null && id.equals(ours); }
        };
    }

    @Test
    void initiatorAskingForTheResponderFqdnIsAnsweredUnderThatFqdn() {
        var a = initiator();
        a.remoteId = Identity.fqdn("gw-b.oe.example");   // the delegation said "@gw-b.oe.example"
        EnginePair p = start(a, template(), fqdnHook(Identity.fqdn("gw-b.oe.example")), List.of());
        assertEquals(List.of("fqdn:gw-b.oe.example"), asked, "the hook learns which of its identities was asked for");
        IkeEstablishmentTest.assertMirrored(p);
    }

    @Test
    void anIdentityTheHookDoesNotOwnFindsNoConnection() {
        var a = initiator();
        a.remoteId = Identity.fqdn("someone-else.example");
        EnginePair p = start(a, template(), fqdnHook(Identity.fqdn("gw-b.oe.example")), List.of());
        assertEquals(List.of(), asked, "the hook is not consulted for an identity nobody here has");
        assertTrue(p.b.failedWith(IkeEvent.Failure.AUTHENTICATION_FAILED), p.b.log.toString());
        assertTrue(p.b.live.isEmpty());
    }

    @Test
    void theHooksOwnInitiatorForThatPeerDoesNotAnswerIt() {
        // B negotiates with A for another host pair (an initiator connection of B's OE, peer A, A's key); A's own
        // initiation for 10.1.0.10 -> 10.2.0.20 must reach the template, not B's initiator connection.
        var own = TestConnections.b();
        own.name = "oe-b-initiator";
        own.localId = Identity.of(EnginePair.B_ADDR);
        own.remoteId = Identity.of(EnginePair.A_ADDR);
        own.localAuth = new Authentication.Signature(kb.getPrivate(), List.of(), SignatureScheme.ECDSA_SHA256);
        own.peerAuth = new PeerVerification.RawKeys(List.of(ka.getPublic()));
        own.localNets = List.of(IpPrefix.parse("10.2.0.99/32"));
        own.remoteNets = List.of(IpPrefix.parse("10.1.0.99/32"));
        IkeConnection ownConnection = own.build();
        EnginePair p = start(template(), new OpportunisticResponder() {
            @Override public Answer respond(IkeConnection t, Identity peer, Endpoint addr, List<bitw.ipsec.ike.message.TrafficSelector> tsi,
                                            List<bitw.ipsec.ike.message.TrafficSelector> tsr) {
                asked.add(peer.toString());
                return new Answer.Accept(accepted(t, List.of(ka.getPublic())));
            }

            @Override public boolean initiatesOnly(IkeConnection c) { return c.name().equals("oe-b-initiator"); }
        }, List.of(ownConnection));
        assertEquals(List.of("192.0.2.1"), asked, "the template decided");
        IkeEstablishmentTest.assertMirrored(p);
        assertEquals("oe-10.2.0.20-10.1.0.10", p.b.live.values().iterator().next()[0].name());
    }
}
