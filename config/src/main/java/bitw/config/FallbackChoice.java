// What a protecting policy does with a packet when no SA is available: send it in the clear (opportunistic only),
// drop it, or hold it until the SA appears (configured only).
package bitw.config;

public enum FallbackChoice {
    CLEAR("clear"), DROP("drop"), HOLD("hold");

    public final String configName;
    FallbackChoice(String configName) { this.configName = configName; }

    public static FallbackChoice byConfigName(String name) {
        for (FallbackChoice f : values()) if (f.configName.equals(name)) return f;
        return null;
    }
}
