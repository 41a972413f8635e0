// Reading and writing IP addresses and prefixes in configuration text: strict literals in, RFC 5952 text out
// (IpAddress.toString gives the uncompressed Java form, which is valid but not what people write).
package bitw.config;

import bitw.ipsec.packet.IpAddress;
import bitw.ipsec.packet.IpPrefix;

final class AddressText {
    private AddressText() {}

    /** Longest literal we hand to the JDK parser; a hostile line cannot make it chew on megabytes. */
    private static final int MAX_LITERAL = 64;

    /** Parses a literal address; throws IllegalArgumentException with a message fit for the operator. */
    static IpAddress parseAddress(String text) {
        if (text.length() > MAX_LITERAL) throw new IllegalArgumentException("'" + shorten(text) + "' is not an IP address");
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean ok = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F') || c == '.' || c == ':';
            // No zone ids ('%eth0'), no host names: the configuration names addresses, not lookups.
            if (!ok) throw new IllegalArgumentException("'" + shorten(text) + "' is not an IP address");
        }
        if (text.indexOf(':') < 0) {
            // Java would read "010.1.1.1" as decimal; refuse leading zeros instead of guessing octal or decimal.
            for (String part : text.split("\\.", -1))
                if (part.length() > 1 && part.charAt(0) == '0')
                    throw new IllegalArgumentException("'" + text + "' has a leading zero in an IPv4 octet");
        } else if (text.indexOf('.') >= 0) {
            // Embedded IPv4 ("::ffff:1.2.3.4") would turn into an IPv4 address in the JDK; keep families explicit.
            throw new IllegalArgumentException("'" + text + "': write IPv6 addresses in hex only");
        }
        IpAddress a;
        try {
            a = IpAddress.parse(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("'" + text + "' is not an IP address");
        }
        if ((a.family() == IpAddress.V4) != (text.indexOf(':') < 0))
            throw new IllegalArgumentException("'" + text + "' is not an IP address");
        return a;
    }

    /** Parses "addr/len" (a bare address means a host prefix); host bits must be clear. */
    static IpPrefix parsePrefix(String text) {
        int slash = text.indexOf('/');
        IpAddress a = parseAddress(slash < 0 ? text : text.substring(0, slash));
        if (slash < 0) return IpPrefix.host(a);
        int len = parsePrefixLength(text, text.substring(slash + 1), a.bitLength());
        try {
            return new IpPrefix(a, len);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(text + " has host bits set (did you mean " + prefixText(masked(a, len)) + "?)");
        }
    }

    static int parsePrefixLength(String whole, String lenText, int max) {
        if (lenText.isEmpty() || lenText.length() > 3 || !lenText.chars().allMatch(c -> c >= '0' && c <= '9'))
            throw new IllegalArgumentException("bad prefix length in '" + shorten(whole) + "'");
        int len = Integer.parseInt(lenText);
        if (len > max) throw new IllegalArgumentException("prefix length " + len + " is longer than " + max + " in '" + whole + "'");
        return len;
    }

    static IpPrefix masked(IpAddress a, int len) {
        long[] m = IpPrefix.masks(a.family(), len);
        return new IpPrefix(new IpAddress(a.family(), a.hi() & m[0], a.lo() & m[1]), len);
    }

    static String prefixText(IpPrefix p) { return addressText(p.address()) + "/" + p.length(); }

    /** RFC 5952 text (IpAddress.toString is canonical for both families). */
    static String addressText(IpAddress a) { return a.toString(); }

    /** Keeps error messages readable when the offending token is a megabyte long. */
    static String shorten(String s) {
        return s.length() <= 40 ? s : s.substring(0, 37) + "...";
    }
}
