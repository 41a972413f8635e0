// The console over a REAL pseudo-terminal (socat), driven byte by byte like an operator at a serial terminal:
// first boot, login, lockout, commands, Ctrl-C/Ctrl-D at every prompt (login, password, command and configuration
// prompts, every password question, every yes/no question, a running command), line noise at the login, command
// and configuration prompts, a 100 kB line, escape sequences, idle logout, and a hang-up (socat killed) after
// which the console comes back with a login prompt.
// Every wait has a deadline, so a hung console fails the test. Needs socat; no root.
package bitw.mgmt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(120)
class SerialConsolePtyTest {
    static final String ADMIN_PW = "Serial-line-42", OPERATOR_PW = "Look-only-77";
    static final String CTRL_C = "\u0003", CTRL_D = "\u0004", UP = "\u001b[A", UP_APP = "\u001bOA";

    @TempDir Path dir;
    Path state;
    PtyPair pty;
    FakeAppliance appliance;
    UserStore users;
    AuditLog audit;
    RunningConfiguration running;
    SerialConsole console;
    Operator op;

    @BeforeEach
    void setUp() throws Exception {
        state = dir.resolve("state");
        appliance = FakeAppliance.withSite(state);
        users = new UserStore(state.resolve("users"));
        audit = new AuditLog(state.resolve("audit.log"), Clock.systemUTC());
        running = new RunningConfiguration(appliance, new ConfigArchive(state), audit, Clock.systemUTC(), Duration.ofMillis(200));
        pty = new PtyPair(dir).start();
    }

    @AfterEach
    void tearDown() throws Exception {
        if (op != null) op.close();
        if (console != null) console.close();
        running.close();
        pty.close();
    }

    void startConsole(Duration idle) throws Exception {
        SerialConsole.Options o = new SerialConsole.Options(115200, idle, Duration.ofMillis(300), 2048, true);
        // Back-off in 10 ms units: the whole schedule (and the lock, 3 s) runs within the test.
        console = new SerialConsole(pty.console, o, appliance, running, users, audit, new LoginGuard(Clock.systemUTC(), Duration.ofMillis(10)));
        console.start();
        op = new Operator(pty.operator);
    }

    void withUsers() throws Exception {
        assertEquals(null, users.add("admin", Role.ADMIN, ADMIN_PW.toCharArray()));
        assertEquals(null, users.add("olga", Role.OPERATOR, OPERATOR_PW.toCharArray()));
    }

    void login(String user, String pw) throws Exception {
        op.expect("gw-a login: ");
        op.line(user);
        op.expect("Password: ");
        op.line(pw);
        op.expect("Welcome, " + user);
        op.expect(user + "@gw-a> ");
    }

    String audit() throws Exception { return Files.readString(state.resolve("audit.log")); }

    @Test
    void firstBootForcesCreatingTheAdminPasswordBeforeAnythingElse() throws Exception {
        startConsole(Duration.ofMinutes(15));
        op.expect("no default password");
        op.expect("new password for admin: ");
        op.line("short");
        op.expect("too short");
        op.expect("new password for admin: ");
        op.type(CTRL_C);                                   // Ctrl-C restarts the question
        op.expect("new password for admin: ");
        op.line(ADMIN_PW);
        op.expect("again: ");
        op.line(ADMIN_PW + "x");
        op.expect("differ");
        assertTrue(users.isEmpty(), "nothing created yet");
        op.expect("new password for admin: ");
        op.line(ADMIN_PW);
        op.expect("again: ");
        op.line(ADMIN_PW);
        op.expect("user admin created");
        assertFalse(op.pending().contains(ADMIN_PW), "the password is never echoed");
        login("admin", ADMIN_PW);
        op.line("show version");
        op.expect("bitw 0.1.0-test");
        op.expect("hardware test-board (2x veth)");
        op.expect("admin@gw-a> ");
        op.type(CTRL_D);                                   // Ctrl-D logs out
        op.expect("gw-a login: ");
        String a = audit();
        assertTrue(a.contains("first boot: user admin created"), a);
        assertTrue(a.contains("login admin (admin)"), a);
        assertTrue(a.contains("logout admin (logout (Ctrl-D))"), a);
    }

    @Test
    void wrongPasswordsBackOffAndLockAndAWrongNameBehavesTheSame() throws Exception {
        withUsers();
        startConsole(Duration.ofMinutes(15));
        long wrongPassword = 0, wrongName = 0;
        for (int i = 0; i < 3; i++) {
            op.expect("gw-a login: ");
            op.line("admin");
            op.expect("Password: ");
            long t = System.nanoTime();
            op.line("Wrong-pass-" + i);
            op.expect("Login incorrect");
            wrongPassword += System.nanoTime() - t;
            op.expect("gw-a login: ");
            op.line("mallory");
            op.expect("Password: ");
            t = System.nanoTime();
            op.line("Wrong-pass-" + i);
            op.expect("Login incorrect");
            wrongName += System.nanoTime() - t;
        }
        double ratio = (double) wrongName / wrongPassword;
        assertTrue(ratio > 0.5 && ratio < 2.0, "a wrong name costs what a wrong password costs: " + ratio);
        for (int i = 3; i < 10; i++) {
            op.expect("gw-a login: ");
            op.line("admin");
            op.expect("Password: ");
            op.line("Wrong-pass-" + i);
            op.expect(i < 9 ? "Login incorrect" : "this name is locked for 3 s");
        }
        op.expect("gw-a login: ");
        op.line("admin");
        op.expect("too many failed logins for this name");   // even the right password is not checked now
        assertEquals(10, audit().lines().filter(l -> l.contains("failed login for 'admin'")).count());
        Thread.sleep(3100);
        login("admin", ADMIN_PW);
        assertTrue(audit().contains("failed login for 'mallory'"));
    }

    @Test
    void commandsCompletionHistoryAndACommitOverTheLine() throws Exception {
        withUsers();
        startConsole(Duration.ofMinutes(15));
        login("admin", ADMIN_PW);
        op.type("show int\t");                             // tab completes "interfaces"
        op.expect("show interfaces");
        op.type("\r");
        op.expect("view interfaces clears 0");
        op.type(UP + "\r");                                // history recalls it (ANSI cursor key)
        op.expect("view interfaces clears 0");
        op.type(UP_APP + "\r");                            // and in application cursor mode
        op.expect("view interfaces clears 0");
        op.line("configure");
        op.expect("admin@gw-a# ");
        op.type("set policy 15 from 10.1.0.0/16 to 10.2.9.0/24 action configured tunnel t\t");
        op.expect("to-b");                                 // the tunnel name comes from the candidate
        op.type("\r");
        op.line("show configuration diff");
        op.expect("+policy 15 from 10.1.0.0/16 to 10.2.9.0/24 action configured tunnel to-b");
        op.line("commit");
        op.expect("commit complete (history 1): +policy 15");
        assertTrue(appliance.running().policy(15).isPresent());
        op.line("set hostname gw-z");
        op.line("commit");
        op.expect("admin@gw-z# ");
        op.line("exit");
        op.expect("admin@gw-z> ");
        op.line("logout");
        op.expect("gw-z login: ");
        op.line("olga");
        op.expect("Password: ");
        op.line(OPERATOR_PW);
        op.expect("olga@gw-z> ");
        op.line("configure");
        op.line("delete policy 15");
        op.expect("delete: permission denied");
        op.line("commit");
        op.expect("commit: permission denied");
        assertEquals(2, appliance.applied.size());
        assertTrue(audit().contains("commit by admin (history 1): +policy 15"));
    }

    @Test
    void ctrlCAndCtrlDAtEveryPromptNeverCommitOrCrash() throws Exception {
        withUsers();
        startConsole(Duration.ofMinutes(15));
        op.expect("gw-a login: ");
        op.type("adm" + CTRL_C);
        op.expect("gw-a login: ");
        op.type(CTRL_D);                                   // Ctrl-D at the login prompt aborts it
        op.expect("gw-a login: ");
        op.line("admin");
        op.expect("Password: ");
        op.type("Serial" + CTRL_C);
        op.expect("gw-a login: ");
        op.line("admin");
        op.expect("Password: ");
        op.type(CTRL_D);
        op.expect("gw-a login: ");
        op.line("admin");
        op.expect("Password: ");
        op.line(ADMIN_PW);
        op.expect("admin@gw-a> ");
        op.type("reboot" + CTRL_C);                        // a half-typed command is cancelled
        op.expect("^C");
        op.expect("admin@gw-a> ");
        op.line("reboot");
        op.expect("type yes to confirm: ");
        op.type("ye" + CTRL_C);                            // Ctrl-C at the question: nothing done
        op.expect("not confirmed; nothing done");
        op.line("factory-reset");
        op.expect("type yes to confirm: ");
        op.type(CTRL_D);
        op.expect("not confirmed; nothing done");
        op.line("configure");
        op.expect("admin@gw-a# ");
        op.line("delete policy 20");
        op.expect("admin@gw-a# ");
        op.type("comm" + CTRL_C);
        op.expect("^C");                                   // wait for it: a tty flushes type-ahead on ^C
        op.expect("admin@gw-a# ");
        op.line("password");
        op.expect("current password: ");
        op.type(CTRL_C);
        op.expect("cancelled");
        op.type(CTRL_D);                                   // Ctrl-D logs out; the candidate dies uncommitted
        op.expect("gw-a login: ");
        assertEquals(0, appliance.reboots.get());
        assertEquals(0, appliance.factoryResets.get());
        assertTrue(appliance.applied.isEmpty(), "nothing was committed");
        assertTrue(appliance.running().policy(20).isPresent());
        assertTrue(PasswordHash.verify(ADMIN_PW.toCharArray(), users.find("admin").orElseThrow().passwordHash()));
    }

    @Test
    void ctrlCAndCtrlDAtEveryPasswordQuestionAndAtTheConfigurationPromptChangeNothing() throws Exception {
        startConsole(Duration.ofMinutes(15));
        // First boot: both keys at both questions cancel the attempt; nothing is created until it is complete.
        for (String key : new String[] {CTRL_D, CTRL_C}) {
            op.expect("new password for admin: ");
            op.type(key);
            op.expect("cancelled");
            assertTrue(users.isEmpty());
        }
        for (String key : new String[] {CTRL_C, CTRL_D}) {
            op.expect("new password for admin: ");
            op.line(ADMIN_PW);
            op.expect("again: ");
            op.type(key);
            op.expect("cancelled");
            assertTrue(users.isEmpty());
        }
        op.expect("new password for admin: ");
        op.line(ADMIN_PW);
        op.expect("again: ");
        op.line(ADMIN_PW);
        op.expect("user admin created");
        login("admin", ADMIN_PW);
        // password: at the current, the new and the repeated password.
        op.line("password");
        op.expect("current password: ");
        op.type(CTRL_D);
        op.expect("cancelled");
        op.expect("admin@gw-a> ");
        op.line("password");
        op.expect("current password: ");
        op.line(ADMIN_PW);
        op.expect("new password for admin: ");
        op.type(CTRL_C);
        op.expect("cancelled");
        op.expect("admin@gw-a> ");
        op.line("password");
        op.expect("current password: ");
        op.line(ADMIN_PW);
        op.expect("new password for admin: ");
        op.line("Another-pass-123");
        op.expect("again: ");
        op.type(CTRL_D);
        op.expect("cancelled");
        op.expect("admin@gw-a> ");
        // user add: at both password questions.
        op.line("user add bob role operator");
        op.expect("new password for bob: ");
        op.type(CTRL_D);
        op.expect("cancelled");
        op.expect("admin@gw-a> ");
        op.line("user add bob role operator");
        op.expect("new password for bob: ");
        op.line(OPERATOR_PW);
        op.expect("again: ");
        op.type(CTRL_C);
        op.expect("cancelled");
        op.expect("admin@gw-a> ");
        // upgrade's question.
        op.line("upgrade /var/lib/bitw/fw.raucb");
        op.expect("type yes to confirm: ");
        op.type(CTRL_C);
        op.expect("not confirmed; nothing done");
        op.expect("admin@gw-a> ");
        // Ctrl-D at the configuration prompt logs out; the candidate dies uncommitted.
        op.line("configure");
        op.expect("admin@gw-a# ");
        op.line("delete policy 20");
        op.expect("admin@gw-a# ");
        op.type(CTRL_D);
        op.expect("gw-a login: ");
        assertTrue(PasswordHash.verify(ADMIN_PW.toCharArray(), users.find("admin").orElseThrow().passwordHash()), "password unchanged");
        assertTrue(users.find("bob").isEmpty(), "no half-made user");
        assertTrue(appliance.upgrades.isEmpty());
        assertTrue(appliance.applied.isEmpty(), "nothing committed");
        assertTrue(appliance.running().policy(20).isPresent());
        assertTrue(audit().contains("logout admin (logout (Ctrl-D))"), audit());
        op.line("admin");                                  // and the console still works
        op.expect("Password: ");
        op.line(ADMIN_PW);
        op.expect("admin@gw-a> ");
    }

    @Test
    void lineNoiseInConfigurationModeNeverCommits() throws Exception {
        withUsers();
        startConsole(Duration.ofMinutes(15));
        login("admin", ADMIN_PW);
        op.line("configure");
        op.expect("admin@gw-a# ");
        op.line("delete policy 20");
        op.expect("admin@gw-a# ");
        byte[] noise = new byte[8_000];
        new Random(7).nextBytes(noise);
        for (int i = 0; i < noise.length; i++) if (noise[i] == 4) noise[i] = 'x';   // Ctrl-D would only log out
        op.burst(noise);
        op.waitForQuiet(Duration.ofSeconds(2), Duration.ofSeconds(90));
        op.skipAll();                                      // the noise's output is full of old prompts
        op.type(CTRL_C);
        op.expect("^C");
        op.expect("admin@gw-a# ");
        op.line("show configuration diff");
        op.expect("-policy 20");                          // the candidate is still there, still uncommitted
        op.expect("admin@gw-a# ");
        op.line("exit");
        op.expect("admin@gw-a> ");
        assertTrue(appliance.applied.isEmpty(), "noise committed nothing");
        assertTrue(appliance.running().policy(20).isPresent());
        assertEquals(0, appliance.reboots.get() + appliance.factoryResets.get());
    }

    @Test
    void lineNoiseLongLinesAndEscapeSequencesLeaveItWorking() throws Exception {
        withUsers();
        startConsole(Duration.ofMinutes(15));
        op.expect("gw-a login: ");
        Random random = new Random(42);
        byte[] noise = new byte[20_000];
        random.nextBytes(noise);
        op.burst(noise);                                   // line noise at the login prompt, every byte value
        op.type(CTRL_C + "\r");
        op.waitForQuiet(Duration.ofSeconds(2), Duration.ofSeconds(90));   // garbage "logins" are worked through
        // Like an operator after line noise: Ctrl-C, then log in (again, if leftovers spoiled the first try).
        boolean in = false;
        for (int attempt = 0; attempt < 3 && !in; attempt++) {
            op.type(CTRL_C);
            op.expect("gw-a login: ");
            op.line("admin");
            op.expect("Password: ");
            op.line(ADMIN_PW);
            in = op.sees("admin@gw-a> ", Duration.ofSeconds(5));
        }
        assertTrue(in, "logged in after line noise");
        // Noise at the command prompt (without Ctrl-D, which would just log out): garbage lines run as unknown
        // commands, control keys enter search modes and the like; afterwards Ctrl-C brings back a clean prompt.
        byte[] quiet = new byte[8_000];
        random.nextBytes(quiet);
        for (int i = 0; i < quiet.length; i++) if (quiet[i] == 4) quiet[i] = 'x';
        long t = System.nanoTime();
        op.burst(quiet);
        op.waitForQuiet(Duration.ofSeconds(2), Duration.ofSeconds(90));
        System.out.println("8 kB of noise at the command prompt worked through in " + (System.nanoTime() - t) / 1_000_000 + " ms");
        op.skipAll();                                      // the noise's output is full of old prompts
        op.type(CTRL_C);
        op.expect("^C");                                   // a tty flushes type-ahead on ^C: wait for the prompt
        op.expect("admin@gw-a> ");
        // Escape sequences a terminal may send: cursor keys, Home/End, function keys, unknown CSI, a stray
        // cursor-position report, an unfinished ESC.
        op.type("\u001b[D\u001b[C\u001b[H\u001b[F\u001bOP\u001b[15~\u001b[999~\u001b[24;80R\u001b" + CTRL_C);
        op.expect("^C");
        op.expect("admin@gw-a> ");
        op.line("show version");
        op.expect("bitw 0.1.0-test");
        // A 100 kB line is cut, reported and not executed.
        op.burst(("clear counters " + "x".repeat(100_000) + "\r").getBytes());
        op.expect("line too long (over 2048 characters): discarded");
        op.line("show drops");
        op.expect("view drops clears 0");
        assertEquals(0, appliance.counterClears.get(), "the long line never ran");
        assertTrue(appliance.applied.isEmpty());
        assertEquals(0, appliance.reboots.get() + appliance.factoryResets.get());
    }

    @Test
    void ctrlCStopsARunningCommand() throws Exception {
        withUsers();
        startConsole(Duration.ofMinutes(15));
        login("admin", ADMIN_PW);
        op.line("ping " + FakeAppliance.SILENT_HOST + " count 100");
        Thread.sleep(500);
        op.type(CTRL_C);
        op.expect("--- interrupted ---", Duration.ofSeconds(5));
        op.expect("admin@gw-a> ");
        op.line("show version");                          // the Ctrl-C was used up: the next command runs
        op.expect("bitw 0.1.0-test");
    }

    @Test
    void idleSessionsAreLoggedOutButNotDuringACommand() throws Exception {
        withUsers();
        startConsole(Duration.ofMillis(1500));
        login("admin", ADMIN_PW);
        op.line("ping " + FakeAppliance.SILENT_HOST);      // runs longer than the idle timeout
        assertFalse(op.sees("logged out", Duration.ofSeconds(3)), "a running command is not idleness");
        op.type(CTRL_C);
        op.expect("--- interrupted ---");
        op.expect("idle for 1 s: logged out", Duration.ofSeconds(10));
        op.expect("gw-a login: ");
        assertTrue(audit().contains("logout admin (idle timeout)"), audit());
    }

    @Test
    void aHangUpEndsTheSessionAndTheConsoleComesBackWithALoginPrompt() throws Exception {
        withUsers();
        startConsole(Duration.ofMinutes(15));
        login("admin", ADMIN_PW);
        op.line("configure");
        op.line("delete policy 20");
        op.expect("admin@gw-a# ");
        op.close();
        op = null;
        pty.kill();                                        // the cable is pulled before any commit
        Thread.sleep(1000);
        pty.start();
        op = new Operator(pty.operator);
        op.type("\r");
        op.expect("gw-a login: ", Duration.ofSeconds(20));
        assertTrue(appliance.applied.isEmpty(), "no partial commit");
        assertTrue(appliance.running().policy(20).isPresent());
        assertTrue(audit().contains("logout admin (hang-up)"), audit());
        login("admin", ADMIN_PW);
        op.line("show candidate");
        op.expect("not in configuration mode");           // the old session's candidate is gone
    }
}
