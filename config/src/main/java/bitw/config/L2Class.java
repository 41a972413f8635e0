// Classes of non-IP frames the bridge can pass or drop (the 'l2' statement). IP frames, including IP inside
// 802.1Q, are never decided here: they go through the SPD.
package bitw.config;

public enum L2Class {
    ARP("arp"),
    /** 802.1Q frames whose inner payload is not IP. */
    VLAN("vlan"),
    LLDP("lldp"),
    IPV6_ND("ipv6-nd"),
    /** Every other EtherType. */
    OTHER("other");

    public final String configName;
    L2Class(String configName) { this.configName = configName; }

    public static L2Class byConfigName(String name) {
        for (L2Class c : values()) if (c.configName.equals(name)) return c;
        return null;
    }
}
