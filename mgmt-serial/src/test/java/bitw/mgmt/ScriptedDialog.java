// A Dialog for interpreter tests: answers come from a script (null = the operator pressed Ctrl-C), output is kept.
package bitw.mgmt;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

final class ScriptedDialog implements Dialog {
    private final StringWriter text = new StringWriter();
    private final PrintWriter out = new PrintWriter(text, true);
    private final List<String> answers = new ArrayList<>();

    ScriptedDialog answers(String... a) {
        answers.addAll(Arrays.asList(a));
        return this;
    }

    @Override public PrintWriter out() { return out; }

    @Override public String ask(String prompt) {
        out.print(prompt);
        return answers.isEmpty() ? null : answers.remove(0);
    }

    @Override public char[] askSecret(String prompt) {
        String a = ask(prompt);
        return a == null ? null : a.toCharArray();
    }

    /** Output so far, and forget it. */
    String take() {
        String s = text.toString();
        text.getBuffer().setLength(0);
        return s;
    }
}
