// Builds the Ethernet frames the LAN hosts of a test send, with correct checksums.
package bitw.bridge;

import bitw.ipsec.packet.Bytes;
import bitw.ipsec.packet.IpAddress;

public final class TestFrames {
    public static final long HOST_A_MAC = 0x02_00_00_00_0a_0aL, ROUTER_A_MAC = 0x02_00_00_00_0a_01L;
    static final long HOST_B_MAC = 0x02_00_00_00_0b_0bL, ROUTER_B_MAC = 0x02_00_00_00_0b_01L;

    private TestFrames() {}

    /** An IPv4 or IPv6 UDP datagram in an Ethernet frame; payload bytes are a pattern of the given seed. */
    public static byte[] udp(long dstMac, long srcMac, String src, String dst, int sport, int dport, int payloadLen, boolean df, int seed) {
        IpAddress s = IpAddress.parse(src), d = IpAddress.parse(dst);
        boolean v4 = s.family() == IpAddress.V4;
        int ipHdr = v4 ? 20 : 40, udpLen = 8 + payloadLen, ipLen = ipHdr + udpLen;
        byte[] f = new byte[14 + ipLen];
        Ethernet.putMac(f, 0, dstMac);
        Ethernet.putMac(f, 6, srcMac);
        Bytes.put16(f, 12, v4 ? Ethernet.IPV4 : Ethernet.IPV6);
        int ip = 14, u = ip + ipHdr;
        if (v4) {
            f[ip] = 0x45;
            f[ip + 1] = 0x10;
            Bytes.put16(f, ip + 2, ipLen);
            Bytes.put16(f, ip + 4, seed & 0xffff);
            Bytes.put16(f, ip + 6, df ? 0x4000 : 0);
            f[ip + 8] = 63;
            f[ip + 9] = 17;
            s.write(f, ip + 12);
            d.write(f, ip + 16);
            Bytes.put16(f, ip + 10, checksum(f, ip, 20, 0));
        } else {
            Bytes.put32(f, ip, 0x6000_0000);
            Bytes.put16(f, ip + 4, udpLen);
            f[ip + 6] = 17;
            f[ip + 7] = 63;
            s.write(f, ip + 8);
            d.write(f, ip + 24);
        }
        Bytes.put16(f, u, sport);
        Bytes.put16(f, u + 2, dport);
        Bytes.put16(f, u + 4, udpLen);
        for (int i = 0; i < payloadLen; i++) f[u + 8 + i] = (byte) (seed * 31 + i);
        int pseudo = 0;
        byte[] sb = s.toBytes(), db = d.toBytes();
        for (int i = 0; i < sb.length; i += 2) pseudo += ((sb[i] & 0xff) << 8) | (sb[i + 1] & 0xff);
        for (int i = 0; i < db.length; i += 2) pseudo += ((db[i] & 0xff) << 8) | (db[i + 1] & 0xff);
        pseudo += 17 + udpLen;
        int c = checksum(f, u, udpLen, pseudo);
        Bytes.put16(f, u + 6, c == 0 ? 0xffff : c);
        return f;
    }

    static int checksum(byte[] b, int off, int len, int initial) {
        long sum = initial & 0xffffffffL;
        for (int i = 0; i + 1 < len; i += 2) sum += ((b[off + i] & 0xff) << 8) | (b[off + i + 1] & 0xff);
        if ((len & 1) != 0) sum += (b[off + len - 1] & 0xff) << 8;
        while ((sum >> 16) != 0) sum = (sum & 0xffff) + (sum >> 16);
        return (int) (~sum & 0xffff);
    }

    /** The IP packet inside an Ethernet frame (no VLAN), trimmed to its own length. */
    static byte[] ipPacket(byte[] frame) {
        int type = Bytes.u16(frame, 12);
        int len = type == Ethernet.IPV4 ? Bytes.u16(frame, 16) : 40 + Bytes.u16(frame, 18);
        return java.util.Arrays.copyOfRange(frame, 14, 14 + len);
    }

    static byte[] arpRequest(long srcMac, String senderIp, String targetIp) {
        byte[] f = new byte[42];
        Ethernet.putMac(f, 0, Ethernet.BROADCAST);
        Ethernet.putMac(f, 6, srcMac);
        Bytes.put16(f, 12, Ethernet.ARP);
        Bytes.put16(f, 14, 1);
        Bytes.put16(f, 16, Ethernet.IPV4);
        f[18] = 6;
        f[19] = 4;
        Bytes.put16(f, 20, 1);
        Ethernet.putMac(f, 22, srcMac);
        IpAddress.parse(senderIp).write(f, 28);
        IpAddress.parse(targetIp).write(f, 38);
        return f;
    }
}
