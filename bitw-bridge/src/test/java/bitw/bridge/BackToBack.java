// Two data planes wired outside-to-outside in memory, each with a LAN port the test drives: A (10.1.0.0/24,
// own 192.0.2.1 / 2001:db8:ff::1) and B (10.2.0.0/24, own 192.0.2.2 / 2001:db8:ff::2).
package bitw.bridge;

import bitw.ipsec.crypto.AhTransforms;
import bitw.ipsec.crypto.EncryptionAlgorithm;
import bitw.ipsec.crypto.EspTransforms;
import bitw.ipsec.crypto.IntegrityAlgorithm;
import bitw.ipsec.packet.IpAddress;
import bitw.ipsec.packet.IpPrefix;
import bitw.ipsec.sad.SaMode;
import bitw.ipsec.sad.SaParameters;
import bitw.ipsec.sad.SaProtocol;
import bitw.ipsec.sad.SecurityAssociation;
import bitw.ipsec.sad.SecurityAssociationDatabase;
import bitw.ipsec.sad.SaEventListener;
import bitw.ipsec.spd.Fallback;
import bitw.ipsec.spd.PolicyAction;
import bitw.ipsec.spd.PolicyEntry;
import bitw.ipsec.spd.PortRange;
import bitw.ipsec.spd.Selector;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

final class BackToBack implements AutoCloseable {
    static final long MAC_A = 0x02_00_5e_00_53_01L, MAC_B = 0x02_00_5e_00_53_02L;

    final MemoryPort aLan, aIn, aOut, aTap, bLan, bIn, bOut, bTap;
    final DataPlane a, b;

    BackToBack(int mtu, boolean v6Outer) {
        this(mtu, v6Outer, null);
    }

    /** With a port factory, the planes run on those ports (the memory ports and LAN ends stay unused). */
    BackToBack(int mtu, boolean v6Outer, java.util.function.Function<String, FramePort> ports) {
        MemoryPort[] la = MemoryPort.wire("lanA", "insideA"), lb = MemoryPort.wire("lanB", "insideB"), w = MemoryPort.wire("outsideA", "outsideB");
        aLan = la[0]; aIn = la[1]; bLan = lb[0]; bIn = lb[1]; aOut = w[0]; bOut = w[1];
        aTap = new MemoryPort("tapA");
        bTap = new MemoryPort("tapB");
        FramePort ai = aIn, ao = aOut, at = aTap, bi = bIn, bo = bOut, bt = bTap;
        if (ports != null) {
            ai = ports.apply("insideA"); ao = ports.apply("outsideA"); at = ports.apply("tapA");
            bi = ports.apply("insideB"); bo = ports.apply("outsideB"); bt = ports.apply("tapB");
        }
        SaEventListener quiet = new SaEventListener() {
            @Override public void softExpired(SecurityAssociation sa) {}
            @Override public void hardExpired(SecurityAssociation sa) {}
        };
        a = new DataPlane(ai, ao, at, new OwnAddress(MAC_A, IpAddress.parse("192.0.2.1"), IpAddress.parse("2001:db8:ff::1"), mtu), new SecurityAssociationDatabase(quiet));
        b = new DataPlane(bi, bo, bt, new OwnAddress(MAC_B, IpAddress.parse("192.0.2.2"), IpAddress.parse("2001:db8:ff::2"), mtu), new SecurityAssociationDatabase(quiet));
    }

    record Transform(SaProtocol protocol, EncryptionAlgorithm enc, IntegrityAlgorithm integ) {}

    /** Installs a manually keyed tunnel "t" both ways with random keys; A's mode and B's mode may differ (IIPtran vs tunnel interop). */
    void tunnel(Transform tf, SaMode modeA, SaMode modeB, boolean udp, boolean v6Outer, long seed) {
        Random r = new Random(seed);
        byte[] k1 = bytes(r, tf.enc().keyMaterialLength()), k2 = bytes(r, tf.enc().keyMaterialLength());
        byte[] i1 = bytes(r, tf.integ().keyLength), i2 = bytes(r, tf.integ().keyLength);
        IpAddress ownA = v6Outer ? a.own().ipv6() : a.own().ipv4(), ownB = v6Outer ? b.own().ipv6() : b.own().ipv4();
        // Inbound SAs on both sides before any outbound one: a held packet may leave the moment its SA exists.
        for (SaParameters.Direction d : new SaParameters.Direction[] {SaParameters.Direction.INBOUND, SaParameters.Direction.OUTBOUND}) {
            install(a, d, tf, modeA, udp, 0x1000, 0x2000, k1, i1, k2, i2, ownA, ownB);
            install(b, d, tf, modeB, udp, 0x2000, 0x1000, k2, i2, k1, i1, ownB, ownA);
        }
    }

    private static void install(DataPlane p, SaParameters.Direction d, Transform tf, SaMode mode, boolean udp, int spiOut, int spiIn, byte[] kOut, byte[] iOut,
                                byte[] kIn, byte[] iIn, IpAddress local, IpAddress peer) {
        {
            boolean out = d == SaParameters.Direction.OUTBOUND;
            SaParameters sp = new SaParameters("t", d, out ? spiOut : spiIn, tf.protocol(), mode, local, peer, tf.enc(), out ? kOut : kIn,
                    tf.integ(), out ? iOut : iIn, udp, 4500, 4500, true, 1024, SaParameters.Lifetime.UNLIMITED, List.of(), List.of());
            SecurityAssociation sa = tf.protocol() == SaProtocol.ESP
                    ? new SecurityAssociation(sp, EspTransforms.create(tf.enc(), sp.encryptionKey(), tf.integ(), sp.integrityKey()), null, System.nanoTime())
                    : new SecurityAssociation(sp, null, AhTransforms.create(tf.integ(), sp.integrityKey()), System.nanoTime());
            p.sad().install(sa);
        }
    }

    private static byte[] bytes(Random r, int n) { byte[] b = new byte[n]; r.nextBytes(b); return b; }

    /** Policies from each side's point of view: LAN A ↔ LAN B (v4 and v6) through tunnel t with the given action. */
    void policies(PolicyAction action, Fallback fallback) {
        a.install(new PolicyTable(entries("10.1.0.0/24", "10.2.0.0/24", "2001:db8:1::/64", "2001:db8:2::/64", action, fallback), PolicyAction.DENY, L2Policy.PASS_ALL, a.sad()));
        b.install(new PolicyTable(entries("10.2.0.0/24", "10.1.0.0/24", "2001:db8:2::/64", "2001:db8:1::/64", action, fallback), PolicyAction.DENY, L2Policy.PASS_ALL, b.sad()));
    }

    private static List<PolicyEntry> entries(String l4, String r4, String l6, String r6, PolicyAction action, Fallback fallback) {
        List<PolicyEntry> l = new ArrayList<>();
        String tunnel = action == PolicyAction.CONFIGURED || action == PolicyAction.OPPORTUNISTIC ? "t" : null;
        Fallback f = tunnel == null ? null : fallback;
        l.add(new PolicyEntry("lan4", sel(l4, r4), action, f, tunnel));
        l.add(new PolicyEntry("lan6", sel(l6, r6), action, f, tunnel));
        return l;
    }

    static Selector sel(String src, String dst) {
        return new Selector(IpPrefix.parse(src), IpPrefix.parse(dst), -1, PortRange.ANY, PortRange.ANY, -1, -1);
    }

    /** Starts both planes with the LAN hosts already known, as if they had spoken first. */
    void start() {
        learnHosts();
        a.start();
        b.start();
    }

    void startUnlearned() { a.start(); b.start(); }

    void learnHosts() {
        a.neighbours.learn(4, 0, IpAddress.parse("10.1.0.10").lo(), TestFrames.HOST_A_MAC);
        b.neighbours.learn(4, 0, IpAddress.parse("10.2.0.20").lo(), TestFrames.HOST_B_MAC);
        IpAddress a6 = IpAddress.parse("2001:db8:1::10"), b6 = IpAddress.parse("2001:db8:2::20");
        a.neighbours.learn(6, a6.hi(), a6.lo(), TestFrames.HOST_A_MAC);
        b.neighbours.learn(6, b6.hi(), b6.lo(), TestFrames.HOST_B_MAC);
    }

    @Override public void close() { a.close(); b.close(); }
}
