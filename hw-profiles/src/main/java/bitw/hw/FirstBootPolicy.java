// What a board does before the operator has committed any configuration (hardware profile field
// "first-boot-policy"). An explicit, documented choice per board; fail-closed unless a profile says otherwise.
package bitw.hw;

public enum FirstBootPolicy {
    /** No configuration: the appliance does not start and the ports forward nothing. The default. */
    FAIL_CLOSED("fail-closed"),
    /** No configuration: forward everything in the clear (the image's permit-all.conf) until one is committed. */
    PERMIT_ALL("permit-all");

    private final String profileName;

    FirstBootPolicy(String profileName) { this.profileName = profileName; }

    public String profileName() { return profileName; }

    static FirstBootPolicy fromProfileName(String s) {
        for (FirstBootPolicy p : values()) if (p.profileName.equals(s)) return p;
        return null;
    }
}
