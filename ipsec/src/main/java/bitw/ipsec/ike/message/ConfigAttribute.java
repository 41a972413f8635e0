// One configuration attribute of a CP payload (RFC 7296 §3.15.1), value opaque.
package bitw.ipsec.ike.message;

import bitw.ipsec.packet.Bytes;
import java.util.Arrays;

/** @param type the 15-bit attribute type */
public record ConfigAttribute(int type, byte[] value) {
    public static final int INTERNAL_IP4_ADDRESS = 1, INTERNAL_IP4_NETMASK = 2, INTERNAL_IP4_DNS = 3, INTERNAL_IP4_NBNS = 4,
            INTERNAL_IP4_DHCP = 6, APPLICATION_VERSION = 7, INTERNAL_IP6_ADDRESS = 8, INTERNAL_IP6_DNS = 10,
            INTERNAL_IP6_DHCP = 12, INTERNAL_IP4_SUBNET = 13, SUPPORTED_ATTRIBUTES = 14, INTERNAL_IP6_SUBNET = 15;

    public ConfigAttribute {
        if (type < 0 || type > 0x7fff) throw new IllegalArgumentException("attribute type out of range");
        if (value.length > 0xffff) throw new IllegalArgumentException("attribute value too long");
        value = value.clone();
    }

    @Override public byte[] value() { return value.clone(); }
    byte[] raw() { return value; }
    @Override public boolean equals(Object o) { return o instanceof ConfigAttribute a && a.type == type && Arrays.equals(a.value, value); }
    @Override public int hashCode() { return type * 31 + Arrays.hashCode(value); }
    @Override public String toString() { return "Attr[" + type + ", " + Bytes.hex(value) + "]"; }
}
