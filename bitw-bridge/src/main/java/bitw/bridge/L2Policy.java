// What happens to frames that carry no IP packet the SPD could judge. Default: all pass.
package bitw.bridge;

public record L2Policy(boolean arp, boolean vlan, boolean lldp, boolean ipv6Nd, boolean other) {
    public static final L2Policy PASS_ALL = new L2Policy(true, true, true, true, true);
}
