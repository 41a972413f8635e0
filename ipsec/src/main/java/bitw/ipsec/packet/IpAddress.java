// An IPv4 or IPv6 address as two longs, so the data path can compare addresses without objects.
// IPv4 addresses live in the low 32 bits of lo with hi = 0; the family is explicit.
package bitw.ipsec.packet;

import java.net.InetAddress;
import java.net.UnknownHostException;

public record IpAddress(int family, long hi, long lo) {
    public static final int V4 = 4, V6 = 6;

    public IpAddress {
        if (family != V4 && family != V6) throw new IllegalArgumentException("family must be 4 or 6");
        if (family == V4 && (hi != 0 || (lo >>> 32) != 0)) throw new IllegalArgumentException("IPv4 value out of range");
    }

    public static IpAddress v4(int addr) { return new IpAddress(V4, 0, addr & 0xffffffffL); }

    /** Reads a 4- or 16-byte address at {@code off}. */
    public static IpAddress read(int family, byte[] b, int off) {
        return family == V4 ? v4(Bytes.i32(b, off)) : new IpAddress(V6, Bytes.i64(b, off), Bytes.i64(b, off + 8));
    }

    public void write(byte[] b, int off) {
        if (family == V4) Bytes.put32(b, off, (int) lo);
        else { Bytes.put64(b, off, hi); Bytes.put64(b, off + 8, lo); }
    }

    public int byteLength() { return family == V4 ? 4 : 16; }
    public int bitLength() { return family == V4 ? 32 : 128; }

    /** Parses a literal address (no host names); throws IllegalArgumentException with the reason. */
    public static IpAddress parse(String text) {
        String t = text.strip();
        if (t.isEmpty() || !(t.indexOf(':') >= 0 || t.chars().allMatch(c -> c == '.' || Character.isDigit(c))))
            throw new IllegalArgumentException("not an IP address: '" + text + "'");
        if (t.indexOf(':') < 0 && t.split("\\.", -1).length != 4)
            throw new IllegalArgumentException("not an IPv4 address: '" + text + "'");
        try {
            byte[] raw = InetAddress.ofLiteral(t).getAddress();
            return raw.length == 4 ? v4(Bytes.i32(raw, 0)) : new IpAddress(V6, Bytes.i64(raw, 0), Bytes.i64(raw, 8));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("not an IP address: '" + text + "'");
        }
    }

    public byte[] toBytes() { byte[] b = new byte[byteLength()]; write(b, 0); return b; }

    public InetAddress toInetAddress() {
        try { return InetAddress.getByAddress(toBytes()); } catch (UnknownHostException e) { throw new AssertionError(e); }
    }

    /** Dotted quad, or RFC 5952 text for IPv6 (lower case, longest zero run compressed). */
    @Override public String toString() {
        if (family == V4) return ((lo >>> 24) & 0xff) + "." + ((lo >>> 16) & 0xff) + "." + ((lo >>> 8) & 0xff) + "." + (lo & 0xff);
        int[] g = new int[8];
        for (int i = 0; i < 4; i++) { g[i] = (int) (hi >>> (48 - 16 * i)) & 0xffff; g[i + 4] = (int) (lo >>> (48 - 16 * i)) & 0xffff; }
        int bestStart = -1, bestLen = 1;
        for (int i = 0; i < 8; ) {
            if (g[i] != 0) { i++; continue; }
            int j = i;
            while (j < 8 && g[j] == 0) j++;
            if (j - i > bestLen) { bestStart = i; bestLen = j - i; }
            i = j;
        }
        StringBuilder sb = new StringBuilder(39);
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) { sb.append("::"); i += bestLen - 1; continue; }
            if (sb.length() > 0 && sb.charAt(sb.length() - 1) != ':') sb.append(':');
            sb.append(Integer.toHexString(g[i]));
        }
        return sb.toString();
    }
}
