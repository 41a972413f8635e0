// The only exception IkeMessageCodec throws on bad input. The reason tells the engine what to answer: most reasons
// mean "drop silently"; UNSUPPORTED_CRITICAL_PAYLOAD and INVALID_MAJOR_VERSION have notifications of their own.
package bitw.ipsec.ike.message;

import java.util.Optional;

public final class IkeParseException extends Exception {
    public enum Reason {
        /** The datagram or a structure ends before its fixed part or before the chain says it does. */
        TRUNCATED,
        /** A length field disagrees with the bytes present or is below the structure's minimum. */
        BAD_LENGTH,
        /** Well-framed but malformed: counts, last-substructure flags, field values. */
        INVALID_SYNTAX,
        /** A payload with the critical bit set whose type we do not know; see {@link #payloadType()}. */
        UNSUPPORTED_CRITICAL_PAYLOAD,
        /** Major version above 2: the engine may answer INVALID_MAJOR_VERSION (RFC 7296 §3.1); see {@link #header()}. */
        INVALID_MAJOR_VERSION,
        /** Major version below 2 (IKEv1/ISAKMP): drop. */
        OLD_MAJOR_VERSION,
        /** An SK or SKF payload that is not the last payload of the message, or one inside an encrypted chain. */
        ENCRYPTED_NOT_LAST,
    }

    private final Reason reason;
    private final int payloadType;
    private final transient IkeHeader header;

    IkeParseException(Reason reason, String detail, int payloadType, IkeHeader header) {
        // No stack trace: this is thrown for attacker-controlled input and is part of normal control flow.
        super(reason + ": " + detail, null, false, false);
        this.reason = reason;
        this.payloadType = payloadType;
        this.header = header;
    }

    public Reason reason() { return reason; }

    /** The payload type concerned (the unsupported critical type for UNSUPPORTED_CRITICAL_PAYLOAD), or -1. */
    public int payloadType() { return payloadType; }

    /** The IKE header when it was readable (needed to address a notification), else empty. */
    public Optional<IkeHeader> header() { return Optional.ofNullable(header); }
}
