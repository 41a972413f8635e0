// The outcome of a finished lab command (Host.exec and the lab's root commands): exit code and full output.
package bitw.lab;

import java.util.List;

public record Result(List<String> command, int exitCode, String stdout, String stderr) {

    public boolean succeeded() {
        return exitCode == 0;
    }

    /** Returns this result, or throws with the command and its output when the exit code is not 0. */
    public Result requireSuccess() {
        if (exitCode != 0) {
            throw new IllegalStateException("command failed (exit " + exitCode + "): " + String.join(" ", command)
                    + "\nstdout: " + stdout.strip() + "\nstderr: " + stderr.strip());
        }
        return this;
    }
}
