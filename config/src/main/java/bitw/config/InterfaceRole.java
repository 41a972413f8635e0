// The two ports of the bump in the wire: inside faces the protected LAN, outside faces the router.
package bitw.config;

public enum InterfaceRole {
    INSIDE("inside"), OUTSIDE("outside");

    public final String configName;
    InterfaceRole(String configName) { this.configName = configName; }

    public static InterfaceRole byConfigName(String name) {
        for (InterfaceRole r : values()) if (r.configName.equals(name)) return r;
        return null;
    }
}
