// Verbosity of the appliance log ('log-level' statement).
package bitw.config;

public enum LogLevel {
    TRACE("trace"), DEBUG("debug"), INFO("info"), WARN("warn"), ERROR("error");

    public final String configName;
    LogLevel(String configName) { this.configName = configName; }

    public static LogLevel byConfigName(String name) {
        for (LogLevel l : values()) if (l.configName.equals(name)) return l;
        return null;
    }
}
