// The whole appliance configuration as an immutable value: what the file loader produces at start-up, what each
// console 'set'/'delete' replaces, and what render() writes back. Equal configurations render identically.
package bitw.config;

import bitw.ipsec.packet.IpAddress;
import bitw.ipsec.sad.SaParameters;
import bitw.ipsec.spd.PolicyAction;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * @param interfaces  by role; a valid configuration has both
 * @param addresses   own outside addresses, at most one per family, IPv4 first
 * @param l2Policy    a decision for every L2Class (pass unless configured)
 * @param tunnels     by name, in name order
 * @param connections IKEv2 connections by name, in name order; names are shared with tunnels
 * @param policies    in ascending number order (evaluation order)
 * @param defaultAction DENY or PERMIT for packets no policy matches
 * @param opportunistic OE settings; empty: opportunistic policies only use SAs that exist (none get negotiated)
 */
public record Configuration(
        String hostname,
        Map<InterfaceRole, InterfaceConfig> interfaces,
        List<OwnAddress> addresses,
        Optional<MacAddress> mac,
        Map<L2Class, L2Action> l2Policy,
        int natKeepaliveSeconds,
        SortedMap<String, TunnelConfig> tunnels,
        SortedMap<String, ConnectionConfig> connections,
        List<PolicyConfig> policies,
        PolicyAction defaultAction,
        LogLevel logLevel,
        Optional<OpportunisticConfig> opportunistic) {

    public static final PolicyAction DEFAULT_ACTION = PolicyAction.DENY;
    public static final LogLevel DEFAULT_LOG_LEVEL = LogLevel.INFO;

    public Configuration {
        EnumMap<InterfaceRole, InterfaceConfig> ifs = new EnumMap<>(InterfaceRole.class);
        ifs.putAll(interfaces);
        interfaces = Collections.unmodifiableMap(ifs);
        List<OwnAddress> addrs = new ArrayList<>(addresses);
        addrs.sort(Comparator.comparingInt(OwnAddress::family));
        for (int i = 1; i < addrs.size(); i++)
            if (addrs.get(i).family() == addrs.get(i - 1).family()) throw new IllegalArgumentException("two IPv" + addrs.get(i).family() + " addresses");
        addresses = List.copyOf(addrs);
        EnumMap<L2Class, L2Action> l2 = new EnumMap<>(L2Class.class);
        for (L2Class c : L2Class.values()) l2.put(c, L2Action.PASS);
        l2.putAll(l2Policy);
        l2Policy = Collections.unmodifiableMap(l2);
        tunnels = Collections.unmodifiableSortedMap(new TreeMap<>(tunnels));
        connections = Collections.unmodifiableSortedMap(new TreeMap<>(connections));
        List<PolicyConfig> ps = new ArrayList<>(policies);
        ps.sort(Comparator.comparingInt(PolicyConfig::number));
        for (int i = 1; i < ps.size(); i++)
            if (ps.get(i).number() == ps.get(i - 1).number()) throw new IllegalArgumentException("two policies " + ps.get(i).number());
        policies = List.copyOf(ps);
        if (defaultAction != PolicyAction.DENY && defaultAction != PolicyAction.PERMIT)
            throw new IllegalArgumentException("default action must be deny or permit");
    }

    /** Every setting at its default, nothing else: the start of a configuration built statement by statement. */
    public static Configuration defaults() {
        return new Configuration(Statement.Hostname.DEFAULT, Map.of(), List.of(), Optional.empty(), Map.of(),
                Statement.NatKeepalive.DEFAULT, new TreeMap<>(), new TreeMap<>(), List.of(), DEFAULT_ACTION, DEFAULT_LOG_LEVEL, Optional.empty());
    }

    public Optional<InterfaceConfig> interfaceFor(InterfaceRole role) { return Optional.ofNullable(interfaces.get(role)); }

    public Optional<OwnAddress> address(int family) {
        for (OwnAddress a : addresses) if (a.family() == family) return Optional.of(a);
        return Optional.empty();
    }

    public Optional<PolicyConfig> policy(int number) {
        for (PolicyConfig p : policies) if (p.number() == number) return Optional.of(p);
        return Optional.empty();
    }

    /** The tunnel's local address: as written, else the own address of the peer's family (empty if there is none). */
    public Optional<IpAddress> localAddressOf(TunnelConfig t) {
        return t.local().or(() -> address(t.peer().family()).map(OwnAddress::address));
    }

    /**
     * The connection's local address: as written; else the own address of the peer's family; for 'peer any' the
     * IPv4 own address if there is one, else the IPv6 one. Empty when there is none.
     */
    public Optional<IpAddress> localAddressOf(ConnectionConfig c) {
        if (c.local().isPresent()) return c.local();
        if (c.peer().isPresent()) return address(c.peer().get().family()).map(OwnAddress::address);
        return addresses.isEmpty() ? Optional.empty() : Optional.of(addresses.get(0).address());
    }

    /** Who we claim to be in IKE_AUTH: local-id as written, else our local address (see localAddressOf). */
    public Optional<IkeIdentity> localIdentityOf(ConnectionConfig c) {
        return c.localId().or(() -> localAddressOf(c).map(IkeIdentity::of));
    }

    /** Inbound and outbound SA of one tunnel. Throws IllegalArgumentException for an unknown tunnel. */
    public List<SaParameters> saParameters(String tunnelName) {
        TunnelConfig t = tunnels.get(tunnelName);
        if (t == null) throw new IllegalArgumentException("no tunnel " + tunnelName);
        return t.saParameters(localAddressOf(t).orElse(null));
    }

    /** Every tunnel's SAs, tunnels in name order, inbound before outbound. */
    public List<SaParameters> saParameters() {
        List<SaParameters> all = new ArrayList<>(tunnels.size() * 2);
        for (String name : tunnels.keySet()) all.addAll(saParameters(name));
        return List.copyOf(all);
    }

    /** All statements in canonical order; defaults are written out so the text says everything. */
    public List<Statement> statements() {
        List<Statement> out = new ArrayList<>();
        out.add(new Statement.Hostname(hostname));
        out.addAll(interfaces.values());
        out.addAll(addresses);
        mac.ifPresent(m -> out.add(new Statement.Mac(m)));
        for (Map.Entry<L2Class, L2Action> e : l2Policy.entrySet()) out.add(new L2Rule(e.getKey(), e.getValue()));
        out.add(new Statement.NatKeepalive(natKeepaliveSeconds));
        out.addAll(tunnels.values());
        out.addAll(connections.values());
        opportunistic.ifPresent(out::add);
        out.addAll(policies);
        out.add(new Statement.DefaultAction(defaultAction));
        out.add(new Statement.LogLevelSetting(logLevel));
        return out;
    }

    /** The statement with this key, if the configuration has it (defaulted settings count as present). */
    public Optional<Statement> statement(String key) {
        String k = normalizeKey(key);
        for (Statement s : statements()) if (s.key().equals(k)) return Optional.of(s);
        return Optional.empty();
    }

    /** Canonical text: ConfigParser.parse(render()) equals this configuration. */
    public String render() {
        StringBuilder sb = new StringBuilder(1024);
        for (Statement s : statements()) sb.append(s.render()).append('\n');
        return sb.toString();
    }

    /**
     * This configuration with {@code s} set (replacing any statement with the same key). Rejected when the
     * statement itself is invalid or the result has a validation error this configuration did not have, so a
     * console session can build up from defaults() but can never make a valid configuration invalid.
     */
    public Configuration with(Statement s) throws ConfigException {
        List<ConfigError> own = Validator.checkStatement(s, SourceLines.NONE);
        if (!own.isEmpty()) throw new ConfigException(own);
        return requireNoNewErrors(apply(s));
    }

    /**
     * This configuration without the statement {@code key} ("policy 10", "tunnel to-b", "connection hq", "address v6", ...);
     * single-valued settings (hostname, l2 ..., nat-keepalive, default-action, log-level) return to their default.
     */
    public Configuration without(String key) throws ConfigException {
        String k = normalizeKey(key);
        Configuration next = remove(k);
        if (next == null) throw new ConfigException(List.of(new ConfigError(0, "nothing to delete: no statement '" + AddressText.shorten(k) + "'")));
        return requireNoNewErrors(next);
    }

    private Configuration requireNoNewErrors(Configuration next) throws ConfigException {
        Set<String> before = new HashSet<>();
        for (ConfigError e : Validator.validate(this)) before.add(e.message());
        List<ConfigError> added = new ArrayList<>();
        for (ConfigError e : Validator.validate(next)) if (!before.contains(e.message())) added.add(e);
        if (!added.isEmpty()) throw new ConfigException(added);
        return next;
    }

    static String normalizeKey(String key) { return String.join(" ", key.strip().split("\\s+")); }

    /**
     * Builds a configuration from statements, unvalidated (Validator.validate checks it); a later statement
     * replaces an earlier one with the same key, and settings not given keep their defaults.
     */
    public static Configuration of(List<? extends Statement> statements) {
        Configuration d = defaults();
        String host = d.hostname;
        Map<InterfaceRole, InterfaceConfig> ifs = new EnumMap<>(InterfaceRole.class);
        Map<Integer, OwnAddress> addrs = new TreeMap<>();
        Optional<MacAddress> m = Optional.empty();
        Map<L2Class, L2Action> l2 = new EnumMap<>(L2Class.class);
        int keepalive = d.natKeepaliveSeconds;
        SortedMap<String, TunnelConfig> tuns = new TreeMap<>();
        SortedMap<String, ConnectionConfig> conns = new TreeMap<>();
        Map<Integer, PolicyConfig> pols = new TreeMap<>();
        PolicyAction dflt = d.defaultAction;
        LogLevel level = d.logLevel;
        Optional<OpportunisticConfig> oe = Optional.empty();
        for (Statement s : statements) {
            switch (s) {
                case Statement.Hostname h -> host = h.name();
                case InterfaceConfig i -> ifs.put(i.role(), i);
                case OwnAddress a -> addrs.put(a.family(), a);
                case Statement.Mac mac -> m = Optional.of(mac.address());
                case L2Rule r -> l2.put(r.frames(), r.action());
                case Statement.NatKeepalive n -> keepalive = n.seconds();
                case TunnelConfig t -> tuns.put(t.name(), t);
                case ConnectionConfig c -> conns.put(c.name(), c);
                case PolicyConfig p -> pols.put(p.number(), p);
                case Statement.DefaultAction a -> dflt = a.action();
                case Statement.LogLevelSetting l -> level = l.level();
                case OpportunisticConfig o -> oe = Optional.of(o);
            }
        }
        return new Configuration(host, ifs, List.copyOf(addrs.values()), m, l2, keepalive, tuns, conns,
                List.copyOf(pols.values()), dflt, level, oe);
    }

    /** Sets a statement without validation. */
    Configuration apply(Statement s) {
        List<Statement> all = new ArrayList<>(statements());
        all.add(s);
        return of(all);
    }

    /** Removes (or resets to its default) the statement with a normalized key; null when there is none. */
    Configuration remove(String key) {
        List<Statement> all = statements();
        List<Statement> kept = new ArrayList<>(all.size());
        for (Statement s : all) if (!s.key().equals(key)) kept.add(s);
        return kept.size() == all.size() ? null : of(kept);
    }
}
