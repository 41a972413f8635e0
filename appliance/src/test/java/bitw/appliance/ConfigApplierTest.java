// Live configuration changes: untouched tunnels keep their SAs, changed ones get new SAs before the policy swap,
// removed ones go, and a configuration that cannot be built changes nothing.
package bitw.appliance;

import static org.junit.jupiter.api.Assertions.*;

import bitw.bridge.DataPlane;
import bitw.bridge.FramePort;
import bitw.bridge.OwnAddress;
import bitw.bridge.PolicyTable;
import bitw.config.ConfigParser;
import bitw.config.Configuration;
import bitw.ipsec.packet.IpAddress;
import bitw.ipsec.sad.SaEventListener;
import bitw.ipsec.sad.SecurityAssociation;
import bitw.ipsec.sad.SecurityAssociationDatabase;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConfigApplierTest {
    static final class NullPort implements FramePort {
        private final String name;
        NullPort(String name) { this.name = name; }
        @Override public int receive(byte[] buf, int off, int maxLen) { return -1; }
        @Override public boolean send(byte[] buf, int off, int len) { return true; }
        @Override public void breakLoop() {}
        @Override public String name() { return name; }
        @Override public void close() {}
    }

    static DataPlane plane() {
        SecurityAssociationDatabase sad = new SecurityAssociationDatabase(new SaEventListener() {
            @Override public void softExpired(SecurityAssociation sa) {}
            @Override public void hardExpired(SecurityAssociation sa) {}
        });
        return new DataPlane(new NullPort("in"), new NullPort("out"), new NullPort("tap"),
                new OwnAddress(0x020000000001L, IpAddress.parse("192.0.2.2"), null, 1500), sad);
    }

    static String config(String keyT1, String keyT2, boolean withT2) {
        return """
                interface inside device in
                interface outside device out
                address 192.0.2.2/29 gateway 192.0.2.1
                tunnel t1 peer 198.51.100.2 spi-out 0x1001 spi-in 0x2001 key-out %s key-in %s local-net 10.1.0.0/24 remote-net 10.2.0.0/24
                """.formatted(keyT1, keyT1)
                + (withT2 ? "tunnel t2 peer 203.0.113.9 spi-out 0x1002 spi-in 0x2002 key-out %s key-in %s local-net 10.1.0.0/24 remote-net 10.3.0.0/24\n".formatted(keyT2, keyT2) : "")
                + "policy 10 from 10.1.0.0/24 to 10.2.0.0/24 action configured tunnel t1\n"
                + (withT2 ? "policy 20 from 10.1.0.0/24 to 10.3.0.0/24 action configured tunnel t2\n" : "")
                + "default-action deny\n";
    }

    static final String K1 = "0x" + "11".repeat(20), K2 = "0x" + "22".repeat(20), K3 = "0x" + "33".repeat(20);

    static SecurityAssociation sa(DataPlane p, String tunnel, boolean inbound) {
        return p.sad().all().stream().filter(s -> s.params().name().equals(tunnel) && s.inbound() == inbound).findFirst().orElse(null);
    }

    @Test
    void untouchedTunnelsKeepTheirSasChangedOnesAreReplacedRemovedOnesGo() throws Exception {
        DataPlane p = plane();
        ConfigApplier applier = new ConfigApplier(p);
        applier.apply(ConfigParser.parse(config(K1, K2, true)));
        SecurityAssociation t1out = sa(p, "t1", false), t2out = sa(p, "t2", false);
        assertNotNull(t1out);
        assertEquals(4, p.sad().all().size());

        ConfigApplier.Outcome o = applier.apply(ConfigParser.parse(config(K1, K3, true)));
        assertEquals(List.of("t2"), o.tunnelsChanged());
        assertSame(t1out, sa(p, "t1", false), "t1 untouched: same SA object, same sequence numbers and counters");
        assertNotSame(t2out, sa(p, "t2", false), "t2's keys changed: new SA");
        assertTrue(t2out.expired(), "the old SA is retired");
        assertEquals(4, p.sad().all().size());

        o = applier.apply(ConfigParser.parse(config(K1, K3, false)));
        assertEquals(List.of("t2"), o.tunnelsRemoved());
        assertNull(sa(p, "t2", true));
        assertNull(sa(p, "t2", false));
        assertSame(t1out, sa(p, "t1", false));
        assertEquals(1, p.table().spd.size(), "policy 20 went with its tunnel");
    }

    @Test
    void aConfigurationThatCannotBeBuiltChangesNothing() throws Exception {
        DataPlane p = plane();
        ConfigApplier applier = new ConfigApplier(p);
        Configuration good = ConfigParser.parse(config(K1, K2, true));
        applier.apply(good);
        PolicyTable before = p.table();
        List<SecurityAssociation> sas = p.sad().all();
        // The validator refuses duplicate SPIs within a file; here the clash is with an SA the file does not know
        // (as IKE installs them), which only the applier can see.
        Configuration withT3 = good.with(ConfigParser.parseStatement(
                "tunnel t3 peer 203.0.113.10 spi-out 0x1003 spi-in 0x2003 key-out " + K1 + " key-in " + K1 + " local-net 10.1.0.0/24 remote-net 10.4.0.0/24"));
        bitw.ipsec.sad.SaParameters ikeOwned = withT3.saParameters("t3").get(0);
        p.sad().install(Assembly.newSa(new bitw.ipsec.sad.SaParameters("ike-conn", ikeOwned.direction(), ikeOwned.spi(), ikeOwned.protocol(), ikeOwned.mode(),
                ikeOwned.localAddress(), ikeOwned.peerAddress(), ikeOwned.encryption(), ikeOwned.encryptionKey(), ikeOwned.integrity(), ikeOwned.integrityKey(),
                false, 4500, 4500, true, 1024, ikeOwned.lifetime(), List.of(), List.of()), System.nanoTime()));
        sas = p.sad().all();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> applier.apply(withT3));
        assertTrue(e.getMessage().contains("0x2003") && e.getMessage().contains("ike-conn"), e.getMessage());
        assertSame(before, p.table(), "policy table untouched");
        assertEquals(sas, p.sad().all(), "SAD untouched");
        assertSame(good, applier.running());
    }

    @Test
    void opportunisticHostPairPoliciesGoInFrontAndSurviveAConfigurationChange() throws Exception {
        DataPlane p = plane();
        ConfigApplier applier = new ConfigApplier(p);
        applier.apply(ConfigParser.parse(config(K1, K2, false) + "policy 30 from 10.1.0.0/24 to 10.9.0.0/16 action opportunistic fallback clear\n"));
        IpAddress h = IpAddress.parse("10.1.0.10"), d = IpAddress.parse("10.9.0.20");
        String name = bitw.appliance.oe.OpportunisticPolicies.tunnelName(h, d);
        applier.setDynamicPolicies(List.of(new bitw.appliance.oe.OpportunisticPolicies.HostPairPolicy(h, d, name)));
        bitw.ipsec.spd.PolicyEntry e = p.table().spd.lookup(IpAddress.V4, 0, h.lo(), 0, d.lo(), 1, 8, 0);
        assertEquals(name, e.tunnel());
        assertEquals(bitw.ipsec.spd.PolicyAction.CONFIGURED, e.action(), "committed to OE: never clear for this pair");
        assertEquals(bitw.ipsec.spd.Fallback.HOLD, e.fallback());
        bitw.ipsec.spd.PolicyEntry other = p.table().spd.lookup(IpAddress.V4, 0, h.lo(), 0, IpAddress.parse("10.9.0.21").lo(), 1, 8, 0);
        assertEquals(bitw.ipsec.spd.PolicyAction.OPPORTUNISTIC, other.action(), "other destinations still meet the opportunistic policy");

        ConfigApplier.Outcome o = applier.apply(ConfigParser.parse(config(K1, K3, false) + "policy 30 from 10.1.0.0/24 to 10.9.0.0/16 action opportunistic fallback clear\n"
                + "opportunistic private-key k.pem dns 192.0.2.53\n"));
        assertEquals(name, p.table().spd.lookup(IpAddress.V4, 0, h.lo(), 0, d.lo(), 1, 8, 0).tunnel(), "a commit keeps the OE entries");
        assertFalse(o.restartNeeded(), "OE settings apply on commit (IkeService restarts OE)");
        applier.setDynamicPolicies(List.of());
        assertEquals(bitw.ipsec.spd.PolicyAction.OPPORTUNISTIC, p.table().spd.lookup(IpAddress.V4, 0, h.lo(), 0, d.lo(), 1, 8, 0).action());
    }

    @Test
    void aFailedPairsFallbackIsAPermitOrDenyEntryAndTheTableSaysWhetherOeDecidesPairs() throws Exception {
        DataPlane p = plane();
        ConfigApplier applier = new ConfigApplier(p);
        String oePolicy = "policy 30 from 10.1.0.0/24 to 10.9.0.0/16 action opportunistic fallback clear\n";
        applier.apply(ConfigParser.parse(config(K1, K2, false) + oePolicy));
        assertFalse(p.table().opportunisticKeying, "no `opportunistic` statement: nobody decides pairs, fallback applies at once");
        applier.apply(ConfigParser.parse(config(K1, K2, false) + oePolicy + "opportunistic private-key k.pem dns 192.0.2.53\n"));
        assertTrue(p.table().opportunisticKeying, "OE runs: an undecided pair's first packet waits for it");
        IpAddress h = IpAddress.parse("10.1.0.10"), clear = IpAddress.parse("10.9.0.20"), drop = IpAddress.parse("10.9.0.21");
        applier.setDynamicPolicies(List.of(bitw.appliance.oe.OpportunisticPolicies.HostPairPolicy.decision(h, clear, bitw.ipsec.spd.Fallback.CLEAR),
                bitw.appliance.oe.OpportunisticPolicies.HostPairPolicy.decision(h, drop, bitw.ipsec.spd.Fallback.DROP)));
        assertTrue(p.table().opportunisticKeying, "host-pair changes keep it");
        bitw.ipsec.spd.PolicyEntry c = p.table().spd.lookup(IpAddress.V4, 0, h.lo(), 0, clear.lo(), 6, 1000, 443);
        bitw.ipsec.spd.PolicyEntry d = p.table().spd.lookup(IpAddress.V4, 0, h.lo(), 0, drop.lo(), 6, 1000, 443);
        assertEquals(bitw.ipsec.spd.PolicyAction.PERMIT, c.action());
        assertEquals(bitw.appliance.oe.OpportunisticPolicies.tunnelName(h, clear), c.name());
        assertEquals(bitw.ipsec.spd.PolicyAction.DENY, d.action());
        assertEquals(bitw.ipsec.spd.PolicyAction.OPPORTUNISTIC,
                p.table().spd.lookup(IpAddress.V4, 0, h.lo(), 0, IpAddress.parse("10.9.0.22").lo(), 6, 1000, 443).action(), "other pairs undecided");
    }

    @Test
    void policyCountersContinueAcrossHostPairChangesAndCommitsThatKeepTheRule() throws Exception {
        DataPlane p = plane();
        ConfigApplier applier = new ConfigApplier(p);
        String oePolicy = "policy 30 from 10.1.0.0/24 to 10.9.0.0/16 action opportunistic fallback clear\n";
        applier.apply(ConfigParser.parse(config(K1, K2, false) + oePolicy));
        IpAddress h = IpAddress.parse("10.1.0.10"), d = IpAddress.parse("10.9.0.20");
        bitw.ipsec.spd.PolicyEntry p30 = p.table().spd.lookup(IpAddress.V4, 0, h.lo(), 0, d.lo(), 17, 1, 2);
        p30.counters.countOutbound(100);   // as the outbound thread would
        p30.counters.countInbound(60);
        String name = bitw.appliance.oe.OpportunisticPolicies.tunnelName(h, d);
        applier.setDynamicPolicies(List.of(new bitw.appliance.oe.OpportunisticPolicies.HostPairPolicy(h, d, name)));
        bitw.ipsec.spd.PolicyEntry pair = p.table().spd.lookup(IpAddress.V4, 0, h.lo(), 0, d.lo(), 17, 1, 2);
        pair.counters.countOutbound(40);
        bitw.ipsec.spd.PolicyEntry p30now = p.table().spd.entries().stream().filter(e -> e.name().equals("policy-30")).findFirst().orElseThrow();
        assertNotSame(p30, p30now, "a new table has new entries");
        assertEquals(1, p30now.counters.outboundPackets(), "an OE host pair coming does not restart policy 30's counts");
        assertEquals(100, p30now.counters.outboundBytes());
        assertEquals(1, p30now.counters.inboundPackets());

        // A commit that changes something else keeps both the configured rule's and the host pair's counts.
        applier.apply(ConfigParser.parse(config(K1, K2, false) + oePolicy + "policy 40 from 10.1.0.0/24 to 10.8.0.0/16 action permit\n"));
        assertEquals(1, entry(p, "policy-30").counters.outboundPackets());
        assertEquals(40, entry(p, name).counters.outboundBytes(), "the host pair's entry too");
        applier.setDynamicPolicies(List.of());
        assertEquals(1, entry(p, "policy-30").counters.outboundPackets(), "the host pair going does not restart it either");

        // A commit that changes the rule itself starts it from zero.
        applier.apply(ConfigParser.parse(config(K1, K2, false) + oePolicy.replace("fallback clear", "fallback drop")));
        assertEquals(0, entry(p, "policy-30").counters.outboundPackets(), "a changed rule counts afresh");
    }

    @Test
    void hostPairEntriesLeaveTheTableAtOnceWhenACommitTakesTheirPairOutOfOpportunisticPolicies() throws Exception {
        DataPlane p = plane();
        ConfigApplier applier = new ConfigApplier(p);
        applier.apply(ConfigParser.parse(config(K1, K2, false) + "policy 30 from 10.1.0.0/24 to 10.9.0.0/16 action opportunistic fallback clear\n"));
        IpAddress h = IpAddress.parse("10.1.0.10"), d = IpAddress.parse("10.9.0.20"), back = IpAddress.parse("10.9.0.21");
        assertTrue(applier.isOpportunistic(h, d));
        assertFalse(applier.isOpportunistic(d, h), "the SPD is written from the LAN's side");
        assertFalse(applier.isOpportunistic(h, IpAddress.parse("10.2.0.20")), "10.2.0.0/24 is configured, not opportunistic");
        String name = bitw.appliance.oe.OpportunisticPolicies.tunnelName(h, d);
        applier.setDynamicPolicies(List.of(new bitw.appliance.oe.OpportunisticPolicies.HostPairPolicy(h, d, name)));
        // The operator now sends 10.9.0.0/16 through the configured tunnel t1 instead: OE must not carry the pair any more,
        // not even until OE has torn its tunnel down (it still lists the pair in its dynamic entries here).
        applier.apply(ConfigParser.parse(config(K1, K2, false).replace("remote-net 10.2.0.0/24", "remote-net 10.2.0.0/24 remote-net 10.9.0.0/16")
                + "policy 30 from 10.1.0.0/24 to 10.9.0.0/16 action configured tunnel t1\n"));
        bitw.ipsec.spd.PolicyEntry e = p.table().spd.lookup(IpAddress.V4, 0, h.lo(), 0, d.lo(), 1, 8, 0);
        assertEquals("t1", e.tunnel(), "the configured tunnel, not the OE host pair");
        assertFalse(applier.isOpportunistic(h, d));
        assertFalse(applier.isOpportunistic(h, back));
    }

    static bitw.ipsec.spd.PolicyEntry entry(DataPlane p, String name) {
        return p.table().spd.entries().stream().filter(e -> e.name().equals(name)).findFirst().orElseThrow();
    }
}
