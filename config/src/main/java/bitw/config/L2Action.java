// What the bridge does with a class of non-IP frames.
package bitw.config;

public enum L2Action {
    PASS("pass"), DROP("drop");

    public final String configName;
    L2Action(String configName) { this.configName = configName; }

    public static L2Action byConfigName(String name) {
        for (L2Action a : values()) if (a.configName.equals(name)) return a;
        return null;
    }
}
