// The `opportunistic` statement → what OpportunisticService runs with: the private key read from its file (the
// only place the statement's file names meet the file system), DNS servers on port 53, the DNSSEC trust anchor
// text, the FQDN identity if any, and the default IKE/ESP proposals of the language (OE peers know nothing else
// about each other).
package bitw.appliance;

import bitw.appliance.oe.DnsClient;
import bitw.appliance.oe.OpportunisticService;
import bitw.config.EspProposal;
import bitw.config.IkeProposal;
import bitw.config.OpportunisticConfig;
import bitw.ipsec.ike.Authentication;
import bitw.ipsec.oe.OeDiscovery;
import bitw.ipsec.packet.IpAddress;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

final class OpportunisticSettings {
    /** Per DNS query; a dead server costs the pair a few of these before it falls back. */
    static final Duration DNS_TIMEOUT = Duration.ofSeconds(2);

    private OpportunisticSettings() {}

    static OpportunisticService.Settings of(OpportunisticConfig o) {
        try {
            PrivateKey key = IkeConnections.privateKey(Path.of(o.privateKey()));
            if (!key.getAlgorithm().equals("RSA")) throw new IllegalArgumentException("opportunistic private-key must be RSA (DNS publishes RFC 3110 RSA keys)");
            List<InetSocketAddress> servers = new ArrayList<>();
            for (IpAddress a : o.dnsServers()) servers.add(new InetSocketAddress(a.toInetAddress(), 53));
            String anchors = o.dnssecAnchor().isPresent() ? Files.readString(Path.of(o.dnssecAnchor().get())) : null;
            return new OpportunisticService.Settings(new Authentication.Signature(key, List.of(), IkeConnections.scheme(key)),
                    new DnsClient.Settings(servers, DNS_TIMEOUT, anchors),
                    o.requireDnssec() ? OeDiscovery.Policy.VALIDATED_ONLY : OeDiscovery.Policy.DEFAULT,
                    Duration.ofSeconds(o.failureCacheSeconds()), Duration.ofSeconds(o.lifespanInitialSeconds()),
                    Duration.ofSeconds(o.lifespanExtendSeconds()),
                    IkeConnections.ikeSpecs(IkeProposal.DEFAULTS), IkeConnections.espSpecs(EspProposal.DEFAULTS), o.identityFqdn().orElse(null));
        } catch (IOException e) {
            throw new UncheckedIOException("opportunistic: " + e.getMessage(), e);
        }
    }
}
