// One statement of the configuration language: a line of the file, or what the console's 'set' carries.
// Every statement has a key; within a configuration a key occurs once, so 'set' replaces by key and
// 'delete <key>' removes (or resets to the default). The small single-value statements are nested here;
// the larger ones (interfaces, addresses, l2 rules, tunnels, connections, policies) are their own files.
package bitw.config;

import bitw.ipsec.spd.PolicyAction;

public sealed interface Statement
        permits Statement.Hostname, InterfaceConfig, OwnAddress, Statement.Mac, L2Rule, Statement.NatKeepalive,
                TunnelConfig, ConnectionConfig, OpportunisticConfig, PolicyConfig, Statement.DefaultAction,
                Statement.LogLevelSetting {

    /** "policy 10", "tunnel to-b", "connection hq", "interface inside", "address v4", "l2 arp", "hostname", ... */
    String key();

    /** Canonical text, possibly several physical lines joined by backslash continuations; no trailing newline. */
    String render();

    record Hostname(String name) implements Statement {
        public static final String DEFAULT = "bitw";
        public String key() { return "hostname"; }
        public String render() { return "hostname " + name; }
    }

    record Mac(MacAddress address) implements Statement {
        public String key() { return "mac"; }
        public String render() { return "mac " + address; }
    }

    record NatKeepalive(int seconds) implements Statement {
        public static final int DEFAULT = 20, MAX = 3600;
        public String key() { return "nat-keepalive"; }
        public String render() { return "nat-keepalive " + seconds; }
    }

    /** Only DENY or PERMIT: what happens to a packet no policy matches. */
    record DefaultAction(PolicyAction action) implements Statement {
        public String key() { return "default-action"; }
        public String render() { return "default-action " + action.name().toLowerCase(java.util.Locale.ROOT); }
    }

    record LogLevelSetting(LogLevel level) implements Statement {
        public String key() { return "log-level"; }
        public String render() { return "log-level " + level.configName; }
    }
}
