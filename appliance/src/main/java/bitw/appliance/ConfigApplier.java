// Applies a configuration to the running data plane, atomically and without disturbing what did not change:
//   1. build everything new off to the side (transforms, SAs, the policy table) — any error here changes nothing;
//   2. install the SAs of new or changed tunnels (their outbound slot switches to the new SA);
//   3. swap the policy table in one volatile write;
//   4. remove the SAs of tunnels that changed or disappeared.
// Unchanged tunnels keep their SA objects (sequence numbers, replay windows, counters), so their traffic does not
// notice the commit; a configured policy always finds an SA or drops — it never sees a moment without policy.
// Policy entries whose rule did not change keep their counters (PolicyEntry.continued), across commits and across
// the OE host-pair entries coming and going. OE host-pair entries enter a table only while the configuration puts
// their pair under an opportunistic policy, so a commit that takes a pair out never lets OE carry it, not even
// until OE has torn its tunnel down. A changed `opportunistic` statement restarts OE (IkeService) on commit.
// Interfaces, own addresses and the MAC are fixed at start-up: changing them is stored and needs a restart.
package bitw.appliance;

import bitw.bridge.DataPlane;
import bitw.bridge.PolicyTable;
import bitw.config.Configuration;
import bitw.config.TunnelConfig;
import bitw.ipsec.packet.IpAddress;
import bitw.ipsec.sad.SaParameters;
import bitw.ipsec.sad.SecurityAssociation;
import bitw.ipsec.spd.PolicyAction;
import bitw.ipsec.spd.PolicyEntry;
import bitw.ipsec.spd.SecurityPolicyDatabase;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.tinylog.Logger;

public final class ConfigApplier {
    private final DataPlane plane;
    private Configuration running;
    private IkeService ike;   // set once IKE runs; connections follow every apply
    /** Host-pair entries opportunistic encryption added (bitw.appliance.oe), in front of the configured policies. */
    private List<bitw.appliance.oe.OpportunisticPolicies.HostPairPolicy> dynamic = List.of();
    /** The running configuration's own policies, apart from the table (OE asks which pairs are opportunistic). */
    private volatile SecurityPolicyDatabase rules = new SecurityPolicyDatabase(List.of());

    void attach(IkeService ike) { this.ike = ike; }

    public ConfigApplier(DataPlane plane) { this.plane = plane; }

    public synchronized Configuration running() { return running; }

    /** One statement cannot be applied (a key file that does not load, an SPI taken): names it by its key. */
    public static final class StatementRefused extends IllegalArgumentException {
        private final String key;

        StatementRefused(String key, String message, Throwable cause) {
            super(message, cause);
            this.key = key;
        }

        /** The statement's key, e.g. "connection hq" or "tunnel to-b". */
        public String key() { return key; }
    }

    /** What apply() did, for the console and the log. */
    public record Outcome(List<String> tunnelsAdded, List<String> tunnelsChanged, List<String> tunnelsRemoved, boolean restartNeeded) {}

    /**
     * Replaces the host-pair entries in front of the configured policies (OE tunnels) and swaps the table in.
     * Entries that stay keep their counters; the SAs and slots stay as they are.
     */
    public synchronized void setDynamicPolicies(List<bitw.appliance.oe.OpportunisticPolicies.HostPairPolicy> entries) {
        dynamic = List.copyOf(entries);
        if (running != null) plane.install(policyTable(running, rules));
    }

    /** True if the running configuration's policies (not OE's host-pair entries) make local -> remote opportunistic. */
    public boolean isOpportunistic(IpAddress local, IpAddress remote) {
        return isOpportunistic(rules, local, remote);
    }

    private static boolean isOpportunistic(SecurityPolicyDatabase spd, IpAddress local, IpAddress remote) {
        if (local.family() != remote.family()) return false;
        PolicyEntry e = spd.lookup(local.family(), local.hi(), local.lo(), remote.hi(), remote.lo(), 0, 0, 0);
        return e != null && e.action() == PolicyAction.OPPORTUNISTIC;
    }

    private PolicyTable policyTable(Configuration c, SecurityPolicyDatabase rulesOfC) {
        List<PolicyEntry> entries = new ArrayList<>();
        for (var d : dynamic) if (isOpportunistic(rulesOfC, d.local(), d.remote())) entries.add(d.entry());
        entries.addAll(Assembly.policyEntries(c));
        // Unchanged rules continue their counters from the table in force.
        Map<String, PolicyEntry> current = new HashMap<>();
        for (PolicyEntry e : plane.table().spd.entries()) current.put(e.name(), e);
        for (int i = 0; i < entries.size(); i++) {
            PolicyEntry old = current.get(entries.get(i).name());
            if (old != null && old.sameRule(entries.get(i))) entries.set(i, old.continued());
        }
        // With OE running, an opportunistic pair's packets wait for its decision (tunnel, or fallback entry above).
        return new PolicyTable(entries, c.defaultAction(), Assembly.l2Policy(c), plane.sad(), c.opportunistic().isPresent());
    }

    public synchronized Outcome apply(Configuration next) {
        Objects.requireNonNull(next);
        long now = System.nanoTime();
        Map<String, TunnelConfig> before = running == null ? Map.of() : running.tunnels();
        List<String> added = new ArrayList<>(), changed = new ArrayList<>(), removed = new ArrayList<>();
        // 1. Everything new, built before anything is touched.
        Map<String, List<SecurityAssociation>> fresh = new HashMap<>();
        for (TunnelConfig t : next.tunnels().values()) {
            TunnelConfig old = before.get(t.name());
            boolean same = old != null && old.equals(t) && running.localAddressOf(old).equals(next.localAddressOf(t));
            if (same) continue;
            (old == null ? added : changed).add(t.name());
            List<SecurityAssociation> sas = new ArrayList<>();
            for (SaParameters p : next.saParameters(t.name())) sas.add(Assembly.newSa(p, now));
            fresh.put(t.name(), sas);
        }
        for (String name : before.keySet()) if (!next.tunnels().containsKey(name)) removed.add(name);
        // An inbound SPI already taken by an SA that stays (another tunnel, or one IKE installed) cannot be installed.
        for (List<SecurityAssociation> sas : fresh.values())
            for (SecurityAssociation sa : sas) {
                if (!sa.inbound()) continue;
                SecurityAssociation taken = plane.sad().inbound(sa.spi(), sa.params().protocol().ipProtocol);
                if (taken != null && !changed.contains(taken.params().name()) && !removed.contains(taken.params().name()))
                    throw new StatementRefused("tunnel " + sa.params().name(), "tunnel " + sa.params().name() + ": inbound SPI 0x"
                            + Integer.toHexString(sa.spi()) + " is already used by " + taken.params().name(), null);
            }
        SecurityPolicyDatabase nextRules = new SecurityPolicyDatabase(Assembly.policyEntries(next));
        PolicyTable table = policyTable(next, nextRules);
        List<bitw.ipsec.ike.IkeConnection> connections = ike == null ? null : IkeConnections.of(next); // key files read here
        boolean oeChanged = running != null && !running.opportunistic().equals(next.opportunistic());
        // The new OE settings (its private key file, trust anchors) are read now: a bad file refuses the commit.
        bitw.appliance.oe.OpportunisticService.Settings oe = ike != null && oeChanged && next.opportunistic().isPresent()
                ? OpportunisticSettings.of(next.opportunistic().get()) : null;

        // 2. Old SAs of changed tunnels leave before their replacements arrive only for inbound SPIs that are reused;
        //    everything else is make-before-break.
        List<SecurityAssociation> retire = new ArrayList<>();
        for (SecurityAssociation sa : plane.sad().all())
            if (changed.contains(sa.params().name()) || removed.contains(sa.params().name())) retire.add(sa);
        for (List<SecurityAssociation> sas : fresh.values())
            for (SecurityAssociation sa : sas) {
                if (sa.inbound())
                    for (SecurityAssociation old : retire)
                        if (old.inbound() && old.spi() == sa.spi() && old.params().protocol() == sa.params().protocol()) plane.sad().remove(old);
                plane.sad().install(sa);
            }
        // 3. One atomic switch of policy.
        rules = nextRules;
        plane.install(table);
        // 4. What is no longer used goes; IKE connections follow (unchanged ones keep their SAs); OE follows.
        for (SecurityAssociation sa : retire) plane.sad().remove(sa);
        if (connections != null) ike.reconfigure(connections);
        if (ike != null && oeChanged) ike.reconfigureOpportunistic(oe);
        if (ike != null) ike.policiesChanged();

        boolean restart = running != null && (!running.interfaces().equals(next.interfaces())
                || !running.addresses().equals(next.addresses()) || !running.mac().equals(next.mac()));
        running = next;
        Outcome o = new Outcome(added, changed, removed, restart);
        Logger.info("configuration applied: tunnels added {}, changed {}, removed {}; {} policies{}{}", added, changed, removed,
                next.policies().size(), oeChanged ? "; opportunistic settings changed" : "",
                restart ? "; interface/address changes take effect after a restart" : "");
        return o;
    }
}
