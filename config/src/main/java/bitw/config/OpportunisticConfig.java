// The `opportunistic` statement: what opportunistic encryption (FreeS/WAN-style OE, discovery through reverse
// DNS) needs besides `action opportunistic` policies: our private key (the public half is what our reverse zone
// publishes), the DNS servers to ask, an optional DNSSEC trust anchor, whether only validated answers count, an
// optional FQDN identity (its forward KEY/IPSECKEY holds our key; our hosts' delegations then name "@FQDN"), and
// the timers of OpportunisticTunnels (negative cache, first and extended tunnel lifespans). Absent: no OE.
package bitw.config;

import bitw.ipsec.packet.IpAddress;
import java.util.List;
import java.util.Optional;

/**
 * @param privateKey PKCS#8 PEM file with the RSA key our gateway authenticates with
 * @param dnsServers resolvers in the order tried (port 53); at least one
 * @param dnssecAnchor file of DS/DNSKEY records in zone-file text; empty: answers are not validated
 * @param identityFqdn our IKE identity as an FQDN (without "fqdn:"); empty: our outside address
 */
public record OpportunisticConfig(String privateKey, List<IpAddress> dnsServers, Optional<String> dnssecAnchor,
                                  boolean requireDnssec, int failureCacheSeconds, int lifespanInitialSeconds,
                                  int lifespanExtendSeconds, Optional<String> identityFqdn) implements Statement {
    public static final int DEFAULT_FAILURE_CACHE = 60, DEFAULT_LIFESPAN_INITIAL = 60, DEFAULT_LIFESPAN_EXTEND = 1200;
    public static final int MAX_SECONDS = 86_400;

    public OpportunisticConfig {
        dnsServers = List.copyOf(dnsServers);
        identityFqdn = identityFqdn == null ? Optional.empty() : identityFqdn;
    }

    /** Without an FQDN identity. */
    public OpportunisticConfig(String privateKey, List<IpAddress> dnsServers, Optional<String> dnssecAnchor, boolean requireDnssec,
                               int failureCacheSeconds, int lifespanInitialSeconds, int lifespanExtendSeconds) {
        this(privateKey, dnsServers, dnssecAnchor, requireDnssec, failureCacheSeconds, lifespanInitialSeconds, lifespanExtendSeconds, Optional.empty());
    }

    public String key() { return "opportunistic"; }

    public String render() {
        StringBuilder sb = new StringBuilder("opportunistic private-key ").append(ConfigParser.quoted(privateKey));
        for (IpAddress a : dnsServers) sb.append(" dns ").append(AddressText.addressText(a));
        dnssecAnchor.ifPresent(f -> sb.append(" dnssec-anchor ").append(ConfigParser.quoted(f)));
        identityFqdn.ifPresent(f -> sb.append(" identity fqdn:").append(f));
        sb.append(" \\\n    require-dnssec ").append(requireDnssec ? "on" : "off")
          .append(" failure-cache ").append(failureCacheSeconds)
          .append(" lifespan-initial ").append(lifespanInitialSeconds)
          .append(" lifespan-extend ").append(lifespanExtendSeconds);
        return sb.toString();
    }
}
