// Specification of the console's commands against a fake appliance: who may change what, how set/delete/commit,
// diff, rollback and commit confirmed behave, that a refused commit changes nothing, and what show prints.
package bitw.mgmt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import bitw.config.ConfigError;
import bitw.config.ConfigParser;
import bitw.config.Configuration;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CommandInterpreterTest {
    @TempDir Path state;
    FakeAppliance appliance;
    RunningConfiguration running;
    UserStore users;
    AuditLog audit;
    ScriptedDialog dialog;
    static final Duration TEST_MINUTE = Duration.ofMillis(150);

    @BeforeEach
    void setUp() {
        appliance = FakeAppliance.withSite(state);
        audit = new AuditLog(state.resolve("audit.log"), Clock.systemUTC());
        running = new RunningConfiguration(appliance, new ConfigArchive(state), audit, Clock.systemUTC(), TEST_MINUTE);
        users = new UserStore(state.resolve("users"));
        dialog = new ScriptedDialog();
    }

    @AfterEach
    void tearDown() { running.close(); }

    CommandInterpreter session(String user, Role role) { return new CommandInterpreter(appliance, running, users, audit, user, role); }

    String run(CommandInterpreter c, String... lines) {
        for (String l : lines) c.execute(l, dialog);
        return dialog.take();
    }

    String auditText() throws Exception { return Files.readString(state.resolve("audit.log")); }

    @Test
    void operatorMayLookButNotChange() {
        CommandInterpreter op = session("olga", Role.OPERATOR);
        String out = run(op, "configure", "set policy 15 from any to any action deny", "delete policy 20", "commit",
                "rollback 1", "clear sas", "user add eve role admin", "reboot");
        assertEquals(7, out.lines().filter(l -> l.contains("permission denied")).count(), out);
        assertTrue(appliance.applied.isEmpty(), "nothing applied");
        assertEquals(0, appliance.saClears.get());
        assertEquals(0, appliance.reboots.get());
        assertTrue(run(op, "show candidate").contains("policy 20 from any to any action permit"), "the candidate is unchanged");
        assertTrue(run(op, "show interfaces").contains("view interfaces"));
    }

    @Test
    void setAndDeleteNeedConfigurationMode() {
        CommandInterpreter admin = session("alice", Role.ADMIN);
        String out = run(admin, "set hostname x", "delete policy 20", "commit");
        assertEquals(3, out.lines().filter(l -> l.contains("only in configuration mode")).count(), out);
        assertEquals("alice@gw-a> ", admin.prompt());
        run(admin, "configure");
        assertEquals("alice@gw-a# ", admin.prompt());
    }

    @Test
    void commitAppliesPersistsAndAudits() throws Exception {
        CommandInterpreter admin = session("alice", Role.ADMIN);
        String out = run(admin, "configure", "set policy 15 from 10.1.0.0/16 to any proto tcp dport 443 action permit",
                "delete policy 20", "commit");
        assertTrue(out.contains("commit complete (history 1): +policy 15 -policy 20"), out);
        assertEquals(1, appliance.applied.size());
        Configuration now = appliance.running();
        assertTrue(now.policy(15).isPresent() && now.policy(20).isEmpty());
        assertEquals(ConfigText.of(now), Files.readString(state.resolve("config/running.conf")));
        assertEquals(now, ConfigParser.parse(Files.readString(state.resolve("config/history/0001.conf"))));
        String meta = Files.readString(state.resolve("config/history/0001.meta"));
        assertTrue(meta.contains("user=alice"), meta);
        assertTrue(auditText().contains("commit by alice (history 1): +policy 15 -policy 20"), auditText());
        assertEquals(now, new ConfigArchive(state).loadRunning().orElseThrow(), "what boots is what runs");
    }

    @Test
    void showConfigurationDiffIsUnifiedCandidateAgainstRunning() {
        CommandInterpreter admin = session("alice", Role.ADMIN);
        run(admin, "configure", "set hostname gw-b");
        String out = run(admin, "show configuration diff");
        assertTrue(out.startsWith("--- running\n+++ candidate\n@@ -1,"), out);
        assertTrue(out.contains("\n-hostname gw-a\n+hostname gw-b\n"), out);
        assertEquals(out, run(admin, "show configuration | diff"), "both spellings");
        assertEquals("candidate reset to the running configuration\nno changes\n", run(admin, "discard", "show configuration diff"));
        assertTrue(appliance.applied.isEmpty());
    }

    @Test
    void refusedSetChangesNothingAndSaysWhy() {
        CommandInterpreter admin = session("alice", Role.ADMIN);
        String out = run(admin, "configure", "set policy 30 from any to any action configured tunnel nowhere",
                "set policy 31 frm any", "show configuration diff");
        assertTrue(out.contains("set refused:"), out);
        assertTrue(out.contains("nowhere"), out);
        assertTrue(out.endsWith("no changes\n"), out);
    }

    @Test
    void commitRefusedByTheApplianceChangesNothingAndNamesTheLine() throws Exception {
        CommandInterpreter admin = session("alice", Role.ADMIN);
        run(admin, "configure", "set hostname gw-b");
        int line = Configuration.defaults().render().lines().toList().indexOf("hostname bitw") + 1;
        appliance.refuseNext = new ApplyException("device check failed", List.of(new ConfigError(1, "hostname clash")), null);
        Configuration before = appliance.running();
        String out = run(admin, "commit");
        assertTrue(out.contains("commit failed, nothing changed: device check failed"), out);
        assertTrue(out.contains("line 1: hostname clash"), out);
        assertTrue(out.contains("1 | hostname gw-b"), "the statement is quoted: " + out);
        assertEquals(before, appliance.running());
        assertFalse(Files.exists(state.resolve("config/running.conf")), "nothing persisted");
        assertEquals(1, line);
        assertTrue(run(admin, "show configuration diff").contains("+hostname gw-b"), "the candidate survives a refused commit");
    }

    @Test
    void commitOfAnInvalidCandidateNeverReachesTheAppliance() throws Exception {
        appliance = new FakeAppliance(state, Configuration.defaults());
        running.close();
        running = new RunningConfiguration(appliance, new ConfigArchive(state), audit, Clock.systemUTC(), TEST_MINUTE);
        CommandInterpreter admin = session("alice", Role.ADMIN);
        String out = run(admin, "configure", "set hostname first", "commit");
        assertTrue(out.contains("commit failed, nothing changed:"), out);
        assertTrue(out.contains("configuration: missing 'interface inside device <name>' (required)"), out);
        assertTrue(appliance.applied.isEmpty());
        assertTrue(auditText().contains("commit by alice refused: configuration: missing 'interface inside"), auditText());
    }

    @Test
    void commitConfirmedRollsBackUnlessConfirmed() throws Exception {
        CommandInterpreter admin = session("alice", Role.ADMIN);
        Configuration original = appliance.running();
        String out = run(admin, "configure", "delete policy 20", "commit confirmed 2");
        assertTrue(out.contains("rolls back at"), out);
        assertTrue(appliance.running().policy(20).isEmpty(), "applied at once");
        assertFalse(Files.exists(state.resolve("config/running.conf")), "not persisted until confirmed");
        waitUntil(() -> appliance.running().equals(original), Duration.ofSeconds(5));
        assertEquals(2, appliance.applied.size(), "applied, then the previous configuration re-applied");
        assertTrue(auditText().contains("rollback: commit confirmed by alice was not confirmed"), auditText());
        assertTrue(running.pending().isEmpty());
    }

    @Test
    void confirmKeepsAConfirmedCommit() throws Exception {
        CommandInterpreter admin = session("alice", Role.ADMIN);
        run(admin, "configure", "delete policy 20", "commit confirmed 2");
        assertTrue(run(admin, "confirm").contains("configuration confirmed and saved"));
        Configuration kept = appliance.running();
        Thread.sleep(TEST_MINUTE.multipliedBy(4).toMillis());
        assertEquals(kept, appliance.running(), "no rollback after confirm");
        assertTrue(kept.policy(20).isEmpty());
        assertEquals(ConfigText.of(kept), Files.readString(state.resolve("config/running.conf")));
        assertEquals("nothing to confirm\n", run(admin, "confirm"));
    }

    @Test
    void rollbackLoadsAHistoryEntryIntoTheCandidate() throws Exception {
        CommandInterpreter admin = session("alice", Role.ADMIN);
        run(admin, "configure", "set hostname one", "commit", "set hostname two", "commit");
        assertEquals("two", appliance.running().hostname());
        String out = run(admin, "rollback 1", "show configuration diff");
        assertTrue(out.contains("-hostname two\n+hostname one"), out);
        assertEquals("two", appliance.running().hostname(), "rollback only loads the candidate");
        run(admin, "commit");
        assertEquals("one", appliance.running().hostname());
        assertTrue(run(admin, "rollback 99").contains("no history entry 99"));
        assertTrue(auditText().contains("rollback by alice: history 1"), auditText());
        String history = run(admin, "show history");
        assertEquals(4, history.lines().count(), history);
    }

    @Test
    void showCommandsFitEightyColumnsAndOfferJson() {
        CommandInterpreter admin = session("alice", Role.ADMIN);
        String text = run(admin, "show version", "show log 3", "help", "show configuration", "show history");
        for (String l : text.lines().toList()) assertTrue(l.length() <= 80 && !l.endsWith("~"), "too wide: " + l);
        assertTrue(text.contains("uptime   1d 02:00:05"), text);
        assertEquals("{\"version\":\"0.1.0-test\",\"uptimeSeconds\":93605,\"hardware\":\"test-board (2x veth)\"}\n", run(admin, "show version | json"));
        assertEquals("{\"log\":[\"log line 0\",\"log line 1\"]}\n", run(admin, "show log 2 | json"));
        assertEquals("{\"view\":\"sas\",\"clears\":0}\n", run(admin, "show sas | json"));
        assertEquals("{\"view\":\"ike\",\"clears\":0}\n", run(admin, "show ike | json"));
        assertEquals("view opportunistic clears 0\n", run(admin, "show opportunistic"));
        assertTrue(run(admin, "show ike extra").contains("takes no arguments"));
        assertTrue(run(admin, "show configuration | json").startsWith("{\"configuration\":[\"hostname gw-a\","));
        assertTrue(run(admin, "show bogus").contains("unknown"));
        assertTrue(run(admin, "show sas | yaml").contains("unknown filter"));
        assertTrue(run(admin, "show log 0").contains("usage"));
    }

    @Test
    void clearSasSaysWhatWentAndIsAudited() throws Exception {
        CommandInterpreter admin = session("alice", Role.ADMIN);
        String out = run(admin, "clear sas");
        assertEquals("2 IKE SA(s) deleted with a Delete to their peers\n1 manually keyed SA(s) kept\n", out);
        assertEquals(1, appliance.saClears.get());
        assertTrue(auditText().contains("clear sas by alice"), auditText());
        assertTrue(run(admin, "clear sas now").contains("usage"));
        assertEquals(1, appliance.saClears.get());
    }

    @Test
    void operationsReachTheAppliance() {
        CommandInterpreter admin = session("alice", Role.ADMIN);
        String out = run(admin, "clear counters", "show drops", "ping 192.0.2.1 count 2", "ping 2001:db8::1", "traceroute 192.0.2.9");
        assertEquals(1, appliance.counterClears.get());
        assertTrue(out.contains("view drops clears 1"), out);
        assertEquals(List.of("192.0.2.1 x2", "2001:db8::1 x4"), appliance.pinged);
        assertTrue(out.contains("traceroute to 192.0.2.9"), out);
        out = run(admin, "ping -f", "ping 192.0.2.1;reboot", "ping 192.0.2.1 count 1000");
        assertEquals(List.of("192.0.2.1 x2", "2001:db8::1 x4"), appliance.pinged, "nothing that is not an address reaches the tool");
        assertTrue(out.contains("not an IP address: -f"), out);
    }

    @Test
    void upgradeVerifiesAsksAndRefusesTamperedBundles() {
        CommandInterpreter admin = session("alice", Role.ADMIN);
        dialog.answers("no", "yes", "yes");
        String out = run(admin, "upgrade /var/lib/bitw/fw.raucb", "upgrade /var/lib/bitw/fw.raucb", "upgrade /var/lib/bitw/tampered.raucb", "upgrade ../x");
        assertEquals(List.of(java.nio.file.Path.of("/var/lib/bitw/fw.raucb")), appliance.upgrades, "once confirmed, once installed");
        assertTrue(out.contains("upgrade refused, nothing written: signature verification failed"), out);
        assertTrue(out.contains("usage: upgrade"), out);
        CommandInterpreter olga = session("olga", Role.OPERATOR);
        assertTrue(run(olga, "upgrade /var/lib/bitw/fw.raucb").contains("permission denied"));
        assertEquals(1, appliance.upgrades.size());
    }

    @Test
    void rebootAndFactoryResetNeedYes() {
        CommandInterpreter admin = session("alice", Role.ADMIN);
        dialog.answers("no", "y", "yes");
        String out = run(admin, "reboot", "factory-reset", "reboot");
        assertEquals(2, out.lines().filter(l -> l.contains("not confirmed; nothing done")).count(), out);
        assertEquals(1, appliance.reboots.get());
        assertEquals(0, appliance.factoryResets.get());
        dialog.answers((String) null);   // Ctrl-C at the question
        run(admin, "factory-reset");
        assertEquals(0, appliance.factoryResets.get());
    }

    @Test
    void adminsManageUsersAndEveryoneTheirOwnPassword() throws Exception {
        CommandInterpreter admin = session("alice", Role.ADMIN);
        users.add("alice", Role.ADMIN, "Alice-pass-1".toCharArray());
        dialog.answers("Secret-word-7", "Secret-word-7");
        assertTrue(run(admin, "user add olga role operator").contains("user olga added"));
        assertEquals(Role.OPERATOR, users.find("olga").orElseThrow().role());
        dialog.answers("short");
        assertTrue(run(admin, "user add bob role admin").contains("too short"));
        dialog.answers("Secret-word-77", "Secret-word-78");
        assertTrue(run(admin, "user add bob role admin").contains("differ"));
        assertTrue(users.find("bob").isEmpty());
        assertTrue(run(admin, "user delete alice").contains("cannot delete yourself"));
        CommandInterpreter olga = session("olga", Role.OPERATOR);
        dialog.answers("Secret-word-7", "Other-word-88", "Other-word-88");
        assertTrue(run(olga, "password").contains("password changed"));
        assertTrue(PasswordHash.verify("Other-word-88".toCharArray(), users.find("olga").orElseThrow().passwordHash()));
        assertTrue(run(olga, "user delete alice").contains("permission denied"));
        assertTrue(run(admin, "user delete olga").contains("user olga deleted"));
        assertTrue(auditText().contains("user add olga role operator by alice"));
    }

    @Test
    void completionOffersCommandsKeywordsAndNamesFromTheCandidate() {
        CommandInterpreter admin = session("alice", Role.ADMIN);
        assertTrue(admin.completions(List.of()).containsAll(List.of("show", "configure", "ping")));
        assertFalse(admin.completions(List.of()).contains("commit"));
        run(admin, "configure", "set tunnel to-c peer 203.0.113.9 spi-in 400 spi-out 401" + FakeAppliance.GCM_KEYS);
        assertTrue(admin.completions(List.of()).containsAll(List.of("set", "commit", "rollback")));
        assertEquals(List.of("to-b", "to-c"), admin.completions(List.of("set", "tunnel")));
        assertEquals(List.of("10", "20"), admin.completions(List.of("set", "policy")));
        assertEquals(List.of("to-b", "to-c"), admin.completions(List.of("set", "policy", "30", "action", "configured", "tunnel")));
        assertTrue(admin.completions(List.of("set")).containsAll(List.of("tunnel", "policy", "hostname")));
        assertTrue(admin.completions(List.of("delete", "policy")).containsAll(List.of("10", "20")));
        assertTrue(admin.completions(List.of("show")).containsAll(List.of("interfaces", "sas", "ike", "opportunistic", "configuration")));
        run(admin, "set connection hq peer 203.0.113.20 auth psk psk \"a long shared secret\" local-net 10.1.0.0/16 remote-net 10.3.0.0/16");
        assertEquals(List.of("hq"), admin.completions(List.of("set", "connection")));
        assertEquals(List.of("on-traffic", "at-start", "wait"), admin.completions(List.of("set", "connection", "hq", "peer", "any", "start")));
        assertTrue(admin.completions(List.of("set", "connection", "hq", "peer", "any")).containsAll(List.of("remote-id", "auth", "dpd")));
        assertEquals(List.of("to-b", "to-c", "hq"), admin.completions(List.of("set", "policy", "30", "action", "configured", "tunnel")));
        assertFalse(admin.completions(List.of("set", "policy", "30", "from", "any")).contains("from"), "used options are not offered again");
    }

    @Test
    void exitLeavesConfigurationModeAndLogoutEndsTheSession() {
        CommandInterpreter admin = session("alice", Role.ADMIN);
        assertEquals(CommandInterpreter.Outcome.CONTINUE, admin.execute("configure", dialog));
        assertEquals(CommandInterpreter.Outcome.CONTINUE, admin.execute("exit", dialog));
        assertFalse(admin.inConfigurationMode());
        assertEquals(CommandInterpreter.Outcome.LOGOUT, admin.execute("logout", dialog));
        assertEquals(CommandInterpreter.Outcome.CONTINUE, admin.execute("\u001b[A\u0000garbage\u00ff", dialog));
        assertTrue(dialog.take().contains("unknown command '?[A?garbage"));
    }

    static void waitUntil(java.util.function.BooleanSupplier c, Duration limit) throws InterruptedException {
        long end = System.nanoTime() + limit.toNanos();
        while (!c.getAsBoolean()) {
            if (System.nanoTime() > end) throw new AssertionError("condition not met within " + limit);
            Thread.sleep(20);
        }
    }

    static String utf8(byte[] b) { return new String(b, StandardCharsets.UTF_8); }
}
