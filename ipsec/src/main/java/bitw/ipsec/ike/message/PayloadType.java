// IANA "IKEv2 Payload Types" numbers used in next-payload fields.
package bitw.ipsec.ike.message;

public final class PayloadType {
    private PayloadType() {}

    public static final int NONE = 0, SA = 33, KE = 34, IDI = 35, IDR = 36, CERT = 37, CERTREQ = 38, AUTH = 39, NONCE = 40,
            NOTIFY = 41, DELETE = 42, VENDOR_ID = 43, TSI = 44, TSR = 45, SK = 46, CP = 47, EAP = 48, SKF = 53;

    public static boolean isKnown(int type) { return type >= SA && type <= EAP || type == SKF; }
}
