// One logged-in console session: reads a command line, runs it, prints the result (80 columns, or JSON after
// '| json'). Holds the session's candidate configuration while in configuration mode; commits go through the
// shared RunningConfiguration. Knows the command tree for help and tab completion. No terminal code here:
// SerialConsole feeds it lines and a Dialog, tests do the same.
package bitw.mgmt;

import bitw.config.ConfigException;
import bitw.config.ConfigParser;
import bitw.config.Configuration;
import bitw.config.Statement;
import bitw.ipsec.packet.IpAddress;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

public final class CommandInterpreter {
    public enum Outcome { CONTINUE, LOGOUT }

    /** One command of the tree: its syntax, what it does, where it is available, who may run it. */
    public record CommandHelp(String syntax, String help, boolean configurationMode, boolean adminOnly) {}

    public static final List<CommandHelp> COMMANDS = List.of(
            new CommandHelp("show interfaces|policies|drops [| json]", "ports, SPD entries, drops by reason", false, false),
            new CommandHelp("show sas|ike|opportunistic [| json]", "ESP/AH SAs, IKE SAs, OE peers", false, false),
            new CommandHelp("show log [N] [| json]", "newest N lines of the log (default 20)", false, false),
            new CommandHelp("show version [| json]", "firmware version, uptime, hardware", false, false),
            new CommandHelp("show configuration [diff] [| json]", "running config; diff: candidate vs it", false, false),
            new CommandHelp("show candidate", "the candidate (configuration mode)", false, false),
            new CommandHelp("show history", "commits (numbers for rollback)", false, false),
            new CommandHelp("show users", "console users and roles", false, true),
            new CommandHelp("configure", "enter configuration mode", false, false),
            new CommandHelp("confirm", "keep a 'commit confirmed'", false, true),
            new CommandHelp("clear counters", "zero the data-plane counters", false, true),
            new CommandHelp("clear sas", "IKE SAs: Delete to peers, renegotiate", false, true),
            new CommandHelp("ping <address> [count N]", "ping from the own address", false, false),
            new CommandHelp("traceroute <address>", "traceroute from the own address", false, false),
            new CommandHelp("user add <name> role admin|operator", "create a user (asks a password)", false, true),
            new CommandHelp("user delete <name>", "remove a console user", false, true),
            new CommandHelp("password", "change your own password", false, false),
            new CommandHelp("upgrade <bundle>", "verify, install firmware in other slot", false, true),
            new CommandHelp("reboot", "restart the appliance (asks for yes)", false, true),
            new CommandHelp("factory-reset", "erase config and users, reboot", false, true),
            new CommandHelp("logout", "end this session (also Ctrl-D)", false, false),
            new CommandHelp("set <statement>", "set one statement (replaces its key)", true, true),
            new CommandHelp("delete <key>", "remove a statement (e.g. policy 10)", true, true),
            new CommandHelp("show", "the candidate configuration", true, false),
            new CommandHelp("commit", "validate, apply, save the candidate", true, true),
            new CommandHelp("commit confirmed <minutes>", "apply; roll back unless confirmed", true, true),
            new CommandHelp("rollback <number>", "load a history entry as candidate", true, true),
            new CommandHelp("discard", "throw away candidate changes", true, false),
            new CommandHelp("exit", "leave configuration mode", true, false));

    static final int DEFAULT_LOG_LINES = 20, MAX_LOG_LINES = 1000, MAX_PING_COUNT = 100;
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss'Z'").withZone(ZoneOffset.UTC);

    private final ApplianceControl control;
    private final RunningConfiguration running;
    private final UserStore users;
    private final AuditLog audit;
    private final String user;
    private final Role role;
    private Configuration candidate;   // non-null exactly in configuration mode

    public CommandInterpreter(ApplianceControl control, RunningConfiguration running, UserStore users, AuditLog audit,
                              String user, Role role) {
        this.control = control;
        this.running = running;
        this.users = users;
        this.audit = audit;
        this.user = user;
        this.role = role;
    }

    public String user() { return user; }

    public Role role() { return role; }

    public boolean inConfigurationMode() { return candidate != null; }

    /** The candidate (configuration mode) or the running configuration: what completion offers names from. */
    public Configuration candidateOrRunning() { return candidate != null ? candidate : running.current(); }

    public String prompt() {
        String host = running.current().hostname();
        return candidate != null ? user + "@" + host + "# " : user + "@" + host + "> ";
    }

    /** Runs one command line. Never throws for bad input: every problem is printed. */
    public Outcome execute(String line, Dialog dialog) {
        PrintWriter out = dialog.out();
        try {
            return run(line.strip(), dialog, out);
        } catch (IOException e) {
            out.println("error: " + e.getMessage());
        } catch (RuntimeException e) {
            // A bug in one command must not end the session (nor the console).
            out.println("internal error: " + e);
            org.tinylog.Logger.error(e, "console command failed: {}", line);
        } finally {
            out.flush();
        }
        return Outcome.CONTINUE;
    }

    private Outcome run(String line, Dialog dialog, PrintWriter out) throws IOException {
        if (line.isEmpty() || line.startsWith("#")) return Outcome.CONTINUE;
        String[] w = line.split("\\s+");
        String cmd = w[0];
        if (cmd.equals("set")) { set(line.substring(3).strip(), out); return Outcome.CONTINUE; }
        // Everything else may carry a '| filter' suffix.
        String filter = null;
        int bar = line.indexOf('|');
        if (bar >= 0) {
            filter = line.substring(bar + 1).strip();
            w = line.substring(0, bar).strip().split("\\s+");
            if (!filter.equals("json") && !filter.equals("diff")) { out.println("unknown filter '| " + filter + "': use '| json' or '| diff'"); return Outcome.CONTINUE; }
            if (!w[0].equals("show")) { out.println("'| " + filter + "' only follows show commands"); return Outcome.CONTINUE; }
        }
        switch (w[0]) {
            case "help", "?" -> help(out);
            case "show" -> show(w, filter, out);
            case "configure" -> {
                if (candidate != null) out.println("already in configuration mode");
                else {
                    candidate = running.current();
                    out.println("entering configuration mode" + (role == Role.ADMIN ? "" : " (read-only: operator)"));
                    running.pending().ifPresent(p -> out.println("note: a commit confirmed by " + p.user() + " rolls back at "
                            + TIME.format(p.deadline()) + " unless confirmed"));
                }
            }
            case "delete" -> delete(w, line, out);
            case "commit" -> commit(w, out);
            case "confirm" -> { if (admin("confirm", out)) confirm(out); }
            case "rollback" -> rollback(w, out);
            case "discard" -> {
                if (needsConfigurationMode("discard", out)) { candidate = running.current(); out.println("candidate reset to the running configuration"); }
            }
            case "exit" -> {
                if (candidate == null) return logout();
                if (!candidate.equals(running.current())) out.println("uncommitted changes discarded");
                candidate = null;
            }
            case "logout" -> { return logout(); }
            case "clear" -> clear(w, out);
            case "ping" -> ping(w, out);
            case "traceroute" -> traceroute(w, out);
            case "user" -> userCommand(w, dialog, out);
            case "password" -> password(dialog, out);
            case "upgrade" -> {
                if (!admin("upgrade", out)) break;
                if (w.length != 2 || !w[1].startsWith("/") || w[1].contains("..")) { out.println("usage: upgrade /absolute/path/to/bundle.raucb"); break; }
                if (!yes(dialog, "install " + printable(w[1]) + " into the inactive slot? type yes to confirm: ")) break;
                audit.record("upgrade by " + user + ": " + printable(w[1]));
                try {
                    for (String l : control.upgrade(java.nio.file.Path.of(w[1]))) out.println(l);
                    out.println("installed; the next reboot boots the new firmware on trial and falls back if it does not come up healthy");
                } catch (ApplyException e) {
                    audit.record("upgrade refused: " + e.getMessage());
                    out.println("upgrade refused, nothing written: " + e.getMessage());
                }
            }
            case "reboot" -> {
                if (admin("reboot", out) && yes(dialog, "reboot the appliance? type yes to confirm: ")) {
                    audit.record("reboot by " + user);
                    out.println("rebooting");
                    out.flush();
                    control.reboot();
                }
            }
            case "factory-reset" -> {
                if (admin("factory-reset", out) && yes(dialog, "erase configuration and users and reboot? type yes to confirm: ")) {
                    audit.record("factory-reset by " + user);
                    out.println("resetting to factory state");
                    out.flush();
                    control.factoryReset();
                }
            }
            default -> out.println("unknown command '" + printable(w[0]) + "': type help");
        }
        return Outcome.CONTINUE;
    }

    private Outcome logout() {
        candidate = null;   // an uncommitted candidate dies with the session
        return Outcome.LOGOUT;
    }

    // ---------------------------------------------------------------- show

    private void help(PrintWriter out) {
        out.println(candidate != null ? "configuration mode commands:" : "commands:");
        for (CommandHelp c : COMMANDS) {
            if (c.configurationMode() && candidate == null) continue;
            String who = c.adminOnly() ? " *" : "";
            out.println(fit(String.format("  %-37s %s", c.syntax(), c.help() + who)));
        }
        if (candidate != null) out.println("  (all operational commands work here too)");
        out.println("  * admin only. Tab completes; Ctrl-C cancels a line or a running command.");
    }

    private void show(String[] w, String filter, PrintWriter out) throws IOException {
        boolean json = "json".equals(filter);
        if (w.length == 1) {
            if (candidate == null) { out.println("show what? " + String.join(" ", ApplianceControl.VIEWS) + " log version configuration history"); return; }
            print(out, json ? "{\"candidate\":" + Json.strings(ConfigText.of(candidate).lines().toList()) + "}" : ConfigText.of(candidate));
            return;
        }
        String what = w[1];
        if (ApplianceControl.VIEWS.contains(what)) {
            if (w.length > 2) { out.println("show " + what + " takes no arguments"); return; }
            print(out, control.show(what, json));
            return;
        }
        switch (what) {
            case "log" -> {
                int n = DEFAULT_LOG_LINES;
                if (w.length > 2) {
                    Integer v = number(w[2], 1, MAX_LOG_LINES);
                    if (v == null || w.length > 3) { out.println("usage: show log [1.." + MAX_LOG_LINES + "]"); return; }
                    n = v;
                }
                List<String> log = control.recentLog(n);
                if (json) out.println("{\"log\":" + Json.strings(log) + "}");
                else for (String l : log) out.println(fit(l));
            }
            case "version" -> {
                Duration up = control.uptime();
                if (json) out.println("{\"version\":" + Json.string(control.version()) + ",\"uptimeSeconds\":" + up.toSeconds()
                        + ",\"hardware\":" + Json.string(control.hardwareProfile()) + "}");
                else {
                    out.println("bitw " + control.version());
                    out.println(String.format("uptime   %dd %02d:%02d:%02d", up.toDays(), up.toHoursPart(), up.toMinutesPart(), up.toSecondsPart()));
                    out.println("hardware " + control.hardwareProfile());
                }
            }
            case "configuration" -> {
                boolean diff = "diff".equals(filter) || (w.length > 2 && w[2].equals("diff"));
                if (w.length > 3 || (w.length == 3 && !w[2].equals("diff"))) { out.println("usage: show configuration [diff] [| json]"); return; }
                Configuration run = running.current();
                if (!diff) {
                    print(out, json ? "{\"configuration\":" + Json.strings(ConfigText.of(run).lines().toList()) + "}" : ConfigText.of(run));
                    return;
                }
                String d = candidate == null ? "" : ConfigDiff.unified(run, candidate, "running", "candidate");
                if (json) out.println("{\"diff\":" + Json.strings(d.lines().toList()) + "}");
                else if (d.isEmpty()) out.println(candidate == null ? "no candidate (not in configuration mode)" : "no changes");
                else print(out, d);
            }
            case "candidate" -> {
                if (candidate == null) { out.println("no candidate: not in configuration mode (configure)"); return; }
                print(out, json ? "{\"candidate\":" + Json.strings(ConfigText.of(candidate).lines().toList()) + "}" : ConfigText.of(candidate));
            }
            case "history" -> {
                List<ConfigArchive.Entry> h = running.archive().history();
                if (json) {
                    List<String> items = new ArrayList<>();
                    for (ConfigArchive.Entry e : h) items.add("{\"number\":" + e.number() + ",\"user\":" + Json.string(e.user())
                            + ",\"time\":" + Json.string(e.time().toString()) + ",\"summary\":" + Json.string(e.summary()) + "}");
                    out.println("{\"history\":[" + String.join(",", items) + "]}");
                    return;
                }
                if (h.isEmpty()) { out.println("no commits yet"); return; }
                out.println("   #  when                 user          summary");
                for (ConfigArchive.Entry e : h)
                    out.println(fit(String.format("%4d  %-20s %-13.13s %s", e.number(), TIME.format(e.time()), e.user(), e.summary())));
            }
            case "users" -> {
                if (!admin("show users", out)) return;
                for (UserStore.User u : users.users()) out.println(String.format("  %-32s %s", u.name(), u.role().configName()));
            }
            default -> out.println("show: unknown '" + printable(what) + "': " + String.join(" ", ApplianceControl.VIEWS)
                    + " log version configuration candidate history users");
        }
    }

    // ---------------------------------------------------------------- configuration mode

    private void set(String statement, PrintWriter out) {
        if (!needsConfigurationMode("set", out) || !admin("set", out)) return;
        if (statement.isEmpty()) { out.println("usage: set <statement>   e.g. set policy 10 from any to any action permit"); return; }
        try {
            Statement s = ConfigParser.parseStatement(statement);
            candidate = candidate.with(s);
        } catch (ConfigException e) {
            out.println("set refused:");
            for (var err : e.errors()) out.println("  " + err.message());
        }
    }

    private void delete(String[] w, String line, PrintWriter out) {
        if (!needsConfigurationMode("delete", out) || !admin("delete", out)) return;
        if (w.length < 2) { out.println("usage: delete <key>   e.g. delete policy 10, delete tunnel to-b"); return; }
        try {
            candidate = candidate.without(line.substring(line.indexOf("delete") + 6).strip());
        } catch (ConfigException e) {
            out.println("delete refused:");
            for (var err : e.errors()) out.println("  " + err.message());
        }
    }

    private void commit(String[] w, PrintWriter out) {
        if (!needsConfigurationMode("commit", out) || !admin("commit", out)) return;
        try {
            if (w.length == 1) {
                ConfigArchive.Entry e = running.commit(candidate, user);
                out.println("commit complete (history " + e.number() + "): " + e.summary());
            } else if (w.length == 3 && w[1].equals("confirmed")) {
                Integer minutes = number(w[2], 1, 60);
                if (minutes == null) { out.println("usage: commit confirmed <1..60 minutes>"); return; }
                var p = running.commitConfirmed(candidate, user, minutes);
                out.println("commit applied; it rolls back at " + TIME.format(p.deadline()) + " unless you enter 'confirm'");
            } else {
                out.println("usage: commit | commit confirmed <minutes>");
            }
        } catch (CommitException e) {
            for (String l : e.lines()) out.println(l);
        }
    }

    private void confirm(PrintWriter out) {
        try {
            out.println(running.confirm(user) ? "configuration confirmed and saved" : "nothing to confirm");
        } catch (CommitException e) {
            for (String l : e.lines()) out.println(l);
        }
    }

    private void rollback(String[] w, PrintWriter out) throws IOException {
        if (!needsConfigurationMode("rollback", out) || !admin("rollback", out)) return;
        Integer n = w.length == 2 ? number(w[1], 1, Integer.MAX_VALUE) : null;
        if (n == null) { out.println("usage: rollback <history number> (see show history)"); return; }
        try {
            candidate = running.archive().load(n);
            audit.record("rollback by " + user + ": history " + n + " loaded into the candidate");
            out.println("history " + n + " loaded into the candidate; review with 'show configuration diff', then commit");
        } catch (java.nio.file.NoSuchFileException e) {
            out.println("rollback: no history entry " + n);
        } catch (ConfigException e) {
            out.println("rollback: history entry " + n + " does not parse:");
            for (var err : e.errors()) out.println("  " + err);
        }
    }

    // ---------------------------------------------------------------- operations

    private void clear(String[] w, PrintWriter out) {
        if (!admin("clear", out)) return;
        if (w.length == 2 && w[1].equals("counters")) { control.clearCounters(); out.println("counters cleared"); }
        else if (w.length == 2 && w[1].equals("sas")) {
            audit.record("clear sas by " + user);
            for (String l : control.clearSas().lines().toList()) out.println(fit(l));
        }
        else out.println("usage: clear counters | clear sas");
    }

    private void ping(String[] w, PrintWriter out) {
        int count = 4;
        if (w.length == 4 && w[2].equals("count")) {
            Integer c = number(w[3], 1, MAX_PING_COUNT);
            if (c == null) { out.println("ping: count must be 1.." + MAX_PING_COUNT); return; }
            count = c;
        } else if (w.length != 2) { out.println("usage: ping <address> [count N]"); return; }
        String target = address(w[1], out);
        if (target == null) return;
        for (String l : control.ping(target, count)) out.println(fit(l));
    }

    private void traceroute(String[] w, PrintWriter out) {
        if (w.length != 2) { out.println("usage: traceroute <address>"); return; }
        String target = address(w[1], out);
        if (target == null) return;
        for (String l : control.traceroute(target)) out.println(fit(l));
    }

    /** The canonical form of an IP address literal, or null (printed why); never a string a tool could take as an option. */
    private static String address(String text, PrintWriter out) {
        try {
            if (text.length() <= 45 && !text.startsWith("-")) return IpAddress.parse(text).toString();
        } catch (RuntimeException e) {
            // fall through
        }
        out.println("not an IP address: " + printable(text));
        return null;
    }

    private void userCommand(String[] w, Dialog dialog, PrintWriter out) throws IOException {
        if (!admin("user", out)) return;
        if (w.length == 5 && w[1].equals("add") && w[3].equals("role")) {
            Role r = Role.parse(w[4]);
            if (r == null) { out.println("role must be admin or operator"); return; }
            char[] pw = newPassword(w[2], dialog, out);
            if (pw == null) return;
            try {
                String why = users.add(w[2], r, pw);
                if (why != null) out.println("user add refused: " + why);
                else { audit.record("user add " + w[2] + " role " + r.configName() + " by " + user); out.println("user " + w[2] + " added"); }
            } finally {
                Arrays.fill(pw, '\0');
            }
        } else if (w.length == 3 && w[1].equals("delete")) {
            if (w[2].equals(user)) { out.println("user delete refused: you cannot delete yourself"); return; }
            String why = users.delete(w[2]);
            if (why != null) out.println("user delete refused: " + why);
            else { audit.record("user delete " + w[2] + " by " + user); out.println("user " + w[2] + " deleted"); }
        } else {
            out.println("usage: user add <name> role admin|operator | user delete <name>");
        }
    }

    private void password(Dialog dialog, PrintWriter out) throws IOException {
        char[] old = dialog.askSecret("current password: ");
        if (old == null) { out.println("cancelled"); return; }
        try {
            Optional<UserStore.User> me = users.find(user);
            if (me.isEmpty() || !PasswordHash.verify(old, me.get().passwordHash())) { out.println("password unchanged: current password wrong"); return; }
        } finally {
            Arrays.fill(old, '\0');
        }
        char[] pw = newPassword(user, dialog, out);
        if (pw == null) return;
        try {
            String why = users.setPassword(user, pw);
            if (why != null) out.println("password unchanged: " + why);
            else { audit.record("password changed by " + user); out.println("password changed"); }
        } finally {
            Arrays.fill(pw, '\0');
        }
    }

    /** Asks a new password twice; null (with the reason printed) when cancelled, different or weak. */
    static char[] newPassword(String forUser, Dialog dialog, PrintWriter out) {
        char[] a = dialog.askSecret("new password for " + forUser + ": ");
        if (a == null) { out.println("cancelled"); return null; }
        String weak = PasswordHash.weakness(forUser, a);
        if (weak != null) { Arrays.fill(a, '\0'); out.println(weak); return null; }
        char[] b = dialog.askSecret("again: ");
        if (b == null) { Arrays.fill(a, '\0'); out.println("cancelled"); return null; }
        boolean same = Arrays.equals(a, b);
        Arrays.fill(b, '\0');
        if (!same) { Arrays.fill(a, '\0'); out.println("the two passwords differ"); return null; }
        return a;
    }

    // ---------------------------------------------------------------- small checks

    private boolean admin(String what, PrintWriter out) {
        if (role == Role.ADMIN) return true;
        out.println(what + ": permission denied: the operator role is read-only (admin only)");
        return false;
    }

    private boolean needsConfigurationMode(String what, PrintWriter out) {
        if (candidate != null) return true;
        out.println(what + ": only in configuration mode (enter 'configure' first)");
        return false;
    }

    private static boolean yes(Dialog dialog, String question) {
        String a = dialog.ask(question);
        if (a != null && a.strip().equals("yes")) return true;
        dialog.out().println("not confirmed; nothing done");
        return false;
    }

    private static Integer number(String s, int min, int max) {
        if (s.isEmpty() || s.length() > 9 || !s.chars().allMatch(Character::isDigit)) return null;
        int v = Integer.parseInt(s);
        return v >= min && v <= max ? v : null;
    }

    private static void print(PrintWriter out, String text) {
        out.print(text);
        if (!text.isEmpty() && !text.endsWith("\n")) out.println();
    }

    /** Lines from elsewhere (logs, tools) cut to 80 columns so the console stays readable. */
    static String fit(String line) { return line.length() <= 80 ? line : line.substring(0, 79) + "~"; }

    /** Echoes operator input without control characters (they could drive the terminal). */
    static String printable(String s) {
        StringBuilder sb = new StringBuilder();
        s.codePoints().limit(40).forEach(c -> sb.appendCodePoint(Character.isISOControl(c) ? '?' : c));
        return sb.toString();
    }

    // ---------------------------------------------------------------- completion

    private static final List<String> STATEMENTS = List.of("hostname", "interface", "address", "mac", "l2", "nat-keepalive",
            "tunnel", "connection", "opportunistic", "policy", "default-action", "log-level");
    private static final List<String> CONNECTION_OPTIONS = List.of("peer", "local", "local-id", "remote-id", "auth", "psk",
            "certificate", "private-key", "peer-key", "ca", "ike-proposal", "esp-proposal", "mode", "encap", "local-net", "remote-net",
            "ike-lifetime", "child-lifetime", "rekey-bytes", "rekey-margin", "dpd", "dpd-action", "start", "fragmentation", "replay-window");
    private static final List<String> TUNNEL_OPTIONS = List.of("peer", "local", "mode", "protocol", "encap", "enc", "integ",
            "spi-in", "spi-out", "key-in", "key-out", "integ-key-in", "integ-key-out", "esn", "replay-window",
            "lifetime-seconds", "lifetime-bytes", "local-net", "remote-net");
    private static final List<String> POLICY_OPTIONS = List.of("name", "from", "to", "proto", "sport", "dport",
            "icmp-type", "icmp-code", "action", "tunnel", "fallback");

    /**
     * The words that may come next after {@code before} (the complete words of the line so far): command words,
     * configuration keywords, and names from the candidate (tunnel names, policy numbers, history numbers).
     * The caller filters by what is typed of the current word.
     */
    public List<String> completions(List<String> before) {
        int n = before.size();
        Configuration c = candidateOrRunning();
        List<String> tunnels = new ArrayList<>(c.tunnels().keySet());
        List<String> connections = new ArrayList<>(c.connections().keySet());
        List<String> policies = c.policies().stream().map(p -> Integer.toString(p.number())).toList();
        if (n == 0) {
            Set<String> words = new LinkedHashSet<>(List.of("show", "configure", "clear", "ping", "traceroute", "user", "password",
                    "confirm", "upgrade", "reboot", "factory-reset", "logout", "help"));
            if (candidate != null) { words.remove("configure"); words.addAll(List.of("set", "delete", "commit", "rollback", "discard", "exit")); }
            return List.copyOf(words);
        }
        String first = before.get(0);
        String last = before.get(n - 1);
        if (last.equals("|")) return first.equals("show") ? List.of("json", "diff") : List.of();
        switch (first) {
            case "show" -> {
                if (n == 1) {
                    List<String> out = new ArrayList<>(ApplianceControl.VIEWS);
                    out.addAll(List.of("log", "version", "configuration", "candidate", "history", "users"));
                    return out;
                }
                if (n == 2 && last.equals("configuration")) return List.of("diff", "|");
                return List.of("|");
            }
            case "clear" -> { return n == 1 ? List.of("counters", "sas") : List.of(); }
            case "ping" -> { return n == 2 ? List.of("count") : List.of(); }
            case "user" -> {
                if (n == 1) return List.of("add", "delete");
                if (n == 2 && last.equals("delete")) {
                    try {
                        return users.users().stream().map(UserStore.User::name).toList();
                    } catch (IOException e) {
                        return List.of();
                    }
                }
                if (n == 3 && before.get(1).equals("add")) return List.of("role");
                if (n == 4 && last.equals("role")) return List.of("admin", "operator");
                return List.of();
            }
            case "commit" -> { return n == 1 ? List.of("confirmed") : List.of(); }
            case "rollback" -> {
                if (n != 1) return List.of();
                try {
                    return running.archive().history().stream().map(e -> Integer.toString(e.number())).toList();
                } catch (IOException e) {
                    return List.of();
                }
            }
            case "delete" -> {
                List<String> keys = c.statements().stream().map(Statement::key).toList();
                if (n == 1) return keys.stream().map(k -> k.split(" ")[0]).distinct().toList();
                if (n == 2) return keys.stream().filter(k -> k.startsWith(last + " ")).map(k -> k.substring(last.length() + 1)).toList();
                return List.of();
            }
            case "set" -> { return statementCompletions(before.subList(1, n), tunnels, connections, policies); }
            default -> { return List.of(); }
        }
    }

    private static List<String> statementCompletions(List<String> words, List<String> tunnels, List<String> connections, List<String> policies) {
        int n = words.size();
        if (n == 0) return STATEMENTS;
        String kw = words.get(0), last = words.get(n - 1);
        return switch (kw) {
            case "interface" -> n == 1 ? List.of("inside", "outside") : n == 2 ? List.of("device") : n == 4 ? List.of("mtu") : List.of();
            case "l2" -> n == 1 ? List.of("arp", "vlan", "lldp", "ipv6-nd", "other") : n == 2 ? List.of("pass", "drop") : List.of();
            case "default-action" -> n == 1 ? List.of("deny", "permit") : List.of();
            case "log-level" -> n == 1 ? List.of("trace", "debug", "info", "warn", "error") : List.of();
            case "address" -> n == 2 ? List.of("gateway") : List.of();
            case "tunnel" -> {
                if (n == 1) yield tunnels;
                List<String> v = switch (last) {
                    case "mode" -> List.of("tunnel", "iiptran");
                    case "protocol" -> List.of("esp", "ah");
                    case "encap" -> List.of("none", "udp");
                    case "enc" -> List.of("aes128gcm16", "aes256gcm16", "aes128", "aes256", "chacha20poly1305", "3des", "null");
                    case "integ" -> List.of("none", "sha256", "sha384", "sha512", "sha1", "md5");
                    case "esn" -> List.of("on", "off");
                    default -> null;
                };
                if (v != null) yield v;
                if (n >= 2 && TUNNEL_OPTIONS.contains(last)) yield List.of();   // a value is due
                yield unused(TUNNEL_OPTIONS, words, Set.of("local-net", "remote-net"));
            }
            case "connection" -> {
                if (n == 1) yield connections;
                List<String> v = switch (last) {
                    case "peer" -> List.of("any");
                    case "auth" -> List.of("psk", "pubkey");
                    case "mode" -> List.of("tunnel", "iiptran");
                    case "encap" -> List.of("auto", "udp");
                    case "dpd-action" -> List.of("clear", "hold", "restart");
                    case "start" -> List.of("on-traffic", "at-start", "wait");
                    case "fragmentation" -> List.of("on", "off");
                    default -> null;
                };
                if (v != null) yield v;
                if (n >= 2 && CONNECTION_OPTIONS.contains(last)) yield List.of();   // a value is due
                yield unused(CONNECTION_OPTIONS, words, Set.of("local-net", "remote-net", "ca", "ike-proposal", "esp-proposal"));
            }
            case "policy" -> {
                if (n == 1) yield policies;
                List<String> v = switch (last) {
                    case "action" -> List.of("deny", "permit", "opportunistic", "configured");
                    case "fallback" -> List.of("clear", "drop", "hold");
                    case "tunnel" -> {
                        List<String> both = new ArrayList<>(tunnels);
                        both.addAll(connections);
                        yield both;
                    }
                    case "proto" -> List.of("tcp", "udp", "icmp", "icmpv6", "sctp", "esp", "ah");
                    case "from", "to" -> List.of("any");
                    default -> null;
                };
                if (v != null) yield v;
                if (POLICY_OPTIONS.contains(last)) yield List.of();
                yield unused(POLICY_OPTIONS, words, Set.of());
            }
            default -> List.of();
        };
    }

    private static List<String> unused(List<String> options, List<String> words, Set<String> repeatable) {
        List<String> out = new ArrayList<>();
        for (String o : options) if (repeatable.contains(o) || !words.subList(1, words.size()).contains(o)) out.add(o);
        return out;
    }
}
