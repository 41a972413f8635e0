// Nonce payload (RFC 7296 §3.9). Any length parses; the engine enforces 16..256 bytes.
package bitw.ipsec.ike.message;

import bitw.ipsec.packet.Bytes;
import java.util.Arrays;

public record NoncePayload(byte[] nonce) implements Payload {
    public NoncePayload { nonce = nonce.clone(); }

    @Override public byte[] nonce() { return nonce.clone(); }
    byte[] raw() { return nonce; }
    @Override public int type() { return PayloadType.NONCE; }
    @Override public boolean equals(Object o) { return o instanceof NoncePayload p && Arrays.equals(p.nonce, nonce); }
    @Override public int hashCode() { return Arrays.hashCode(nonce); }
    @Override public String toString() { return "Nonce[" + Bytes.hex(nonce) + "]"; }
}
