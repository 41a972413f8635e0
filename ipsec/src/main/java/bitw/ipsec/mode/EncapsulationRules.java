// How the outer IP header's TOS/traffic class, DF and TTL derive from the inner packet on encapsulation, and
// how the ECN field of the outer header folds back into the inner one on decapsulation. One constant per
// SA mode; the outbound path asks it for outer header fields, the inbound path for the inner TOS.
//
// Under RFC 6040 (which updates RFC 4301 and applies to every IP-in-IP tunnel, RFC 2003 included) both modes
// end up computing the same values; they are kept apart because they cite different rules and a deployment
// option of either (e.g. RFC 4301's per-SA DSCP mapping or DF set/clear) would change only one of them.
package bitw.ipsec.mode;

import bitw.ipsec.packet.FlowKey;
import bitw.ipsec.packet.IpAddress;

public enum EncapsulationRules {
    /** RFC 4301 §5.1.2: outer TTL fresh, DSCP copied, ECN copied (RFC 6040 normal mode), DF copied from an inner IPv4
     *  header and set for an inner IPv6 packet. */
    TUNNEL {
        @Override public int outerTos(int innerTos) { return dscp(innerTos) | ecn(innerTos); }
        @Override public boolean outerDf(FlowKey inner) { return inner.family == IpAddress.V6 || inner.dontFragment; }
        @Override public int outerTtl(FlowKey inner) { return DEFAULT_TTL; }
    },
    /** RFC 3884 IIPtran: the IPIP step of RFC 2003 §3.1 builds the outer header (TOS copied, TTL chosen for the tunnel
     *  path, DF copied: if the inner DF is set the outer one MUST be, and RFC 3884's appendix forbids IPsec from
     *  clearing it); transport-mode ESP then leaves that header alone. RFC 2003 covers IPv4 inside only; an inner IPv6
     *  packet gets DF set because IPv6 is never fragmented on path. */
    IIPTRAN {
        @Override public int outerTos(int innerTos) { return innerTos & 0xff; }
        @Override public boolean outerDf(FlowKey inner) { return inner.family == IpAddress.V6 || inner.dontFragment; }
        @Override public int outerTtl(FlowKey inner) { return DEFAULT_TTL; }
    };

    /** The TTL / hop limit of the outer header: a fresh default, never the inner value (which could be nearly spent). */
    public static final int DEFAULT_TTL = 64;

    public static final int NOT_ECT = 0b00, ECT_1 = 0b01, ECT_0 = 0b10, CE = 0b11;

    /** The outer IPv4 TOS / IPv6 traffic class for a packet whose TOS (or traffic class) is {@code innerTos}. */
    public abstract int outerTos(int innerTos);

    /** Whether the outer IPv4 header gets DF. */
    public abstract boolean outerDf(FlowKey inner);

    /** The outer TTL (IPv4) or hop limit (IPv6). */
    public abstract int outerTtl(FlowKey inner);

    /**
     * The inner TOS / traffic class after decapsulation, or -1 when the packet must be dropped: RFC 6040 §4.2 for both
     * modes. The inner DSCP is kept (RFC 4301: the outer DSCP is not copied back by default); the ECN field follows:
     * <pre>
     *   inner \ outer   Not-ECT   ECT(0)   ECT(1)   CE
     *   Not-ECT         Not-ECT   Not-ECT  Not-ECT  drop
     *   ECT(0)          ECT(0)    ECT(0)   ECT(1)   CE
     *   ECT(1)          ECT(1)    ECT(1)   ECT(1)   CE
     *   CE              CE        CE       CE       CE
     * </pre>
     */
    public int innerTosAfterDecapsulation(int outerTos, int innerTos) {
        int outer = ecn(outerTos), inner = ecn(innerTos);
        int result;
        if (inner == NOT_ECT) {
            // Congestion marked on a path the inner transport cannot be told about: the only signal left is loss.
            if (outer == CE) return -1;
            result = NOT_ECT;
        } else if (inner == CE || outer == CE) {
            result = CE;
        } else if (outer == ECT_1) {
            result = ECT_1;  // ECT(1) on the outer can carry a second severity level (PCN); keep it.
        } else {
            result = inner;
        }
        return dscp(innerTos) | result;
    }

    static int dscp(int tos) { return tos & 0xfc; }
    static int ecn(int tos) { return tos & 0x03; }
}
