// Encrypted Fragment payload, SKF (RFC 7383 §2.5): one piece of an SK payload too big for a datagram. The body
// (IV, ciphertext, padding, ICV) is opaque here, as for SK; reassembly belongs to the engine.
package bitw.ipsec.ike.message;

import java.util.Arrays;

/** @param firstInnerPayload type of the first inner payload in fragment 1; zero in the other fragments */
public record EncryptedFragmentPayload(int firstInnerPayload, int fragmentNumber, int totalFragments, byte[] body) implements Payload {
    public EncryptedFragmentPayload {
        if (firstInnerPayload < 0 || firstInnerPayload > 255) throw new IllegalArgumentException("payload type out of range");
        if (fragmentNumber < 1 || totalFragments < fragmentNumber || totalFragments > 0xffff) throw new IllegalArgumentException("fragment numbers out of range");
        body = body.clone();
    }

    @Override public byte[] body() { return body.clone(); }
    byte[] raw() { return body; }
    @Override public int type() { return PayloadType.SKF; }
    @Override public boolean equals(Object o) {
        return o instanceof EncryptedFragmentPayload p && p.firstInnerPayload == firstInnerPayload && p.fragmentNumber == fragmentNumber
                && p.totalFragments == totalFragments && Arrays.equals(p.body, body);
    }
    @Override public int hashCode() { return ((firstInnerPayload * 31 + fragmentNumber) * 31 + totalFragments) * 31 + Arrays.hashCode(body); }
    @Override public String toString() { return "SKF[first=" + firstInnerPayload + ", " + fragmentNumber + "/" + totalFragments + ", " + body.length + "B]"; }
}
