// Certificate Request payload (RFC 7296 §3.7): for X.509 the data is a concatenation of 20-byte SHA-1 hashes of
// trusted CAs' public keys; kept opaque here.
package bitw.ipsec.ike.message;

import bitw.ipsec.packet.Bytes;
import java.util.Arrays;

public record CertReqPayload(int encoding, byte[] data) implements Payload {
    public CertReqPayload {
        if (encoding < 0 || encoding > 255) throw new IllegalArgumentException("encoding out of range");
        data = data.clone();
    }

    @Override public byte[] data() { return data.clone(); }
    byte[] raw() { return data; }
    @Override public int type() { return PayloadType.CERTREQ; }
    @Override public boolean equals(Object o) { return o instanceof CertReqPayload p && p.encoding == encoding && Arrays.equals(p.data, data); }
    @Override public int hashCode() { return encoding * 31 + Arrays.hashCode(data); }
    @Override public String toString() { return "CERTREQ[encoding=" + encoding + ", " + Bytes.hex(data) + "]"; }
}
