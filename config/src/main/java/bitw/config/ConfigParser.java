// Reads configuration text: splits it into statements (comments, blank lines, backslash continuations, quoted words), parses each
// statement's words into a model record, rejects duplicate keys, then hands the whole to the Validator. Every
// problem becomes a ConfigError with its line; one error anywhere rejects the file. The console uses
// parseStatement for the text after 'set'.
package bitw.config;

import bitw.ipsec.crypto.EncryptionAlgorithm;
import bitw.ipsec.crypto.IntegrityAlgorithm;
import bitw.ipsec.packet.IpAddress;
import bitw.ipsec.packet.IpPrefix;
import bitw.ipsec.sad.SaMode;
import bitw.ipsec.sad.SaParameters;
import bitw.ipsec.sad.SaProtocol;
import bitw.ipsec.spd.PolicyAction;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

public final class ConfigParser {
    private ConfigParser() {}

    /** Statement keywords, in the order the language describes them (also the suggestion list). */
    static final List<String> KEYWORDS = List.of("hostname", "interface", "address", "mac", "l2", "nat-keepalive",
            "tunnel", "connection", "opportunistic", "policy", "default-action", "log-level");

    private static final List<String> TUNNEL_OPTIONS = List.of("peer", "local", "mode", "protocol", "encap", "enc", "integ",
            "spi-in", "spi-out", "key-in", "key-out", "integ-key-in", "integ-key-out", "esn", "replay-window",
            "lifetime-seconds", "lifetime-bytes", "local-net", "remote-net");
    private static final List<String> POLICY_OPTIONS = List.of("name", "from", "to", "proto", "sport", "dport",
            "icmp-type", "icmp-code", "action", "tunnel", "fallback");
    private static final List<String> CONNECTION_OPTIONS = List.of("peer", "local", "local-id", "remote-id", "auth", "psk",
            "certificate", "private-key", "peer-key", "ca", "ike-proposal", "esp-proposal", "mode", "encap", "local-net",
            "remote-net", "ike-lifetime", "child-lifetime", "rekey-bytes", "rekey-margin", "dpd", "dpd-action", "start",
            "fragmentation", "replay-window");
    private static final List<String> OPPORTUNISTIC_OPTIONS = List.of("private-key", "dns", "dnssec-anchor", "require-dnssec",
            "failure-cache", "lifespan-initial", "lifespan-extend", "identity");
    private static final Set<String> REPEATABLE = Set.of("local-net", "remote-net", "ca", "ike-proposal", "esp-proposal", "dns");

    /** One word of a statement and the physical line it came from. */
    record Token(String text, int line) {}

    /** The words of one logical statement; line is where it starts. */
    record RawStatement(int line, List<Token> tokens) {}

    /** Thrown inside the parsing of one statement; caught per statement so the rest of the file is still checked. */
    private static final class Failure extends RuntimeException {
        final int line;
        Failure(int line, String message) { super(message, null, false, false); this.line = line; }
    }

    // ---------------------------------------------------------------- entry points

    /** Parses and validates a whole configuration file. */
    public static Configuration parse(String text) throws ConfigException {
        List<ConfigError> errors = new ArrayList<>();
        List<RawStatement> raws = split(text, errors);
        boolean complete = errors.isEmpty();
        Map<String, Integer> statementLines = new HashMap<>();
        Map<String, Integer> optionLines = new HashMap<>();
        SourceLines lines = SourceLines.of(statementLines, optionLines);
        List<Statement> statements = new ArrayList<>(raws.size());
        for (RawStatement raw : raws) {
            Map<String, Integer> options = new HashMap<>();
            Statement s;
            try {
                s = parseOne(raw, options);
            } catch (Failure f) {
                errors.add(new ConfigError(f.line, f.getMessage()));
                complete = false;
                continue;
            }
            Integer earlier = statementLines.putIfAbsent(s.key(), raw.line());
            if (earlier != null) {
                errors.add(new ConfigError(raw.line(), s.key() + " already defined at line " + earlier));
                complete = false;
                continue;
            }
            options.forEach((option, line) -> optionLines.put(s.key() + '\0' + option, line));
            errors.addAll(Validator.checkStatement(s, lines));
            statements.add(s);
        }
        Configuration c = Configuration.of(statements);
        // Cross-references are only meaningful when every statement was read; otherwise a policy would be
        // blamed for a tunnel whose own line had the real error.
        if (complete) errors.addAll(Validator.checkWhole(c, lines));
        if (!errors.isEmpty()) throw new ConfigException(errors);
        return c;
    }

    /**
     * Parses one statement as typed after the console's 'set' (continuations allowed, comments ignored). Checks
     * the statement on its own; Configuration.with checks it against the rest. Errors are on line 1.
     */
    public static Statement parseStatement(String text) throws ConfigException {
        List<ConfigError> errors = new ArrayList<>();
        List<RawStatement> raws = split(text, errors);
        if (!errors.isEmpty()) throw new ConfigException(errors);
        if (raws.size() != 1)
            throw new ConfigException(List.of(new ConfigError(1, raws.isEmpty() ? "empty statement" : "expected one statement, found " + raws.size())));
        Map<String, Integer> options = new HashMap<>();
        Statement s;
        try {
            s = parseOne(raws.get(0), options);
        } catch (Failure f) {
            throw new ConfigException(List.of(new ConfigError(f.line, f.getMessage())));
        }
        Map<String, Integer> optionLines = new HashMap<>();
        options.forEach((option, line) -> optionLines.put(s.key() + '\0' + option, line));
        errors.addAll(Validator.checkStatement(s, SourceLines.of(Map.of(s.key(), raws.get(0).line()), optionLines)));
        if (!errors.isEmpty()) throw new ConfigException(errors);
        return s;
    }

    // ---------------------------------------------------------------- lines to statements

    /** Splits text into statements: strips comments, joins continuations, rejects control characters. */
    static List<RawStatement> split(String text, List<ConfigError> errors) {
        List<RawStatement> out = new ArrayList<>();
        List<Token> current = null;
        boolean broken = false;
        int lineNo = 0;
        int pos = 0, n = text.length();
        while (pos <= n) {
            int end = text.indexOf('\n', pos);
            if (end < 0) end = n;
            lineNo++;
            int stop = end;
            if (stop > pos && text.charAt(stop - 1) == '\r') stop--;
            stop = commentStart(text, pos, stop);
            String bad = null;
            for (int i = pos; i < stop; i++) {
                char c = text.charAt(i);
                if ((c < 0x20 && c != '\t') || c == 0x7f) { bad = String.format("control character U+%04X is not allowed", (int) c); break; }
            }
            // Trailing whitespace, then a backslash, means the statement goes on.
            int last = stop;
            while (last > pos && (text.charAt(last - 1) == ' ' || text.charAt(last - 1) == '\t')) last--;
            boolean continues = last > pos && text.charAt(last - 1) == '\\';
            if (continues) last--;
            if (current == null) { current = new ArrayList<>(); broken = false; }
            if (bad != null) {
                errors.add(new ConfigError(lineNo, bad));
                broken = true;
            } else {
                String problem = tokenize(text, pos, last, lineNo, current);
                if (problem != null) {
                    errors.add(new ConfigError(lineNo, problem));
                    broken = true;
                }
            }
            if (!continues) {
                if (!broken && !current.isEmpty()) out.add(new RawStatement(current.get(0).line(), List.copyOf(current)));
                current = null;
            } else if (end == n) {
                errors.add(new ConfigError(lineNo, "the last line ends with a continuation backslash"));
            }
            pos = end + 1;
        }
        return out;
    }

    /**
     * Where the comment of a line starts ('#' outside double quotes), or {@code stop}. Uses the quoting rules of
     * tokenize, so a DN or a pre-shared key may contain '#'.
     */
    private static int commentStart(String text, int from, int stop) {
        boolean quoted = false;
        for (int i = from; i < stop; i++) {
            char c = text.charAt(i);
            if (quoted) {
                if (c == '\\') i++;
                else if (c == '"') quoted = false;
            } else if (c == '"') {
                quoted = true;
            } else if (c == '#') {
                return i;
            }
        }
        return stop;
    }

    /**
     * Splits a line into words at spaces and tabs. Double quotes group text with spaces into a word (and may be
     * part of one: dn:"CN=a b"); inside them \" is a quote and \\ a backslash, and any other backslash is kept
     * as it is (so RFC 4514 escapes like \, need no doubling). Quotes do not span lines. Returns a problem or null.
     */
    private static String tokenize(String text, int from, int to, int line, List<Token> into) {
        int i = from;
        StringBuilder word = new StringBuilder();
        while (i < to) {
            while (i < to && (text.charAt(i) == ' ' || text.charAt(i) == '\t')) i++;
            if (i >= to) break;
            word.setLength(0);
            while (i < to && text.charAt(i) != ' ' && text.charAt(i) != '\t') {
                char c = text.charAt(i++);
                if (c != '"') { word.append(c); continue; }
                boolean closed = false;
                while (i < to) {
                    char q = text.charAt(i++);
                    if (q == '"') { closed = true; break; }
                    if (q == '\\' && i < to && (text.charAt(i) == '"' || text.charAt(i) == '\\')) q = text.charAt(i++);
                    word.append(q);
                }
                if (!closed) return "unterminated quoted string (a '\"' is missing)";
            }
            into.add(new Token(word.toString(), line));
        }
        return null;
    }

    /** The word as the tokenizer reads it back: as is when plain, else double-quoted with \" and \\ escaped. */
    static String quoted(String word) {
        boolean plain = !word.isEmpty();
        for (int i = 0; i < word.length() && plain; i++) {
            char c = word.charAt(i);
            plain = c != ' ' && c != '\t' && c != '"' && c != '\\' && c != '#';
        }
        if (plain) return word;
        StringBuilder sb = new StringBuilder(word.length() + 8).append('"');
        for (int i = 0; i < word.length(); i++) {
            char c = word.charAt(i);
            if (c == '"' || c == '\\') sb.append('\\');
            sb.append(c);
        }
        return sb.append('"').toString();
    }

    // ---------------------------------------------------------------- statements

    private static Statement parseOne(RawStatement raw, Map<String, Integer> optionLines) {
        Words w = new Words(raw);
        Token head = w.next("a statement");
        return switch (head.text()) {
            case "hostname" -> {
                Token name = w.next("a host name after 'hostname'");
                String problem = Validator.hostnameProblem(name.text());
                if (problem != null) throw new Failure(name.line(), problem);
                w.end();
                yield new Statement.Hostname(name.text());
            }
            case "interface" -> parseInterface(w, optionLines);
            case "address" -> parseAddress(w, optionLines);
            case "mac" -> {
                Token t = w.next("a MAC address after 'mac'");
                MacAddress mac = MacAddress.parse(t.text());
                if (mac == null) throw new Failure(t.line(), "'" + AddressText.shorten(t.text()) + "' is not a MAC address (like 02:00:5e:00:53:01)");
                w.end();
                yield new Statement.Mac(mac);
            }
            case "l2" -> {
                Token cls = w.next("a frame class after 'l2'");
                L2Class c = L2Class.byConfigName(cls.text());
                if (c == null) throw unknown(cls, "frame class", Arrays.stream(L2Class.values()).map(v -> v.configName).toList());
                Token act = w.next("pass or drop after 'l2 " + c.configName + "'");
                L2Action a = L2Action.byConfigName(act.text());
                if (a == null) throw unknown(act, "l2 action", Arrays.stream(L2Action.values()).map(v -> v.configName).toList());
                w.end();
                yield new L2Rule(c, a);
            }
            case "nat-keepalive" -> {
                int s = (int) number(w.next("seconds after 'nat-keepalive'"), 0, Statement.NatKeepalive.MAX, "nat-keepalive");
                w.end();
                yield new Statement.NatKeepalive(s);
            }
            case "tunnel" -> parseTunnel(w, optionLines);
            case "connection" -> parseConnection(w, optionLines);
            case "opportunistic" -> parseOpportunistic(w, optionLines);
            case "policy" -> parsePolicy(w, optionLines);
            case "default-action" -> {
                Token t = w.next("deny or permit after 'default-action'");
                PolicyAction a = switch (t.text()) {
                    case "deny" -> PolicyAction.DENY;
                    case "permit" -> PolicyAction.PERMIT;
                    default -> throw unknown(t, "default-action", List.of("deny", "permit"));
                };
                w.end();
                yield new Statement.DefaultAction(a);
            }
            case "log-level" -> {
                Token t = w.next("a level after 'log-level'");
                LogLevel l = LogLevel.byConfigName(t.text());
                if (l == null) throw unknown(t, "log level", Arrays.stream(LogLevel.values()).map(v -> v.configName).toList());
                w.end();
                yield new Statement.LogLevelSetting(l);
            }
            default -> {
                // A lone option word at the start of a line is almost always a continuation whose '\' went missing.
                String owner = TUNNEL_OPTIONS.contains(head.text()) ? "tunnel" : POLICY_OPTIONS.contains(head.text()) ? "policy"
                        : CONNECTION_OPTIONS.contains(head.text()) ? "connection" : null;
                if (owner != null && !KEYWORDS.contains(head.text()))
                    throw new Failure(head.line(), "'" + head.text() + "' is a " + owner + " option, not a statement: "
                            + "does the line before lack its trailing '\\'?");
                throw unknown(head, "statement", KEYWORDS);
            }
        };
    }

    private static InterfaceConfig parseInterface(Words w, Map<String, Integer> optionLines) {
        Token role = w.next("inside or outside after 'interface'");
        InterfaceRole r = InterfaceRole.byConfigName(role.text());
        if (r == null) throw unknown(role, "interface", Arrays.stream(InterfaceRole.values()).map(v -> v.configName).toList());
        Map<String, List<Token>> o = options(w, "interface", List.of("device", "mtu"), optionLines);
        Token device = required(o, "device", w, "interface " + r.configName + " needs 'device <name>'");
        if (!Validator.DEVICE.matcher(device.text()).matches())
            throw new Failure(device.line(), "'" + AddressText.shorten(device.text()) + "' is not a device name (1-15 letters, digits, '.', '-', '_', '@')");
        int mtu = o.containsKey("mtu") ? (int) number(o.get("mtu").get(0), InterfaceConfig.MIN_MTU, InterfaceConfig.MAX_MTU, "mtu")
                : InterfaceConfig.DEFAULT_MTU;
        return new InterfaceConfig(r, device.text(), mtu);
    }

    private static OwnAddress parseAddress(Words w, Map<String, Integer> optionLines) {
        Token t = w.next("<address>/<length> after 'address'");
        int slash = t.text().indexOf('/');
        if (slash < 0) throw new Failure(t.line(), "'" + AddressText.shorten(t.text()) + "' needs a prefix length (like 198.51.100.2/24)");
        IpAddress a = address(new Token(t.text().substring(0, slash), t.line()));
        int len;
        try {
            len = AddressText.parsePrefixLength(t.text(), t.text().substring(slash + 1), a.bitLength());
        } catch (IllegalArgumentException e) {
            throw new Failure(t.line(), e.getMessage());
        }
        Map<String, List<Token>> o = options(w, "address", List.of("gateway"), optionLines);
        Optional<IpAddress> gateway = o.containsKey("gateway") ? Optional.of(address(o.get("gateway").get(0))) : Optional.empty();
        return new OwnAddress(a, len, gateway);
    }

    private static TunnelConfig parseTunnel(Words w, Map<String, Integer> optionLines) {
        Token nameToken = w.next("a tunnel name after 'tunnel'");
        String name = nameToken.text();
        if (!Validator.NAME.matcher(name).matches())
            throw new Failure(nameToken.line(), "'" + AddressText.shorten(name) + "' is not a tunnel name (1-32 letters, digits, '.', '-', '_')");
        Map<String, List<Token>> o = options(w, "tunnel", TUNNEL_OPTIONS, optionLines);
        IpAddress peer = address(required(o, "peer", w, "tunnel " + name + " needs 'peer <address>'"));
        Optional<IpAddress> local = o.containsKey("local") ? Optional.of(address(o.get("local").get(0))) : Optional.empty();
        SaMode mode = choice(o, "mode", SaMode.TUNNEL, Map.of("tunnel", SaMode.TUNNEL, "iiptran", SaMode.IIPTRAN));
        SaProtocol protocol = choice(o, "protocol", SaProtocol.ESP, Map.of("esp", SaProtocol.ESP, "ah", SaProtocol.AH));
        boolean udp = choice(o, "encap", false, Map.of("none", false, "udp", true));
        EncryptionAlgorithm enc;
        if (protocol == SaProtocol.AH) {
            if (o.containsKey("enc")) throw new Failure(o.get("enc").get(0).line(), "AH does not encrypt: remove enc (or use protocol esp)");
            enc = EncryptionAlgorithm.NULL;
        } else if (o.containsKey("enc")) {
            Token t = o.get("enc").get(0);
            enc = EncryptionAlgorithm.byConfigName(t.text());
            if (enc == null) throw unknown(t, "enc algorithm", Arrays.stream(EncryptionAlgorithm.values()).map(a -> a.configName).toList());
        } else {
            enc = EncryptionAlgorithm.AES_GCM_128;
        }
        IntegrityAlgorithm integ;
        if (o.containsKey("integ")) {
            Token t = o.get("integ").get(0);
            integ = IntegrityAlgorithm.byConfigName(t.text());
            if (integ == null) throw unknown(t, "integ algorithm", Arrays.stream(IntegrityAlgorithm.values()).map(a -> a.configName).toList());
        } else {
            integ = protocol == SaProtocol.ESP && enc.aead ? IntegrityAlgorithm.NONE : IntegrityAlgorithm.HMAC_SHA256_128;
        }
        long spiIn = spi(required(o, "spi-in", w, "tunnel " + name + " needs 'spi-in <spi>'"));
        long spiOut = spi(required(o, "spi-out", w, "tunnel " + name + " needs 'spi-out <spi>'"));
        boolean esn = choice(o, "esn", true, Map.of("on", true, "off", false));
        int window = o.containsKey("replay-window")
                ? (int) number(o.get("replay-window").get(0), 0, TunnelConfig.MAX_REPLAY_WINDOW, "replay-window")
                : SaParameters.DEFAULT_REPLAY_WINDOW;
        long[] seconds = o.containsKey("lifetime-seconds") ? softHard(o.get("lifetime-seconds").get(0), "lifetime-seconds") : new long[2];
        long[] bytes = o.containsKey("lifetime-bytes") ? softHard(o.get("lifetime-bytes").get(0), "lifetime-bytes") : new long[2];
        List<IpPrefix> localNets = new ArrayList<>(), remoteNets = new ArrayList<>();
        for (Token t : o.getOrDefault("local-net", List.of())) localNets.add(prefix(t));
        for (Token t : o.getOrDefault("remote-net", List.of())) remoteNets.add(prefix(t));
        return new TunnelConfig(name, peer, local, mode, protocol, udp, enc, integ, spiIn, spiOut,
                key(o, "key-in"), key(o, "key-out"), key(o, "integ-key-in"), key(o, "integ-key-out"), esn, window,
                new SaParameters.Lifetime(seconds[0], seconds[1], bytes[0], bytes[1]), localNets, remoteNets);
    }

    private static OpportunisticConfig parseOpportunistic(Words w, Map<String, Integer> optionLines) {
        Map<String, List<Token>> o = options(w, "opportunistic", OPPORTUNISTIC_OPTIONS, optionLines);
        String key = required(o, "private-key", w, "opportunistic needs 'private-key <PEM file>'").text();
        List<IpAddress> dns = new ArrayList<>();
        for (Token t : o.getOrDefault("dns", List.of())) dns.add(address(t));
        if (dns.isEmpty()) throw new Failure(w.raw.line(), "opportunistic needs at least one 'dns <server address>'");
        Optional<String> anchor = o.containsKey("dnssec-anchor") ? Optional.of(o.get("dnssec-anchor").get(0).text()) : Optional.empty();
        boolean require = choice(o, "require-dnssec", false, Map.of("on", true, "off", false));
        if (require && anchor.isEmpty()) throw new Failure(w.raw.line(), "require-dnssec on needs a dnssec-anchor to validate with");
        Optional<String> identity = Optional.empty();
        if (o.containsKey("identity")) {
            Token t = o.get("identity").get(0);
            IkeIdentity id;
            try {
                id = IkeIdentity.parse(t.text());
            } catch (IllegalArgumentException e) {
                throw new Failure(t.line(), "opportunistic identity: " + e.getMessage());
            }
            // An address identity is the default already; other kinds have no place in DNS-published keys.
            if (id.kind() != IkeIdentity.Kind.FQDN) throw new Failure(t.line(), "opportunistic identity must be fqdn:<name> (the default is the outside address)");
            identity = Optional.of(id.value().toLowerCase(java.util.Locale.ROOT));
        }
        return new OpportunisticConfig(key, dns, anchor, require,
                seconds(o, "failure-cache", OpportunisticConfig.DEFAULT_FAILURE_CACHE),
                seconds(o, "lifespan-initial", OpportunisticConfig.DEFAULT_LIFESPAN_INITIAL),
                seconds(o, "lifespan-extend", OpportunisticConfig.DEFAULT_LIFESPAN_EXTEND), identity);
    }

    private static int seconds(Map<String, List<Token>> o, String option, int dflt) {
        List<Token> v = o.get(option);
        return v == null ? dflt : (int) number(v.get(0), 1, OpportunisticConfig.MAX_SECONDS, option);
    }

    private static ConnectionConfig parseConnection(Words w, Map<String, Integer> optionLines) {
        Token nameToken = w.next("a connection name after 'connection'");
        String name = nameToken.text();
        if (!Validator.NAME.matcher(name).matches())
            throw new Failure(nameToken.line(), "'" + AddressText.shorten(name) + "' is not a connection name (1-32 letters, digits, '.', '-', '_')");
        Map<String, List<Token>> o = options(w, "connection", CONNECTION_OPTIONS, optionLines);
        Token peerToken = required(o, "peer", w, "connection " + name + " needs 'peer <address|any>'");
        Optional<IpAddress> peer = peerToken.text().equals("any") ? Optional.empty() : Optional.of(address(peerToken));
        Optional<IpAddress> local = o.containsKey("local") ? Optional.of(address(o.get("local").get(0))) : Optional.empty();
        Optional<IkeIdentity> localId = identity(o, "local-id"), remoteId = identity(o, "remote-id");
        required(o, "auth", w, "connection " + name + " needs 'auth psk' or 'auth pubkey'");
        ConnectionConfig.Auth auth = choice(o, "auth", null, Map.of("psk", ConnectionConfig.Auth.PSK, "pubkey", ConnectionConfig.Auth.PUBKEY));
        // Pre-shared key and files: taken as written; their rules (length, which auth needs what) are the Validator's.
        Optional<PresharedKey> psk = o.containsKey("psk") ? Optional.of(PresharedKey.of(o.get("psk").get(0).text())) : Optional.empty();
        List<String> ca = new ArrayList<>();
        for (Token t : o.getOrDefault("ca", List.of())) ca.add(t.text());
        List<IkeProposal> ike = new ArrayList<>();
        for (Token t : o.getOrDefault("ike-proposal", List.of())) {
            IkeProposal p;
            try {
                p = IkeProposal.parse(t.text());
            } catch (IllegalArgumentException e) {
                throw new Failure(t.line(), "ike-proposal: " + e.getMessage());
            }
            List<String> problems = p.problems();
            if (!problems.isEmpty()) throw new Failure(t.line(), "ike-proposal " + AddressText.shorten(t.text()) + ": " + problems.get(0));
            ike.add(p);
        }
        List<EspProposal> esp = new ArrayList<>();
        for (Token t : o.getOrDefault("esp-proposal", List.of())) {
            EspProposal p;
            try {
                p = EspProposal.parse(t.text());
            } catch (IllegalArgumentException e) {
                throw new Failure(t.line(), "esp-proposal: " + e.getMessage());
            }
            List<String> problems = p.problems();
            if (!problems.isEmpty()) throw new Failure(t.line(), "esp-proposal " + AddressText.shorten(t.text()) + ": " + problems.get(0));
            esp.add(p);
        }
        if (ike.isEmpty()) ike = IkeProposal.DEFAULTS;
        if (esp.isEmpty()) esp = EspProposal.DEFAULTS;
        SaMode mode = choice(o, "mode", SaMode.TUNNEL, Map.of("tunnel", SaMode.TUNNEL, "iiptran", SaMode.IIPTRAN));
        ConnectionConfig.Encapsulation encap = choice(o, "encap", ConnectionConfig.Encapsulation.AUTO,
                Map.of("auto", ConnectionConfig.Encapsulation.AUTO, "udp", ConnectionConfig.Encapsulation.UDP));
        List<IpPrefix> localNets = new ArrayList<>(), remoteNets = new ArrayList<>();
        for (Token t : o.getOrDefault("local-net", List.of())) localNets.add(prefix(t));
        for (Token t : o.getOrDefault("remote-net", List.of())) remoteNets.add(prefix(t));
        int ikeLifetime = o.containsKey("ike-lifetime") ? (int) number(o.get("ike-lifetime").get(0),
                ConnectionConfig.MIN_LIFETIME, ConnectionConfig.MAX_LIFETIME, "ike-lifetime") : ConnectionConfig.DEFAULT_IKE_LIFETIME;
        int childLifetime = o.containsKey("child-lifetime") ? (int) number(o.get("child-lifetime").get(0),
                ConnectionConfig.MIN_LIFETIME, ConnectionConfig.MAX_LIFETIME, "child-lifetime") : ConnectionConfig.DEFAULT_CHILD_LIFETIME;
        long rekeyBytes = o.containsKey("rekey-bytes") ? number(o.get("rekey-bytes").get(0), 0, ConnectionConfig.MAX_REKEY_BYTES, "rekey-bytes") : 0;
        OptionalInt margin = o.containsKey("rekey-margin")
                ? OptionalInt.of((int) number(o.get("rekey-margin").get(0), 1, ConnectionConfig.MAX_LIFETIME, "rekey-margin")) : OptionalInt.empty();
        int dpd = o.containsKey("dpd") ? (int) number(o.get("dpd").get(0), 0, ConnectionConfig.MAX_DPD, "dpd") : ConnectionConfig.DEFAULT_DPD;
        ConnectionConfig.DpdAction dpdAction = choice(o, "dpd-action", ConnectionConfig.DpdAction.CLEAR, Map.of(
                "clear", ConnectionConfig.DpdAction.CLEAR, "hold", ConnectionConfig.DpdAction.HOLD, "restart", ConnectionConfig.DpdAction.RESTART));
        ConnectionConfig.StartAction start = choice(o, "start", ConnectionConfig.StartAction.ON_TRAFFIC, Map.of(
                "on-traffic", ConnectionConfig.StartAction.ON_TRAFFIC, "at-start", ConnectionConfig.StartAction.AT_START,
                "wait", ConnectionConfig.StartAction.WAIT));
        boolean fragmentation = choice(o, "fragmentation", true, Map.of("on", true, "off", false));
        int window = o.containsKey("replay-window")
                ? (int) number(o.get("replay-window").get(0), 0, TunnelConfig.MAX_REPLAY_WINDOW, "replay-window")
                : SaParameters.DEFAULT_REPLAY_WINDOW;
        return new ConnectionConfig(name, peer, local, localId, remoteId, auth, psk, file(o, "certificate"), file(o, "private-key"),
                file(o, "peer-key"), ca, ike, esp, mode, encap, localNets, remoteNets, ikeLifetime, childLifetime, rekeyBytes,
                margin, dpd, dpdAction, start, fragmentation, window);
    }

    private static Optional<IkeIdentity> identity(Map<String, List<Token>> o, String option) {
        List<Token> v = o.get(option);
        if (v == null) return Optional.empty();
        try {
            return Optional.of(IkeIdentity.parse(v.get(0).text()));
        } catch (IllegalArgumentException e) {
            throw new Failure(v.get(0).line(), option + ": " + e.getMessage());
        }
    }

    private static Optional<String> file(Map<String, List<Token>> o, String option) {
        List<Token> v = o.get(option);
        return v == null ? Optional.empty() : Optional.of(v.get(0).text());
    }

    private static PolicyConfig parsePolicy(Words w, Map<String, Integer> optionLines) {
        Token numberToken = w.next("a policy number after 'policy'");
        int number = (int) number(numberToken, 1, PolicyConfig.MAX_NUMBER, "policy number");
        Map<String, List<Token>> o = options(w, "policy", POLICY_OPTIONS, optionLines);
        Optional<String> name = Optional.empty();
        if (o.containsKey("name")) {
            Token t = o.get("name").get(0);
            if (!Validator.NAME.matcher(t.text()).matches())
                throw new Failure(t.line(), "'" + AddressText.shorten(t.text()) + "' is not a policy name (1-32 letters, digits, '.', '-', '_')");
            name = Optional.of(t.text());
        }
        Token from = required(o, "from", w, "policy " + number + " needs 'from <prefix|any>'");
        Token to = required(o, "to", w, "policy " + number + " needs 'to <prefix|any>'");
        Optional<IpPrefix> source = from.text().equals("any") ? Optional.empty() : Optional.of(prefix(from));
        Optional<IpPrefix> destination = to.text().equals("any") ? Optional.empty() : Optional.of(prefix(to));
        int protocol = PolicyConfig.ANY_PROTOCOL;
        if (o.containsKey("proto")) {
            Token t = o.get("proto").get(0);
            Integer known = PolicyConfig.PROTOCOL_NAMES.get(t.text());
            if (known != null) protocol = known;
            else if (!t.text().isEmpty() && t.text().chars().allMatch(c -> c >= '0' && c <= '9')) protocol = (int) number(t, 0, 255, "proto");
            else throw unknown(t, "protocol", List.of("tcp", "udp", "icmp", "icmpv6", "sctp", "esp", "ah", "<0-255>"));
        }
        PortRange sport = o.containsKey("sport") ? ports(o.get("sport").get(0)) : PortRange.ANY;
        PortRange dport = o.containsKey("dport") ? ports(o.get("dport").get(0)) : PortRange.ANY;
        int icmpType = o.containsKey("icmp-type") ? (int) number(o.get("icmp-type").get(0), 0, 255, "icmp-type") : PolicyConfig.ANY_ICMP;
        int icmpCode = o.containsKey("icmp-code") ? (int) number(o.get("icmp-code").get(0), 0, 255, "icmp-code") : PolicyConfig.ANY_ICMP;
        Token actionToken = required(o, "action", w, "policy " + number + " needs 'action <deny|permit|opportunistic|configured>'");
        PolicyAction action = switch (actionToken.text()) {
            case "deny" -> PolicyAction.DENY;
            case "permit" -> PolicyAction.PERMIT;
            case "opportunistic" -> PolicyAction.OPPORTUNISTIC;
            case "configured" -> PolicyAction.CONFIGURED;
            default -> throw unknown(actionToken, "action", List.of("deny", "permit", "opportunistic", "configured"));
        };
        Optional<String> tunnel = Optional.empty();
        if (o.containsKey("tunnel")) {
            Token t = o.get("tunnel").get(0);
            if (!Validator.NAME.matcher(t.text()).matches()) throw new Failure(t.line(), "'" + AddressText.shorten(t.text()) + "' is not a tunnel name");
            tunnel = Optional.of(t.text());
        }
        FallbackChoice fallback = action == PolicyAction.CONFIGURED ? FallbackChoice.HOLD : FallbackChoice.CLEAR;
        if (o.containsKey("fallback")) {
            Token t = o.get("fallback").get(0);
            if (action == PolicyAction.DENY || action == PolicyAction.PERMIT)
                throw new Failure(t.line(), "action " + actionToken.text() + " takes no fallback");
            fallback = FallbackChoice.byConfigName(t.text());
            if (fallback == null) throw unknown(t, "fallback", List.of("clear", "drop", "hold"));
        }
        return new PolicyConfig(number, name, source, destination, protocol, sport, dport, icmpType, icmpCode, action, tunnel, fallback);
    }

    // ---------------------------------------------------------------- words and values

    /** A cursor over a statement's words. */
    private static final class Words {
        final RawStatement raw;
        int next;

        Words(RawStatement raw) { this.raw = raw; }

        boolean hasNext() { return next < raw.tokens().size(); }

        Token next(String expected) {
            if (!hasNext()) throw new Failure(lastLine(), "expected " + expected);
            return raw.tokens().get(next++);
        }

        int lastLine() { return raw.tokens().isEmpty() ? raw.line() : raw.tokens().get(raw.tokens().size() - 1).line(); }

        void end() {
            if (hasNext()) {
                Token t = raw.tokens().get(next);
                throw new Failure(t.line(), "unexpected '" + AddressText.shorten(t.text()) + "' after the end of the statement");
            }
        }
    }

    /** Reads "option value" pairs to the end of the statement; records each option's line. */
    private static Map<String, List<Token>> options(Words w, String statement, List<String> allowed, Map<String, Integer> optionLines) {
        Map<String, List<Token>> out = new LinkedHashMap<>();
        while (w.hasNext()) {
            Token option = w.next("an option");
            String o = option.text();
            if (!allowed.contains(o)) throw unknown(option, statement + " option", allowed);
            Token value = w.next("a value after '" + o + "'");
            List<Token> values = out.computeIfAbsent(o, k -> new ArrayList<>(1));
            if (!values.isEmpty() && !REPEATABLE.contains(o))
                throw new Failure(option.line(), "'" + o + "' given twice (first on line " + optionLines.get(o) + ")");
            optionLines.putIfAbsent(o, option.line());
            values.add(value);
        }
        return out;
    }

    private static Token required(Map<String, List<Token>> o, String option, Words w, String message) {
        List<Token> v = o.get(option);
        if (v == null) throw new Failure(w.raw.line(), message);
        return v.get(0);
    }

    private static <T> T choice(Map<String, List<Token>> o, String option, T dflt, Map<String, T> values) {
        List<Token> v = o.get(option);
        if (v == null) return dflt;
        T r = values.get(v.get(0).text());
        if (r == null) throw unknown(v.get(0), option, values.keySet().stream().sorted().toList());
        return r;
    }

    private static IpAddress address(Token t) {
        try {
            return AddressText.parseAddress(t.text());
        } catch (IllegalArgumentException e) {
            throw new Failure(t.line(), e.getMessage());
        }
    }

    private static IpPrefix prefix(Token t) {
        try {
            return AddressText.parsePrefix(t.text());
        } catch (IllegalArgumentException e) {
            throw new Failure(t.line(), e.getMessage());
        }
    }

    private static KeyMaterial key(Map<String, List<Token>> o, String option) {
        List<Token> v = o.get(option);
        if (v == null) return KeyMaterial.EMPTY;
        try {
            return KeyMaterial.parseHex(v.get(0).text());
        } catch (IllegalArgumentException e) {
            throw new Failure(v.get(0).line(), "bad hex in " + option + ": " + e.getMessage());
        }
    }

    /** A decimal number in [min, max]. */
    private static long number(Token t, long min, long max, String what) {
        String s = t.text();
        if (s.isEmpty() || s.length() > 18 || !s.chars().allMatch(c -> c >= '0' && c <= '9'))
            throw new Failure(t.line(), what + " must be a number " + min + ".." + max + ", not '" + AddressText.shorten(s) + "'");
        long v = Long.parseLong(s);
        if (v < min || v > max) throw new Failure(t.line(), what + " " + v + " outside " + min + ".." + max);
        return v;
    }

    /** An SPI: decimal or 0x-hex, 256..2^32-1. */
    private static long spi(Token t) {
        String s = t.text();
        long v;
        boolean hex = s.startsWith("0x") || s.startsWith("0X");
        String digits = hex ? s.substring(2) : s;
        boolean ok = !digits.isEmpty() && digits.length() <= (hex ? 8 : 10)
                && digits.chars().allMatch(c -> hex ? Character.digit(c, 16) >= 0 && c < 0x80 : c >= '0' && c <= '9');
        if (!ok) throw new Failure(t.line(), "SPI must be a number (decimal or 0x-hex), not '" + AddressText.shorten(s) + "'");
        v = Long.parseLong(digits, hex ? 16 : 10);
        if (v < TunnelConfig.MIN_SPI || v > TunnelConfig.MAX_SPI)
            throw new Failure(t.line(), "SPI " + s + " outside 256..4294967295 (0..255 are reserved, RFC 4303)");
        return v;
    }

    private static long[] softHard(Token t, String what) {
        int slash = t.text().indexOf('/');
        if (slash < 0) throw new Failure(t.line(), what + " must be <soft>/<hard>, not '" + AddressText.shorten(t.text()) + "'");
        long soft = number(new Token(t.text().substring(0, slash), t.line()), 0, Long.MAX_VALUE / 2, what + " soft limit");
        long hard = number(new Token(t.text().substring(slash + 1), t.line()), 0, Long.MAX_VALUE / 2, what + " hard limit");
        if (hard > 0 && soft > hard) throw new Failure(t.line(), what + " soft limit " + soft + " exceeds the hard limit " + hard);
        return new long[] {soft, hard};
    }

    private static PortRange ports(Token t) {
        String s = t.text();
        int dash = s.indexOf('-');
        int lo = (int) number(new Token(dash < 0 ? s : s.substring(0, dash), t.line()), 0, 65535, "port");
        int hi = dash < 0 ? lo : (int) number(new Token(s.substring(dash + 1), t.line()), 0, 65535, "port");
        if (lo > hi) throw new Failure(t.line(), "port range " + s + " runs backwards");
        return new PortRange(lo, hi);
    }

    /** "unknown statement 'tunel'; did you mean 'tunnel'?" or, with no close match, the list of choices. */
    private static Failure unknown(Token t, String what, List<String> choices) {
        String word = t.text();
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        if (word.length() <= 40) {
            for (String c : choices) {
                int d = editDistance(word, c);
                if (d < bestDistance) { bestDistance = d; best = c; }
            }
        }
        String hint = best != null && bestDistance <= Math.max(1, Math.min(3, best.length() / 3))
                ? "did you mean '" + best + "'?" : "expected one of: " + String.join(", ", choices);
        return new Failure(t.line(), "unknown " + what + " '" + AddressText.shorten(word) + "'; " + hint);
    }

    /** Edit distance counting an adjacent transposition as one edit ("dorp" is one from "drop"). */
    static int editDistance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) d[i][0] = i;
        for (int j = 0; j <= b.length(); j++) d[0][j] = j;
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1))
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
            }
        }
        return d[a.length()][b.length()];
    }
}
