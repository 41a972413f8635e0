// Generates random valid configurations for property tests: every statement kind, every option, both families,
// AH and ESP, IKE connections (both auth methods, peer any, quoted keys, file names and DNs, proposals), policies
// that stay inside their tunnel's or connection's selectors.
package bitw.config;

import bitw.ipsec.crypto.EncryptionAlgorithm;
import bitw.ipsec.crypto.IntegrityAlgorithm;
import bitw.ipsec.packet.IpAddress;
import bitw.ipsec.packet.IpPrefix;
import bitw.ipsec.sad.SaMode;
import bitw.ipsec.sad.SaParameters.Lifetime;
import bitw.ipsec.sad.SaProtocol;
import bitw.ipsec.spd.PolicyAction;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Random;
import java.util.Set;

final class RandomConfigurations {
    private final Random rnd;

    RandomConfigurations(long seed) { this.rnd = new Random(seed); }

    Configuration next() {
        List<Statement> s = new ArrayList<>();
        if (rnd.nextBoolean()) s.add(new Statement.Hostname(word("gw") + (rnd.nextBoolean() ? ".example.net" : "")));
        s.add(new InterfaceConfig(InterfaceRole.INSIDE, "eth" + rnd.nextInt(4), 1280 + rnd.nextInt(9216 - 1280 + 1)));
        s.add(new InterfaceConfig(InterfaceRole.OUTSIDE, "enp" + rnd.nextInt(4) + "s0", 1280 + rnd.nextInt(9216 - 1280 + 1)));
        List<OwnAddress> own = new ArrayList<>();
        boolean v4 = rnd.nextInt(4) != 0, v6 = !v4 || rnd.nextBoolean();
        if (v4) {
            int len = 8 + rnd.nextInt(23);
            IpPrefix subnet;
            IpAddress a;
            do { subnet = prefix(4, len); a = hostIn(subnet, 2); } while (multicast(a));
            Optional<IpAddress> gw = rnd.nextBoolean() ? Optional.of(hostIn(subnet, 1)) : Optional.empty();
            if (gw.isPresent() && gw.get().equals(a)) gw = Optional.empty();
            own.add(new OwnAddress(a, len, gw));
        }
        if (v6) {
            int len = 48 + rnd.nextInt(81);
            IpPrefix subnet;
            IpAddress a;
            do { subnet = prefix(6, len); a = hostIn(subnet, 2); } while (multicast(a));
            Optional<IpAddress> gw = rnd.nextBoolean() ? Optional.of(hostIn(subnet, 1)) : Optional.empty();
            if (gw.isPresent() && gw.get().equals(a)) gw = Optional.empty();
            own.add(new OwnAddress(a, len, gw));
        }
        s.addAll(own);
        if (rnd.nextBoolean()) s.add(new Statement.Mac(new MacAddress((rnd.nextLong() & 0xfeffffffffffL) | 0x020000000000L)));
        for (L2Class c : L2Class.values()) if (rnd.nextBoolean()) s.add(new L2Rule(c, rnd.nextBoolean() ? L2Action.PASS : L2Action.DROP));
        if (rnd.nextBoolean()) s.add(new Statement.NatKeepalive(rnd.nextInt(3601)));

        List<TunnelConfig> tunnels = new ArrayList<>();
        Set<Long> spisIn = new HashSet<>(), spisOut = new HashSet<>();
        int nTunnels = rnd.nextInt(5);
        for (int i = 0; i < nTunnels; i++) tunnels.add(tunnel("t" + i + word("-"), own.get(rnd.nextInt(own.size())), spisIn, spisOut));
        s.addAll(tunnels);

        List<ConnectionConfig> connections = new ArrayList<>();
        int nConnections = rnd.nextInt(4);
        for (int i = 0; i < nConnections; i++) connections.add(connection("c" + i + word("-"), own));
        s.addAll(connections);
        List<Selectors> protectable = new ArrayList<>();
        for (TunnelConfig t : tunnels) protectable.add(new Selectors(t.name(), t.effectiveLocalNets(), t.effectiveRemoteNets()));
        for (ConnectionConfig c : connections) protectable.add(new Selectors(c.name(), c.effectiveLocalNets(), c.effectiveRemoteNets()));

        int nPolicies = rnd.nextInt(9);
        Set<Integer> numbers = new HashSet<>();
        for (int i = 0; i < nPolicies; i++) {
            int n = 1 + rnd.nextInt(PolicyConfig.MAX_NUMBER);
            if (numbers.add(n)) s.add(policy(n, protectable));
        }
        if (rnd.nextBoolean()) s.add(new Statement.DefaultAction(rnd.nextBoolean() ? PolicyAction.DENY : PolicyAction.PERMIT));
        if (rnd.nextBoolean()) s.add(new Statement.LogLevelSetting(LogLevel.values()[rnd.nextInt(LogLevel.values().length)]));
        return Configuration.of(s);
    }

    private TunnelConfig tunnel(String name, OwnAddress own, Set<Long> spisIn, Set<Long> spisOut) {
        int family = own.family();
        IpAddress peer;
        do { peer = hostIn(prefix(family, family == 4 ? 8 : 32), 1); } while (peer.equals(own.address()) || multicast(peer));
        SaProtocol protocol = rnd.nextInt(4) == 0 ? SaProtocol.AH : SaProtocol.ESP;
        EncryptionAlgorithm enc = protocol == SaProtocol.AH ? EncryptionAlgorithm.NULL : pick(EncryptionAlgorithm.values());
        IntegrityAlgorithm integ;
        if (protocol == SaProtocol.ESP && enc.aead) integ = IntegrityAlgorithm.NONE;
        else do { integ = pick(IntegrityAlgorithm.values()); } while (integ == IntegrityAlgorithm.NONE);
        long spiIn, spiOut;
        do { spiIn = 256 + (rnd.nextLong() & 0xffffffffL) % (0x100000000L - 256); } while (!spisIn.add(spiIn));
        do { spiOut = 256 + (rnd.nextLong() & 0xffffffffL) % (0x100000000L - 256); } while (!spisOut.add(spiOut));
        int cipherKey = protocol == SaProtocol.AH ? 0 : enc.keyMaterialLength();
        List<IpPrefix> local = new ArrayList<>(), remote = new ArrayList<>();
        int selectorFamily = rnd.nextBoolean() ? 4 : 6;
        int nLocal = rnd.nextInt(3), nRemote = rnd.nextInt(3);
        for (int i = 0; i < nLocal; i++) local.add(prefix(selectorFamily, rnd.nextInt(selectorFamily == 4 ? 33 : 129)));
        for (int i = 0; i < nRemote; i++) remote.add(prefix(selectorFamily, rnd.nextInt(selectorFamily == 4 ? 33 : 129)));
        long softS = rnd.nextBoolean() ? 0 : rnd.nextInt(100000), hardS = softS == 0 && rnd.nextBoolean() ? 0 : softS + rnd.nextInt(100000);
        long softB = rnd.nextBoolean() ? 0 : rnd.nextLong(1L << 40), hardB = softB == 0 && rnd.nextBoolean() ? 0 : softB + rnd.nextLong(1L << 40);
        return new TunnelConfig(name, peer, rnd.nextBoolean() ? Optional.of(own.address()) : Optional.empty(),
                rnd.nextBoolean() ? SaMode.TUNNEL : SaMode.IIPTRAN, protocol,
                protocol == SaProtocol.ESP && rnd.nextBoolean(), enc, integ, spiIn, spiOut,
                key(cipherKey), key(cipherKey), key(integ.keyLength), key(integ.keyLength),
                rnd.nextBoolean(), rnd.nextInt(TunnelConfig.MAX_REPLAY_WINDOW + 1),
                new Lifetime(softS, hardS, softB, hardB), local, remote);
    }

    /** What a policy needs of the tunnel or connection it names. */
    record Selectors(String name, List<IpPrefix> localNets, List<IpPrefix> remoteNets) {}

    private ConnectionConfig connection(String name, List<OwnAddress> own) {
        OwnAddress mine = own.get(rnd.nextInt(own.size()));
        int family = mine.family();
        boolean any = rnd.nextInt(4) == 0;
        Optional<IpAddress> peer = Optional.empty();
        if (!any) {
            IpAddress p;
            do { p = hostIn(prefix(family, family == 4 ? 8 : 32), 1); } while (p.equals(mine.address()) || multicast(p));
            peer = Optional.of(p);
        }
        Optional<IkeIdentity> remoteId = any || rnd.nextBoolean() ? Optional.of(identity()) : Optional.empty();
        Optional<IkeIdentity> localId = rnd.nextBoolean() ? Optional.of(identity()) : Optional.empty();
        boolean psk = rnd.nextBoolean();
        Optional<String> certificate = Optional.empty(), privateKey = Optional.empty(), peerKey = Optional.empty();
        List<String> ca = new ArrayList<>();
        if (!psk) {
            privateKey = Optional.of(file());
            if (rnd.nextBoolean()) peerKey = Optional.of(file());
            if (peerKey.isEmpty() || rnd.nextBoolean()) certificate = Optional.of(file());
            if (peerKey.isEmpty()) for (int i = 0, n = 1 + rnd.nextInt(3); i < n; i++) ca.add("ca" + i + "-" + file());
        }
        List<IkeProposal> ike = new ArrayList<>();
        for (int i = 0, n = 1 + rnd.nextInt(3); i < n; i++) ike.add(ikeProposal());
        List<EspProposal> esp = new ArrayList<>();
        for (int i = 0, n = 1 + rnd.nextInt(3); i < n; i++) esp.add(espProposal());
        List<IpPrefix> local = new ArrayList<>(), remote = new ArrayList<>();
        int selectorFamily = rnd.nextBoolean() ? 4 : 6;
        for (int i = 0, n = rnd.nextInt(3); i < n; i++) local.add(prefix(selectorFamily, rnd.nextInt(selectorFamily == 4 ? 33 : 129)));
        for (int i = 0, n = rnd.nextInt(3); i < n; i++) remote.add(prefix(selectorFamily, rnd.nextInt(selectorFamily == 4 ? 33 : 129)));
        int ikeLifetime = ConnectionConfig.MIN_LIFETIME + rnd.nextInt(ConnectionConfig.MAX_LIFETIME - ConnectionConfig.MIN_LIFETIME + 1);
        int childLifetime = ConnectionConfig.MIN_LIFETIME + rnd.nextInt(ConnectionConfig.MAX_LIFETIME - ConnectionConfig.MIN_LIFETIME + 1);
        OptionalInt margin = rnd.nextBoolean() ? OptionalInt.empty() : OptionalInt.of(1 + rnd.nextInt(Math.min(ikeLifetime, childLifetime) - 1));
        ConnectionConfig.DpdAction dpdAction = pick(ConnectionConfig.DpdAction.values());
        if (any && dpdAction == ConnectionConfig.DpdAction.RESTART) dpdAction = ConnectionConfig.DpdAction.HOLD;
        return new ConnectionConfig(name, peer, rnd.nextBoolean() ? Optional.of(mine.address()) : Optional.empty(), localId, remoteId,
                psk ? ConnectionConfig.Auth.PSK : ConnectionConfig.Auth.PUBKEY, psk ? Optional.of(PresharedKey.of(secret())) : Optional.empty(),
                certificate, privateKey, peerKey, ca, ike, esp, rnd.nextBoolean() ? SaMode.TUNNEL : SaMode.IIPTRAN,
                pick(ConnectionConfig.Encapsulation.values()), local, remote, ikeLifetime, childLifetime,
                rnd.nextBoolean() ? 0 : rnd.nextLong(ConnectionConfig.MAX_REKEY_BYTES + 1), margin,
                rnd.nextInt(ConnectionConfig.MAX_DPD + 1), dpdAction,
                any ? ConnectionConfig.StartAction.WAIT : pick(ConnectionConfig.StartAction.values()), rnd.nextBoolean(),
                rnd.nextInt(TunnelConfig.MAX_REPLAY_WINDOW + 1));
    }

    private static final List<String> KE = List.of("modp2048", "modp3072", "modp4096", "ecp256", "ecp384", "ecp521", "x25519", "mlkem768");

    private IkeProposal ikeProposal() {
        boolean aead = rnd.nextBoolean();
        StringBuilder sb = new StringBuilder(aead ? pick(new String[] {"aes128gcm16", "aes256gcm16", "chacha20poly1305"})
                : pick(new String[] {"aes128", "aes256", "3des"}));
        if (!aead) sb.append('-').append(pick(new String[] {"sha256", "sha384", "sha512", "sha1"}));
        if (aead || rnd.nextBoolean()) sb.append('-').append(pick(new String[] {"prfsha256", "prfsha384", "prfsha512", "prfsha1"}));
        String ke = KE.get(rnd.nextInt(KE.size()));
        sb.append('-').append(ke);
        if (rnd.nextInt(3) == 0) {
            String other = KE.get(rnd.nextInt(KE.size()));
            if (!other.equals(ke)) sb.append('-').append(other);
        }
        if (rnd.nextInt(4) == 0) sb.append("-ke1_mlkem768").append(rnd.nextBoolean() ? "-ke1_none" : "").append(rnd.nextBoolean() ? "-ke2_mlkem1024" : "");
        return IkeProposal.parse(sb.toString());
    }

    private EspProposal espProposal() {
        boolean aead = rnd.nextBoolean();
        StringBuilder sb = new StringBuilder(aead ? pick(new String[] {"aes128gcm16", "aes256gcm16", "chacha20poly1305"})
                : pick(new String[] {"aes128", "aes256", "3des", "null"}));
        if (!aead) sb.append('-').append(pick(new String[] {"sha256", "sha384", "sha512", "sha1", "md5"}));
        if (rnd.nextInt(3) == 0) sb.append('-').append(KE.get(rnd.nextInt(KE.size())));
        if (rnd.nextInt(3) == 0) sb.append("-esn");
        return EspProposal.parse(sb.toString());
    }

    private IkeIdentity identity() {
        return switch (rnd.nextInt(6)) {
            case 0 -> IkeIdentity.of(prefix(4, 32).address());
            case 1 -> IkeIdentity.of(new IpAddress(6, rnd.nextLong(), rnd.nextLong()));
            case 2 -> IkeIdentity.parse("fqdn:" + word("gw") + ".example.net");
            case 3 -> IkeIdentity.parse("email:" + word("ops") + "@example.net");
            case 4 -> IkeIdentity.parse("dn:CN=" + word("gw") + ", O=Example\\, \\\"Q\\\" #" + rnd.nextInt(9) + ", C=DE");
            default -> IkeIdentity.parse("keyid:" + Long.toHexString(rnd.nextLong() | 1L << 60));
        };
    }

    /** A file name, sometimes with characters that need quoting. */
    private String file() {
        return rnd.nextBoolean() ? "/etc/bitw/" + word("f") + ".pem" : "/etc/bitw/my keys #" + rnd.nextInt(9) + "/\\" + word("f") + "\".pem\"";
    }

    /** A pre-shared key of 8..40 printable characters, including space, quote, backslash and '#'. */
    private String secret() {
        String alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 \"\\#!$%&'()*+,-./:;<=>?@[]^_`{|}~";
        StringBuilder sb = new StringBuilder();
        for (int i = 0, n = 8 + rnd.nextInt(33); i < n; i++) sb.append(alphabet.charAt(rnd.nextInt(alphabet.length())));
        return sb.toString();
    }

    private PolicyConfig policy(int number, List<Selectors> tunnels) {
        PolicyAction action = pick(PolicyAction.values());
        Optional<String> tunnel = Optional.empty();
        Optional<IpPrefix> from, to;
        int family;
        boolean protecting = action == PolicyAction.CONFIGURED || action == PolicyAction.OPPORTUNISTIC;
        if (protecting && !tunnels.isEmpty() && (action == PolicyAction.CONFIGURED || rnd.nextBoolean())) {
            Selectors t = tunnels.get(rnd.nextInt(tunnels.size()));
            tunnel = Optional.of(t.name());
            IpPrefix l = t.localNets().get(rnd.nextInt(t.localNets().size()));
            List<IpPrefix> sameFamily = t.remoteNets().stream().filter(p -> p.family() == l.family()).toList();
            IpPrefix r = sameFamily.get(rnd.nextInt(sameFamily.size()));
            from = Optional.of(narrow(l));
            to = Optional.of(narrow(r));
            family = l.family();
        } else {
            if (action == PolicyAction.CONFIGURED) action = PolicyAction.DENY;
            family = rnd.nextBoolean() ? 4 : 6;
            from = rnd.nextBoolean() ? Optional.empty() : Optional.of(prefix(family, rnd.nextInt(family == 4 ? 33 : 129)));
            to = rnd.nextBoolean() ? Optional.empty() : Optional.of(prefix(family, rnd.nextInt(family == 4 ? 33 : 129)));
        }
        boolean bothAny = from.isEmpty() && to.isEmpty();
        int protocol = switch (rnd.nextInt(7)) {
            case 0 -> PolicyConfig.TCP;
            case 1 -> PolicyConfig.UDP;
            case 2 -> PolicyConfig.SCTP;
            case 3 -> bothAny || family == 4 ? PolicyConfig.ICMP : PolicyConfig.ICMPV6;
            case 4 -> rnd.nextInt(256);
            default -> PolicyConfig.ANY_PROTOCOL;
        };
        if ((protocol == PolicyConfig.ICMP && !bothAny && family == 6) || (protocol == PolicyConfig.ICMPV6 && !bothAny && family == 4))
            protocol = PolicyConfig.ANY_PROTOCOL;
        boolean ports = protocol == PolicyConfig.TCP || protocol == PolicyConfig.UDP || protocol == PolicyConfig.SCTP;
        boolean icmp = protocol == PolicyConfig.ICMP || protocol == PolicyConfig.ICMPV6;
        int icmpType = icmp && rnd.nextBoolean() ? rnd.nextInt(256) : -1;
        int icmpCode = icmpType >= 0 && rnd.nextBoolean() ? rnd.nextInt(256) : -1;
        FallbackChoice fallback = switch (action) {
            case CONFIGURED -> rnd.nextBoolean() ? FallbackChoice.HOLD : FallbackChoice.DROP;
            case OPPORTUNISTIC -> rnd.nextBoolean() ? FallbackChoice.CLEAR : FallbackChoice.DROP;
            default -> FallbackChoice.DROP;
        };
        return new PolicyConfig(number, rnd.nextBoolean() ? Optional.of(word("p")) : Optional.empty(), from, to, protocol,
                ports ? ports() : PortRange.ANY, ports ? ports() : PortRange.ANY, icmpType, icmpCode, action, tunnel, fallback);
    }

    private PortRange ports() {
        if (rnd.nextBoolean()) return PortRange.ANY;
        int lo = rnd.nextInt(65536);
        return new PortRange(lo, rnd.nextBoolean() ? lo : lo + rnd.nextInt(65536 - lo));
    }

    /** A random prefix inside p (or p itself). */
    private IpPrefix narrow(IpPrefix p) {
        int max = p.address().bitLength();
        if (rnd.nextBoolean() || p.length() == max) return p;
        int len = p.length() + 1 + rnd.nextInt(max - p.length());
        IpAddress a = hostIn(p, 0);
        return AddressText.masked(a, len);
    }

    private IpPrefix prefix(int family, int length) {
        IpAddress a = family == 4 ? IpAddress.v4(rnd.nextInt()) : new IpAddress(6, rnd.nextLong(), rnd.nextLong());
        return AddressText.masked(a, length);
    }

    /** A random address in the subnet, avoiding the first {@code avoidLow} and (IPv4) the broadcast address. */
    private IpAddress hostIn(IpPrefix subnet, int avoidLow) {
        long[] m = IpPrefix.masks(subnet.family(), subnet.length());
        for (int tries = 0; ; tries++) {
            IpAddress r = subnet.family() == 4 ? IpAddress.v4(rnd.nextInt()) : new IpAddress(6, rnd.nextLong(), rnd.nextLong());
            long hi = (subnet.address().hi() & m[0]) | (r.hi() & ~m[0]);
            long lo = subnet.family() == 4 ? (subnet.address().lo() | (r.lo() & ~m[1] & 0xffffffffL)) : (subnet.address().lo() & m[1]) | (r.lo() & ~m[1]);
            IpAddress a = new IpAddress(subnet.family(), hi, lo);
            long hostPart = subnet.family() == 4 ? a.lo() & ~m[1] & 0xffffffffL : a.lo() & ~m[1];
            long allOnes = subnet.family() == 4 ? ~m[1] & 0xffffffffL : ~m[1];
            boolean bad = subnet.length() < a.bitLength() - 1 && (hostPart < avoidLow || (subnet.family() == 4 && hostPart == allOnes));
            if (!bad || tries > 50) return a;
        }
    }

    private static boolean multicast(IpAddress a) {
        return a.family() == 4 ? (a.lo() >>> 28) >= 0xe || a.lo() == 0 : (a.hi() >>> 56) == 0xff || (a.hi() == 0 && a.lo() == 0);
    }

    private KeyMaterial key(int length) {
        byte[] b = new byte[length];
        rnd.nextBytes(b);
        return KeyMaterial.of(b);
    }

    private String word(String prefix) { return prefix + Integer.toString(rnd.nextInt(1 << 20), 36); }

    private <T> T pick(T[] values) { return values[rnd.nextInt(values.length)]; }
}
