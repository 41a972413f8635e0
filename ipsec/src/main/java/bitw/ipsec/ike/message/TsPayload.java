// Traffic Selector payload, TSi or TSr (RFC 7296 §3.13).
package bitw.ipsec.ike.message;

import java.util.List;

/** @param initiator true for TSi (type 44), false for TSr (type 45) */
public record TsPayload(boolean initiator, List<TrafficSelector> selectors) implements Payload {
    public TsPayload {
        if (selectors.size() > 255) throw new IllegalArgumentException("too many traffic selectors");
        selectors = List.copyOf(selectors);
    }

    @Override public int type() { return initiator ? PayloadType.TSI : PayloadType.TSR; }
}
