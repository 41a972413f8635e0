// One DNS question OE needs answered: an absolute name (lower case, trailing dot) and a record type
// (org.xbill.DNS.Type constants: TXT, IPSECKEY, KEY, A, AAAA). OeDiscovery asks, the DNS shell answers.
package bitw.ipsec.oe;

import bitw.ipsec.packet.IpAddress;
import java.util.Locale;
import org.xbill.DNS.ReverseMap;
import org.xbill.DNS.Type;

public record Lookup(String name, int type) {
    public Lookup {
        name = name.toLowerCase(Locale.ROOT);
        if (!name.endsWith(".")) name = name + ".";
    }

    /** The in-addr.arpa / ip6.arpa name of an address, e.g. 1.2.0.192.in-addr.arpa. */
    public static String reverseName(IpAddress a) {
        return ReverseMap.fromAddress(a.toBytes()).toString();
    }

    public static Lookup reverse(IpAddress a, int type) {
        return new Lookup(reverseName(a), type);
    }

    @Override public String toString() { return name + " " + Type.string(type); }
}
