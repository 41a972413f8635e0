// A 48-bit Ethernet address held in the low bits of a long, as the bridge compares it.
package bitw.config;

public record MacAddress(long value) {
    public MacAddress {
        if ((value >>> 48) != 0) throw new IllegalArgumentException("MAC address out of range");
    }

    /** True for group (multicast/broadcast) addresses, which can never be a port's own address. */
    public boolean isGroup() { return ((value >>> 40) & 1) != 0; }

    public byte[] toBytes() {
        byte[] b = new byte[6];
        for (int i = 0; i < 6; i++) b[i] = (byte) (value >>> (40 - 8 * i));
        return b;
    }

    /** Parses "02:00:5e:00:53:01" (or with '-'); returns null when the text is not a MAC address. */
    public static MacAddress parse(String text) {
        if (text.length() != 17) return null;
        long v = 0;
        for (int i = 0; i < 6; i++) {
            if (i > 0) {
                char sep = text.charAt(3 * i - 1);
                if (sep != ':' && sep != '-') return null;
            }
            int hi = Character.digit(text.charAt(3 * i), 16), lo = Character.digit(text.charAt(3 * i + 1), 16);
            if (hi < 0 || lo < 0 || text.charAt(3 * i) > 'f' || text.charAt(3 * i + 1) > 'f') return null;
            v = (v << 8) | (hi << 4) | lo;
        }
        return new MacAddress(v);
    }

    @Override public String toString() {
        StringBuilder sb = new StringBuilder(17);
        for (int i = 0; i < 6; i++) {
            if (i > 0) sb.append(':');
            int b = (int) (value >>> (40 - 8 * i)) & 0xff;
            sb.append(Character.forDigit(b >> 4, 16)).append(Character.forDigit(b & 0xf, 16));
        }
        return sb.toString();
    }
}
