// The SPD side of OE, one entry per host pair, put in front of the configured policies:
//  - TUNNEL while the pair negotiates and while its tunnel lives: a `configured` entry bound to the tunnel's own
//    name with fallback hold, so (1) the data plane's hold queue keeps one packet per host pair (its queue is per
//    entry) until the SA is there, (2) the pair's traffic never leaves in the clear once OE committed to it, and
//    (3) inbound ESP of the OE SA passes the SPD check only for exactly this pair;
//  - CLEAR or DROP once discovery or IKE failed (for as long as the negative cache keeps the failure): a `permit` or
//    `deny` entry, the fallback decided once for the pair, so its packets neither wait nor ask DNS again.
// Until one of these exists the opportunistic policy behind holds the pair's first packet (the data plane's
// PolicyTable.opportunisticKeying); when the entry goes, the policy decides again.
package bitw.appliance.oe;

import bitw.ipsec.packet.IpAddress;
import bitw.ipsec.packet.IpPrefix;
import bitw.ipsec.spd.Fallback;
import bitw.ipsec.spd.PolicyAction;
import bitw.ipsec.spd.PolicyEntry;
import bitw.ipsec.spd.PortRange;
import bitw.ipsec.spd.Selector;

public final class OpportunisticPolicies {
    private OpportunisticPolicies() {}

    /** What a host-pair entry does: carry the OE tunnel, or apply the failed pair's fallback. */
    public enum Kind { TUNNEL, CLEAR, DROP }

    /** local: the inner host we protect; remote: the peer's inner host; tunnel: the IKE connection's name. */
    public record HostPairPolicy(IpAddress local, IpAddress remote, String tunnel, Kind kind) {
        public HostPairPolicy(IpAddress local, IpAddress remote, String tunnel) { this(local, remote, tunnel, Kind.TUNNEL); }

        /** The fallback decision for a pair whose discovery or negotiation failed. */
        public static HostPairPolicy decision(IpAddress local, IpAddress remote, Fallback mode) {
            return new HostPairPolicy(local, remote, tunnelName(local, remote), mode == Fallback.CLEAR ? Kind.CLEAR : Kind.DROP);
        }

        /** A fresh entry (an entry belongs to one SPD, and every table swap builds a new SPD). */
        public PolicyEntry entry() {
            Selector s = new Selector(IpPrefix.host(local), IpPrefix.host(remote), Selector.ANY_PROTOCOL, PortRange.ANY, PortRange.ANY, -1, -1);
            return switch (kind) {
                case TUNNEL -> new PolicyEntry(tunnel, s, PolicyAction.CONFIGURED, Fallback.HOLD, tunnel);
                case CLEAR -> new PolicyEntry(tunnel, s, PolicyAction.PERMIT, null, null);
                case DROP -> new PolicyEntry(tunnel, s, PolicyAction.DENY, null, null);
            };
        }
    }

    /** Every OE connection and SA name starts so; '%' never occurs in configured names, so no clash. */
    public static final String PREFIX = "%oe-";

    /** The IKE connection / SA name of an OE host pair. */
    public static String tunnelName(IpAddress local, IpAddress remote) {
        return PREFIX + local + "-" + remote;
    }
}
