// Notify payload (RFC 7296 §3.10) and the IANA notify message types the engine sends or reads. Types below 16384
// are errors, the rest status. The notify type is called notifyType because type() is the payload type (41).
package bitw.ipsec.ike.message;

import bitw.ipsec.packet.Bytes;
import java.util.Arrays;

/** @param protocolId 0 when not about an SA, 1 IKE, 2 AH, 3 ESP; @param spi empty unless the notify concerns an SA */
public record NotifyPayload(int protocolId, byte[] spi, int notifyType, byte[] data) implements Payload {
    // Error types (RFC 7296 §3.10.1 and later RFCs).
    public static final int UNSUPPORTED_CRITICAL_PAYLOAD = 1, INVALID_IKE_SPI = 4, INVALID_MAJOR_VERSION = 5, INVALID_SYNTAX = 7,
            INVALID_MESSAGE_ID = 9, INVALID_SPI = 11, NO_PROPOSAL_CHOSEN = 14, INVALID_KE_PAYLOAD = 17, AUTHENTICATION_FAILED = 24,
            SINGLE_PAIR_REQUIRED = 34, NO_ADDITIONAL_SAS = 35, INTERNAL_ADDRESS_FAILURE = 36, FAILED_CP_REQUIRED = 37,
            TS_UNACCEPTABLE = 38, INVALID_SELECTORS = 39, UNACCEPTABLE_ADDRESSES = 40, UNEXPECTED_NAT_DETECTED = 41,
            USE_ASSIGNED_HOA = 42, TEMPORARY_FAILURE = 43, CHILD_SA_NOT_FOUND = 44, INVALID_GROUP_ID = 45,
            AUTHORIZATION_FAILED = 46, STATE_NOT_FOUND = 47;
    // Status types.
    public static final int INITIAL_CONTACT = 16384, SET_WINDOW_SIZE = 16385, ADDITIONAL_TS_POSSIBLE = 16386, IPCOMP_SUPPORTED = 16387,
            NAT_DETECTION_SOURCE_IP = 16388, NAT_DETECTION_DESTINATION_IP = 16389, COOKIE = 16390, USE_TRANSPORT_MODE = 16391,
            HTTP_CERT_LOOKUP_SUPPORTED = 16392, REKEY_SA = 16393, ESP_TFC_PADDING_NOT_SUPPORTED = 16394, NON_FIRST_FRAGMENTS_ALSO = 16395,
            MOBIKE_SUPPORTED = 16396, ADDITIONAL_IP4_ADDRESS = 16397, ADDITIONAL_IP6_ADDRESS = 16398, NO_ADDITIONAL_ADDRESSES = 16399,
            UPDATE_SA_ADDRESSES = 16400, COOKIE2 = 16401, NO_NATS_ALLOWED = 16402, AUTH_LIFETIME = 16403,
            MULTIPLE_AUTH_SUPPORTED = 16404, ANOTHER_AUTH_FOLLOWS = 16405, REDIRECT_SUPPORTED = 16406, REDIRECT = 16407,
            REDIRECTED_FROM = 16408, EAP_ONLY_AUTHENTICATION = 16417, CHILDLESS_IKEV2_SUPPORTED = 16418,
            IKEV2_MESSAGE_ID_SYNC_SUPPORTED = 16420, IKEV2_FRAGMENTATION_SUPPORTED = 16430, SIGNATURE_HASH_ALGORITHMS = 16431,
            INTERMEDIATE_EXCHANGE_SUPPORTED = 16438, ADDITIONAL_KEY_EXCHANGE = 16441, USE_AGGFRAG = 16442;

    public NotifyPayload {
        if (protocolId < 0 || protocolId > 255 || notifyType < 0 || notifyType > 0xffff) throw new IllegalArgumentException("notify field out of range");
        if (spi.length > 255) throw new IllegalArgumentException("SPI too long");
        spi = spi.clone();
        data = data.clone();
    }

    /** A notify about no particular SA (protocol 0, no SPI). */
    public NotifyPayload(int notifyType, byte[] data) { this(0, new byte[0], notifyType, data); }

    /** INVALID_KE_PAYLOAD carries the accepted group as two bytes (RFC 7296 §3.10.1). */
    public static NotifyPayload invalidKe(int group) {
        byte[] d = new byte[2];
        Bytes.put16(d, 0, group);
        return new NotifyPayload(INVALID_KE_PAYLOAD, d);
    }

    /** The group carried by a well-formed INVALID_KE_PAYLOAD, else -1. */
    public int invalidKeGroup() { return notifyType == INVALID_KE_PAYLOAD && data.length == 2 ? Bytes.u16(data, 0) : -1; }

    public boolean isError() { return notifyType < 16384; }

    @Override public byte[] spi() { return spi.clone(); }
    @Override public byte[] data() { return data.clone(); }
    byte[] rawSpi() { return spi; }
    byte[] raw() { return data; }
    @Override public int type() { return PayloadType.NOTIFY; }
    @Override public boolean equals(Object o) {
        return o instanceof NotifyPayload p && p.protocolId == protocolId && p.notifyType == notifyType && Arrays.equals(p.spi, spi) && Arrays.equals(p.data, data);
    }
    @Override public int hashCode() { return ((protocolId * 31 + notifyType) * 31 + Arrays.hashCode(spi)) * 31 + Arrays.hashCode(data); }
    @Override public String toString() { return "N[" + notifyType + (spi.length > 0 ? ", protocol=" + protocolId + ", spi=" + Bytes.hex(spi) : "") + ", " + Bytes.hex(data) + "]"; }
}
