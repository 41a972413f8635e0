// AH (RFC 4302) with a truncated HMAC: the ICV covers the outer IP header with its mutable fields zeroed, the AH
// header with a zeroed ICV, the payload, and with ESN the high sequence bits (RFC 4302 §3.3.3.2.1).
// Only option-free IPv4 headers and IPv6 headers with AH directly after them are handled: that is all we build.
package bitw.ipsec.crypto;

import java.util.Arrays;

import bitw.ipsec.packet.Bytes;

final class HmacAhTransform implements AhTransform {
    private static final int AH_FIXED = 12;
    private static final int IPV4_HEADER = 20, IPV6_HEADER = 40;
    private static final int PROTO_AH = 51;

    private final IcvMac icv;
    private final int lengthV4, lengthV6;
    /** Mutable IP header bytes saved while zeroed: IPv4 bytes 0–11 or IPv6 bytes 0–7 are enough. */
    private final byte[] savedIp = new byte[12];
    private final byte[] receivedIcv = new byte[64];
    private int lastNextHeader = -1;

    HmacAhTransform(IcvMac icv) {
        this.icv = icv;
        this.lengthV4 = roundUp(AH_FIXED + icv.icvLength, 4);
        this.lengthV6 = roundUp(AH_FIXED + icv.icvLength, 8);
    }

    private static int roundUp(int n, int m) { return (n + m - 1) / m * m; }

    @Override
    public int headerLength(int ipFamily) { return ipFamily == 6 ? lengthV6 : lengthV4; }

    @Override
    public void seal(byte[] buf, int ipOff, int packetLen, int ahOff, int nextHeader, int spi, long seq, boolean esn) {
        int family = checkHeader(buf, ipOff, packetLen, ahOff);
        if (family < 0)
            throw new IllegalArgumentException("AH seal needs an option-free IPv4 or extension-free IPv6 header with protocol 51, followed by AH");
        int ahLen = headerLength(family);
        buf[ahOff] = (byte) nextHeader;
        buf[ahOff + 1] = (byte) (ahLen / 4 - 2);
        Bytes.put16(buf, ahOff + 2, 0);
        Bytes.put32(buf, ahOff + 4, spi);
        Bytes.put32(buf, ahOff + 8, (int) seq);
        Arrays.fill(buf, ahOff + AH_FIXED, ahOff + ahLen, (byte) 0);
        computeIcv(buf, ipOff, packetLen, family, seq, esn);
        icv.finishInto(buf, ahOff + AH_FIXED);
    }

    @Override
    public int open(byte[] buf, int ipOff, int packetLen, int ahOff, long seq, boolean esn) {
        if (ipOff < 0 || packetLen < IPV4_HEADER + AH_FIXED || ipOff + packetLen > buf.length) return ERR_TRUNCATED;
        int family = checkHeader(buf, ipOff, packetLen, ahOff);
        if (family < 0) return ERR_MALFORMED;
        int ahLen = headerLength(family);
        if (ahOff + ahLen > ipOff + packetLen) return ERR_TRUNCATED;
        if ((buf[ahOff + 1] & 0xff) != ahLen / 4 - 2) return ERR_MALFORMED;
        int icvOff = ahOff + AH_FIXED;
        System.arraycopy(buf, icvOff, receivedIcv, 0, icv.icvLength);
        Arrays.fill(buf, icvOff, icvOff + icv.icvLength, (byte) 0);
        computeIcv(buf, ipOff, packetLen, family, seq, esn);
        System.arraycopy(receivedIcv, 0, buf, icvOff, icv.icvLength);
        if (!icv.finishAndVerify(receivedIcv, 0)) return ERR_ICV;
        lastNextHeader = buf[ahOff] & 0xff;
        return ahOff + ahLen;
    }

    @Override
    public int lastNextHeader() { return lastNextHeader; }

    /**
     * Returns the family (4 or 6) when the header is one we handle: right version, no options or extension
     * headers (AH directly after the fixed header), lengths consistent with {@code packetLen}; else -1.
     */
    private int checkHeader(byte[] buf, int ipOff, int packetLen, int ahOff) {
        if (packetLen < 1) return -1;
        int version = (buf[ipOff] & 0xff) >>> 4;
        if (version == 4) {
            if ((buf[ipOff] & 0x0f) != 5 || ahOff != ipOff + IPV4_HEADER) return -1;
            if ((buf[ipOff + 9] & 0xff) != PROTO_AH || Bytes.u16(buf, ipOff + 2) != packetLen) return -1;
            return packetLen >= IPV4_HEADER + lengthV4 ? 4 : -1;
        }
        if (version == 6) {
            if (packetLen < IPV6_HEADER || ahOff != ipOff + IPV6_HEADER) return -1;
            if ((buf[ipOff + 6] & 0xff) != PROTO_AH || Bytes.u16(buf, ipOff + 4) + IPV6_HEADER != packetLen) return -1;
            return packetLen >= IPV6_HEADER + lengthV6 ? 6 : -1;
        }
        return -1;
    }

    /** Feeds the whole packet to the MAC with the mutable IP fields zeroed (RFC 4302 §3.3.3.1), then restores them. */
    private void computeIcv(byte[] buf, int ipOff, int packetLen, int family, long seq, boolean esn) {
        if (family == 4) {
            System.arraycopy(buf, ipOff, savedIp, 0, 12);
            buf[ipOff + 1] = 0;                 // TOS / DSCP+ECN
            Bytes.put16(buf, ipOff + 6, 0);     // flags + fragment offset
            buf[ipOff + 8] = 0;                 // TTL
            Bytes.put16(buf, ipOff + 10, 0);    // header checksum
            icv.update(buf, ipOff, packetLen);
            System.arraycopy(savedIp, 0, buf, ipOff, 12);
        } else {
            System.arraycopy(buf, ipOff, savedIp, 0, 8);
            buf[ipOff] &= (byte) 0xf0;          // keep the version, zero the traffic class …
            buf[ipOff + 1] = 0;                 // … and the flow label
            Bytes.put16(buf, ipOff + 2, 0);
            buf[ipOff + 7] = 0;                 // hop limit
            icv.update(buf, ipOff, packetLen);
            System.arraycopy(savedIp, 0, buf, ipOff, 8);
        }
        if (esn) icv.updateSeqHigh(seq);
    }
}
