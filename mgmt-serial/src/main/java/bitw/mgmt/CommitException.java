// A refused commit: the candidate did not validate, the appliance could not apply it, or it could not be saved.
// In every case the running configuration is what it was before; lines() are what the console prints.
package bitw.mgmt;

import java.util.List;

public final class CommitException extends Exception {
    private final List<String> lines;

    public CommitException(List<String> lines) {
        super(String.join("\n", lines));
        this.lines = List.copyOf(lines);
    }

    public List<String> lines() { return lines; }
}
