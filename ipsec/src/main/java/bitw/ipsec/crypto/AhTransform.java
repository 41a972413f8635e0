// The integrity computation of one direction of one AH SA (RFC 4302), in place on an IP packet.
// Not thread-safe, like EspTransform: one data-plane thread per SA direction.
package bitw.ipsec.crypto;

public interface AhTransform {
    int ERR_TRUNCATED = -1;
    int ERR_ICV = -2;
    int ERR_MALFORMED = -3;

    /** Length of the AH header including ICV and the padding the IP family requires (4-byte IPv4, 8-byte IPv6). */
    int headerLength(int ipFamily);

    /**
     * Fills in the AH header at {@code ahOff} and its ICV. On entry the IP header at {@code ipOff} is complete
     * (total/payload length final, protocol/next header = 51) and the payload follows the AH header; the packet is
     * {@code buf[ipOff, +packetLen)}. The mutable IP fields are zeroed for the ICV and restored afterwards.
     */
    void seal(byte[] buf, int ipOff, int packetLen, int ahOff, int nextHeader, int spi, long seq, boolean esn);

    /**
     * Verifies the AH packet {@code buf[ipOff, +packetLen)} whose AH header is at {@code ahOff}. {@code seq} is the
     * full sequence number inferred by the replay window. Returns the offset of the payload after the AH header
     * on success ({@link #lastNextHeader()} gives its protocol), or a negative ERR_ code. Never throws on bad input.
     */
    int open(byte[] buf, int ipOff, int packetLen, int ahOff, long seq, boolean esn);

    int lastNextHeader();
}
