// One immutable snapshot of what the data plane enforces: the SPD, the outbound SA slot bound to each entry,
// the default action and the L2 policy. A configuration change builds a new table and swaps it in one volatile
// write, so every frame sees either the old or the new policy, never a mix. opportunisticKeying says whether
// opportunistic encryption runs (decides each host pair of an opportunistic entry without a tunnel): then such a
// pair's packets wait for its decision — an OE tunnel, or a host-pair permit/deny entry for the fallback — instead
// of meeting the fallback at once.
package bitw.bridge;

import bitw.ipsec.sad.SecurityAssociationDatabase;
import bitw.ipsec.spd.PolicyAction;
import bitw.ipsec.spd.PolicyEntry;
import bitw.ipsec.spd.SecurityPolicyDatabase;
import java.util.List;

public final class PolicyTable {
    public final SecurityPolicyDatabase spd;
    /** Indexed by PolicyEntry.index(); null for entries without a tunnel. */
    final SecurityAssociationDatabase.OutboundSlot[] slots;
    public final PolicyAction defaultAction;
    public final L2Policy l2;
    public final boolean opportunisticKeying;

    public PolicyTable(List<PolicyEntry> entries, PolicyAction defaultAction, L2Policy l2, SecurityAssociationDatabase sad) {
        this(entries, defaultAction, l2, sad, false);
    }

    public PolicyTable(List<PolicyEntry> entries, PolicyAction defaultAction, L2Policy l2, SecurityAssociationDatabase sad, boolean opportunisticKeying) {
        if (defaultAction != PolicyAction.DENY && defaultAction != PolicyAction.PERMIT)
            throw new IllegalArgumentException("default action must be deny or permit");
        this.spd = new SecurityPolicyDatabase(entries);
        this.slots = new SecurityAssociationDatabase.OutboundSlot[spd.size()];
        for (PolicyEntry e : spd.entries()) if (e.tunnel() != null) slots[e.index()] = sad.outboundSlot(e.tunnel());
        this.defaultAction = defaultAction;
        this.l2 = l2;
        this.opportunisticKeying = opportunisticKeying;
    }

    /** A table that forwards nothing: what runs before any configuration is committed. */
    public static PolicyTable closed(SecurityAssociationDatabase sad) {
        return new PolicyTable(List.of(), PolicyAction.DENY, new L2Policy(false, false, false, false, false), sad);
    }
}
