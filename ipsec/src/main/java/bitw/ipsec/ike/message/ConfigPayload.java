// Configuration payload, CP (RFC 7296 §3.15).
package bitw.ipsec.ike.message;

import java.util.List;

public record ConfigPayload(int cfgType, List<ConfigAttribute> attributes) implements Payload {
    public static final int CFG_REQUEST = 1, CFG_REPLY = 2, CFG_SET = 3, CFG_ACK = 4;

    public ConfigPayload {
        if (cfgType < 0 || cfgType > 255) throw new IllegalArgumentException("CFG type out of range");
        attributes = List.copyOf(attributes);
    }

    @Override public int type() { return PayloadType.CP; }
}
