// The configuration as the console shows and stores it: the canonical rendering with every line longer than 79
// columns (80 with a diff's +/- mark) broken at spaces into backslash continuations (the language's own line continuation), so it still
// parses to the same configuration. Commit errors are reported against this text, so their line numbers match
// what 'show' printed. A single word longer than a line (a 64-byte key) stays whole.
package bitw.mgmt;

import bitw.config.Configuration;
import bitw.config.Statement;

public final class ConfigText {
    public static final int WIDTH = 79;
    private static final String INDENT = "    ";

    private ConfigText() {}

    public static String of(Configuration c) { return wrap(c.render()); }

    /** The line of of(c) where the statement with {@code key} begins (1-based); 0 when c has no such statement. */
    public static int lineOf(Configuration c, String key) {
        int line = 1;
        for (Statement s : c.statements()) {
            if (s.key().equals(key)) return line;
            line += (int) wrap(s.render() + "\n").lines().count();
        }
        return 0;
    }

    static String wrap(String text) {
        StringBuilder out = new StringBuilder(text.length() + 64);
        for (String line : text.lines().toList()) {
            if (line.length() <= WIDTH) { out.append(line).append('\n'); continue; }
            boolean continues = line.endsWith("\\");
            String body = continues ? line.substring(0, line.length() - 1).stripTrailing() : line;
            int indentLength = body.length() - body.stripLeading().length();
            String[] words = body.strip().split(" +");
            StringBuilder current = new StringBuilder(body.substring(0, indentLength));
            boolean empty = true;
            for (String w : words) {
                // Room for the word and, on a line that is followed by another, the " \" continuation mark.
                if (!empty && current.length() + 1 + w.length() + 2 > WIDTH) {
                    out.append(current).append(" \\\n");
                    current = new StringBuilder(INDENT);
                    empty = true;
                }
                if (!empty) current.append(' ');
                current.append(w);
                empty = false;
            }
            out.append(current).append(continues ? " \\" : "").append('\n');
        }
        return out.toString();
    }
}
