// An address prefix (CIDR); the unit of SPD selectors and traffic selectors.
package bitw.ipsec.packet;

public record IpPrefix(IpAddress address, int length) {
    public IpPrefix {
        if (length < 0 || length > address.bitLength()) throw new IllegalArgumentException("prefix length " + length + " out of range for IPv" + address.family());
        long[] m = masks(address.family(), length);
        if ((address.hi() & ~m[0]) != 0 || (address.lo() & ~m[1]) != 0)
            throw new IllegalArgumentException(address + "/" + length + " has host bits set");
    }

    public int family() { return address.family(); }

    public static IpPrefix any(int family) { return new IpPrefix(new IpAddress(family, 0, 0), 0); }

    public static IpPrefix host(IpAddress a) { return new IpPrefix(a, a.bitLength()); }

    /** "10.0.0.0/8", "2001:db8::/32", or a bare address meaning a host prefix. */
    public static IpPrefix parse(String text) {
        int slash = text.indexOf('/');
        IpAddress a = IpAddress.parse(slash < 0 ? text : text.substring(0, slash));
        if (slash < 0) return host(a);
        int len;
        try { len = Integer.parseInt(text.substring(slash + 1).strip()); }
        catch (NumberFormatException e) { throw new IllegalArgumentException("bad prefix length in '" + text + "'"); }
        return new IpPrefix(a, len);
    }

    /** Masks {hi, lo} for a prefix length; IPv4 masks apply to the low 32 bits of lo. */
    public static long[] masks(int family, int length) {
        return new long[] {maskHi(family, length), maskLo(family, length)};
    }

    /** High 64 bits of the mask; always 0 for IPv4. Allocation-free, for the data path. */
    public static long maskHi(int family, int length) {
        if (family == IpAddress.V4) return 0;
        return length == 0 ? 0 : length >= 64 ? -1L : -1L << (64 - length);
    }

    /** Low 64 bits of the mask; for IPv4 the mask of the low 32 bits. Allocation-free, for the data path. */
    public static long maskLo(int family, int length) {
        if (family == IpAddress.V4) return length == 0 ? 0 : (0xffffffffL << (32 - length)) & 0xffffffffL;
        return length <= 64 ? 0 : length == 128 ? -1L : -1L << (128 - length);
    }

    public boolean contains(int family, long hi, long lo) {
        if (family != address.family()) return false;
        return (hi & maskHi(family, length)) == address.hi() && (lo & maskLo(family, length)) == address.lo();
    }

    public boolean contains(IpAddress a) { return contains(a.family(), a.hi(), a.lo()); }

    @Override public String toString() { return address + "/" + length; }
}
