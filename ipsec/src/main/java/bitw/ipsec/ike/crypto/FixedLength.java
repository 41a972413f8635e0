// Fixed-length big-endian and little-endian encodings of non-negative integers, as the KE payload formats need
// (public values and shared secrets are always padded to the group's length).
package bitw.ipsec.ike.crypto;

import java.math.BigInteger;

final class FixedLength {
    private FixedLength() {}

    static byte[] bigEndian(BigInteger v, int length) {
        byte[] raw = v.toByteArray();
        if (raw.length == length) return raw;
        byte[] out = new byte[length];
        int skip = Math.max(0, raw.length - length);   // leading sign byte
        if (raw.length - skip > length) throw new IllegalArgumentException("value longer than " + length);
        System.arraycopy(raw, skip, out, length - (raw.length - skip), raw.length - skip);
        return out;
    }

    /** Left-pads a provider's big-endian output (which may drop leading zeros) to the required length. */
    static byte[] leftPad(byte[] b, int length) {
        if (b.length == length) return b;
        return bigEndian(new BigInteger(1, b), length);
    }

    static byte[] littleEndian(BigInteger v, int length) {
        byte[] be = bigEndian(v, length);
        for (int i = 0, j = length - 1; i < j; i++, j--) { byte t = be[i]; be[i] = be[j]; be[j] = t; }
        return be;
    }

    static BigInteger fromLittleEndian(byte[] le) {
        byte[] be = new byte[le.length];
        for (int i = 0; i < le.length; i++) be[i] = le[le.length - 1 - i];
        return new BigInteger(1, be);
    }
}
