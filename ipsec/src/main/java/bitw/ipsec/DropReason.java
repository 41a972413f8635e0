// Why the data plane dropped a frame. Every drop is counted under one of these.
package bitw.ipsec;

public enum DropReason {
    MALFORMED("frame or packet could not be parsed"),
    TRUNCATED("packet shorter than its headers say"),
    L2_POLICY("non-IP frame refused by the L2 policy"),
    POLICY_DENY("SPD entry says deny"),
    NO_POLICY("no SPD entry matched and the default is deny"),
    NO_SA("configured policy without an SA (never sent in the clear)"),
    HOLD_QUEUE_FULL("packet held for an SA while another was already held"),
    CLEARTEXT_UNDER_POLICY("cleartext from outside that a configured policy covers"),
    UNKNOWN_SPI("ESP/AH with an SPI that is not in the SAD"),
    REPLAY("sequence number replayed or left of the window"),
    ICV_FAILED("integrity check failed"),
    BAD_PADDING("ESP padding or next header invalid"),
    SELECTOR_MISMATCH("decapsulated packet outside the SA's selectors"),
    SA_EXPIRED("SA reached its hard lifetime"),
    SEQUENCE_EXHAUSTED("outbound sequence number would wrap"),
    TOO_BIG("DF set and packet too big after encapsulation (ICMP sent)"),
    TTL_EXCEEDED("TTL or hop limit exhausted"),
    FRAGMENTED_ESP("fragmented ESP for our address (no reassembly)"),
    NAT_KEEPALIVE("NAT-T keepalive (consumed)"),
    NEIGHBOUR_UNRESOLVED("inside host did not answer ARP/ND within a second"),
    TX_FAILED("the port refused the frame"),
    HOST_PATH_FULL("own-address path could not take the frame");

    public final String description;

    DropReason(String description) { this.description = description; }
}
