// Semantic checks of the configuration: each statement on its own (algorithm/key combinations, AH rules, IKE
// proposals and authentication of connections, policy fallbacks, value ranges), then the configuration as a whole
// (required statements, references between statements, the tunnel/connection namespace, unique SPIs, address families). The parser runs it on every file; Configuration.with/without on
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
            case ConnectionConfig c -> checkConnection(c, e);
            case PolicyConfig p -> checkPolicy(p, e);
            case Statement.DefaultAction d -> {
                if (d.action() != PolicyAction.DENY && d.action() != PolicyAction.PERMIT)
                    e.add(null, "default-action must be deny or permit");
            }
            case Statement.LogLevelSetting l -> { }
            case OpportunisticConfig o -> {
                if (o.dnsServers().isEmpty()) e.add("dns", "opportunistic needs at least one 'dns <server address>'");
                if (o.failureCacheSeconds() < 1) e.add("failure-cache", "failure-cache must be at least 1 s");
                if (o.lifespanInitialSeconds() < 1 || o.lifespanExtendSeconds() < 1) e.add("lifespan-initial", "lifespans must be at least 1 s");
            }
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

    private static void checkConnection(ConnectionConfig c, Errors e) {
        if (!NAME.matcher(c.name()).matches()) e.add(null, "'" + AddressText.shorten(c.name()) + "' is not a connection name");
        c.peer().ifPresent(p -> {
            if (isUnspecified(p) || isMulticast(p)) e.add("peer", "peer " + AddressText.addressText(p) + " is not a unicast address");
            c.local().ifPresent(l -> {
                if (l.family() != p.family())
                    e.add("local", "local " + AddressText.addressText(l) + " is IPv" + l.family() + " but peer is IPv" + p.family());
                else if (l.equals(p)) e.add("local", "local and peer are the same address");
            });
        });
        c.local().ifPresent(l -> {
            if (isUnspecified(l) || isMulticast(l)) e.add("local", "local " + AddressText.addressText(l) + " is not a unicast address");
        });
        checkIdentity(c.localId(), "local-id", e);
        checkIdentity(c.remoteId(), "remote-id", e);
        if (c.peer().isEmpty()) {
            // Anyone may connect: only the authenticated identity says who it is, and we cannot initiate to "any".
            if (c.remoteId().isEmpty()) e.add("remote-id", "peer any needs 'remote-id <id>': the identity is all that names the peer");
            if (c.start() != ConnectionConfig.StartAction.WAIT)
                e.add("start", "peer any cannot be initiated: use 'start wait' (not " + c.start().configName + ")");
            if (c.dpdAction() == ConnectionConfig.DpdAction.RESTART)
                e.add("dpd-action", "peer any cannot be restarted: use dpd-action clear or hold");
        }

        switch (c.auth()) {
            case PSK -> {
                if (c.psk().isEmpty()) e.add("auth", "auth psk needs 'psk <secret>' (at least " + PresharedKey.MIN_LENGTH + " characters)");
                else if (c.psk().get().length() < PresharedKey.MIN_LENGTH)
                    e.add("psk", "psk is " + c.psk().get().length() + " characters; at least " + PresharedKey.MIN_LENGTH + " are required ("
                            + PresharedKey.RECOMMENDED_LENGTH + " or more recommended)");
                else if (c.psk().get().length() > PresharedKey.MAX_LENGTH)
                    e.add("psk", "psk is longer than " + PresharedKey.MAX_LENGTH + " characters");
                for (String option : List.of("certificate", "private-key", "peer-key"))
                    if (file(c, option).isPresent()) e.add(option, option + " is for auth pubkey; auth psk uses only psk");
                if (!c.caFiles().isEmpty()) e.add("ca", "ca is for auth pubkey; auth psk uses only psk");
            }
            case PUBKEY -> {
                if (c.psk().isPresent()) e.add("psk", "psk is for auth psk; auth pubkey uses private-key with certificate or peer-key");
                if (c.privateKey().isEmpty()) e.add("auth", "auth pubkey needs 'private-key <file>'");
                if (c.certificate().isEmpty() && c.peerKey().isEmpty())
                    e.add("auth", "auth pubkey needs 'certificate <file>' (with 'ca <file>') or 'peer-key <file>' (RFC 7670 raw public key)");
                else if (c.peerKey().isEmpty() && c.caFiles().isEmpty())
                    e.add("certificate", "nothing can verify the peer's certificate: add 'ca <file>' (or 'peer-key <file>')");
                if (c.peerKey().isPresent() && !c.caFiles().isEmpty())
                    e.add("ca", "ca and peer-key both say how to trust the peer; keep one");
            }
        }
        for (String option : List.of("certificate", "private-key", "peer-key"))
            file(c, option).ifPresent(f -> checkPath(f, option, e));
        for (int i = 0; i < c.caFiles().size(); i++) {
            checkPath(c.caFiles().get(i), "ca", e);
            if (c.caFiles().indexOf(c.caFiles().get(i)) < i) e.add("ca", "ca " + AddressText.shorten(c.caFiles().get(i)) + " is listed twice");
        }

        if (c.ikeProposals().isEmpty()) e.add("ike-proposal", "needs at least one ike-proposal");
        for (IkeProposal p : c.ikeProposals())
            for (String problem : p.problems()) e.add("ike-proposal", "ike-proposal " + AddressText.shorten(p.render()) + ": " + problem);
        if (c.espProposals().isEmpty()) e.add("esp-proposal", "needs at least one esp-proposal");
        for (EspProposal p : c.espProposals())
            for (String problem : p.problems()) e.add("esp-proposal", "esp-proposal " + AddressText.shorten(p.render()) + ": " + problem);

        checkRange(c.ikeLifetimeSeconds(), ConnectionConfig.MIN_LIFETIME, ConnectionConfig.MAX_LIFETIME, "ike-lifetime", e);
        checkRange(c.childLifetimeSeconds(), ConnectionConfig.MIN_LIFETIME, ConnectionConfig.MAX_LIFETIME, "child-lifetime", e);
        if (c.rekeyBytes() < 0 || c.rekeyBytes() > ConnectionConfig.MAX_REKEY_BYTES)
            e.add("rekey-bytes", "rekey-bytes " + c.rekeyBytes() + " outside 0.." + ConnectionConfig.MAX_REKEY_BYTES);
        c.rekeyMarginSeconds().ifPresent(m -> {
            int shortest = Math.min(c.ikeLifetimeSeconds(), c.childLifetimeSeconds());
            if (m < 1 || m >= shortest)
                e.add("rekey-margin", "rekey-margin " + m + " must be at least 1 and shorter than the shorter lifetime (" + shortest + " s)");
        });
        checkRange(c.dpdSeconds(), 0, ConnectionConfig.MAX_DPD, "dpd", e);
        checkRange(c.replayWindow(), 0, TunnelConfig.MAX_REPLAY_WINDOW, "replay-window", e);

        boolean[] localFamilies = families(c.effectiveLocalNets()), remoteFamilies = families(c.effectiveRemoteNets());
        for (IpPrefix p : c.localNets())
            if (!remoteFamilies[p.family()])
                e.add("local-net", "local-net " + AddressText.prefixText(p) + " is IPv" + p.family() + " but no remote-net is");
        for (IpPrefix p : c.remoteNets())
            if (!localFamilies[p.family()])
                e.add("remote-net", "remote-net " + AddressText.prefixText(p) + " is IPv" + p.family() + " but no local-net is");
    }

    private static Optional<String> file(ConnectionConfig c, String option) {
        return switch (option) {
            case "certificate" -> c.certificate();
            case "private-key" -> c.privateKey();
            default -> c.peerKey();
        };
    }

    /** Only the name is checked: the language does no I/O, the appliance reads the file when it loads the configuration. */
    private static void checkPath(String path, String option, Errors e) {
        if (path.isBlank()) e.add(option, option + " needs a file name");
        else if (path.length() > ConnectionConfig.MAX_PATH) e.add(option, option + " file name longer than " + ConnectionConfig.MAX_PATH);
        else if (path.chars().anyMatch(ch -> ch < 0x20 || ch == 0x7f)) e.add(option, option + " file name has a control character");
    }

    private static void checkIdentity(Optional<IkeIdentity> id, String option, Errors e) {
        if (id.isEmpty()) return;
        IkeIdentity given = id.get();
        String problem;
        try {
            problem = IkeIdentity.parse(given.kind().prefix + given.value()).equals(given) ? null : "is not in canonical form";
        } catch (IllegalArgumentException ex) {
            problem = ex.getMessage();
        }
        if (problem != null) e.add(option, option + " " + AddressText.shorten(given.value()) + ": " + problem);
    }

    private static void checkRange(long value, long min, long max, String option, Errors e) {
        if (value < min || value > max) e.add(option, option + " " + value + " outside " + min + ".." + max);
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

        if (!c.connections().isEmpty() && c.addresses().isEmpty())
            errors.add(new ConfigError(0, "connections need an own outside address: add an 'address' statement"));
        for (ConnectionConfig k : c.connections().values()) {
            Errors e = new Errors(k.key(), lines, errors);
            TunnelConfig clash = c.tunnels().get(k.name());
            if (clash != null) {
                int at = lines.line(clash.key(), null);
                e.add(null, "the name " + k.name() + " is already a tunnel" + (at > 0 ? " (line " + at + ")" : "")
                        + "; tunnels and connections share one namespace");
            }
            if (c.addresses().isEmpty()) continue;
            if (k.peer().isPresent()) {
                IpAddress peer = k.peer().get();
                Optional<OwnAddress> own = c.address(peer.family());
                if (own.isEmpty()) {
                    e.add("peer", "peer " + AddressText.addressText(peer) + " is IPv" + peer.family() + " but there is no IPv" + peer.family() + " 'address'");
                } else {
                    if (own.get().address().equals(peer)) e.add("peer", "peer is the appliance's own address");
                    k.local().ifPresent(l -> {
                        if (l.family() == peer.family() && !l.equals(own.get().address()))
                            e.add("local", "local " + AddressText.addressText(l) + " is not the own IPv" + peer.family() + " address "
                                    + AddressText.addressText(own.get().address()));
                    });
                }
            } else {
                k.local().ifPresent(l -> {
                    if (c.address(l.family()).map(a -> !a.address().equals(l)).orElse(true))
                        e.add("local", "local " + AddressText.addressText(l) + " is not an own address");
                });
            }
        }

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
            // 'tunnel <name>' names a manually keyed tunnel or an IKE connection (one namespace).
            String name = p.tunnel().get();
            TunnelConfig t = c.tunnels().get(name);
            ConnectionConfig k = c.connections().get(name);
            if (t == null && k == null) {
                e.add("tunnel", "tunnel '" + name + "' is not defined");
                continue;
            }
            String what = t != null ? "tunnel " + name : "connection " + name;
            List<IpPrefix> localNets = t != null ? t.effectiveLocalNets() : k.effectiveLocalNets();
            List<IpPrefix> remoteNets = t != null ? t.effectiveRemoteNets() : k.effectiveRemoteNets();
            for (PolicyConfig.AddressPair pair : p.addressPairs()) {
                if (!covered(localNets, pair.source()))
                    e.add("from", "from " + AddressText.prefixText(pair.source()) + " is not inside " + what + "'s local-net");
                if (!covered(remoteNets, pair.destination()))
                    e.add("to", "to " + AddressText.prefixText(pair.destination()) + " is not inside " + what + "'s remote-net");
            }
        }
        return errors;
    }

    /**
     * Advice that does not reject the configuration (line 0): pre-shared keys shorter than the recommended
     * length. The appliance logs these at start-up; the console prints them after a 'set'.
     */
    public static List<ConfigError> warnings(Configuration c) {
        List<ConfigError> out = new ArrayList<>();
        for (ConnectionConfig k : c.connections().values())
            k.psk().ifPresent(psk -> {
                if (psk.length() >= PresharedKey.MIN_LENGTH && psk.length() < PresharedKey.RECOMMENDED_LENGTH)
                    out.add(new ConfigError(0, k.key() + ": psk has " + psk.length() + " characters; "
                            + PresharedKey.RECOMMENDED_LENGTH + " or more are recommended (offline guessing)"));
            });
        return out;
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
