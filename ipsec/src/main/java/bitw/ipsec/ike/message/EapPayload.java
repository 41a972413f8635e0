// EAP payload (RFC 7296 §3.16): one EAP message, opaque here.
package bitw.ipsec.ike.message;

import bitw.ipsec.packet.Bytes;
import java.util.Arrays;

public record EapPayload(byte[] message) implements Payload {
    public EapPayload { message = message.clone(); }

    @Override public byte[] message() { return message.clone(); }
    byte[] raw() { return message; }
    @Override public int type() { return PayloadType.EAP; }
    @Override public boolean equals(Object o) { return o instanceof EapPayload p && Arrays.equals(p.message, message); }
    @Override public int hashCode() { return Arrays.hashCode(message); }
    @Override public String toString() { return "EAP[" + Bytes.hex(message) + "]"; }
}
