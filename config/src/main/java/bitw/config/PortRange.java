// An inclusive TCP/UDP/SCTP port range of a policy selector; ANY (0-65535) means the selector does not look at ports.
package bitw.config;

public record PortRange(int low, int high) {
    public static final PortRange ANY = new PortRange(0, 65535);

    public PortRange {
        if (low < 0 || high > 65535 || low > high) throw new IllegalArgumentException("bad port range " + low + "-" + high);
    }

    public boolean isAny() { return low == 0 && high == 65535; }

    public boolean contains(int port) { return port >= low && port <= high; }

    /** "80" for a single port, "1024-65535" otherwise. */
    @Override public String toString() { return low == high ? Integer.toString(low) : low + "-" + high; }
}
