// The serial console: owns the TTY device and everything that happens on it. Opens the device (O_NOCTTY), sets the
// line with stty, runs a JLine terminal over it (JLine's ExternalTerminal fed by our own streams: no system
// terminal, no native pty, no terminal queries, 80x24 assumed), then loops: first-boot admin creation if there are no users, login
// (LoginGuard timing), a session of commands (CommandInterpreter), logout. A hang-up or unplug (EOF or I/O error)
// closes everything and reopens the device after a delay, back at the login prompt. Nothing typed on the line —
// garbage, endless lines, escape sequences, Ctrl-C, Ctrl-D — can end this loop; only close() does.
package bitw.mgmt;

import java.io.IOError;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jline.keymap.KeyMap;
import org.jline.reader.Binding;
import org.jline.reader.Candidate;
import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.Reference;
import org.jline.reader.UserInterruptException;
import org.jline.reader.impl.DefaultParser;
import org.jline.reader.impl.history.DefaultHistory;
import org.jline.terminal.Size;
import org.jline.terminal.Terminal;
import org.jline.terminal.impl.ExternalTerminal;
import org.tinylog.Logger;

public final class SerialConsole implements AutoCloseable {

    /**
     * @param speed         line speed for stty (e.g. 115200)
     * @param idleTimeout   a logged-in session with no input for this long is logged out
     * @param reopenDelay   wait after a hang-up (or a failed open) before opening the device again
     * @param maxLineLength longer input lines are cancelled and rejected
     * @param setLine       run stty on the device (off only for devices stty cannot handle)
     */
    public record Options(int speed, Duration idleTimeout, Duration reopenDelay, int maxLineLength, boolean setLine) {
        public static Options defaults(int speed) {
            return new Options(speed, Duration.ofMinutes(15), Duration.ofSeconds(2), 2048, true);
        }

        public Options withIdleTimeout(Duration d) { return new Options(speed, d, reopenDelay, maxLineLength, setLine); }

        public Options withReopenDelay(Duration d) { return new Options(speed, idleTimeout, d, maxLineLength, setLine); }
    }

    /** The terminal type we assume the far end emulates; its capabilities are bundled with JLine (no infocmp). */
    static final String TERMINAL_TYPE = "xterm";
    static final String ADMIN = "admin";

    private final Path device;
    private final Options options;
    private final ApplianceControl control;
    private final RunningConfiguration running;
    private final UserStore users;
    private final AuditLog audit;
    private final LoginGuard guard;
    private final boolean ownsRunning;
    private volatile boolean closed;
    private volatile Line current;
    private Thread thread;

    public SerialConsole(Path device, Options options, ApplianceControl control, RunningConfiguration running,
                         UserStore users, AuditLog audit, LoginGuard guard) {
        this(device, options, control, running, users, audit, guard, false);
    }

    private SerialConsole(Path device, Options options, ApplianceControl control, RunningConfiguration running,
                          UserStore users, AuditLog audit, LoginGuard guard, boolean ownsRunning) {
        this.device = device;
        this.options = options;
        this.control = control;
        this.running = running;
        this.users = users;
        this.audit = audit;
        this.guard = guard;
        this.ownsRunning = ownsRunning;
    }

    /**
     * The console as the appliance runs it: users, audit log and configuration archive in
     * control.stateDirectory(), the system clock, one real minute for 'commit confirmed'.
     */
    public static SerialConsole forAppliance(Path device, int speed, ApplianceControl control) {
        return forAppliance(device, speed, control, Duration.ofMinutes(1));
    }

    /** {@code minute}: the unit of `commit confirmed N` (one minute, except in tests that cannot wait that long). */
    public static SerialConsole forAppliance(Path device, int speed, ApplianceControl control, Duration minute) {
        Path state = control.stateDirectory();
        Clock clock = Clock.systemUTC();
        AuditLog audit = new AuditLog(state.resolve("audit.log"), clock);
        RunningConfiguration running = new RunningConfiguration(control, new ConfigArchive(state), audit, clock, minute);
        return new SerialConsole(device, Options.defaults(speed), control, running, new UserStore(state.resolve("users")),
                audit, new LoginGuard(clock), true);
    }

    /**
     * Writes a message straight onto the line (set up as the console would: speed, clocal, no flow control; opened
     * without becoming a controlling terminal): for the appliance to say why it cannot start when no console runs.
     */
    public static void notice(Path device, int speed, String message) throws IOException {
        Line.setLine(device, speed);
        try (TtyDevice tty = TtyDevice.open(device)) {
            byte[] b = ("\r\n" + message.replace("\r\n", "\n").replace("\n", "\r\n") + "\r\n").getBytes(StandardCharsets.UTF_8);
            tty.write(b, 0, b.length);
        }
    }

    public RunningConfiguration runningConfiguration() { return running; }

    /** Starts the console on its own (daemon) thread. */
    public synchronized Thread start() {
        if (thread != null) throw new IllegalStateException("already started");
        thread = new Thread(this::run, "serial-console " + device);
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    /** Serves the device until close(): open, log in, run sessions, and reopen after every hang-up. */
    public void run() {
        while (!closed) {
            try (Line line = Line.open(device, options)) {
                current = line;
                Logger.info("serial console on {}", device);
                serve(line);
            } catch (HangUp | IOException | UncheckedIOException | IOError e) {
                if (!closed) Logger.info("serial console {}: {}; reopening in {} ms", device, e.getMessage(), options.reopenDelay().toMillis());
            } catch (RuntimeException e) {
                if (!closed) Logger.error(e, "serial console {} failed; reopening", device);
            } finally {
                current = null;
            }
            sleepQuietly(options.reopenDelay());
        }
    }

    @Override public void close() {
        closed = true;
        Line l = current;
        if (l != null) l.close();
        Thread t = thread;
        if (t != null) {
            t.interrupt();
            try {
                t.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (ownsRunning) running.close();
    }

    // ---------------------------------------------------------------- the line: device + terminal

    /** Thrown when the line hangs up; unwinds to run(), which reopens the device. */
    static final class HangUp extends RuntimeException {
        HangUp(String why) { super(why, null, false, false); }
    }

    /** One opening of the device: its streams, the JLine terminal over them, and the idle watchdog. */
    static final class Line implements AutoCloseable {
        final TtyDevice tty;
        final ConsoleInput input;
        final Terminal terminal;
        final PrintWriter out;
        final Options options;
        volatile Thread sessionThread;
        volatile boolean loggedIn, idleExpired;
        // Idle time counts only while the console waits at a prompt: a long ping is not idleness.
        volatile boolean waitingForInput;
        private final Thread watchdog;

        private Line(TtyDevice tty, ConsoleInput input, Terminal terminal, Options options) {
            this.tty = tty;
            this.input = input;
            this.terminal = terminal;
            this.out = terminal.writer();
            this.options = options;
            // Ctrl-C outside line editing (a running ping, a login delay) interrupts the session thread.
            terminal.handle(Terminal.Signal.INT, s -> { Thread t = sessionThread; if (t != null) t.interrupt(); });
            this.watchdog = new Thread(this::watchIdle, "serial-console-idle");
            watchdog.setDaemon(true);
            watchdog.start();
        }

        static Line open(Path device, Options options) throws IOException {
            // stty before and after opening: before, so that a real serial port with modem control does not make
            // the open wait for carrier (clocal); after, because some drivers reset the line on first open.
            if (options.setLine()) setLine(device, options.speed());
            TtyDevice tty = TtyDevice.open(device);
            try {
                if (options.setLine()) setLine(device, options.speed());
                ConsoleInput in = new ConsoleInput(tty.input(), options.maxLineLength());
                // JLine's own line discipline over our streams. TerminalBuilder.streams() would instead open a
                // native pty and pump between it and the device; the pure-Java ExternalTerminal keeps Ctrl-C, EOF
                // and I/O errors in our hands and never asks the far end anything.
                Terminal t = new ExternalTerminal("serial", TERMINAL_TYPE, in, tty.output(), StandardCharsets.UTF_8);
                t.setSize(new Size(80, 24));   // a serial line has no size report: assume 80x24
                return new Line(tty, in, t, options);
            } catch (IOException | RuntimeException e) {
                tty.close();
                throw e;
            }
        }

        /** stty -F dev SPEED cs8 -cstopb -parenb raw -echo, plus clocal -crtscts: 3-wire consoles have no modem lines. */
        static void setLine(Path device, int speed) throws IOException {
            List<String> cmd = List.of("stty", "-F", device.toString(), Integer.toString(speed), "cs8", "-cstopb", "-parenb",
                    "raw", "-echo", "clocal", "-crtscts");
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            try {
                if (!p.waitFor(10, TimeUnit.SECONDS)) { p.destroyForcibly(); throw new IOException("stty timed out on " + device); }
                String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
                if (p.exitValue() != 0) throw new IOException("stty failed on " + device + ": " + output);
            } catch (InterruptedException e) {
                p.destroyForcibly();
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted");
            }
        }

        private void watchIdle() {
            long limit = options.idleTimeout().toNanos();
            while (!Thread.currentThread().isInterrupted()) {
                try {
                    Thread.sleep(Math.min(1000, Math.max(50, options.idleTimeout().toMillis() / 4)));
                } catch (InterruptedException e) {
                    return;
                }
                if (loggedIn && waitingForInput && !idleExpired && System.nanoTime() - input.lastActivityNanos() > limit) {
                    idleExpired = true;
                    terminal.raise(Terminal.Signal.INT);   // ends the readLine (or the running command) now
                }
            }
        }

        @Override public void close() {
            watchdog.interrupt();
            try {
                terminal.close();
            } catch (IOException | RuntimeException e) {
                // the device is going away anyway
            }
            tty.close();
        }
    }

    // ---------------------------------------------------------------- reading

    /** What a read produced: a line, or how it ended without one. */
    enum Ending { LINE, CANCELLED, END_OF_INPUT, IDLE }

    record Typed(Ending ending, String text) {}

    /** Reads one line; throws HangUp when the line is gone. */
    static Typed read(Line line, LineReader reader, String prompt, Character mask) {
        Thread.interrupted();   // a stale Ctrl-C from a finished command must not cancel this read
        line.input.touch();
        line.waitingForInput = true;
        try {
            String s = reader.readLine(prompt, mask);
            line.input.touch();
            return new Typed(Ending.LINE, s);
        } catch (UserInterruptException e) {
            if (line.idleExpired) return new Typed(Ending.IDLE, null);
            if (line.input.hungUp()) throw new HangUp("hung up");
            if (line.input.takeOverlong()) {
                line.out.println();
                line.out.println("line too long (over " + line.options.maxLineLength() + " characters): discarded");
            } else {
                line.out.println("^C");
            }
            line.out.flush();
            return new Typed(Ending.CANCELLED, null);
        } catch (EndOfFileException e) {
            if (line.input.hungUp()) throw new HangUp("end of input");
            return new Typed(Ending.END_OF_INPUT, null);
        } catch (IOError | UncheckedIOException e) {
            throw new HangUp("I/O error: " + e.getMessage());
        } finally {
            line.waitingForInput = false;
            Thread.interrupted();
        }
    }

    /**
     * A fresh reader without history for each login name, password or yes/no: nothing typed there can be
     * recalled — neither by history nor by yanking from a kill ring the previous person filled.
     */
    static LineReader plainReader(Terminal terminal) {
        LineReader r = configure(LineReaderBuilder.builder().terminal(terminal).history(new DefaultHistory())).build();
        r.setVariable(LineReader.HISTORY_SIZE, 0);
        r.setOpt(LineReader.Option.DISABLE_EVENT_EXPANSION);
        bindCursorKeys(r);
        return r;
    }

    private static LineReaderBuilder configure(LineReaderBuilder b) {
        DefaultParser parser = new DefaultParser();
        // The console has no quoting or escapes: a stray quote or trailing backslash must not start a continuation.
        parser.setQuoteChars(new char[0]);
        parser.setEscapeChars(new char[0]);
        parser.setEofOnUnclosedQuote(false);
        parser.setEofOnEscapedNewLine(false);
        parser.setEofOnUnclosedBracket();
        return b.appName("bitw")
                .parser(parser)
                .variable(LineReader.BELL_STYLE, "none")
                .variable(LineReader.SECONDARY_PROMPT_PATTERN, "")
                .variable(LineReader.LIST_MAX, 200)
                .option(LineReader.Option.BRACKETED_PASTE, false)
                .option(LineReader.Option.AUTO_FRESH_LINE, false)
                .option(LineReader.Option.DISABLE_EVENT_EXPANSION, true)
                .option(LineReader.Option.INSERT_TAB, false)
                .option(LineReader.Option.MOUSE, false)
                .option(LineReader.Option.HISTORY_BEEP, false);
    }

    /**
     * Cursor keys in both encodings: terminals send ESC [ A in normal and ESC O A in application cursor mode, and
     * over a serial line we cannot know which mode the far end is really in (JLine binds only the terminfo one).
     */
    static void bindCursorKeys(LineReader r) {
        KeyMap<Binding> main = r.getKeyMaps().get(LineReader.MAIN);
        String[][] keys = {
                {"A", LineReader.UP_LINE_OR_HISTORY}, {"B", LineReader.DOWN_LINE_OR_HISTORY},
                {"C", LineReader.FORWARD_CHAR}, {"D", LineReader.BACKWARD_CHAR},
                {"H", LineReader.BEGINNING_OF_LINE}, {"F", LineReader.END_OF_LINE}};
        for (String[] k : keys) {
            main.bind(new Reference(k[1]), "\u001b[" + k[0]);
            main.bind(new Reference(k[1]), "\u001bO" + k[0]);
        }
        main.bind(new Reference(LineReader.DELETE_CHAR), "\u001b[3~");
        // Bound by JLine's emacs map to a widget it does not implement ("No such widget" on the line).
        main.bind(new Reference(LineReader.BEEP), "\u001d");
        main.bind(new Reference(LineReader.BEEP), "\u001b\u001d");
        main.bind(new Reference(LineReader.BEGINNING_OF_LINE), "\u001b[1~");
        main.bind(new Reference(LineReader.END_OF_LINE), "\u001b[4~");
    }

    /** The command reader: per-session history and completion from the session's interpreter. */
    static LineReader commandReader(Terminal terminal, CommandInterpreter interpreter) {
        DefaultHistory history = new DefaultHistory();
        LineReader r = configure(LineReaderBuilder.builder().terminal(terminal).history(history))
                .completer((reader, parsed, candidates) -> {
                    List<String> words = parsed.words();
                    List<String> before = new ArrayList<>(words.subList(0, Math.min(parsed.wordIndex(), words.size())));
                    before.removeIf(String::isEmpty);
                    for (String s : interpreter.completions(before)) candidates.add(new Candidate(s));
                })
                .variable(LineReader.HISTORY_SIZE, 200)
                .option(LineReader.Option.HISTORY_IGNORE_SPACE, true)
                .build();
        bindCursorKeys(r);
        return r;
    }

    // ---------------------------------------------------------------- the conversation on one line

    private void serve(Line line) throws IOException {
        line.sessionThread = Thread.currentThread();
        line.out.print("\r\n");
        while (!closed) {
            if (users.isEmpty()) { firstBoot(line); continue; }
            Login login = login(line);
            if (login != null) session(line, login);
        }
    }

    private void firstBoot(Line line) throws IOException {
        PrintWriter out = line.out;
        out.println();
        out.println("First boot: no console users exist. There is no default password.");
        out.println("Set the password of user '" + ADMIN + "' now (at least 10 characters, twice).");
        out.flush();
        char[] pw = CommandInterpreter.newPassword(ADMIN, dialog(line), out);
        if (pw == null) { out.flush(); return; }
        try {
            String why = users.add(ADMIN, Role.ADMIN, pw);
            if (why != null) out.println(why);
            else {
                audit.record("first boot: user " + ADMIN + " created on the serial console");
                out.println("user " + ADMIN + " created; log in now");
            }
        } finally {
            Arrays.fill(pw, '\0');
            out.flush();
        }
    }

    private record Login(String user, Role role) {}

    private Login login(Line line) throws IOException {
        PrintWriter out = line.out;
        String host = hostname();
        Typed name = read(line, plainReader(line.terminal), host + " login: ", null);
        if (name.ending() != Ending.LINE) { out.println(); out.flush(); return null; }
        String user = name.text().strip();
        if (user.isEmpty()) return null;
        String shown = CommandInterpreter.printable(user.length() > 32 ? user.substring(0, 32) : user);
        Duration locked = guard.lockedFor(user);
        if (!locked.isZero()) {
            out.println("too many failed logins for this name: locked for another " + (locked.toSeconds() + 1) + " s");
            out.flush();
            return null;
        }
        if (!pause(guard.delayBeforeAttempt(user))) return null;
        Typed pw = read(line, plainReader(line.terminal), "Password: ", (char) 0);
        if (pw.ending() != Ending.LINE) { out.println(); out.flush(); return null; }
        char[] secret = pw.text().toCharArray();
        UserStore.User found;
        boolean ok;
        try {
            found = users.find(user).orElse(null);
            if (found != null) ok = PasswordHash.verify(secret, found.passwordHash());
            else { PasswordHash.verifyNothing(secret); ok = false; }   // same cost as a wrong password
        } finally {
            Arrays.fill(secret, '\0');
        }
        if (!ok) {
            Duration d = guard.recordFailure(user);
            audit.record("failed login for '" + shown + "' on " + device);
            if (d.compareTo(guard.lockTime()) >= 0) out.println("Login incorrect; too many failures: this name is locked for "
                    + describe(guard.lockTime()));
            else {
                pause(d);
                out.println("Login incorrect");
            }
            out.flush();
            return null;
        }
        guard.recordSuccess(user);
        audit.record("login " + user + " (" + found.role().configName() + ") on " + device);
        return new Login(user, found.role());
    }

    private void session(Line line, Login login) {
        CommandInterpreter interpreter = new CommandInterpreter(control, running, users, audit, login.user(), login.role());
        LineReader reader = commandReader(line.terminal, interpreter);
        Dialog dialog = dialog(line);
        PrintWriter out = line.out;
        out.println("Welcome, " + login.user() + " (" + login.role().configName() + "). Type help for commands.");
        running.pending().ifPresent(p -> out.println("note: a commit confirmed by " + p.user() + " is waiting for 'confirm'"));
        out.flush();
        line.input.touch();
        line.idleExpired = false;
        line.loggedIn = true;
        String why = "logout";
        try {
            while (!closed) {
                Typed t = read(line, reader, interpreter.prompt(), null);
                if (t.ending() == Ending.IDLE) {
                    why = "idle timeout";
                    out.println();
                    out.println("idle for " + describe(options.idleTimeout()) + ": logged out");
                    break;
                }
                if (t.ending() == Ending.END_OF_INPUT) { out.println(); why = "logout (Ctrl-D)"; break; }
                if (t.ending() == Ending.CANCELLED) continue;
                CommandInterpreter.Outcome o = interpreter.execute(t.text(), dialog);
                Thread.interrupted();   // a Ctrl-C that stopped the command is used up
                line.input.touch();
                if (line.input.hungUp()) throw new HangUp("hung up during a command");
                if (line.idleExpired) {
                    why = "idle timeout";
                    out.println("idle for " + describe(options.idleTimeout()) + ": logged out");
                    break;
                }
                if (o == CommandInterpreter.Outcome.LOGOUT) break;
            }
        } catch (HangUp h) {
            why = "hang-up";
            throw h;
        } finally {
            line.loggedIn = false;
            audit.record("logout " + login.user() + " (" + why + ") on " + device);
            out.flush();
        }
    }

    private Dialog dialog(Line line) {
        return new Dialog() {
            @Override public PrintWriter out() { return line.out; }

            @Override public String ask(String prompt) {
                try {
                    Typed t = read(line, plainReader(line.terminal), prompt, null);
                    return t.ending() == Ending.LINE ? t.text() : null;
                } catch (HangUp h) {
                    return null;   // the session loop sees the hang-up on its next read
                }
            }

            @Override public char[] askSecret(String prompt) {
                try {
                    Typed t = read(line, plainReader(line.terminal), prompt, (char) 0);
                    return t.ending() == Ending.LINE ? t.text().toCharArray() : null;
                } catch (HangUp h) {
                    return null;
                }
            }
        };
    }

    private String hostname() {
        try {
            return control.running().hostname();
        } catch (RuntimeException e) {
            return "bitw";
        }
    }

    private static String describe(Duration d) {
        return d.toSeconds() >= 60 ? d.toMinutes() + " min" : d.toMillis() >= 1000 ? d.toSeconds() + " s" : d.toMillis() + " ms";
    }

    /** Sleeps; false when interrupted (Ctrl-C). */
    private static boolean pause(Duration d) {
        if (d.isZero() || d.isNegative()) return true;
        try {
            Thread.sleep(d.toMillis());
            return true;
        } catch (InterruptedException e) {
            return false;
        }
    }

    private static void sleepQuietly(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
