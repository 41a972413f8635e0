// 'policy <n> ...': one SPD entry as written. The SPD is built from these in ascending number order (first match
// wins); addressPairs() expands 'any' into concrete per-family prefixes, one SPD entry per pair.
package bitw.config;

import bitw.ipsec.packet.IpAddress;
import bitw.ipsec.packet.IpPrefix;
import bitw.ipsec.spd.PolicyAction;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * @param source / destination  empty means 'any'
 * @param protocol   IP protocol number, or ANY_PROTOCOL
 * @param sourcePorts / destinationPorts  PortRange.ANY unless written (only with tcp, udp, sctp)
 * @param icmpType / icmpCode  -1 for any (only with icmp, icmpv6)
 * @param tunnel     the tunnel whose SA protects matching traffic (configured: required; opportunistic: optional)
 * @param fallback   without an SA: CLEAR or DROP for opportunistic, HOLD or DROP for configured. For deny and
 *                   permit it states what the action itself does (DROP, CLEAR) and is never written.
 */
public record PolicyConfig(
        int number,
        Optional<String> name,
        Optional<IpPrefix> source,
        Optional<IpPrefix> destination,
        int protocol,
        PortRange sourcePorts,
        PortRange destinationPorts,
        int icmpType,
        int icmpCode,
        PolicyAction action,
        Optional<String> tunnel,
        FallbackChoice fallback) implements Statement {

    public static final int ANY_PROTOCOL = -1, ANY_ICMP = -1, MAX_NUMBER = 65535;
    public static final int ICMP = 1, TCP = 6, UDP = 17, ESP = 50, AH = 51, ICMPV6 = 58, SCTP = 132;

    /** Protocol names the language knows, in rendering preference. */
    static final Map<String, Integer> PROTOCOL_NAMES = Map.of(
            "icmp", ICMP, "tcp", TCP, "udp", UDP, "esp", ESP, "ah", AH, "icmpv6", ICMPV6, "sctp", SCTP);

    /** One concrete source/destination pair of a single family. */
    public record AddressPair(IpPrefix source, IpPrefix destination) {
        public int family() { return source.family(); }
    }

    public PolicyConfig {
        // deny and permit have no fallback of their own; record what the action does so equal policies compare equal.
        if (action == PolicyAction.DENY) fallback = FallbackChoice.DROP;
        if (action == PolicyAction.PERMIT) fallback = FallbackChoice.CLEAR;
    }

    public String key() { return "policy " + number; }

    public boolean hasPorts() { return protocol == TCP || protocol == UDP || protocol == SCTP; }

    public boolean isIcmp() { return protocol == ICMP || protocol == ICMPV6; }

    /**
     * The family pairs this policy selects: 'any' takes the family of the other side; with both sides 'any' there
     * is one pair per family (only IPv4 for icmp, only IPv6 for icmpv6).
     */
    public List<AddressPair> addressPairs() {
        if (source.isPresent() || destination.isPresent()) {
            int family = source.orElseGet(destination::get).family();
            return List.of(new AddressPair(source.orElse(IpPrefix.any(family)), destination.orElse(IpPrefix.any(family))));
        }
        List<AddressPair> pairs = new ArrayList<>(2);
        if (protocol != ICMPV6) pairs.add(new AddressPair(IpPrefix.any(IpAddress.V4), IpPrefix.any(IpAddress.V4)));
        if (protocol != ICMP) pairs.add(new AddressPair(IpPrefix.any(IpAddress.V6), IpPrefix.any(IpAddress.V6)));
        return List.copyOf(pairs);
    }

    public String render() {
        StringBuilder sb = new StringBuilder(128);
        sb.append("policy ").append(number);
        name.ifPresent(n -> sb.append(" name ").append(n));
        sb.append(" from ").append(source.map(AddressText::prefixText).orElse("any"))
          .append(" to ").append(destination.map(AddressText::prefixText).orElse("any"));
        if (protocol != ANY_PROTOCOL) sb.append(" proto ").append(protocolText(protocol));
        if (!sourcePorts.isAny()) sb.append(" sport ").append(sourcePorts);
        if (!destinationPorts.isAny()) sb.append(" dport ").append(destinationPorts);
        if (icmpType != ANY_ICMP) sb.append(" icmp-type ").append(icmpType);
        if (icmpCode != ANY_ICMP) sb.append(" icmp-code ").append(icmpCode);
        sb.append(" action ").append(action.name().toLowerCase(Locale.ROOT));
        tunnel.ifPresent(t -> sb.append(" tunnel ").append(t));
        if (action == PolicyAction.OPPORTUNISTIC || action == PolicyAction.CONFIGURED)
            sb.append(" fallback ").append(fallback.configName);
        return sb.toString();
    }

    static String protocolText(int protocol) {
        for (Map.Entry<String, Integer> e : PROTOCOL_NAMES.entrySet())
            if (e.getValue() == protocol) return e.getKey();
        return Integer.toString(protocol);
    }
}
