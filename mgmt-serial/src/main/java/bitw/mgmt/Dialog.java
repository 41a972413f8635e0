// The conversation a command may need beyond its own line: printing, and asking a question or a secret (a
// confirmation "yes", a new password). SerialConsole implements it over JLine; tests script it.
package bitw.mgmt;

import java.io.PrintWriter;

public interface Dialog {
    PrintWriter out();

    /** One line typed by the operator; null when cancelled (Ctrl-C, Ctrl-D, hang-up). */
    String ask(String prompt);

    /** As ask(), without echo; the caller clears the array after use. */
    char[] askSecret(String prompt);
}
