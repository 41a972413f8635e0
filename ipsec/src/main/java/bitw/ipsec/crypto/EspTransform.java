// The cryptography of one direction of one ESP SA, working in place on a frame buffer.
// Not thread-safe: each SA direction is driven by exactly one data-plane thread (outbound SAs by the
// inside→outside thread, inbound SAs by the outside→inside thread), so one Cipher/Mac per SA suffices.
package bitw.ipsec.crypto;

public interface EspTransform {
    int ERR_TRUNCATED = -1;
    int ERR_ICV = -2;
    int ERR_PADDING = -3;

    /** Explicit IV bytes following the 8-byte ESP header (SPI, sequence). */
    int ivLength();

    int icvLength();

    /** Room the caller must leave after the payload: worst-case padding, pad length, next header and ICV. */
    int maxTrailerLength();

    /**
     * Builds an ESP packet in place. On entry the payload is at {@code buf[espOff + 8 + ivLength(), +payloadLen)}.
     * Writes SPI, low 32 bits of {@code seq}, IV, padding, pad length, next header and ICV (the high 32 bits of
     * {@code seq} enter the ICV when {@code esn}). Returns the ESP packet length, header to end of ICV.
     * Allocates nothing.
     */
    int seal(byte[] buf, int espOff, int payloadLen, int nextHeader, int spi, long seq, boolean esn);

    /**
     * Verifies and decrypts the ESP packet {@code buf[espOff, +espLen)} in place. {@code seq} is the full sequence
     * number inferred by the replay window (its high 32 bits enter the ICV when {@code esn}). On success returns the
     * payload length (payload at {@code espOff + 8 + ivLength()}) and {@link #lastNextHeader()} gives the next header;
     * otherwise one of the negative ERR_ codes. Allocates nothing; never throws on bad input.
     */
    int open(byte[] buf, int espOff, int espLen, long seq, boolean esn);

    /** Next-header field of the last successful {@link #open}. */
    int lastNextHeader();
}
