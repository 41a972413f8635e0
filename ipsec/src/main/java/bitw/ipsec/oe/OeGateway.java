// Who a delegation record names as the security gateway: an IP address, an FQDN identity ("@FQDN" TXT form or
// an IPSECKEY name gateway), or nobody (IPSECKEY gateway type 0: the owner of the record speaks for itself).
package bitw.ipsec.oe;

import bitw.ipsec.packet.IpAddress;
import java.util.Comparator;
import java.util.Locale;

public record OeGateway(IpAddress address, String fqdn) {
    private static final OeGateway NONE = new OeGateway(null, null);

    /** Orders addresses (IPv4 before IPv6, then numerically) before FQDNs (alphabetically); the discovery's pick. */
    public static final Comparator<OeGateway> ORDER = Comparator
            .comparing((OeGateway g) -> g.address == null)
            .thenComparing(g -> g.address == null ? 0 : g.address.family())
            .thenComparing(g -> g.address == null ? 0 : g.address.hi(), Long::compareUnsigned)
            .thenComparing(g -> g.address == null ? 0 : g.address.lo(), Long::compareUnsigned)
            .thenComparing(g -> g.fqdn == null ? "" : g.fqdn);

    public OeGateway {
        if (address != null && fqdn != null) throw new IllegalArgumentException("a gateway is an address or an FQDN, not both");
    }

    public static OeGateway of(IpAddress address) { return new OeGateway(address, null); }

    /** FQDNs compare case-insensitively and without the root dot, so they are stored lower case without it. */
    public static OeGateway ofName(String fqdn) {
        String f = fqdn.strip().toLowerCase(Locale.ROOT);
        if (f.endsWith(".")) f = f.substring(0, f.length() - 1);
        if (f.isEmpty()) throw new IllegalArgumentException("empty FQDN");
        return new OeGateway(null, f);
    }

    public static OeGateway none() { return NONE; }

    public boolean isNone() { return address == null && fqdn == null; }

    @Override public String toString() { return address != null ? address.toString() : fqdn != null ? "@" + fqdn : "(self)"; }
}
