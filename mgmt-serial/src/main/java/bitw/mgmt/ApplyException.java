// Raised by ApplianceControl.apply when a configuration could not be applied; the running state is unchanged.
// Carries the configuration errors when that is the cause, so the console can name the offending lines.
package bitw.mgmt;

import bitw.config.ConfigError;
import java.util.List;

public final class ApplyException extends Exception {
    private final List<ConfigError> errors;

    public ApplyException(String message) { this(message, List.of(), null); }

    public ApplyException(String message, Throwable cause) { this(message, List.of(), cause); }

    public ApplyException(String message, List<ConfigError> errors, Throwable cause) {
        super(message, cause);
        this.errors = List.copyOf(errors);
    }

    /** Configuration errors behind the failure (may be empty when the cause is elsewhere, e.g. a missing NIC). */
    public List<ConfigError> errors() { return errors; }
}
