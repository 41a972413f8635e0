// Semantic checks of the configuration: each statement on its own (algorithm/key combinations, AH rules, policy
// fallbacks, value ranges), then the configuration as a whole (required statements, references between
// statements, unique SPIs, address families). The parser runs it on every file; Configuration.with/without on
// every console change. Errors name the statement's key so they read well even without a line number.
package bitw.config;

import bitw.ipsec.crypto.EncryptionAlgorithm;
import bitw.ipsec.crypto.IntegrityAlgorithm;
import bitw.ipsec.packet.IpAddress;
import bitw.ipsec.packet.IpPrefix;
import bitw.ipsec.sad.SaParameters.Lifetime;
import bitw.ipsec.sad.SaProtocol;
import bitw.ipsec.spd.PolicyAction;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

public final class Validator {
    private Validator() {}

    static final Pattern HOST_LABEL = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?");
    static final Pattern DEVICE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._@-]{0,14}");
    static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,31}");

    /** Every error of the configuration, with line 0 (no file). */
    public static List<ConfigError> validate(Configuration c) { return validate(c, SourceLines.NONE); }

    static List<ConfigError> validate(Configuration c, SourceLines lines) {
        List<ConfigError> errors = new ArrayList<>();
        for (Statement s : c.statements()) errors.addAll(checkStatement(s, lines));
        errors.addAll(checkWhole(c, lines));
        return errors;
    }

    // ---------------------------------------------------------------- one statement

    /** Problems of one statement regardless of the rest of the configuration. */
    static List<ConfigError> checkStatement(Statement s, SourceLines lines) {
        Errors e = new Errors(s.key(), lines);
        switch (s) {
            case Statement.Hostname h -> {
                String problem = hostnameProblem(h.name());
                if (problem != null) e.add(null, problem);
            }
            case InterfaceConfig i -> {
                if (!DEVICE.matcher(i.device()).matches()) e.add("device", "'" + AddressText.shorten(i.device()) + "' is not a device name");
                if (i.mtu() < InterfaceConfig.MIN_MTU || i.mtu() > InterfaceConfig.MAX_MTU)
                    e.add("mtu", "mtu " + i.mtu() + " outside " + InterfaceConfig.MIN_MTU + ".." + InterfaceConfig.MAX_MTU);
            }
            case OwnAddress a -> checkOwnAddress(a, e);
            case Statement.Mac m -> {
                if (m.address().isGroup()) e.add(null, m.address() + " is a group (multicast) address; an own MAC must be unicast");
                if (m.address().value() == 0) e.add(null, "00:00:00:00:00:00 is not a usable MAC address");
            }
            case L2Rule r -> { }
            case Statement.NatKeepalive n -> {
                if (n.seconds() < 0 || n.seconds() > Statement.NatKeepalive.MAX)
                    e.add(null, "nat-keepalive " + n.seconds() + " outside 0.." + Statement.NatKeepalive.MAX);
            }
            case TunnelConfig t -> checkTunnel(t, e);
            case PolicyConfig p -> checkPolicy(p, e);
            case Statement.DefaultAction d -> {
                if (d.action() != PolicyAction.DENY && d.action() != PolicyAction.PERMIT)
                    e.add(null, "default-action must be deny or permit");
            }
            case Statement.LogLevelSetting l -> { }
        }
        return e.list;
    }

    static String hostnameProblem(String name) {
        if (name.isEmpty() || name.length() > 253) return "hostname must be 1 to 253 characters";
        for (String label : name.split("\\.", -1))
            if (!HOST_LABEL.matcher(label).matches())
                return "'" + AddressText.shorten(name) + "' is not a valid hostname (letters, digits and '-' in dot-separated labels of at most 63)";
        return null;
    }

    private static void checkOwnAddress(OwnAddress a, Errors e) {
        IpAddress ip = a.address();
        String text = AddressText.addressText(ip);
        if (isUnspecified(ip) || isMulticast(ip)) e.add(null, text + " cannot be an own address");
        if (ip.family() == IpAddress.V4 && a.prefixLength() < 31) {
            IpPrefix net = a.subnet();
            long broadcast = net.address().lo() | (~IpPrefix.masks(IpAddress.V4, a.prefixLength())[1] & 0xffffffffL);
            if (ip.equals(net.address())) e.add(null, text + "/" + a.prefixLength() + " is the network address of its subnet");
            else if (ip.lo() == broadcast) e.add(null, text + "/" + a.prefixLength() + " is the broadcast address of its subnet");
        }
        a.gateway().ifPresent(g -> {
            if (g.family() != ip.family()) e.add("gateway", "gateway " + AddressText.addressText(g) + " is not IPv" + ip.family());
            else if (g.equals(ip)) e.add("gateway", "gateway is the address itself");
            else if (!a.subnet().contains(g))
                e.add("gateway", "gateway " + AddressText.addressText(g) + " is not in " + AddressText.prefixText(a.subnet()));
        });
    }

    private static void checkTunnel(TunnelConfig t, Errors e) {
        if (!NAME.matcher(t.name()).matches()) e.add(null, "'" + AddressText.shorten(t.name()) + "' is not a tunnel name");
        if (isUnspecified(t.peer()) || isMulticast(t.peer())) e.add("peer", "peer " + AddressText.addressText(t.peer()) + " is not a unicast address");
        t.local().ifPresent(l -> {
            if (l.family() != t.peer().family())
                e.add("local", "local " + AddressText.addressText(l) + " is IPv" + l.family() + " but peer is IPv" + t.peer().family());
            else if (l.equals(t.peer())) e.add("local", "local and peer are the same address");
        });
        checkSpi(t.spiIn(), "spi-in", e);
        checkSpi(t.spiOut(), "spi-out", e);
        if (t.replayWindow() < 0 || t.replayWindow() > TunnelConfig.MAX_REPLAY_WINDOW)
            e.add("replay-window", "replay-window " + t.replayWindow() + " outside 0.." + TunnelConfig.MAX_REPLAY_WINDOW);
        Lifetime lt = t.lifetime();
        if (lt.softSeconds() < 0 || lt.hardSeconds() < 0 || (lt.hardSeconds() > 0 && lt.softSeconds() > lt.hardSeconds()))
            e.add("lifetime-seconds", "lifetime-seconds soft limit must not exceed the hard limit");
        if (lt.softBytes() < 0 || lt.hardBytes() < 0 || (lt.hardBytes() > 0 && lt.softBytes() > lt.hardBytes()))
            e.add("lifetime-bytes", "lifetime-bytes soft limit must not exceed the hard limit");

        IntegrityAlgorithm integ = t.integrity();
        if (t.protocol() == SaProtocol.AH) {
            if (t.encryption() != EncryptionAlgorithm.NULL) e.add("enc", "AH does not encrypt: remove enc (or use protocol esp)");
            if (!t.keyIn().isEmpty()) e.add("key-in", "AH does not encrypt: remove key-in (the AH key is integ-key-in)");
            if (!t.keyOut().isEmpty()) e.add("key-out", "AH does not encrypt: remove key-out (the AH key is integ-key-out)");
            if (t.udpEncapsulation()) e.add("encap", "encap udp is for ESP only (RFC 3948); AH cannot cross NAT");
            if (integ == IntegrityAlgorithm.NONE) e.add("integ", "AH needs an integrity algorithm (integ sha256, sha384, sha512, sha1, md5)");
        } else {
            EncryptionAlgorithm enc = t.encryption();
            if (enc.aead && integ != IntegrityAlgorithm.NONE)
                e.add("integ", "enc " + enc.configName + " is AEAD and authenticates itself: use integ none");
            if (!enc.aead && integ == IntegrityAlgorithm.NONE)
                e.add("integ", "enc " + enc.configName + " is not AEAD: it needs an integrity algorithm (integ sha256, sha384, sha512, sha1, md5)");
            checkKey(t.keyIn(), "key-in", enc.keyMaterialLength(), "enc " + enc.configName, keyDescription(enc), e);
            checkKey(t.keyOut(), "key-out", enc.keyMaterialLength(), "enc " + enc.configName, keyDescription(enc), e);
        }
        String integDesc = integ.keyLength + "-byte key";
        checkKey(t.integrityKeyIn(), "integ-key-in", integ.keyLength, "integ " + integ.configName, integDesc, e);
        checkKey(t.integrityKeyOut(), "integ-key-out", integ.keyLength, "integ " + integ.configName, integDesc, e);

        // A selector family one side names but the other does not could never match a packet.
        boolean[] localFamilies = families(t.effectiveLocalNets()), remoteFamilies = families(t.effectiveRemoteNets());
        for (IpPrefix p : t.localNets())
            if (!remoteFamilies[p.family()])
                e.add("local-net", "local-net " + AddressText.prefixText(p) + " is IPv" + p.family() + " but no remote-net is");
        for (IpPrefix p : t.remoteNets())
            if (!localFamilies[p.family()])
                e.add("remote-net", "remote-net " + AddressText.prefixText(p) + " is IPv" + p.family() + " but no local-net is");
    }

    /** Indexed by family (4, 6). */
    private static boolean[] families(List<IpPrefix> nets) {
        boolean[] f = new boolean[7];
        for (IpPrefix p : nets) f[p.family()] = true;
        return f;
    }

    private static String keyDescription(EncryptionAlgorithm enc) {
        return enc.aead ? enc.keyLength + "-byte key + " + enc.saltLength() + "-byte salt" : enc.keyLength + "-byte key";
    }

    private static void checkKey(KeyMaterial key, String option, int needed, String algorithm, String description, Errors e) {
        if (needed == 0) {
            if (!key.isEmpty()) e.add(option, algorithm + " takes no key: remove " + option);
        } else if (key.isEmpty()) {
            e.add(option, option + " missing: " + algorithm + " needs " + needed + " bytes (" + description + ")");
        } else if (key.length() != needed) {
            e.add(option, option + " is " + key.length() + " bytes; " + algorithm + " needs " + needed + " (" + description + ")");
        }
    }

    private static void checkSpi(long spi, String option, Errors e) {
        if (spi < TunnelConfig.MIN_SPI || spi > TunnelConfig.MAX_SPI)
            e.add(option, option + " " + spi + " outside 256..4294967295 (0..255 are reserved, RFC 4303)");
    }

    private static void checkPolicy(PolicyConfig p, Errors e) {
        if (p.number() < 1 || p.number() > PolicyConfig.MAX_NUMBER) e.add(null, "policy number must be 1.." + PolicyConfig.MAX_NUMBER);
        p.name().ifPresent(n -> { if (!NAME.matcher(n).matches()) e.add("name", "'" + AddressText.shorten(n) + "' is not a policy name"); });
        if (p.source().isPresent() && p.destination().isPresent() && p.source().get().family() != p.destination().get().family())
            e.add("to", "from is IPv" + p.source().get().family() + " but to is IPv" + p.destination().get().family()
                    + ": one policy selects one family (write two policies)");
        int proto = p.protocol();
        if (proto != PolicyConfig.ANY_PROTOCOL && (proto < 0 || proto > 255)) e.add("proto", "proto " + proto + " outside 0..255");
        Optional<IpPrefix> any = p.source().or(p::destination);
        if (proto == PolicyConfig.ICMP && any.isPresent() && any.get().family() == IpAddress.V6)
            e.add("proto", "proto icmp is IPv4; use icmpv6 for IPv6");
        if (proto == PolicyConfig.ICMPV6 && any.isPresent() && any.get().family() == IpAddress.V4)
            e.add("proto", "proto icmpv6 is IPv6; use icmp for IPv4");
        if (!p.hasPorts()) {
            if (!p.sourcePorts().isAny()) e.add("sport", "sport needs proto tcp, udp or sctp");
            if (!p.destinationPorts().isAny()) e.add("dport", "dport needs proto tcp, udp or sctp");
        }
        if (p.icmpType() != PolicyConfig.ANY_ICMP || p.icmpCode() != PolicyConfig.ANY_ICMP) {
            if (!p.isIcmp()) e.add("icmp-type", "icmp-type/icmp-code need proto icmp or icmpv6");
            if (p.icmpType() < -1 || p.icmpType() > 255) e.add("icmp-type", "icmp-type outside 0..255");
            if (p.icmpCode() < -1 || p.icmpCode() > 255) e.add("icmp-code", "icmp-code outside 0..255");
            if (p.icmpType() == PolicyConfig.ANY_ICMP) e.add("icmp-code", "icmp-code needs icmp-type");
        }
        switch (p.action()) {
            case DENY, PERMIT -> {
                if (p.tunnel().isPresent()) e.add("tunnel", "action " + p.action().name().toLowerCase() + " takes no tunnel");
            }
            case CONFIGURED -> {
                if (p.tunnel().isEmpty()) e.add("action", "action configured needs a tunnel");
                if (p.fallback() == FallbackChoice.CLEAR)
                    e.add("fallback", "action configured never sends in the clear: fallback must be hold or drop");
            }
            case OPPORTUNISTIC -> {
                if (p.fallback() == FallbackChoice.HOLD)
                    e.add("fallback", "fallback hold is only for action configured; opportunistic falls back to clear or drop");
            }
        }
    }

    // ---------------------------------------------------------------- the whole configuration

    static List<ConfigError> checkWhole(Configuration c, SourceLines lines) {
        List<ConfigError> errors = new ArrayList<>();
        for (InterfaceRole role : InterfaceRole.values())
            if (!c.interfaces().containsKey(role))
                errors.add(new ConfigError(0, "missing 'interface " + role.configName + " device <name>' (required)"));
        InterfaceConfig inside = c.interfaces().get(InterfaceRole.INSIDE), outside = c.interfaces().get(InterfaceRole.OUTSIDE);
        if (inside != null && outside != null && inside.device().equals(outside.device()))
            new Errors(outside.key(), lines, errors).add("device", "device " + outside.device() + " is already the inside interface");
        if (outside != null && outside.mtu() < 1280 && c.address(IpAddress.V6).isPresent())
            new Errors(outside.key(), lines, errors).add("mtu", "mtu " + outside.mtu() + " is below the IPv6 minimum of 1280");
        if (!c.tunnels().isEmpty() && c.addresses().isEmpty())
            errors.add(new ConfigError(0, "tunnels need an own outside address: add an 'address' statement"));

        Map<Long, String> spiInOwner = new HashMap<>();
        Map<String, String> spiOutOwner = new HashMap<>();
        for (TunnelConfig t : c.tunnels().values()) {
            Errors e = new Errors(t.key(), lines, errors);
            int family = t.peer().family();
            Optional<OwnAddress> own = c.address(family);
            if (own.isEmpty()) {
                if (!c.addresses().isEmpty())
                    e.add("peer", "peer " + AddressText.addressText(t.peer()) + " is IPv" + family + " but there is no IPv" + family + " 'address'");
            } else {
                if (own.get().address().equals(t.peer())) e.add("peer", "peer is the appliance's own address");
                t.local().ifPresent(l -> {
                    if (l.family() == family && !l.equals(own.get().address()))
                        e.add("local", "local " + AddressText.addressText(l) + " is not the own IPv" + family + " address "
                                + AddressText.addressText(own.get().address()));
                });
            }
            // Inbound SAs are found by SPI alone on our side; outbound SPIs are found by SPI at each peer.
            String prev = spiInOwner.putIfAbsent(t.spiIn(), t.name());
            if (prev != null) e.add("spi-in", "spi-in " + TunnelConfig.spiText(t.spiIn()) + " is already used by tunnel " + prev);
            String outKey = AddressText.addressText(t.peer()) + " " + t.spiOut();
            prev = spiOutOwner.putIfAbsent(outKey, t.name());
            if (prev != null) e.add("spi-out", "spi-out " + TunnelConfig.spiText(t.spiOut()) + " to the same peer is already used by tunnel " + prev);
        }

        for (PolicyConfig p : c.policies()) {
            // deny/permit with a tunnel is already reported by checkStatement.
            if (p.tunnel().isEmpty() || p.action() == PolicyAction.DENY || p.action() == PolicyAction.PERMIT) continue;
            Errors e = new Errors(p.key(), lines, errors);
            TunnelConfig t = c.tunnels().get(p.tunnel().get());
            if (t == null) {
                e.add("tunnel", "tunnel '" + p.tunnel().get() + "' is not defined");
                continue;
            }
            for (PolicyConfig.AddressPair pair : p.addressPairs()) {
                if (!covered(t.effectiveLocalNets(), pair.source()))
                    e.add("from", "from " + AddressText.prefixText(pair.source()) + " is not inside tunnel " + t.name() + "'s local-net");
                if (!covered(t.effectiveRemoteNets(), pair.destination()))
                    e.add("to", "to " + AddressText.prefixText(pair.destination()) + " is not inside tunnel " + t.name() + "'s remote-net");
            }
        }
        return errors;
    }

    private static boolean covered(List<IpPrefix> nets, IpPrefix p) {
        for (IpPrefix n : nets) if (n.length() <= p.length() && n.contains(p.address())) return true;
        return false;
    }

    private static boolean isUnspecified(IpAddress a) { return a.hi() == 0 && a.lo() == 0; }

    private static boolean isMulticast(IpAddress a) {
        return a.family() == IpAddress.V4 ? (a.lo() >>> 28) == 0xe || a.lo() == 0xffffffffL : (a.hi() >>> 56) == 0xff;
    }

    /** Collects errors of one statement, prefixed with its key and placed on the line of the option at fault. */
    private static final class Errors {
        final String key;
        final SourceLines lines;
        final List<ConfigError> list;

        Errors(String key, SourceLines lines) { this(key, lines, new ArrayList<>()); }

        Errors(String key, SourceLines lines, List<ConfigError> list) { this.key = key; this.lines = lines; this.list = list; }

        void add(String option, String message) { list.add(new ConfigError(lines.line(key, option), key + ": " + message)); }
    }
}
