// The SPD side of an OE tunnel: one entry per host pair, put in front of the configured policies while the pair
// negotiates and while its tunnel lives. It is a `configured` entry bound to the tunnel's own name with fallback
// hold, so (1) the data plane's hold queue keeps one packet per host pair (its queue is per entry) until the SA is
// there, (2) the pair's traffic never leaves in the clear once OE committed to it, and (3) inbound ESP of the OE
// SA passes the SPD check only for exactly this pair. When the pair falls back or its tunnel goes, the entry goes
// and the opportunistic policy behind it decides again.
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

    /** local: the inner host we protect; remote: the peer's inner host; tunnel: the IKE connection's name. */
    public record HostPairPolicy(IpAddress local, IpAddress remote, String tunnel) {
        /** A fresh entry (an entry belongs to one SPD, and every table swap builds a new SPD). */
        public PolicyEntry entry() {
            Selector s = new Selector(IpPrefix.host(local), IpPrefix.host(remote), Selector.ANY_PROTOCOL, PortRange.ANY, PortRange.ANY, -1, -1);
            return new PolicyEntry(tunnel, s, PolicyAction.CONFIGURED, Fallback.HOLD, tunnel);
        }
    }

    /** Every OE connection and SA name starts so; '%' never occurs in configured names, so no clash. */
    public static final String PREFIX = "%oe-";

    /** The IKE connection / SA name of an OE host pair. */
    public static String tunnelName(IpAddress local, IpAddress remote) {
        return PREFIX + local + "-" + remote;
    }
}
