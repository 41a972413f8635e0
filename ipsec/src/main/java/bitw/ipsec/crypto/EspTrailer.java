// The ESP trailer (RFC 4303 §2.4–2.6): monotonic padding 1, 2, 3, …, Pad Length, Next Header.
// Written before encryption on seal, checked after decryption on open.
package bitw.ipsec.crypto;

final class EspTrailer {
    private EspTrailer() {}

    /** Padding that brings payload plus the 2 trailer bytes to a multiple of {@code blockSize}. */
    static int padLength(int payloadLen, int blockSize) {
        int rem = (payloadLen + 2) % blockSize;
        return rem == 0 ? 0 : blockSize - rem;
    }

    /** Writes padding, pad length and next header after the payload at {@code end}; returns the trailer length. */
    static int write(byte[] buf, int end, int padLen, int nextHeader) {
        for (int i = 0; i < padLen; i++) buf[end + i] = (byte) (i + 1);
        buf[end + padLen] = (byte) padLen;
        buf[end + padLen + 1] = (byte) nextHeader;
        return padLen + 2;
    }

    /**
     * Checks the trailer at the end of the decrypted {@code buf[off, +len)}. Returns the payload length, or -1 if
     * the pad length does not fit or a padding byte is not the RFC 4303 default value.
     */
    static int check(byte[] buf, int off, int len) {
        if (len < 2) return -1;
        int padLen = buf[off + len - 2] & 0xff;
        int payloadLen = len - 2 - padLen;
        if (payloadLen < 0) return -1;
        int bad = 0;
        for (int i = 0; i < padLen; i++) bad |= (buf[off + payloadLen + i] & 0xff) ^ (i + 1);
        return bad == 0 ? payloadLen : -1;
    }
}
