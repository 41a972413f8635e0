// Turns a validated Configuration into what the data plane runs: SAs in the SAD, the policy table (SPD entries
// bound to tunnels), the L2 policy and the own address. Pure translation, no I/O: tests build data planes with it.
package bitw.appliance;

import bitw.bridge.L2Policy;
import bitw.bridge.OwnAddress;
import bitw.bridge.PolicyTable;
import bitw.config.Configuration;
import bitw.config.FallbackChoice;
import bitw.config.L2Action;
import bitw.config.L2Class;
import bitw.config.PolicyConfig;
import bitw.ipsec.crypto.AhTransforms;
import bitw.ipsec.crypto.EspTransforms;
import bitw.ipsec.packet.IpAddress;
import bitw.ipsec.sad.SaParameters;
import bitw.ipsec.sad.SaProtocol;
import bitw.ipsec.sad.SecurityAssociation;
import bitw.ipsec.sad.SecurityAssociationDatabase;
import bitw.ipsec.spd.Fallback;
import bitw.ipsec.spd.PolicyAction;
import bitw.ipsec.spd.PolicyEntry;
import bitw.ipsec.spd.PortRange;
import bitw.ipsec.spd.Selector;
import java.util.ArrayList;
import java.util.List;

public final class Assembly {
    private Assembly() {}

    /** An SA with its transform, ready to install (the same for manual keys and IKE). */
    public static SecurityAssociation newSa(SaParameters p, long now) {
        return p.protocol() == SaProtocol.ESP
                ? new SecurityAssociation(p, EspTransforms.create(p.encryption(), p.encryptionKey(), p.integrity(), p.integrityKey()), null, now)
                : new SecurityAssociation(p, null, AhTransforms.create(p.integrity(), p.integrityKey()), now);
    }

    public static PolicyTable policyTable(Configuration c, SecurityAssociationDatabase sad) {
        return new PolicyTable(policyEntries(c), c.defaultAction(), l2Policy(c), sad);
    }

    /** One SPD entry per policy and address family, in policy-number order. */
    public static List<PolicyEntry> policyEntries(Configuration c) {
        List<PolicyEntry> entries = new ArrayList<>();
        for (PolicyConfig p : c.policies()) {
            List<PolicyConfig.AddressPair> pairs = p.addressPairs();
            for (PolicyConfig.AddressPair pair : pairs) {
                String name = p.name().orElse("policy-" + p.number()) + (pairs.size() > 1 ? "/v" + pair.family() : "");
                Selector s = new Selector(pair.source(), pair.destination(), p.protocol(),
                        new PortRange(p.sourcePorts().low(), p.sourcePorts().high()),
                        new PortRange(p.destinationPorts().low(), p.destinationPorts().high()), p.icmpType(), p.icmpCode());
                boolean protects = p.action() == PolicyAction.CONFIGURED || p.action() == PolicyAction.OPPORTUNISTIC;
                entries.add(new PolicyEntry(name, s, p.action(), protects ? fallback(p.fallback()) : null, protects ? p.tunnel().orElse(null) : null));
            }
        }
        return entries;
    }

    private static Fallback fallback(FallbackChoice f) {
        return switch (f) { case CLEAR -> Fallback.CLEAR; case DROP -> Fallback.DROP; case HOLD -> Fallback.HOLD; };
    }

    public static L2Policy l2Policy(Configuration c) {
        return new L2Policy(pass(c, L2Class.ARP), pass(c, L2Class.VLAN), pass(c, L2Class.LLDP), pass(c, L2Class.IPV6_ND), pass(c, L2Class.OTHER));
    }

    private static boolean pass(Configuration c, L2Class k) { return c.l2Policy().get(k) == L2Action.PASS; }

    /** The own address; without a configured MAC, one derived from the outside NIC's (locally administered, distinct). */
    public static OwnAddress ownAddress(Configuration c, long outsideNicMac, int mtu) {
        long mac = c.mac().map(m -> m.value()).orElse((outsideNicMac | 0x0200_0000_0000L) ^ 0x01L);
        IpAddress v4 = c.address(IpAddress.V4).map(a -> a.address()).orElse(null);
        IpAddress v6 = c.address(IpAddress.V6).map(a -> a.address()).orElse(null);
        return new OwnAddress(mac, v4, v6, mtu);
    }
}
