// Every payload type, with random contents, survives encode -> decode unchanged, alone and in chains, inside a
// message and as the inner chain of SK.
package bitw.ipsec.ike.message;

import static org.junit.jupiter.api.Assertions.*;

import bitw.ipsec.packet.Bytes;
import bitw.ipsec.packet.IpAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class PayloadRoundTripTest {
    static IkeMessage roundTrip(IkeMessage m) throws IkeParseException {
        byte[] b = IkeMessageCodec.encode(m);
        IkeMessage d = IkeMessageCodec.decode(b, 0, b.length);
        assertArrayEquals(b, IkeMessageCodec.encode(d));
        return d;
    }

    static IkeHeader header() { return IkeHeader.of(0x1122334455667788L, 0x99aabbccddeeff00L, ExchangeType.IKE_AUTH, true, false, 7); }

    @Test
    void everyPlainPayloadTypeRoundTripsAlone() throws Exception {
        Random r = new Random(1);
        for (int g = 0; g < RandomPayloads.PLAIN.size(); g++) {
            for (int i = 0; i < 200; i++) {
                Payload p = RandomPayloads.PLAIN.get(g).apply(r);
                IkeMessage d = roundTrip(new IkeMessage(header(), List.of(p)));
                assertEquals(List.of(p), d.payloads());
                assertEquals(p.type(), d.header().nextPayload());
                byte[] chain = IkeMessageCodec.encodeChain(List.of(p));
                assertEquals(List.of(p), IkeMessageCodec.decodeChain(p.type(), chain, 0, chain.length));
            }
        }
    }

    @Test
    void encryptedAndFragmentPayloadsRoundTripAsLastPayload() throws Exception {
        Random r = new Random(2);
        for (int i = 0; i < 500; i++) {
            Payload enc = RandomPayloads.encrypted(r);
            List<Payload> ps = new ArrayList<>();
            if (r.nextBoolean()) ps.add(RandomPayloads.plain(r));
            ps.add(enc);
            IkeMessage d = roundTrip(new IkeMessage(header(), ps));
            assertEquals(ps, d.payloads());
            assertTrue(d.isEncrypted());
            byte[] b = IkeMessageCodec.encode(d);
            int bodyOff = IkeMessageCodec.encryptedBodyOffset(d);
            byte[] body = enc instanceof EncryptedPayload e ? e.body() : ((EncryptedFragmentPayload) enc).body();
            assertEquals(b.length - body.length, bodyOff, "body runs from the offset to the end");
            assertArrayEquals(java.util.Arrays.copyOf(b, bodyOff), IkeMessageCodec.headerAndSkPrefix(d));
        }
    }

    @Test
    void randomMessagesRoundTrip() throws Exception {
        Random r = new Random(3);
        for (int i = 0; i < 3000; i++) {
            IkeMessage m = RandomPayloads.message(r);
            IkeMessage d = roundTrip(m);
            assertEquals(m.payloads(), d.payloads());
            IkeHeader a = m.header(), b = d.header();
            assertEquals(List.of(a.initiatorSpi(), a.responderSpi(), a.minorVersion(), a.exchangeType(), a.initiator(), a.version(), a.response(), a.messageId()),
                    List.of(b.initiatorSpi(), b.responderSpi(), b.minorVersion(), b.exchangeType(), b.initiator(), b.version(), b.response(), b.messageId()));
            assertEquals(IkeMessageCodec.encode(m).length, b.length());
        }
    }

    @Test
    void unknownExchangeTypeKeepsItsNumber() throws Exception {
        IkeHeader h = new IkeHeader(1, 2, 0, 2, 0, 99, true, false, false, 0xfffffffeL, 0);
        IkeMessage d = roundTrip(new IkeMessage(h, List.of()));
        assertEquals(99, d.header().exchangeType());
        assertEquals(ExchangeType.UNKNOWN, d.header().exchange());
        assertEquals(0xfffffffeL, d.header().messageId(), "message IDs are unsigned 32-bit");
        assertEquals(ExchangeType.IKE_INTERMEDIATE, ExchangeType.of(43));
        assertEquals(ExchangeType.IKE_FOLLOWUP_KE, ExchangeType.of(44));
    }

    @Test
    void encoderComputesNextPayloadChainAndLengths() {
        IkeMessage m = new IkeMessage(header(), List.of(new NoncePayload(new byte[16]), new VendorIdPayload(new byte[] {1, 2}),
                new EncryptedPayload(PayloadType.IDI, new byte[] {9, 9, 9})));
        byte[] b = IkeMessageCodec.encode(m);
        assertEquals(28 + 20 + 6 + 7, b.length);
        assertEquals(PayloadType.NONCE, b[16]);
        assertEquals(b.length, Bytes.i32(b, 24));
        assertEquals("2b000014", Bytes.hex(b, 28, 4), "Nonce -> V, 20 bytes");
        assertEquals("2e000006", Bytes.hex(b, 48, 4), "V -> SK, 6 bytes");
        assertEquals("23000007", Bytes.hex(b, 54, 4), "SK's next payload names its first inner payload");
        assertEquals(58, IkeMessageCodec.encryptedBodyOffset(m));
    }

    @Test
    void unknownNonCriticalPayloadIsSkippedButKept() throws Exception {
        // Nonce -> type 200 (critical bit clear) -> V.
        byte[] b = IkeMessageCodec.encode(new IkeMessage(header(), List.of(new NoncePayload(new byte[16]),
                new UnknownPayload(200, false, new byte[] {1, 2, 3}), new VendorIdPayload(new byte[] {4}))));
        IkeMessage d = IkeMessageCodec.decode(b, 0, b.length);
        assertEquals(new UnknownPayload(200, false, new byte[] {1, 2, 3}), d.payloads().get(1));
        assertEquals(new VendorIdPayload(new byte[] {4}), d.payloads().get(2));
    }

    @Test
    void keyLengthAttributeAndUnknownAttributesAreKeptApart() throws Exception {
        Transform t = new Transform(Transform.ENCR, 12, 256, new byte[] {(byte) 0x80, 0x30, 0, 1});
        IkeMessage d = roundTrip(new IkeMessage(header(), List.of(new SaPayload(List.of(new Proposal(1, Proposal.ESP, new byte[4], List.of(t)))))));
        Transform back = d.first(SaPayload.class).orElseThrow().proposals().getFirst().transforms().getFirst();
        assertEquals(256, back.keyLength());
        assertTrue(back.hasUnknownAttributes());
        assertFalse(new Transform(Transform.PRF, 5).hasUnknownAttributes());
    }

    @Test
    void idPayloadHelpersAndAuthBody() {
        IdPayload v4 = IdPayload.ofAddress(true, IpAddress.parse("192.0.2.1"));
        assertEquals(IdPayload.ID_IPV4_ADDR, v4.idType());
        assertEquals(PayloadType.IDI, v4.type());
        assertEquals("01000000c0000201", Bytes.hex(v4.body()));
        IdPayload v6 = IdPayload.ofAddress(false, IpAddress.parse("2001:db8::1"));
        assertEquals(IdPayload.ID_IPV6_ADDR, v6.idType());
        assertEquals(PayloadType.IDR, v6.type());
        assertEquals(IpAddress.parse("2001:db8::1"), v6.address());
        IdPayload fqdn = IdPayload.ofFqdn(true, "gw.example.org");
        assertEquals("gw.example.org", fqdn.text());
        assertEquals("02000000" + Bytes.hex("gw.example.org".getBytes()), Bytes.hex(fqdn.body()));
        assertEquals(IdPayload.ID_RFC822_ADDR, IdPayload.ofEmail(true, "a@example.org").idType());
        assertEquals(IdPayload.ID_DER_ASN1_DN, IdPayload.ofDistinguishedName(true, new byte[] {0x30, 0}).idType());
        assertEquals(IdPayload.ID_KEY_ID, IdPayload.ofKeyId(false, new byte[] {1}).idType());
        assertNull(fqdn.address());
        assertNull(v4.text());
    }

    @Test
    void invalidKeNotifyCarriesTheGroup() {
        NotifyPayload n = NotifyPayload.invalidKe(19);
        assertEquals("0013", Bytes.hex(n.data()));
        assertEquals(19, n.invalidKeGroup());
        assertTrue(n.isError());
        assertFalse(new NotifyPayload(NotifyPayload.COOKIE, new byte[8]).isError());
        assertEquals(-1, new NotifyPayload(NotifyPayload.NO_PROPOSAL_CHOSEN, new byte[0]).invalidKeGroup());
    }

    @Test
    void recordsRefuseContentTheyCouldNotEncodeFaithfully() {
        assertThrows(IllegalArgumentException.class, () -> new Transform(1, 12, -1, new byte[] {0, 1, 0}), "truncated attribute");
        assertThrows(IllegalArgumentException.class, () -> new Transform(1, 12, -1, new byte[] {0, 1, 0, 5, 1}), "TLV overruns");
        assertThrows(IllegalArgumentException.class, () -> new UnknownPayload(PayloadType.SA, false, new byte[0]));
        assertThrows(IllegalArgumentException.class, () -> new DeletePayload(3, 4, List.of(new byte[3])));
        assertThrows(IllegalArgumentException.class, () -> new Proposal(1, 3, new byte[4], List.of()));
        assertThrows(IllegalArgumentException.class, () -> new SaPayload(List.of()));
        assertThrows(IllegalArgumentException.class, () -> new EncryptedFragmentPayload(0, 3, 2, new byte[0]));
    }

    @Test
    void payloadsAreImmutable() {
        byte[] nonce = new byte[16];
        NoncePayload n = new NoncePayload(nonce);
        nonce[0] = 1;
        n.nonce()[1] = 1;
        assertArrayEquals(new byte[16], n.nonce());
    }

    @Test
    void encoderRefusesSkThatIsNotLastOrInsideAChain() {
        EncryptedPayload sk = new EncryptedPayload(0, new byte[4]);
        assertThrows(IllegalArgumentException.class, () -> IkeMessageCodec.encode(new IkeMessage(header(), List.of(sk, new NoncePayload(new byte[16])))));
        assertThrows(IllegalArgumentException.class, () -> IkeMessageCodec.encodeChain(List.of(sk)));
        assertThrows(IllegalArgumentException.class, () -> IkeMessageCodec.encode(new IkeMessage(header(), List.of(new VendorIdPayload(new byte[70000])))));
    }
}
