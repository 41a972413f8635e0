// Raised when a hardware profile's text is rejected: carries every problem with its line number (0 = the file as a
// whole, e.g. a missing field) so a board maintainer fixes the whole file in one pass. The image build refuses it.
package bitw.hw;

import java.util.List;

public final class InvalidProfileException extends Exception {
    /** One problem: its 1-based line (0 when it concerns the whole profile) and what is wrong. */
    public record Problem(int line, String message) {
        @Override public String toString() { return line > 0 ? "line " + line + ": " + message : message; }
    }

    private final List<Problem> problems;

    InvalidProfileException(String source, List<Problem> problems) {
        super("hardware profile " + source + " refused:\n  "
                + String.join("\n  ", problems.stream().map(Problem::toString).toList()));
        this.problems = List.copyOf(problems);
    }

    public List<Problem> problems() { return problems; }
}
