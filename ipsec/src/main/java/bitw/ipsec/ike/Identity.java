// An IKE identity (RFC 7296 §3.5) as configured: type plus the identification data exactly as it goes into the
// IDi/IDr payload. Parsed from the config language ("fqdn:gw.example", "ipv4:192.0.2.1", "email:a@b",
// "dn:CN=gw,O=x", "keyid:0a0b", or a bare address); compared byte for byte with what the peer sends.
package bitw.ipsec.ike;

import bitw.ipsec.ike.message.IdPayload;
import bitw.ipsec.packet.Bytes;
import bitw.ipsec.packet.IpAddress;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import javax.security.auth.x500.X500Principal;

public record Identity(Type type, byte[] data) {
    public enum Type {
        IPV4_ADDR(IdPayload.ID_IPV4_ADDR), IPV6_ADDR(IdPayload.ID_IPV6_ADDR), FQDN(IdPayload.ID_FQDN),
        RFC822(IdPayload.ID_RFC822_ADDR), DER_ASN1_DN(IdPayload.ID_DER_ASN1_DN), KEY_ID(IdPayload.ID_KEY_ID);

        public final int ikev2Id;

        Type(int id) { this.ikev2Id = id; }

        static Type byId(int id) {
            for (Type t : values()) if (t.ikev2Id == id) return t;
            return null;
        }
    }

    public Identity {
        if (type == null || data == null) throw new IllegalArgumentException("identity type and data required");
        data = data.clone();
    }

    @Override public byte[] data() { return data.clone(); }

    public static Identity of(IpAddress a) { return new Identity(a.family() == IpAddress.V4 ? Type.IPV4_ADDR : Type.IPV6_ADDR, a.toBytes()); }

    public static Identity fqdn(String name) { return new Identity(Type.FQDN, name.getBytes(StandardCharsets.US_ASCII)); }

    /** "fqdn:x", "email:x" / "rfc822:x", "ipv4:a", "ipv6:a", "dn:RFC2253 name", "keyid:hex"; a bare literal address
     *  is an address identity, anything else with a dot an FQDN. Throws IllegalArgumentException with the reason. */
    public static Identity parse(String text) {
        String t = text.strip();
        int colon = t.indexOf(':');
        String kind = colon > 0 ? t.substring(0, colon).toLowerCase() : "";
        String value = colon > 0 ? t.substring(colon + 1) : t;
        return switch (kind) {
            case "fqdn" -> fqdn(value);
            case "email", "rfc822" -> new Identity(Type.RFC822, value.getBytes(StandardCharsets.US_ASCII));
            case "ipv4", "ipv6" -> of(IpAddress.parse(value));
            case "dn" -> new Identity(Type.DER_ASN1_DN, new X500Principal(value).getEncoded());
            case "keyid" -> new Identity(Type.KEY_ID, Bytes.fromHex(value));
            default -> {
                try {
                    yield of(IpAddress.parse(t));
                } catch (IllegalArgumentException e) {
                    if (t.isEmpty()) throw new IllegalArgumentException("empty identity");
                    yield fqdn(t);
                }
            }
        };
    }

    /** The ID payload carrying this identity. */
    public IdPayload toPayload(boolean initiator) { return new IdPayload(initiator, type.ikev2Id, data); }

    /** True when the peer's ID payload names exactly this identity. */
    public boolean matches(IdPayload id) {
        if (id.idType() != type.ikev2Id) return false;
        if (type == Type.DER_ASN1_DN) {
            try {   // DNs compare by meaning (RFC 5280 rules as the JDK applies them), not by encoding
                return new X500Principal(id.data()).equals(new X500Principal(data));
            } catch (IllegalArgumentException e) {
                return false;
            }
        }
        if (type == Type.FQDN || type == Type.RFC822) return new String(id.data(), StandardCharsets.US_ASCII).equalsIgnoreCase(new String(data, StandardCharsets.US_ASCII));
        return Arrays.equals(id.data(), data);
    }

    public static Identity fromPayload(IdPayload id) {
        Type t = Type.byId(id.idType());
        return t == null ? null : new Identity(t, id.data());
    }

    @Override public boolean equals(Object o) { return o instanceof Identity i && i.type == type && Arrays.equals(i.data, data); }
    @Override public int hashCode() { return type.hashCode() * 31 + Arrays.hashCode(data); }

    @Override public String toString() {
        return switch (type) {
            case IPV4_ADDR -> data.length == 4 ? IpAddress.read(IpAddress.V4, data, 0).toString() : "ipv4:?";
            case IPV6_ADDR -> data.length == 16 ? IpAddress.read(IpAddress.V6, data, 0).toString() : "ipv6:?";
            case FQDN -> "fqdn:" + new String(data, StandardCharsets.US_ASCII);
            case RFC822 -> "email:" + new String(data, StandardCharsets.US_ASCII);
            case DER_ASN1_DN -> {
                try { yield "dn:" + new X500Principal(data).getName(); } catch (IllegalArgumentException e) { yield "dn:?"; }
            }
            case KEY_ID -> "keyid:" + Bytes.hex(data);
        };
    }
}
