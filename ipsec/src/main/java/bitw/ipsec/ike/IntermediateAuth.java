// RFC 9242 §3.3: IKE_INTERMEDIATE messages are authenticated by IKE_AUTH. Each message sent by the initiator
// extends IntAuth_i = prf(SK_pi, IntAuth_i(previous) | A | P), each sent by the responder IntAuth_r likewise with
// SK_pr, where A is the IKE header and the SK generic payload header as they would be for the unfragmented
// message with the Length fields counting only A and P, and P the inner payloads in plaintext (no IV, padding,
// pad length or ICV). The keys are those protecting the message (before an RFC 9370 update). AUTH then signs
// "... | IntAuth_i | IntAuth_r | IKE_AUTH message ID" (AuthTask appends value()).
package bitw.ipsec.ike;

import bitw.ipsec.ike.message.IkeHeader;
import bitw.ipsec.ike.message.IkeMessageCodec;
import bitw.ipsec.ike.message.Payload;
import bitw.ipsec.ike.message.PayloadType;
import bitw.ipsec.packet.Bytes;
import java.util.List;

final class IntermediateAuth {
    private IntermediateAuth() {}

    /** A message we send: called with the inner payloads before sealing. */
    static void record(IkeSa sa, IkeHeader h, List<Payload> inner, boolean fromInitiator) {
        record(sa, h, IkeMessageCodec.firstType(inner), IkeMessageCodec.encodeChain(inner), fromInitiator);
    }

    /** Any IKE_INTERMEDIATE message, sent or received (after decryption and reassembly). */
    static void record(IkeSa sa, IkeHeader h, int firstInner, byte[] plaintext, boolean fromInitiator) {
        byte[] a = new byte[IkeHeader.LENGTH + 4];
        Bytes.put64(a, 0, h.initiatorSpi());
        Bytes.put64(a, 8, h.responderSpi());
        Bytes.put8(a, 16, PayloadType.SK);
        Bytes.put8(a, 17, 0x20);
        Bytes.put8(a, 18, h.exchangeType());
        Bytes.put8(a, 19, (h.initiator() ? 0x08 : 0) | (h.response() ? 0x20 : 0));
        Bytes.put32(a, 20, (int) h.messageId());
        Bytes.put32(a, 24, a.length + plaintext.length);
        Bytes.put8(a, 28, firstInner);
        Bytes.put16(a, 30, 4 + plaintext.length);
        if (fromInitiator) sa.intAuthI = sa.algorithms.prf().prf(sa.keys.skPi(), orEmpty(sa.intAuthI), a, plaintext);
        else sa.intAuthR = sa.algorithms.prf().prf(sa.keys.skPr(), orEmpty(sa.intAuthR), a, plaintext);
    }

    private static byte[] orEmpty(byte[] b) { return b == null ? new byte[0] : b; }

    /** IntAuth = IntAuth_i | IntAuth_r | IKE_AUTH message ID, or null when no IKE_INTERMEDIATE took place. */
    static byte[] value(IkeSa sa) {
        if (sa.intAuthI == null || sa.intAuthR == null) return null;
        byte[] mid = new byte[4];
        Bytes.put32(mid, 0, (int) (sa.initiator ? sa.nextRequestId : sa.expectedRequestId));
        return AuthTask.concat(sa.intAuthI, sa.intAuthR, mid);
    }
}
