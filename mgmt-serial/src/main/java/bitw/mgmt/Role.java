// What a console user may do: admins change configuration and users; operators only look.
package bitw.mgmt;

import java.util.Locale;

public enum Role {
    ADMIN, OPERATOR;

    public String configName() { return name().toLowerCase(Locale.ROOT); }

    /** "admin" or "operator"; null for anything else. */
    public static Role parse(String s) {
        for (Role r : values()) if (r.configName().equals(s)) return r;
        return null;
    }
}
