// The fixed 28-byte IKE header (RFC 7296 §3.1): the first thing IkeMessageCodec reads from a datagram and the first
// thing it writes. Message IDs are unsigned 32-bit values carried in a long.
package bitw.ipsec.ike.message;

import bitw.ipsec.packet.Bytes;

/**
 * @param exchangeType raw exchange type number (see {@link #exchange()})
 * @param length total message length; filled in by the encoder, equal to the datagram length after a decode
 */
public record IkeHeader(long initiatorSpi, long responderSpi, int nextPayload, int majorVersion, int minorVersion,
                        int exchangeType, boolean initiator, boolean version, boolean response, long messageId,
                        long length) {
    public static final int LENGTH = 28;
    static final int FLAG_INITIATOR = 0x08, FLAG_VERSION = 0x10, FLAG_RESPONSE = 0x20;

    public IkeHeader {
        if (nextPayload < 0 || nextPayload > 255) throw new IllegalArgumentException("next payload out of range");
        if (majorVersion < 0 || majorVersion > 15 || minorVersion < 0 || minorVersion > 15) throw new IllegalArgumentException("version out of range");
        if (exchangeType < 0 || exchangeType > 255) throw new IllegalArgumentException("exchange type out of range");
        if (messageId < 0 || messageId > 0xffffffffL) throw new IllegalArgumentException("message ID out of range");
        if (length < 0 || length > 0xffffffffL) throw new IllegalArgumentException("length out of range");
    }

    /** An IKEv2.0 header; next payload and length are filled in by the encoder. */
    public static IkeHeader of(long initiatorSpi, long responderSpi, ExchangeType exchange, boolean initiator, boolean response, long messageId) {
        if (exchange == ExchangeType.UNKNOWN) throw new IllegalArgumentException("use the canonical constructor for unknown exchange types");
        return new IkeHeader(initiatorSpi, responderSpi, 0, 2, 0, exchange.value(), initiator, false, response, messageId, 0);
    }

    public ExchangeType exchange() { return ExchangeType.of(exchangeType); }

    public IkeHeader withNextPayloadAndLength(int next, long len) {
        return new IkeHeader(initiatorSpi, responderSpi, next, majorVersion, minorVersion, exchangeType, initiator, version, response, messageId, len);
    }

    /** Reads the header fields without judging them; the codec validates version and length. */
    static IkeHeader read(byte[] b, int off) {
        int flags = Bytes.u8(b, off + 19);
        return new IkeHeader(Bytes.i64(b, off), Bytes.i64(b, off + 8), Bytes.u8(b, off + 16), Bytes.u8(b, off + 17) >>> 4,
                Bytes.u8(b, off + 17) & 0xf, Bytes.u8(b, off + 18), (flags & FLAG_INITIATOR) != 0, (flags & FLAG_VERSION) != 0,
                (flags & FLAG_RESPONSE) != 0, Bytes.u32(b, off + 20), Bytes.u32(b, off + 24));
    }

    /** Writes all 28 bytes; reserved flag bits are sent as zero (RFC 7296 §3.1). */
    void write(byte[] b, int off) {
        Bytes.put64(b, off, initiatorSpi);
        Bytes.put64(b, off + 8, responderSpi);
        Bytes.put8(b, off + 16, nextPayload);
        Bytes.put8(b, off + 17, majorVersion << 4 | minorVersion);
        Bytes.put8(b, off + 18, exchangeType);
        Bytes.put8(b, off + 19, (initiator ? FLAG_INITIATOR : 0) | (version ? FLAG_VERSION : 0) | (response ? FLAG_RESPONSE : 0));
        Bytes.put32(b, off + 20, (int) messageId);
        Bytes.put32(b, off + 24, (int) length);
    }
}
