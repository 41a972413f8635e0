// Authentication payload (RFC 7296 §3.8): method and the signature or PSK MAC.
package bitw.ipsec.ike.message;

import bitw.ipsec.packet.Bytes;
import java.util.Arrays;

public record AuthPayload(int method, byte[] data) implements Payload {
    public static final int RSA_SIGNATURE = 1, SHARED_KEY_MIC = 2, ECDSA_SHA256_P256 = 9, ECDSA_SHA384_P384 = 10,
            ECDSA_SHA512_P521 = 11, DIGITAL_SIGNATURE = 14;

    public AuthPayload {
        if (method < 0 || method > 255) throw new IllegalArgumentException("method out of range");
        data = data.clone();
    }

    @Override public byte[] data() { return data.clone(); }
    byte[] raw() { return data; }
    @Override public int type() { return PayloadType.AUTH; }
    @Override public boolean equals(Object o) { return o instanceof AuthPayload p && p.method == method && Arrays.equals(p.data, data); }
    @Override public int hashCode() { return method * 31 + Arrays.hashCode(data); }
    @Override public String toString() { return "AUTH[method=" + method + ", " + Bytes.hex(data) + "]"; }
}
