// The CPU architecture of a board (hardware profile field "architecture"): selects the Debian architecture of the
// image's rootfs and the Java runtime that image-build jlinks for it.
package bitw.hw;

public enum Architecture {
    AMD64("amd64"), ARM64("arm64");

    private final String debianName;

    Architecture(String debianName) { this.debianName = debianName; }

    /** The name Debian and the profile file use: amd64, arm64. */
    public String debianName() { return debianName; }

    static Architecture fromDebianName(String s) {
        for (Architecture a : values()) if (a.debianName.equals(s)) return a;
        return null;
    }
}
