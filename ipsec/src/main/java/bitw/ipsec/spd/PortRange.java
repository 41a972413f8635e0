// An inclusive range of TCP/UDP/SCTP ports: the port part of an SPD selector (RFC 4301 §4.4.1.1).
package bitw.ipsec.spd;

public record PortRange(int from, int to) {
    public static final PortRange ANY = new PortRange(0, 65535);

    public PortRange {
        if (from < 0 || from > 65535) throw new IllegalArgumentException("port " + from + " out of range 0..65535");
        if (to < 0 || to > 65535) throw new IllegalArgumentException("port " + to + " out of range 0..65535");
        if (from > to) throw new IllegalArgumentException("port range " + from + "-" + to + " is empty (from > to)");
    }

    public static PortRange single(int port) { return new PortRange(port, port); }

    public boolean isAny() { return from == 0 && to == 65535; }

    /** False for -1 ("port not available"), so a packet without ports never falls inside a specific range. */
    public boolean contains(int port) { return port >= from && port <= to; }

    /** "80", "1024-65535" or "any"; throws IllegalArgumentException saying what is wrong. */
    public static PortRange parse(String s) {
        String t = s.strip();
        if (t.equalsIgnoreCase("any")) return ANY;
        int dash = t.indexOf('-');
        if (dash < 0) return single(parsePort(t, s));
        return new PortRange(parsePort(t.substring(0, dash).strip(), s), parsePort(t.substring(dash + 1).strip(), s));
    }

    private static int parsePort(String digits, String whole) {
        if (digits.isEmpty() || digits.length() > 5 || !digits.chars().allMatch(c -> c >= '0' && c <= '9'))
            throw new IllegalArgumentException("not a port or port range: '" + whole + "' (expected N, N-M or any)");
        int port = Integer.parseInt(digits);
        if (port > 65535) throw new IllegalArgumentException("port " + port + " out of range 0..65535 in '" + whole + "'");
        return port;
    }

    @Override public String toString() { return isAny() ? "any" : from == to ? Integer.toString(from) : from + "-" + to; }
}
