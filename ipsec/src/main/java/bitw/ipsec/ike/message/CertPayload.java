// Certificate payload (RFC 7296 §3.6). The engine uses encodings 4 (X.509 signature) and 15 (raw public key,
// RFC 7670) and ignores 12 (hash and URL); all are carried the same way here.
package bitw.ipsec.ike.message;

import java.util.Arrays;

public record CertPayload(int encoding, byte[] data) implements Payload {
    public static final int X509_SIGNATURE = 4, HASH_AND_URL_X509 = 12, RAW_PUBLIC_KEY = 15;

    public CertPayload {
        if (encoding < 0 || encoding > 255) throw new IllegalArgumentException("encoding out of range");
        data = data.clone();
    }

    @Override public byte[] data() { return data.clone(); }
    byte[] raw() { return data; }
    @Override public int type() { return PayloadType.CERT; }
    @Override public boolean equals(Object o) { return o instanceof CertPayload p && p.encoding == encoding && Arrays.equals(p.data, data); }
    @Override public int hashCode() { return encoding * 31 + Arrays.hashCode(data); }
    @Override public String toString() { return "CERT[encoding=" + encoding + ", " + data.length + "B]"; }
}
