// A payload whose type we do not know and whose critical bit is clear: RFC 7296 §2.5 says skip it, so the codec
// keeps it opaque (and re-encodes it unchanged) instead of failing the message.
package bitw.ipsec.ike.message;

import java.util.Arrays;

public record UnknownPayload(int type, boolean critical, byte[] body) implements Payload {
    public UnknownPayload {
        if (type < 1 || type > 255) throw new IllegalArgumentException("payload type out of range");
        if (PayloadType.isKnown(type)) throw new IllegalArgumentException("payload type " + type + " has its own record");
        body = body.clone();
    }

    @Override public byte[] body() { return body.clone(); }
    byte[] raw() { return body; }
    @Override public boolean equals(Object o) { return o instanceof UnknownPayload p && p.type == type && p.critical == critical && Arrays.equals(p.body, body); }
    @Override public int hashCode() { return (type * 31 + (critical ? 1 : 0)) * 31 + Arrays.hashCode(body); }
    @Override public String toString() { return "Unknown[type=" + type + (critical ? ", critical" : "") + ", " + body.length + "B]"; }
}
