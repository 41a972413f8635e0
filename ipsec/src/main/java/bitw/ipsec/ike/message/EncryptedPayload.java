// Encrypted and Authenticated payload, SK (RFC 7296 §3.14). The body (IV, ciphertext, padding, pad length, ICV) is
// opaque here: the engine decrypts it and hands the plaintext chain to IkeMessageCodec.decodeChain with
// firstInnerPayload. SK is always the last payload of a message.
package bitw.ipsec.ike.message;

import java.util.Arrays;

/** @param firstInnerPayload the next-payload field of the SK header: type of the first payload inside */
public record EncryptedPayload(int firstInnerPayload, byte[] body) implements Payload {
    public EncryptedPayload {
        if (firstInnerPayload < 0 || firstInnerPayload > 255) throw new IllegalArgumentException("payload type out of range");
        body = body.clone();
    }

    @Override public byte[] body() { return body.clone(); }
    byte[] raw() { return body; }
    @Override public int type() { return PayloadType.SK; }
    @Override public boolean equals(Object o) { return o instanceof EncryptedPayload p && p.firstInnerPayload == firstInnerPayload && Arrays.equals(p.body, body); }
    @Override public int hashCode() { return firstInnerPayload * 31 + Arrays.hashCode(body); }
    @Override public String toString() { return "SK[first=" + firstInnerPayload + ", " + body.length + "B]"; }
}
