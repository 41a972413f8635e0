// Raised when configuration text or a console change is rejected; carries every error found, not just the first,
// so an operator can fix a whole file in one pass. The appliance refuses to start on this rather than half-apply.
package bitw.config;

import java.util.List;
import java.util.stream.Collectors;

public final class ConfigException extends Exception {
    private final List<ConfigError> errors;

    public ConfigException(List<ConfigError> errors) {
        super(errors.stream().sorted().map(ConfigError::toString).collect(Collectors.joining("\n")));
        if (errors.isEmpty()) throw new IllegalArgumentException("a ConfigException needs at least one error");
        this.errors = errors.stream().sorted().toList();
    }

    /** The errors in line order. */
    public List<ConfigError> errors() { return errors; }
}
