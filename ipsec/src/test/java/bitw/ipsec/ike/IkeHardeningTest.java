// Post-quantum and hostile-input behaviour: ML-KEM-768 as an RFC 9370 additional key exchange, cookies under an
// IKE_SA_INIT flood (§2.6), and fuzzing a responder and an established SA with random and mutated datagrams: no
// exception, bounded half-open state, bounded log lines, and the established SA still works afterwards.
package bitw.ipsec.ike;

import static org.junit.jupiter.api.Assertions.*;

import bitw.ipsec.crypto.EncryptionAlgorithm;
import bitw.ipsec.ike.crypto.KeyExchangeMethod;
import bitw.ipsec.ike.crypto.Prf;
import bitw.ipsec.ike.message.ExchangeType;
import bitw.ipsec.ike.message.IkeMessage;
import bitw.ipsec.ike.message.IkeMessageCodec;
import bitw.ipsec.ike.message.NotifyPayload;
import bitw.ipsec.packet.Bytes;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class IkeHardeningTest {
    private static final IkeProposalSpec HYBRID = new IkeProposalSpec(List.of(EncryptionAlgorithm.AES_GCM_256), List.of(Prf.HMAC_SHA2_256), List.of(),
            List.of(KeyExchangeMethod.ECP_256), List.of(KeyExchangeMethod.ML_KEM_768));

    private static IkeMessage decode(Datagram d) {
        try {
            return IkeMessageCodec.decode(d.data(), 0, d.data().length);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void mlKemAdditionalKeyExchangeRunsInIkeIntermediate() {
        var a = TestConnections.a();
        var b = TestConnections.b();
        a.ike = b.ike = List.of(HYBRID);
        EnginePair p = IkeEstablishmentTest.establish(a, b);
        IkeEstablishmentTest.assertMirrored(p);
        List<Integer> exchanges = new ArrayList<>();
        for (Datagram d : p.a.sent) exchanges.add(decode(d).header().exchangeType());
        assertEquals(List.of(34, 43, 35), exchanges, "IKE_SA_INIT, IKE_INTERMEDIATE, IKE_AUTH");
        assertEquals(1, decode(p.a.sent.get(1)).header().messageId(), "IKE_INTERMEDIATE takes message ID 1");
        assertEquals(2, decode(p.a.sent.get(2)).header().messageId(), "IKE_AUTH follows it");
        assertTrue(p.a.engine.status().get(0).algorithms().contains("mlkem768"), p.a.engine.status().get(0).algorithms());
        // The IKE SA rekeys without repeating ML-KEM (no IKE_FOLLOWUP_KE); the new SA and later child rekeys work.
        p.advance(3600);
        IkeEstablishmentTest.assertMirrored(p);
        assertFalse(p.a.events(IkeEvent.IkeSaRekeyed.class).isEmpty());
        assertEquals(1, p.a.engine.status().size());
        assertFalse(p.a.engine.status().get(0).algorithms().contains("mlkem"), p.a.engine.status().get(0).algorithms());
    }

    @Test
    void mlKemIsRequiredWhenConfigured() {
        var a = TestConnections.a();
        var b = TestConnections.b();
        a.ike = List.of(TestConnections.GCM128_ECP256);
        b.ike = List.of(HYBRID);
        EnginePair p = IkeEstablishmentTest.establish(a, b);
        assertTrue(p.a.failedWith(IkeEvent.Failure.NO_PROPOSAL_CHOSEN), p.a.log.toString());
        assertTrue(p.b.failedWith(IkeEvent.Failure.NO_PROPOSAL_CHOSEN), p.b.log.toString());
    }

    /** IKE_SA_INIT bytes from a scratch engine, to be replayed with other SPIs. */
    private static byte[] sampleInit() {
        EnginePair s = new EnginePair(1);
        s.lose = d -> true;
        s.start(List.of(TestConnections.a().build()), List.of(TestConnections.b().build()));
        s.a.engine.initiate("gw", s.now);
        return s.a.sent.get(0).data();
    }

    @Test
    void cookiesBoundHalfOpenStateUnderAFloodAndRealPeersStillGetIn() {
        EnginePair p = new EnginePair(2);
        p.start(List.of(TestConnections.a().build()), List.of(TestConnections.b().build()));
        p.b.engine.cookieThreshold = 8;
        byte[] init = sampleInit();
        Random r = new Random(3);
        for (int i = 0; i < 500; i++) {
            byte[] flood = init.clone();
            Bytes.put64(flood, 0, r.nextLong());
            p.b.engine.receive(new Datagram(new Endpoint(EnginePair.B_ADDR, 500), new Endpoint(EnginePair.A_ADDR, 1024 + i), flood), p.now);
        }
        assertEquals(8, p.b.engine.ikeSas().size(), "state only up to the cookie threshold");
        int cookies = 0;
        for (Datagram d : p.b.sent) if (decode(d).notify(NotifyPayload.COOKIE).isPresent()) cookies++;
        assertEquals(492, cookies);
        p.wire.clear();
        p.a.engine.initiate("gw", p.now);
        p.run();
        IkeEstablishmentTest.assertMirrored(p);
        IkeMessage retried = decode(p.a.sent.get(1));
        assertEquals(ExchangeType.IKE_SA_INIT, retried.header().exchange());
        assertTrue(retried.payloads().get(0) instanceof NotifyPayload n && n.notifyType() == NotifyPayload.COOKIE, "COOKIE comes first");
        // The flood's half-open SAs expire.
        p.advance(31);
        assertEquals(1, p.b.engine.ikeSas().size());
    }

    @Test
    void forgedCookieIsNotAccepted() {
        EnginePair p = new EnginePair(2);
        p.start(List.of(TestConnections.a().build()), List.of(TestConnections.b().build()));
        p.b.engine.cookieThreshold = 0;
        byte[] init = sampleInit();
        IkeMessage m = decode(new Datagram(null, null, init));
        List<bitw.ipsec.ike.message.Payload> payloads = new ArrayList<>(m.payloads());
        payloads.add(0, new NotifyPayload(NotifyPayload.COOKIE, new byte[36]));
        byte[] forged = IkeMessageCodec.encode(new IkeMessage(m.header(), payloads));
        p.b.engine.receive(new Datagram(new Endpoint(EnginePair.B_ADDR, 500), new Endpoint(EnginePair.A_ADDR, 500), forged), p.now);
        assertTrue(p.b.engine.ikeSas().isEmpty());
        assertTrue(decode(p.b.sent.getLast()).notify(NotifyPayload.COOKIE).isPresent());
    }

    @Test
    void fuzzedDatagramsNeverThrowAndStateAndLogsStayBounded() {
        EnginePair p = new EnginePair(5);
        p.start(List.of(TestConnections.a().build()), List.of(TestConnections.b().build()));
        p.a.engine.initiate("gw", p.now);
        p.run();
        IkeEstablishmentTest.assertMirrored(p);
        p.b.engine.maxHalfOpen = 64;
        p.b.engine.cookieThreshold = 1_000_000;
        List<byte[]> corpus = new ArrayList<>();
        for (Datagram d : p.a.sent) corpus.add(d.data());
        for (Datagram d : p.b.sent) corpus.add(d.data());
        corpus.add(sampleInit());
        Random r = new Random(9);
        long logBefore = p.b.engine.logLines;
        for (int i = 0; i < 20_000; i++) {
            byte[] d;
            if (i % 10 == 0) {
                d = new byte[r.nextInt(600)];
                r.nextBytes(d);
            } else {
                d = corpus.get(r.nextInt(corpus.size())).clone();
                int flips = 1 + r.nextInt(4);
                for (int f = 0; f < flips && d.length > 0; f++) d[r.nextInt(d.length)] ^= (byte) (1 << r.nextInt(8));
                if (r.nextInt(8) == 0 && d.length > 28) d = java.util.Arrays.copyOf(d, 28 + r.nextInt(d.length - 28));
            }
            Endpoint from = new Endpoint(EnginePair.A_ADDR, r.nextBoolean() ? 500 : 4500);
            p.b.engine.receive(new Datagram(new Endpoint(EnginePair.B_ADDR, from.port()), from, d), p.now);
            p.wire.clear();
        }
        for (String reason : p.b.engine.dropCounters().keySet()) assertFalse(reason.startsWith("internal"), reason + " " + p.b.engine.dropCounters());
        assertTrue(p.b.engine.ikeSas().size() <= 64 + 1, "half-open SAs: " + p.b.engine.ikeSas().size());
        assertTrue(p.b.engine.logLines - logBefore <= 20, "log lines without the clock moving: " + (p.b.engine.logLines - logBefore));
        assertTrue(p.b.engine.dropCounters().size() <= 64);
        // The real SA survived: a DPD round trip and a child rekey still work.
        p.wire.clear();
        p.advance(1200);
        IkeEstablishmentTest.assertMirrored(p);
        assertTrue(p.a.events(IkeEvent.PeerDead.class).isEmpty());
    }

    @Test
    void aFloodOfBadProposalsCannotFloodEvents() {
        EnginePair p = new EnginePair(6);
        var b = TestConnections.b();
        b.ike = List.of(TestConnections.CBC256_MODP2048);   // the sample offers GCM only
        p.start(List.of(TestConnections.a().build()), List.of(b.build()));
        byte[] init = sampleInit();
        Random r = new Random(4);
        for (int i = 0; i < 1000; i++) {
            byte[] flood = init.clone();
            Bytes.put64(flood, 0, r.nextLong());
            p.b.engine.receive(new Datagram(new Endpoint(EnginePair.B_ADDR, 500), new Endpoint(EnginePair.A_ADDR, 2000 + i), flood), p.now);
        }
        assertEquals(20, p.b.events(IkeEvent.Failed.class).size(), "a burst of 20, then counted only");
        assertEquals(980L, p.b.engine.dropCounters().get("event suppressed (rate limit)"));
        assertTrue(p.b.engine.ikeSas().isEmpty());
    }

    @Test
    void lateIkeSaInitRetransmissionDoesNotCreateASecondSa() {
        EnginePair p = new EnginePair(7);
        p.start(List.of(TestConnections.a().build()), List.of(TestConnections.b().build()));
        p.a.engine.initiate("gw", p.now);
        Datagram first = p.a.sent.get(0);
        p.run();
        IkeEstablishmentTest.assertMirrored(p);
        p.b.engine.receive(new Datagram(first.remote(), first.local(), first.data()), p.now);
        assertEquals(1, p.b.engine.ikeSas().size());
        assertEquals(1L, p.b.engine.dropCounters().get("IKE_SA_INIT retransmission for an established SA"));
    }
}
