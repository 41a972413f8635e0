// Identification payload, IDi or IDr (RFC 7296 §3.5). body() gives the RestOfIDPayload bytes that the AUTH
// computation signs or MACs (RFC 7296 §2.15: the ID payload without its generic payload header).
package bitw.ipsec.ike.message;

import bitw.ipsec.packet.Bytes;
import bitw.ipsec.packet.IpAddress;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** @param initiator true for IDi (type 35), false for IDr (type 36) */
public record IdPayload(boolean initiator, int idType, byte[] data) implements Payload {
    public static final int ID_IPV4_ADDR = 1, ID_FQDN = 2, ID_RFC822_ADDR = 3, ID_IPV6_ADDR = 5, ID_DER_ASN1_DN = 9, ID_KEY_ID = 11;

    public IdPayload {
        if (idType < 0 || idType > 255) throw new IllegalArgumentException("ID type out of range");
        data = data.clone();
    }

    public static IdPayload ofAddress(boolean initiator, IpAddress a) {
        return new IdPayload(initiator, a.family() == IpAddress.V4 ? ID_IPV4_ADDR : ID_IPV6_ADDR, a.toBytes());
    }

    public static IdPayload ofFqdn(boolean initiator, String fqdn) { return new IdPayload(initiator, ID_FQDN, fqdn.getBytes(StandardCharsets.US_ASCII)); }

    public static IdPayload ofEmail(boolean initiator, String rfc822) { return new IdPayload(initiator, ID_RFC822_ADDR, rfc822.getBytes(StandardCharsets.US_ASCII)); }

    /** @param derName the DER encoding of an X.501 Name */
    public static IdPayload ofDistinguishedName(boolean initiator, byte[] derName) { return new IdPayload(initiator, ID_DER_ASN1_DN, derName); }

    public static IdPayload ofKeyId(boolean initiator, byte[] keyId) { return new IdPayload(initiator, ID_KEY_ID, keyId); }

    /** The address of an ID_IPV4_ADDR / ID_IPV6_ADDR identity of the right length, else null. */
    public IpAddress address() {
        if (idType == ID_IPV4_ADDR && data.length == 4) return IpAddress.read(IpAddress.V4, data, 0);
        if (idType == ID_IPV6_ADDR && data.length == 16) return IpAddress.read(IpAddress.V6, data, 0);
        return null;
    }

    /** The data as text for ID_FQDN / ID_RFC822_ADDR (ASCII by RFC 7296 §3.5), else null. */
    public String text() {
        return idType == ID_FQDN || idType == ID_RFC822_ADDR ? new String(data, StandardCharsets.US_ASCII) : null;
    }

    /** RestOfIDPayload for AUTH (RFC 7296 §2.15): ID type, three reserved zero bytes, identification data. */
    public byte[] body() {
        byte[] b = new byte[4 + data.length];
        b[0] = (byte) idType;
        System.arraycopy(data, 0, b, 4, data.length);
        return b;
    }

    @Override public byte[] data() { return data.clone(); }
    byte[] raw() { return data; }
    @Override public int type() { return initiator ? PayloadType.IDI : PayloadType.IDR; }
    @Override public boolean equals(Object o) { return o instanceof IdPayload p && p.initiator == initiator && p.idType == idType && Arrays.equals(p.data, data); }
    @Override public int hashCode() { return (idType * 31 + (initiator ? 1 : 0)) * 31 + Arrays.hashCode(data); }
    @Override public String toString() { return (initiator ? "IDi" : "IDr") + "[type=" + idType + ", " + Bytes.hex(data) + "]"; }
}
