// Real IKEv2 messages from strongSwan 5.9.8 decode field by field and re-encode byte-identical; the captured IKE_AUTH
// decrypts with the logged keys using exactly the AAD the codec lays out, and its inner chain decodes.
//
// How they were made: src/test/resources/bitw/ipsec/ike/message/capture-strongswan.sh runs two charon instances in
// namespaces (192.0.2.1 initiator, 192.0.2.2 responder, PSK, proposals aes128gcm16-prfsha256-ecp256 and
// aes256-sha256-modp2048, ESP aes128gcm16 / aes256-sha256, TS 10.1.0.0/16 <-> 10.2.0.0/16, kernel-libipsec so IKE
// floats to 4500) and captures UDP on the initiator's veth with tcpdump. The hex below is each UDP payload (the
// 4-byte non-ESP marker of port 4500 removed); SK_ei / SK_er are from the initiator's charon.log at "ike = 4".
package bitw.ipsec.ike.message;

import static org.junit.jupiter.api.Assertions.*;

import bitw.ipsec.packet.Bytes;
import bitw.ipsec.packet.IpAddress;
import bitw.ipsec.packet.IpPrefix;
import java.util.Arrays;
import java.util.List;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

class StrongSwanCaptureTest {
    static final byte[] SA_INIT_REQUEST = Bytes.fromHex(
            "ace0965e7b61026100000000000000002120220800000000000001342200005402000024010100030300000c01000014800e0080030000080200000500000008040000130000002c020100040300000c0100000c800e0100030000080300000c0300000802000005000000080400000e28000048001300002eed99128e4d20b62e0d22a795d9f3fcbb1ce88c26e5dbb79e95f68d864314482edcb4c5b3ed7998a85c7d3de47dfa73edc511203aa6e170e5b468a4b6c59d8b29000024b43b4a29ab0d6efb6c5886d3ee6f14e2433f448288f356f07a55224813b72d6d2900001c000040047ab706c8cfeafa0eec82fd1556c38c3bf063ac342900001c000040059d5c2e6af984014ffc613ad7c8a05a76d0c0a8a1290000080000402e290000100000402f00020003000400050000000800004016");
    static final byte[] SA_INIT_RESPONSE = Bytes.fromHex(
            "ace0965e7b610261c91f63f213fd67412120222000000000000001102200002800000024010100030300000c01000014800e00800300000802000005000000080400001328000048001300006615ba5bbce4bf998855aaff601f387321836a100d88478fc21e9f902f54c00eebb3907d4a1d3b7946e7e6632cffb9d192cba5765f168469dae3411b050ae79f290000245c9a235d26b2a1d6916e5ab79847c9bccd7c5a6333a3a8aab72a854e2e5d6d0c2900001c000040040919f27566775a4a46dc7fba57720e5d0e09626c2900001c00004005da2c75304321e4378ab51d8731fa0064223e56ee290000080000402e290000100000402f000200030004000529000008000040220000000800004014");
    static final byte[] AUTH_REQUEST = Bytes.fromHex(
            "ace0965e7b610261c91f63f213fd67412e2023080000000100000115230000f9bfd2a62fbb9ea737ed6aead2b9c91ab6372045893055baf150bfc1788784475e60a69eccd45f42f0e2cc916f21bf66043f3c5608b9e4e4cbaf8ad8a33433dc7a88e24822bc6bbc14eb914451d2c95103a7966564c87672dba1b40332d79762cf64096a6b8b346839ac9579631fb79e4038c77990f6928aceabd76ede05aed742d2d2e739a1de6049603a7f2f780249090f833c535a64b7ebe8f9f62a36c01d006c9edef95afe5c555fd0913a0de59b2b791d8d3ea455d368e26caef54301b92ebb4ff3a87a328519cb56ceee22afecc5b5d0a6e8fa862b4f6dcb748f774deb80c9fca44af3eef21eeb685f836c1990a648c6a0000a");
    static final byte[] AUTH_RESPONSE = Bytes.fromHex(
            "ace0965e7b610261c91f63f213fd67412e202320000000010000007524000059dcad9606fdf9f9b5207a77d3d27ddb82f9b58bb03144174fae322a4eaaf72c42edeab1bcbdaba58651cb22bdf24018c597069bbc69f884a929b20e2cd880346215cc13264ce64b73f33988aa622d8c2a1ee40cd379");
    static final byte[] DELETE_REQUEST = Bytes.fromHex(
            "ace0965e7b610261c91f63f213fd67412e20250800000002000000412a000025bfd2a62cbb9ea737a41d26d63a480b38d4e04c5f92f4fad3fb4b6d856af4cd6366");
    static final byte[] DELETE_RESPONSE = Bytes.fromHex(
            "ace0965e7b610261c91f63f213fd67412e20252000000002000000390000001ddcad9605fdf9f9b5aba1e44b84b65b716bee7ee86bdc96443f");
    static final byte[] SK_EI = Bytes.fromHex("a01d86e1188742a015daad298f92dc956f20a80c");
    static final byte[] SK_ER = Bytes.fromHex("9fa05f50de3a2fc42e4acdcacab2280aa268afed");

    static final List<byte[]> ALL = List.of(SA_INIT_REQUEST, SA_INIT_RESPONSE, AUTH_REQUEST, AUTH_RESPONSE, DELETE_REQUEST, DELETE_RESPONSE);

    static IkeMessage decode(byte[] b) throws IkeParseException { return IkeMessageCodec.decode(b, 0, b.length); }

    @Test
    void decodesIkeSaInitRequestFieldByField() throws Exception {
        IkeMessage m = decode(SA_INIT_REQUEST);
        IkeHeader h = m.header();
        assertEquals(0xace0965e7b610261L, h.initiatorSpi());
        assertEquals(0, h.responderSpi());
        assertEquals(PayloadType.SA, h.nextPayload());
        assertEquals(2, h.majorVersion());
        assertEquals(0, h.minorVersion());
        assertEquals(ExchangeType.IKE_SA_INIT, h.exchange());
        assertTrue(h.initiator());
        assertFalse(h.response());
        assertFalse(h.version());
        assertEquals(0, h.messageId());
        assertEquals(308, h.length());

        assertEquals(List.of(SaPayload.class, KePayload.class, NoncePayload.class, NotifyPayload.class, NotifyPayload.class,
                NotifyPayload.class, NotifyPayload.class, NotifyPayload.class), m.payloads().stream().map(Object::getClass).toList());
        SaPayload sa = (SaPayload) m.payloads().get(0);
        assertEquals(List.of(
                new Proposal(1, Proposal.IKE, new byte[0], List.of(new Transform(Transform.ENCR, 20, 128), new Transform(Transform.PRF, 5),
                        new Transform(Transform.KE, 19))),
                new Proposal(2, Proposal.IKE, new byte[0], List.of(new Transform(Transform.ENCR, 12, 256), new Transform(Transform.INTEG, 12),
                        new Transform(Transform.PRF, 5), new Transform(Transform.KE, 14)))), sa.proposals());
        KePayload ke = (KePayload) m.payloads().get(1);
        assertEquals(19, ke.group());
        assertEquals(64, ke.data().length);
        assertEquals("2eed9912", Bytes.hex(ke.data(), 0, 4));
        assertEquals("b43b4a29ab0d6efb6c5886d3ee6f14e2433f448288f356f07a55224813b72d6d", Bytes.hex(((NoncePayload) m.payloads().get(2)).nonce()));
        List<NotifyPayload> n = m.all(NotifyPayload.class);
        assertEquals(List.of(NotifyPayload.NAT_DETECTION_SOURCE_IP, NotifyPayload.NAT_DETECTION_DESTINATION_IP,
                NotifyPayload.IKEV2_FRAGMENTATION_SUPPORTED, NotifyPayload.SIGNATURE_HASH_ALGORITHMS, NotifyPayload.REDIRECT_SUPPORTED),
                n.stream().map(NotifyPayload::notifyType).toList());
        assertEquals("7ab706c8cfeafa0eec82fd1556c38c3bf063ac34", Bytes.hex(n.get(0).data()));
        assertEquals(0, n.get(0).protocolId());
        assertEquals(0, n.get(0).spi().length);
        assertEquals("0002000300040005", Bytes.hex(n.get(3).data()), "SHA2-256, SHA2-384, SHA2-512, Identity");
        assertEquals(0, n.get(4).data().length);
    }

    @Test
    void decodesIkeSaInitResponseFieldByField() throws Exception {
        IkeMessage m = decode(SA_INIT_RESPONSE);
        IkeHeader h = m.header();
        assertEquals(0xace0965e7b610261L, h.initiatorSpi());
        assertEquals(0xc91f63f213fd6741L, h.responderSpi());
        assertEquals(ExchangeType.IKE_SA_INIT, h.exchange());
        assertFalse(h.initiator());
        assertTrue(h.response());
        assertEquals(272, h.length());
        SaPayload sa = m.first(SaPayload.class).orElseThrow();
        assertEquals(List.of(new Proposal(1, Proposal.IKE, new byte[0], List.of(new Transform(Transform.ENCR, 20, 128),
                new Transform(Transform.PRF, 5), new Transform(Transform.KE, 19)))), sa.proposals());
        assertEquals(19, m.first(KePayload.class).orElseThrow().group());
        assertEquals(32, m.first(NoncePayload.class).orElseThrow().nonce().length);
        assertEquals(List.of(NotifyPayload.NAT_DETECTION_SOURCE_IP, NotifyPayload.NAT_DETECTION_DESTINATION_IP,
                NotifyPayload.IKEV2_FRAGMENTATION_SUPPORTED, NotifyPayload.SIGNATURE_HASH_ALGORITHMS,
                NotifyPayload.CHILDLESS_IKEV2_SUPPORTED, NotifyPayload.MULTIPLE_AUTH_SUPPORTED),
                m.all(NotifyPayload.class).stream().map(NotifyPayload::notifyType).toList());
        assertEquals("da2c75304321e4378ab51d8731fa0064223e56ee",
                Bytes.hex(m.notify(NotifyPayload.NAT_DETECTION_DESTINATION_IP).orElseThrow().data()));
    }

    @Test
    void decodesEncryptedMessagesWithOpaqueSkBody() throws Exception {
        IkeMessage auth = decode(AUTH_REQUEST);
        assertEquals(ExchangeType.IKE_AUTH, auth.header().exchange());
        assertEquals(1, auth.header().messageId());
        assertEquals(PayloadType.SK, auth.header().nextPayload());
        EncryptedPayload sk = (EncryptedPayload) auth.payloads().getFirst();
        assertEquals(1, auth.payloads().size());
        assertEquals(PayloadType.IDI, sk.firstInnerPayload());
        assertEquals(277 - 32, sk.body().length);
        assertEquals(32, IkeMessageCodec.encryptedBodyOffset(auth));

        IkeMessage authResponse = decode(AUTH_RESPONSE);
        assertTrue(authResponse.header().response());
        assertEquals(PayloadType.IDR, authResponse.first(EncryptedPayload.class).orElseThrow().firstInnerPayload());

        IkeMessage del = decode(DELETE_REQUEST);
        assertEquals(ExchangeType.INFORMATIONAL, del.header().exchange());
        assertEquals(2, del.header().messageId());
        assertEquals(PayloadType.DELETE, del.first(EncryptedPayload.class).orElseThrow().firstInnerPayload());
        assertEquals(PayloadType.NONE, decode(DELETE_RESPONSE).first(EncryptedPayload.class).orElseThrow().firstInnerPayload());
    }

    @Test
    void everyCapturedMessageReencodesByteIdentical() throws Exception {
        for (byte[] b : ALL) assertArrayEquals(b, IkeMessageCodec.encode(decode(b)), Bytes.hex(b, 0, 32));
    }

    @Test
    void decodesAtAnOffsetInsideALargerBuffer() throws Exception {
        byte[] buf = new byte[SA_INIT_RESPONSE.length + 20];
        System.arraycopy(SA_INIT_RESPONSE, 0, buf, 7, SA_INIT_RESPONSE.length);
        assertEquals(decode(SA_INIT_RESPONSE), IkeMessageCodec.decode(buf, 7, SA_INIT_RESPONSE.length));
    }

    /** AES-128-GCM-16 as negotiated: key = first 16 bytes of SK_e, salt = last 4, nonce = salt | 8-byte IV, ICV 16. */
    static byte[] openAesGcm(byte[] datagram, byte[] skE) throws Exception {
        IkeMessage m = decode(datagram);
        int bodyOff = IkeMessageCodec.encryptedBodyOffset(m);
        byte[] aad = IkeMessageCodec.headerAndSkPrefix(m);
        assertArrayEquals(Arrays.copyOf(datagram, bodyOff), aad, "AAD is the datagram up to the IV");
        byte[] nonce = new byte[12];
        System.arraycopy(skE, 16, nonce, 0, 4);
        System.arraycopy(datagram, bodyOff, nonce, 4, 8);
        Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
        c.init(Cipher.DECRYPT_MODE, new SecretKeySpec(skE, 0, 16, "AES"), new GCMParameterSpec(128, nonce));
        c.updateAAD(aad);
        byte[] plain = c.doFinal(datagram, bodyOff + 8, datagram.length - bodyOff - 8);
        int padLength = plain[plain.length - 1] & 0xff;
        return Arrays.copyOf(plain, plain.length - 1 - padLength);
    }

    @Test
    void decryptedIkeAuthRequestChainDecodesAndReencodes() throws Exception {
        byte[] inner = openAesGcm(AUTH_REQUEST, SK_EI);
        int first = decode(AUTH_REQUEST).first(EncryptedPayload.class).orElseThrow().firstInnerPayload();
        List<Payload> chain = IkeMessageCodec.decodeChain(first, inner, 0, inner.length);
        assertEquals(List.of(IdPayload.class, NotifyPayload.class, IdPayload.class, AuthPayload.class, SaPayload.class, TsPayload.class,
                TsPayload.class, NotifyPayload.class, NotifyPayload.class, NotifyPayload.class), chain.stream().map(Object::getClass).toList());

        IdPayload idi = (IdPayload) chain.get(0);
        assertTrue(idi.initiator());
        assertEquals(IdPayload.ID_IPV4_ADDR, idi.idType());
        assertEquals(IpAddress.parse("192.0.2.1"), idi.address());
        // strongSwan logged IDx' (the RestOfIDPayload it MACs) as 01 00 00 00 C0 00 02 01.
        assertEquals("01000000c0000201", Bytes.hex(idi.body()));
        assertEquals(NotifyPayload.INITIAL_CONTACT, ((NotifyPayload) chain.get(1)).notifyType());
        IdPayload idr = (IdPayload) chain.get(2);
        assertFalse(idr.initiator());
        assertEquals(IpAddress.parse("192.0.2.2"), idr.address());
        AuthPayload auth = (AuthPayload) chain.get(3);
        assertEquals(AuthPayload.SHARED_KEY_MIC, auth.method());
        assertEquals(32, auth.data().length);

        SaPayload sa = (SaPayload) chain.get(4);
        assertEquals(2, sa.proposals().size());
        Proposal esp = sa.proposals().getFirst();
        assertEquals(Proposal.ESP, esp.protocolId());
        assertEquals("eb6114d3", Bytes.hex(esp.spi()));
        assertEquals(List.of(new Transform(Transform.ENCR, 20, 128), new Transform(Transform.ESN, 0)), esp.transforms());
        assertEquals(List.of(new Transform(Transform.ENCR, 12, 256), new Transform(Transform.INTEG, 12), new Transform(Transform.ESN, 0)),
                sa.proposals().get(1).transforms());

        TsPayload tsi = (TsPayload) chain.get(5), tsr = (TsPayload) chain.get(6);
        assertTrue(tsi.initiator());
        assertFalse(tsr.initiator());
        assertEquals(List.of(TrafficSelector.of(IpPrefix.parse("10.1.0.0/16"))), tsi.selectors());
        assertEquals(List.of(TrafficSelector.of(IpPrefix.parse("10.2.0.0/16"))), tsr.selectors());
        assertEquals(List.of(NotifyPayload.MULTIPLE_AUTH_SUPPORTED, NotifyPayload.EAP_ONLY_AUTHENTICATION, NotifyPayload.IKEV2_MESSAGE_ID_SYNC_SUPPORTED),
                chain.subList(7, 10).stream().map(p -> ((NotifyPayload) p).notifyType()).toList());

        assertEquals(first, IkeMessageCodec.firstType(chain));
        assertArrayEquals(inner, IkeMessageCodec.encodeChain(chain));
    }

    @Test
    void decryptedIkeAuthResponseCarriesTsUnacceptable() throws Exception {
        byte[] inner = openAesGcm(AUTH_RESPONSE, SK_ER);
        List<Payload> chain = IkeMessageCodec.decodeChain(PayloadType.IDR, inner, 0, inner.length);
        assertEquals(3, chain.size());
        assertEquals(IpAddress.parse("192.0.2.2"), ((IdPayload) chain.get(0)).address());
        assertEquals(AuthPayload.SHARED_KEY_MIC, ((AuthPayload) chain.get(1)).method());
        assertEquals(NotifyPayload.TS_UNACCEPTABLE, ((NotifyPayload) chain.get(2)).notifyType());
        assertArrayEquals(inner, IkeMessageCodec.encodeChain(chain));
    }

    @Test
    void decryptedDeleteRequestDeletesTheIkeSa() throws Exception {
        byte[] inner = openAesGcm(DELETE_REQUEST, SK_EI);
        List<Payload> chain = IkeMessageCodec.decodeChain(PayloadType.DELETE, inner, 0, inner.length);
        assertEquals(List.of(DeletePayload.ikeSa()), chain);
        assertEquals(0, openAesGcm(DELETE_RESPONSE, SK_ER).length, "empty INFORMATIONAL response");
    }

    @Test
    void reencryptedAuthRequestMatchesTheCaptureWhenLaidOutByTheCodec() throws Exception {
        // Build the IKE_AUTH request again from its decoded parts the way the engine will: lay out the message with
        // a placeholder body, take the AAD from the codec, encrypt with strongSwan's IV, and compare with the wire.
        IkeMessage captured = decode(AUTH_REQUEST);
        byte[] inner = openAesGcm(AUTH_REQUEST, SK_EI);
        int bodyOff = IkeMessageCodec.encryptedBodyOffset(captured);
        byte[] iv = Arrays.copyOfRange(AUTH_REQUEST, bodyOff, bodyOff + 8);
        byte[] plain = Arrays.copyOf(IkeMessageCodec.encodeChain(IkeMessageCodec.decodeChain(PayloadType.IDI, inner, 0, inner.length)), inner.length + 1);
        int bodyLength = 8 + plain.length + 16;
        IkeHeader h = IkeHeader.of(captured.header().initiatorSpi(), captured.header().responderSpi(), ExchangeType.IKE_AUTH, true, false, 1);
        IkeMessage placeholder = IkeMessageCodec.withEncrypted(h, List.of(), PayloadType.IDI, new byte[bodyLength]);
        byte[] out = IkeMessageCodec.encode(placeholder);
        byte[] nonce = new byte[12];
        System.arraycopy(SK_EI, 16, nonce, 0, 4);
        System.arraycopy(iv, 0, nonce, 4, 8);
        Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
        c.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(SK_EI, 0, 16, "AES"), new GCMParameterSpec(128, nonce));
        c.updateAAD(IkeMessageCodec.headerAndSkPrefix(placeholder));
        System.arraycopy(iv, 0, out, bodyOff, 8);
        c.doFinal(plain, 0, plain.length, out, bodyOff + 8);
        assertArrayEquals(AUTH_REQUEST, out);
    }
}
