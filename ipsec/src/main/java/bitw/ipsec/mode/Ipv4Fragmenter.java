// Outbound path, before encapsulation: splits an inner IPv4 packet without DF that would not fit the tunnel
// MTU into IPv4 fragments (RFC 791), so that each fragment is encapsulated and encrypted on its own and the
// outer packets are never fragmented (RFC 4301 §8.1 pre-fragmentation). Each fragment is built in one
// preallocated scratch buffer, after `headroom` bytes for the outer headers and ESP header, and handed to the
// sink before the next is written; nothing is allocated per packet.
package bitw.ipsec.mode;

import bitw.ipsec.packet.Bytes;
import bitw.ipsec.packet.InternetChecksum;

public final class Ipv4Fragmenter {
    public interface FragmentSink { void fragment(byte[] buf, int off, int len); }

    public static final int ERR_TRUNCATED = -1, ERR_MALFORMED = -2, ERR_DONT_FRAGMENT = -3, ERR_MTU_TOO_SMALL = -4;
    /** Bytes reserved after each fragment for the ESP trailer (padding, pad length, next header, ICV). */
    public static final int TAILROOM = 256;

    private final int maxPacket, headroom;
    private final byte[] scratch;
    /** The options copied into every fragment after the first (RFC 791 copy flag), padded to a 4-byte boundary. */
    private final byte[] copiedOptions = new byte[40];

    public Ipv4Fragmenter(int maxPacket, int headroom) {
        if (maxPacket < 28 || maxPacket > 65535) throw new IllegalArgumentException("maxPacket must be 28..65535");
        if (headroom < 0) throw new IllegalArgumentException("headroom must not be negative");
        this.maxPacket = maxPacket;
        this.headroom = headroom;
        this.scratch = new byte[headroom + maxPacket + TAILROOM];
    }

    public int headroom() { return headroom; }
    public int maxPacket() { return maxPacket; }

    /**
     * Fragments the IPv4 packet at {@code buf[ipOff]} ({@code len} bytes present) into fragments of at most
     * {@code maxFragmentLength} bytes (and at most maxPacket), calling {@code sink} with each one at offset
     * {@link #headroom()} of the scratch buffer. A packet that already fits is passed on whole as one fragment.
     * An already fragmented packet keeps its offset and MF: its pieces carry offsets relative to the original
     * datagram and only the piece at its end keeps MF clear (and only if it was clear). Returns the number of
     * fragments, or a negative ERR_ code (nothing is sent then). {@code buf} must not be the scratch buffer.
     */
    public int fragment(byte[] buf, int ipOff, int len, int maxFragmentLength, FragmentSink sink) {
        if (buf == null || sink == null || buf == scratch || ipOff < 0 || len < 0 || ipOff > buf.length - len) return ERR_MALFORMED;
        if (len < 20) return ERR_TRUNCATED;
        if ((buf[ipOff] & 0xf0) != 0x40) return ERR_MALFORMED;
        int ihl = (buf[ipOff] & 0x0f) * 4;
        if (ihl < 20) return ERR_MALFORMED;
        if (ihl > len) return ERR_TRUNCATED;
        int total = Bytes.u16(buf, ipOff + 2);
        if (total < ihl) return ERR_MALFORMED;
        if (total > len) return ERR_TRUNCATED;
        int flagsOffset = Bytes.u16(buf, ipOff + 6);
        boolean originalMf = (flagsOffset & 0x2000) != 0;
        int originalOffset = (flagsOffset & 0x1fff) * 8;
        int payloadLength = total - ihl;
        if (originalOffset + payloadLength > 65535) return ERR_MALFORMED;
        int max = Math.min(maxFragmentLength, maxPacket);

        if (total <= max) {
            System.arraycopy(buf, ipOff, scratch, headroom, total);
            sink.fragment(scratch, headroom, total);
            return 1;
        }
        if ((flagsOffset & 0x4000) != 0) return ERR_DONT_FRAGMENT;

        int copiedLength = collectCopiedOptions(buf, ipOff + 20, ipOff + ihl);
        if (copiedLength < 0) return ERR_MALFORMED;
        int laterIhl = 20 + copiedLength;
        int firstChunk = ((max - ihl) / 8) * 8;
        int laterChunk = ((max - laterIhl) / 8) * 8;
        if (firstChunk < 8) return ERR_MTU_TOO_SMALL;

        int count = 0;
        for (int pos = 0; pos < payloadLength; count++) {
            boolean first = pos == 0;
            int hl = first ? ihl : laterIhl;
            int chunk = Math.min(payloadLength - pos, first ? firstChunk : laterChunk);
            boolean last = pos + chunk == payloadLength;
            int o = headroom;
            System.arraycopy(buf, ipOff, scratch, o, 20);
            if (first) System.arraycopy(buf, ipOff + 20, scratch, o + 20, ihl - 20);
            else System.arraycopy(copiedOptions, 0, scratch, o + 20, copiedLength);
            scratch[o] = (byte) (0x40 | hl / 4);
            Bytes.put16(scratch, o + 2, hl + chunk);
            Bytes.put16(scratch, o + 6, (!last || originalMf ? 0x2000 : 0) | (originalOffset + pos) / 8);
            Bytes.put16(scratch, o + 10, 0);
            Bytes.put16(scratch, o + 10, InternetChecksum.fold(InternetChecksum.sum(scratch, o, hl, 0)));
            System.arraycopy(buf, ipOff + ihl + pos, scratch, o + hl, chunk);
            sink.fragment(scratch, o, hl + chunk);
            pos += chunk;
        }
        return count;
    }

    /** Copies options whose type has the copy flag into {@link #copiedOptions}; returns their padded length or -1. */
    private int collectCopiedOptions(byte[] b, int p, int end) {
        int n = 0;
        while (p < end) {
            int type = b[p] & 0xff;
            if (type == 0) break;                 // end of option list: the rest is padding
            if (type == 1) { p++; continue; }     // no-operation: copy flag clear, single byte
            if (p + 1 >= end) return -1;
            int olen = b[p + 1] & 0xff;
            if (olen < 2 || p + olen > end) return -1;
            if ((type & 0x80) != 0) { System.arraycopy(b, p, copiedOptions, n, olen); n += olen; }
            p += olen;
        }
        int padded = (n + 3) & ~3;
        for (int i = n; i < padded; i++) copiedOptions[i] = 0;  // end-of-option-list padding
        return padded;
    }
}
