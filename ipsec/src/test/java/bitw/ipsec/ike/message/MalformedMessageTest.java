// A corpus of malformed messages, each rejected with the reason the engine acts on. Most start from the captured
// strongSwan IKE_SA_INIT request (layout: header 0..27, SA at 28 with proposal 1 at 32 and its transforms at 40, 52,
// 60, proposal 2 at 68, KE at 112, Nonce at 184, Notifies at 220, 248, 276, 284, 300; 308 bytes).
package bitw.ipsec.ike.message;

import static org.junit.jupiter.api.Assertions.*;

import bitw.ipsec.ike.message.IkeParseException.Reason;
import bitw.ipsec.packet.Bytes;
import bitw.ipsec.packet.IpAddress;
import bitw.ipsec.packet.IpPrefix;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

class MalformedMessageTest {
    static IkeParseException rejects(Reason expected, byte[] b) {
        IkeParseException e = assertThrows(IkeParseException.class, () -> IkeMessageCodec.decode(b, 0, b.length));
        assertEquals(expected, e.reason(), e.getMessage());
        return e;
    }

    static byte[] request(Consumer<byte[]> patch) {
        byte[] b = StrongSwanCaptureTest.SA_INIT_REQUEST.clone();
        patch.accept(b);
        return b;
    }

    static byte[] encoded(Payload... ps) {
        return IkeMessageCodec.encode(new IkeMessage(IkeHeader.of(5, 6, ExchangeType.IKE_AUTH, true, false, 1), List.of(ps)));
    }

    /** Appends bytes to a message and fixes the header length so only the tail is at fault. */
    static byte[] withTail(byte[] m, int... tail) {
        byte[] b = Arrays.copyOf(m, m.length + tail.length);
        for (int i = 0; i < tail.length; i++) b[m.length + i] = (byte) tail[i];
        Bytes.put32(b, 24, b.length);
        return b;
    }

    @Test
    void datagramShorterThanHeaderIsTruncated() {
        rejects(Reason.TRUNCATED, new byte[0]);
        rejects(Reason.TRUNCATED, Arrays.copyOf(StrongSwanCaptureTest.SA_INIT_REQUEST, 27));
    }

    @Test
    void headerLengthMustEqualDatagramLength() {
        rejects(Reason.TRUNCATED, Arrays.copyOf(StrongSwanCaptureTest.SA_INIT_REQUEST, 307));
        rejects(Reason.BAD_LENGTH, Arrays.copyOf(StrongSwanCaptureTest.SA_INIT_REQUEST, 309));
        rejects(Reason.BAD_LENGTH, request(b -> Bytes.put32(b, 24, 28)));
    }

    @Test
    void higherMajorVersionIsReportedWithTheHeader() {
        IkeParseException e = rejects(Reason.INVALID_MAJOR_VERSION, request(b -> b[17] = 0x30));
        IkeHeader h = e.header().orElseThrow();
        assertEquals(0xace0965e7b610261L, h.initiatorSpi());
        assertEquals(3, h.majorVersion());
        assertEquals(0, h.messageId());
        // The version is judged before lengths: a future version may lay its message out differently.
        rejects(Reason.INVALID_MAJOR_VERSION, request(b -> { b[17] = (byte) 0xf0; Bytes.put32(b, 24, 9999); }));
    }

    @Test
    void ikev1MessageIsOldMajorVersion() { rejects(Reason.OLD_MAJOR_VERSION, request(b -> b[17] = 0x10)); }

    @Test
    void zeroOrTinyPayloadLengthIsBadLength() {
        rejects(Reason.BAD_LENGTH, request(b -> Bytes.put16(b, 28 + 2, 0)));
        rejects(Reason.BAD_LENGTH, request(b -> Bytes.put16(b, 112 + 2, 3)));
    }

    @Test
    void payloadLengthPastTheEndIsBadLength() {
        rejects(Reason.BAD_LENGTH, request(b -> Bytes.put16(b, 300 + 2, 9)));
        rejects(Reason.BAD_LENGTH, request(b -> Bytes.put16(b, 28 + 2, 0xffff)));
    }

    @Test
    void chainThatPromisesMorePayloadsIsTruncated() {
        rejects(Reason.TRUNCATED, request(b -> b[300] = PayloadType.VENDOR_ID));
    }

    @Test
    void bytesAfterTheLastPayloadAreBadLength() {
        rejects(Reason.BAD_LENGTH, withTail(StrongSwanCaptureTest.SA_INIT_REQUEST, 0, 0, 0, 4));
    }

    @Test
    void payloadBodiesBelowTheirMinimumAreBadLength() {
        // KE 2 bytes, AUTH 3 bytes, ID 0 bytes, CERT 0 bytes, N 3 bytes, D 2 bytes, TS 3 bytes, CP 2 bytes, EAP 3 bytes.
        int[][] cases = {{PayloadType.KE, 2}, {PayloadType.AUTH, 3}, {PayloadType.IDI, 0}, {PayloadType.CERT, 0}, {PayloadType.CERTREQ, 0},
                {PayloadType.NOTIFY, 3}, {PayloadType.DELETE, 2}, {PayloadType.TSI, 3}, {PayloadType.CP, 2}, {PayloadType.EAP, 3}, {PayloadType.SA, 0}};
        for (int[] c : cases) {
            byte[] m = encoded();
            m[16] = (byte) c[0];
            byte[] b = withTail(m, new int[4 + c[1]]);
            Bytes.put16(b, 30, 4 + c[1]);
            IkeParseException e = rejects(Reason.BAD_LENGTH, b);
            assertEquals(c[0], e.payloadType());
        }
    }

    @Test
    void proposalLengthOverflowingTheSaPayloadIsBadLength() {
        rejects(Reason.BAD_LENGTH, request(b -> Bytes.put16(b, 68 + 2, 45)));
        rejects(Reason.BAD_LENGTH, request(b -> Bytes.put16(b, 32 + 2, 7)));
    }

    @Test
    void transformLengthOverflowingItsProposalIsBadLength() {
        rejects(Reason.BAD_LENGTH, request(b -> Bytes.put16(b, 60 + 2, 12)));
        rejects(Reason.BAD_LENGTH, request(b -> Bytes.put16(b, 40 + 2, 4)));
    }

    @Test
    void attributeLengthOverflowingItsTransformIsBadLength() {
        // Turn the Key Length attribute of proposal 1's ENCR into a TLV whose length runs past the transform.
        rejects(Reason.BAD_LENGTH, request(b -> { b[48] = 0x00; Bytes.put16(b, 50, 0x80); }));
    }

    @Test
    void transformCountMustMatch() {
        rejects(Reason.INVALID_SYNTAX, request(b -> b[32 + 7] = 2));
        rejects(Reason.INVALID_SYNTAX, request(b -> b[32 + 7] = 0));
    }

    @Test
    void lastSubstructureFlagsMustMatchTheLayout() {
        rejects(Reason.INVALID_SYNTAX, request(b -> b[32] = 0), "proposal 1 says last but proposal 2 follows");
        rejects(Reason.INVALID_SYNTAX, request(b -> b[68] = 2), "proposal 2 says more but the SA ends");
        rejects(Reason.INVALID_SYNTAX, request(b -> b[32] = 1), "only 0 and 2 are valid for proposals");
        rejects(Reason.INVALID_SYNTAX, request(b -> b[52] = 0), "transform says last but one follows");
        rejects(Reason.INVALID_SYNTAX, request(b -> b[60] = 3), "last transform says more");
        rejects(Reason.INVALID_SYNTAX, request(b -> b[40] = 2), "only 0 and 3 are valid for transforms");
    }

    private static void rejects(Reason r, byte[] b, String why) {
        IkeParseException e = assertThrows(IkeParseException.class, () -> IkeMessageCodec.decode(b, 0, b.length), why);
        assertEquals(r, e.reason(), why + ": " + e.getMessage());
    }

    @Test
    void notifySpiSizeBeyondThePayloadIsBadLength() { rejects(Reason.BAD_LENGTH, request(b -> b[276 + 5] = 5)); }

    @Test
    void deleteSpiCountMustFillThePayloadExactly() {
        byte[] ok = encoded(new DeletePayload(Proposal.ESP, 4, List.of(new byte[4], new byte[4])));
        rejects(Reason.BAD_LENGTH, patched(ok, b -> Bytes.put16(b, 28 + 6, 3)));
        rejects(Reason.BAD_LENGTH, patched(ok, b -> Bytes.put16(b, 28 + 6, 1)));
        rejects(Reason.BAD_LENGTH, patched(ok, b -> Bytes.put16(b, 28 + 6, 0xffff)));
        byte[] ike = encoded(DeletePayload.ikeSa());
        rejects(Reason.INVALID_SYNTAX, patched(ike, b -> Bytes.put16(b, 28 + 6, 0xffff)), "65535 SPIs of size 0 in four bytes");
    }

    static byte[] patched(byte[] ok, Consumer<byte[]> patch) {
        byte[] b = ok.clone();
        patch.accept(b);
        return b;
    }

    @Test
    void trafficSelectorFramingIsChecked() {
        byte[] ok = encoded(new TsPayload(true, List.of(TrafficSelector.of(IpPrefix.parse("10.1.0.0/16")))));
        int ts = 28 + 4 + 4; // first selector
        rejects(Reason.INVALID_SYNTAX, patched(ok, b -> b[32] = 2), "count larger than present");
        rejects(Reason.INVALID_SYNTAX, patched(ok, b -> b[32] = 0), "count smaller than present");
        rejects(Reason.BAD_LENGTH, patched(ok, b -> Bytes.put16(b, ts + 2, 40)), "IPv4 selector claiming IPv6 length");
        rejects(Reason.BAD_LENGTH, patched(ok, b -> Bytes.put16(b, ts + 2, 8)), "selector length below its addresses");
        rejects(Reason.INVALID_SYNTAX, patched(ok, b -> b[ts] = 10), "TS type we do not negotiate");
        rejects(Reason.INVALID_SYNTAX, patched(ok, b -> b[ts + 8] = 11), "start address above end address");
        rejects(Reason.INVALID_SYNTAX, patched(ok, b -> { Bytes.put16(b, ts + 4, 80); Bytes.put16(b, ts + 6, 79); }), "start port above end port (not OPAQUE)");
        byte[] v6 = encoded(new TsPayload(false, List.of(TrafficSelector.of(IpPrefix.parse("2001:db8::/32")))));
        rejects(Reason.BAD_LENGTH, patched(v6, b -> Bytes.put16(b, 28 + 8 + 2, 16)), "IPv6 selector claiming IPv4 length");
    }

    @Test
    void configAttributeLengthOverflowIsBadLength() {
        byte[] ok = encoded(new ConfigPayload(ConfigPayload.CFG_REQUEST, List.of(new ConfigAttribute(ConfigAttribute.INTERNAL_IP4_ADDRESS, new byte[0]))));
        rejects(Reason.BAD_LENGTH, patched(ok, b -> Bytes.put16(b, 28 + 8 + 2, 1)));
        rejects(Reason.BAD_LENGTH, withTail(patched(ok, b -> Bytes.put16(b, 30, 15)), 0, 0, 0), "attribute header cut short");
    }

    @Test
    void encryptedPayloadMustBeLast() {
        byte[] ok = encoded(new EncryptedPayload(PayloadType.IDI, new byte[24]));
        // SK claims fewer bytes than remain: another payload would follow it.
        rejects(Reason.ENCRYPTED_NOT_LAST, patched(ok, b -> Bytes.put16(b, 30, 20)));
        // SK in the middle of a proper chain: Nonce -> SK(len 8) -> V.
        byte[] mid = encoded(new NoncePayload(new byte[16]), new VendorIdPayload(new byte[4]), new VendorIdPayload(new byte[4]));
        mid[28] = PayloadType.SK;
        IkeParseException e = rejects(Reason.ENCRYPTED_NOT_LAST, mid);
        assertEquals(PayloadType.SK, e.payloadType());
        byte[] skf = encoded(new EncryptedFragmentPayload(PayloadType.IDI, 1, 2, new byte[24]));
        rejects(Reason.ENCRYPTED_NOT_LAST, patched(skf, b -> Bytes.put16(b, 30, 20)));
    }

    @Test
    void encryptedPayloadInsideAnEncryptedChainIsRefused() {
        byte[] inner = IkeMessageCodec.encodeChain(List.of(new NoncePayload(new byte[16])));
        IkeParseException e = assertThrows(IkeParseException.class, () -> IkeMessageCodec.decodeChain(PayloadType.SK, inner, 0, inner.length));
        assertEquals(Reason.ENCRYPTED_NOT_LAST, e.reason());
        assertTrue(e.header().isEmpty());
    }

    @Test
    void innerChainIsValidatedLikeTheOuterOne() {
        byte[] inner = IkeMessageCodec.encodeChain(List.of(new NoncePayload(new byte[16]), new VendorIdPayload(new byte[2])));
        assertEquals(Reason.TRUNCATED, assertThrows(IkeParseException.class,
                () -> IkeMessageCodec.decodeChain(PayloadType.NONCE, inner, 0, inner.length - 6)).reason());
        assertEquals(Reason.BAD_LENGTH, assertThrows(IkeParseException.class,
                () -> IkeMessageCodec.decodeChain(PayloadType.NONCE, inner, 0, inner.length - 1)).reason());
        assertEquals(Reason.BAD_LENGTH, assertThrows(IkeParseException.class,
                () -> IkeMessageCodec.decodeChain(PayloadType.NONE, inner, 0, inner.length)).reason(), "bytes but no first payload");
    }

    @Test
    void fragmentNumbersMustBeOneToTotal() {
        byte[] ok = encoded(new EncryptedFragmentPayload(PayloadType.IDI, 1, 2, new byte[24]));
        rejects(Reason.INVALID_SYNTAX, patched(ok, b -> Bytes.put16(b, 32, 0)), "fragment 0");
        rejects(Reason.INVALID_SYNTAX, patched(ok, b -> Bytes.put16(b, 32, 3)), "fragment 3 of 2");
        rejects(Reason.BAD_LENGTH, patched(Arrays.copyOf(ok, 28 + 6), b -> { Bytes.put32(b, 24, 34); Bytes.put16(b, 30, 6); }), "SKF without numbers");
    }

    @Test
    void unknownCriticalPayloadIsReportedWithItsType() {
        byte[] b = encoded(new NoncePayload(new byte[16]), new UnknownPayload(200, true, new byte[] {1, 2, 3}));
        IkeParseException e = rejects(Reason.UNSUPPORTED_CRITICAL_PAYLOAD, b);
        assertEquals(200, e.payloadType());
        assertEquals(5, e.header().orElseThrow().initiatorSpi(), "the engine needs the SPIs to answer");
        byte[] inner = IkeMessageCodec.encodeChain(List.of(new UnknownPayload(77, true, new byte[0])));
        IkeParseException ie = assertThrows(IkeParseException.class, () -> IkeMessageCodec.decodeChain(77, inner, 0, inner.length));
        assertEquals(Reason.UNSUPPORTED_CRITICAL_PAYLOAD, ie.reason());
        assertEquals(77, ie.payloadType());
    }

    @Test
    void criticalBitOnAKnownPayloadIsIgnored() throws Exception {
        byte[] b = StrongSwanCaptureTest.SA_INIT_REQUEST.clone();
        b[112 + 1] = (byte) 0x80; // KE, critical
        assertEquals(19, IkeMessageCodec.decode(b, 0, b.length).first(KePayload.class).orElseThrow().group());
    }

    @Test
    void invalidOffsetsAreACallerBugNotAParseError() {
        assertThrows(IndexOutOfBoundsException.class, () -> IkeMessageCodec.decode(new byte[10], 5, 10));
        assertThrows(IndexOutOfBoundsException.class, () -> IkeMessageCodec.decodeChain(0, new byte[10], -1, 2));
    }

    @Test
    void ipv6SelectorsDecode() throws Exception {
        TrafficSelector t = new TrafficSelector(8, 6, 443, 443, IpAddress.parse("2001:db8::1"), IpAddress.parse("2001:db8::ff"));
        byte[] b = encoded(new TsPayload(true, List.of(t)));
        assertEquals(List.of(t), IkeMessageCodec.decode(b, 0, b.length).first(TsPayload.class).orElseThrow().selectors());
    }
}
