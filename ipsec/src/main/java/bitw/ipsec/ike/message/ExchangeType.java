// IKEv2 exchange types (RFC 7296 §3.1, RFC 9242, RFC 9370). The header keeps the raw number so unknown exchange
// types survive a decode/encode round trip; this enum names the ones the engine understands.
package bitw.ipsec.ike.message;

public enum ExchangeType {
    IKE_SA_INIT(34), IKE_AUTH(35), CREATE_CHILD_SA(36), INFORMATIONAL(37), IKE_INTERMEDIATE(43), IKE_FOLLOWUP_KE(44),
    /** Any value not listed above; the number itself stays in {@link IkeHeader#exchangeType()}. */
    UNKNOWN(-1);

    private final int value;

    ExchangeType(int value) { this.value = value; }

    public int value() { return value; }

    public static ExchangeType of(int value) {
        for (ExchangeType t : values()) if (t.value == value) return t;
        return UNKNOWN;
    }
}
