// One problem found while reading or validating configuration text: the line it is on and what is wrong.
// Line 0 means the problem belongs to the configuration as a whole (a missing statement, or a console change).
package bitw.config;

public record ConfigError(int line, String message) implements Comparable<ConfigError> {
    @Override public int compareTo(ConfigError o) {
        return line != o.line ? Integer.compare(line, o.line) : message.compareTo(o.message);
    }

    @Override public String toString() {
        return line > 0 ? "line " + line + ": " + message : "configuration: " + message;
    }
}
