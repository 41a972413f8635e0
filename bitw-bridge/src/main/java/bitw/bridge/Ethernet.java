// Ethernet framing facts the pipeline needs: where the L3 header starts (after an optional 802.1Q/802.1ad
// tag), ethertypes, MAC addresses as longs.
package bitw.bridge;

import bitw.ipsec.packet.Bytes;

public final class Ethernet {
    public static final int HEADER = 14;
    public static final int TPID_8021Q = 0x8100, TPID_8021AD = 0x88a8;
    public static final int IPV4 = 0x0800, IPV6 = 0x86dd, ARP = 0x0806, LLDP = 0x88cc;
    public static final long BROADCAST = 0xffff_ffff_ffffL;

    private Ethernet() {}

    /** Length of the Ethernet header including one VLAN tag if present; -1 if the frame is too short. */
    public static int headerLength(byte[] b, int off, int len) {
        if (len < HEADER) return -1;
        int type = Bytes.u16(b, off + 12);
        if (type == TPID_8021Q || type == TPID_8021AD) return len < HEADER + 4 ? -1 : HEADER + 4;
        return HEADER;
    }

    /** The ethertype after any VLAN tag. */
    public static int etherType(byte[] b, int off, int headerLength) {
        return Bytes.u16(b, off + headerLength - 2);
    }

    public static long mac(byte[] b, int off) {
        return ((long) Bytes.u16(b, off) << 32) | Bytes.u32(b, off + 2);
    }

    public static void putMac(byte[] b, int off, long mac) {
        Bytes.put16(b, off, (int) (mac >>> 32));
        Bytes.put32(b, off + 2, (int) mac);
    }

    public static boolean isMulticast(long mac) { return (mac & 0x0100_0000_0000L) != 0; }

    public static long parseMac(String s) {
        String[] p = s.split("[:-]");
        if (p.length != 6) throw new IllegalArgumentException("not a MAC address: '" + s + "'");
        long m = 0;
        for (String x : p) {
            if (x.length() != 2) throw new IllegalArgumentException("not a MAC address: '" + s + "'");
            m = m << 8 | Integer.parseInt(x, 16);
        }
        return m;
    }

    public static String formatMac(long mac) {
        StringBuilder sb = new StringBuilder(17);
        for (int i = 5; i >= 0; i--) {
            sb.append(String.format("%02x", (mac >>> (8 * i)) & 0xff));
            if (i > 0) sb.append(':');
        }
        return sb.toString();
    }
}
