// An IKEv2 identity (RFC 7296 section 3.5) as written in a connection's local-id / remote-id: an IP address,
// fqdn:<name>, email:<addr>, dn:"<RFC 4514 DN>" or keyid:<hex>. The IKE engine sends encoded() in its ID payload
// and compares the peer's against it. Parsing does no I/O and no name lookups.
package bitw.config;

import bitw.ipsec.packet.IpAddress;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Optional;
import javax.security.auth.x500.X500Principal;

/**
 * @param kind  the ID type
 * @param value canonical text without the prefix: RFC 5952 address, the name, the address, the DN as written
 *              (without quotes or escapes of the configuration language), or lowercase hex
 */
public record IkeIdentity(Kind kind, String value) {

    /** ID types with their IKEv2 numbers (IANA "IKEv2 Identification Payload ID Types"). */
    public enum Kind {
        IPV4_ADDR(1, ""), FQDN(2, "fqdn:"), RFC822_ADDR(3, "email:"), IPV6_ADDR(5, ""), DER_ASN1_DN(9, "dn:"), KEY_ID(11, "keyid:");

        public final int ikev2Id;
        final String prefix;

        Kind(int ikev2Id, String prefix) { this.ikev2Id = ikev2Id; this.prefix = prefix; }
    }

    static final int MAX_DN = 1024, MAX_KEY_ID = 64;

    public static IkeIdentity of(IpAddress a) {
        return new IkeIdentity(a.family() == IpAddress.V4 ? Kind.IPV4_ADDR : Kind.IPV6_ADDR, AddressText.addressText(a));
    }

    /** Parses the (already unquoted) word; throws IllegalArgumentException with a message fit for the operator. */
    public static IkeIdentity parse(String text) {
        if (text.startsWith("fqdn:")) {
            String name = text.substring(5);
            String problem = Validator.hostnameProblem(name);
            if (problem != null) throw new IllegalArgumentException("fqdn identity: " + problem);
            return new IkeIdentity(Kind.FQDN, name);
        }
        if (text.startsWith("email:")) {
            String mail = text.substring(6);
            int at = mail.indexOf('@');
            if (at <= 0 || at != mail.lastIndexOf('@') || at > 64)
                throw new IllegalArgumentException("'" + AddressText.shorten(mail) + "' is not an email identity (local@domain)");
            for (int i = 0; i < at; i++) {
                char c = mail.charAt(i);
                if (c <= ' ' || c >= 0x7f || c == '"' || c == '\\' || c == '#')
                    throw new IllegalArgumentException("'" + AddressText.shorten(mail) + "' is not an email identity (local@domain)");
            }
            String problem = Validator.hostnameProblem(mail.substring(at + 1));
            if (problem != null) throw new IllegalArgumentException("email identity: " + problem);
            return new IkeIdentity(Kind.RFC822_ADDR, mail);
        }
        if (text.startsWith("dn:")) {
            String dn = text.substring(3);
            if (dn.isBlank()) throw new IllegalArgumentException("empty dn identity");
            if (dn.length() > MAX_DN) throw new IllegalArgumentException("dn identity longer than " + MAX_DN + " characters");
            try {
                new X500Principal(dn);
            } catch (RuntimeException e) {
                // The JDK parser is the judge of RFC 4514 syntax; its message names the problem.
                throw new IllegalArgumentException("'" + AddressText.shorten(dn) + "' is not a distinguished name (like CN=gw.example.net, O=Example): "
                        + e.getMessage());
            }
            return new IkeIdentity(Kind.DER_ASN1_DN, dn);
        }
        if (text.startsWith("keyid:")) {
            String hex = text.substring(6);
            if (hex.isEmpty() || hex.length() % 2 != 0 || hex.length() > 2 * MAX_KEY_ID
                    || !hex.chars().allMatch(c -> (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')))
                throw new IllegalArgumentException("keyid identity must be 1-" + MAX_KEY_ID + " bytes of hex, not '" + AddressText.shorten(hex) + "'");
            return new IkeIdentity(Kind.KEY_ID, hex.toLowerCase(java.util.Locale.ROOT));
        }
        IpAddress a;
        try {
            a = AddressText.parseAddress(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("'" + AddressText.shorten(text)
                    + "' is not an identity (an IP address, fqdn:<name>, email:<addr>, dn:\"<DN>\" or keyid:<hex>)");
        }
        return of(a);
    }

    /** The address of an IPV4_ADDR/IPV6_ADDR identity. */
    public Optional<IpAddress> address() {
        return kind == Kind.IPV4_ADDR || kind == Kind.IPV6_ADDR ? Optional.of(AddressText.parseAddress(value)) : Optional.empty();
    }

    /** The Identification Data of the ID payload: address bytes, ASCII name, DER-encoded DN, or the key id bytes. */
    public byte[] encoded() {
        return switch (kind) {
            case IPV4_ADDR, IPV6_ADDR -> {
                IpAddress a = address().orElseThrow();
                byte[] b = new byte[a.family() == IpAddress.V4 ? 4 : 16];
                long hi = a.hi(), lo = a.lo();
                if (b.length == 4) for (int i = 0; i < 4; i++) b[i] = (byte) (lo >>> (24 - 8 * i));
                else for (int i = 0; i < 8; i++) { b[i] = (byte) (hi >>> (56 - 8 * i)); b[i + 8] = (byte) (lo >>> (56 - 8 * i)); }
                yield b;
            }
            case FQDN, RFC822_ADDR -> value.getBytes(StandardCharsets.US_ASCII);
            case DER_ASN1_DN -> new X500Principal(value).getEncoded();
            case KEY_ID -> HexFormat.of().parseHex(value);
        };
    }

    /** Configuration text: the DN is always quoted (it usually has spaces and commas). */
    public String render() {
        return kind == Kind.DER_ASN1_DN ? kind.prefix + ConfigParser.quoted(value) : kind.prefix + value;
    }

    @Override public String toString() { return render(); }
}
