// Parses the DNS records opportunistic encryption reads (FreeS/WAN OE design, RFC 4025, RFC 2535/3110) from
// dnsjava Record objects or raw rdata into OeRecord. Pure: no lookups. Each parse says one of three things:
// a usable record, "not an OE record" (other TXT applications share the reverse map), or rejected with a reason.
package bitw.ipsec.oe;

import bitw.ipsec.packet.IpAddress;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.security.PublicKey;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.xbill.DNS.DClass;
import org.xbill.DNS.IPSECKEYRecord;
import org.xbill.DNS.KEYRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.Type;

public final class OeRecords {
    /** KEY RR flag bits (RFC 2535 3.1.2): 0x8000 = no authentication use, 0x2000 = extended flags, 0x0300 = name type. */
    private static final int FLAG_NOAUTH = 0x8000, FLAG_EXTEND = 0x2000, NAME_TYPE_MASK = 0x0300, NAME_TYPE_ENTITY = 0x0200;
    private static final int KEY_PROTOCOL_IPSEC = 4, KEY_PROTOCOL_ANY = 255;
    /** KEY algorithms whose key field is RFC 3110 RSA: 1 RSA/MD5 (the OE design's choice), 5 RSA/SHA-1. */
    private static final int KEY_ALG_RSAMD5 = 1, KEY_ALG_RSASHA1 = 5;
    private static final int IPSECKEY_DSA = 1, IPSECKEY_RSA = 2, IPSECKEY_ECDSA = 3;

    private static final Pattern TXT_PREFIX = Pattern.compile("^\\s*X-IPsec-Server\\b", Pattern.CASE_INSENSITIVE);
    private static final Pattern TXT = Pattern.compile(
            "^\\s*X-IPsec-Server\\s*\\(\\s*(\\d{1,5})\\s*\\)\\s*=\\s*(\\S+)(?:\\s+(.*?))?\\s*$",
            Pattern.CASE_INSENSITIVE | Pattern.DOTALL);
    private static final Pattern FQDN = Pattern.compile("^(?=.{1,253}\\.?$)([A-Za-z0-9_]([A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?)(\\.[A-Za-z0-9_]([A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?)*\\.?$");
    private static final Pattern BASE64 = Pattern.compile("^[A-Za-z0-9+/]+={0,2}$");

    private OeRecords() {}

    /** The outcome of parsing one record: exactly one of record / rejection is set, or neither (not an OE record). */
    public record Parsed(OeRecord record, String rejection) {
        static Parsed ok(OeRecord r) { return new Parsed(r, null); }
        static Parsed rejected(String reason) { return new Parsed(null, reason); }
        static final Parsed NOT_OE = new Parsed(null, null);

        public boolean isOk() { return record != null; }
        public boolean isRejected() { return rejection != null; }
        public boolean isUnrelated() { return record == null && rejection == null; }
    }

    /** Parses a TXT, IPSECKEY or KEY record; other types are unrelated. */
    public static Parsed parse(Record r) {
        return switch (r) {
            case TXTRecord t -> parseTxt(t.getStringsAsByteArrays());
            case IPSECKEYRecord k -> parseIpseckey(k);
            case KEYRecord k -> parseKey(k.getFlags(), k.getProtocol(), k.getAlgorithm(), k.getKey());
            default -> Parsed.NOT_OE;
        };
    }

    /** Parses raw rdata of {@code type} (Type.TXT, Type.IPSECKEY, Type.KEY); malformed wire data is rejected. */
    public static Parsed parseRdata(int type, byte[] rdata) {
        Record r;
        try {
            r = Record.newRecord(Name.root, type, DClass.IN, 0, rdata);
        } catch (RuntimeException e) {
            return Parsed.rejected(Type.string(type) + " rdata malformed: " + e.getMessage());
        }
        // dnsjava answers null (not an exception) when the rdata does not decode.
        if (r == null) return Parsed.rejected(Type.string(type) + " rdata malformed");
        return parse(r);
    }

    /**
     * TXT "X-IPsec-Server(P)=A.B.C.D KEY" or "X-IPsec-Server(P)=@FQDN [KEY]". A value longer than 255 bytes is
     * split into several character-strings, joined here with no separator. Whitespace around the parentheses,
     * the '=' and inside the base64 key is tolerated (zone files and generators differ).
     */
    public static Parsed parseTxt(List<byte[]> strings) {
        StringBuilder sb = new StringBuilder();
        for (byte[] s : strings) sb.append(new String(s, StandardCharsets.ISO_8859_1));
        String text = sb.toString();
        if (!TXT_PREFIX.matcher(text).find()) return Parsed.NOT_OE;
        Matcher m = TXT.matcher(text);
        if (!m.matches()) return Parsed.rejected("TXT not X-IPsec-Server(P)=GATEWAY [KEY]: " + abbreviate(text));
        int precedence = Integer.parseInt(m.group(1));
        if (precedence > 65535) return Parsed.rejected("TXT precedence " + precedence + " > 65535");
        String gw = m.group(2);
        OeGateway gateway;
        if (gw.startsWith("@")) {
            String name = gw.substring(1);
            if (!FQDN.matcher(name).matches()) return Parsed.rejected("TXT gateway FQDN invalid: " + abbreviate(gw));
            gateway = OeGateway.ofName(name);
        } else {
            try {
                gateway = OeGateway.of(IpAddress.parse(gw));
            } catch (IllegalArgumentException e) {
                return Parsed.rejected("TXT gateway is neither an IP address nor @FQDN: " + abbreviate(gw));
            }
        }
        PublicKey key = null;
        if (m.group(3) != null && !m.group(3).isEmpty()) {
            String b64 = m.group(3).replaceAll("\\s+", "");
            if (!BASE64.matcher(b64).matches()) return Parsed.rejected("TXT key is not base64: " + abbreviate(m.group(3)));
            byte[] raw;
            try {
                raw = Base64.getDecoder().decode(b64);
            } catch (IllegalArgumentException e) {
                return Parsed.rejected("TXT key is not base64: " + e.getMessage());
            }
            try {
                key = OeKeys.rsaFromRfc3110(raw);
            } catch (OeKeys.BadKeyException e) {
                return Parsed.rejected("TXT key: " + e.getMessage());
            }
        }
        // No key is allowed: OeDiscovery then looks the key up at the gateway's reverse name or FQDN.
        return Parsed.ok(new OeRecord(OeRecord.KeySource.TXT, precedence, gateway, key));
    }

    /** IPSECKEY (RFC 4025): precedence, gateway (none / IPv4 / IPv6 / name), algorithm (0 none, 1 DSA, 2 RSA, 3 ECDSA), key. */
    public static Parsed parseIpseckey(IPSECKEYRecord r) {
        OeGateway gateway = switch (r.getGatewayType()) {
            case IPSECKEYRecord.Gateway.None -> OeGateway.none();
            case IPSECKEYRecord.Gateway.IPv4, IPSECKEYRecord.Gateway.IPv6 -> {
                byte[] raw = ((InetAddress) r.getGateway()).getAddress();
                yield OeGateway.of(IpAddress.read(raw.length == 4 ? IpAddress.V4 : IpAddress.V6, raw, 0));
            }
            case IPSECKEYRecord.Gateway.Name -> {
                Name n = (Name) r.getGateway();
                yield n.equals(Name.root) ? null : OeGateway.ofName(n.toString(true));
            }
            default -> null;
        };
        if (gateway == null) return Parsed.rejected("IPSECKEY gateway type " + r.getGatewayType() + " unusable");
        byte[] keyBytes = r.getKey();
        PublicKey key = null;
        int alg = r.getAlgorithmType();
        if (keyBytes != null && keyBytes.length > 0) {
            try {
                key = switch (alg) {
                    case IPSECKEY_RSA -> OeKeys.rsaFromRfc3110(keyBytes);
                    case IPSECKEY_DSA -> OeKeys.dsaFromRfc2536(keyBytes);
                    case IPSECKEY_ECDSA -> OeKeys.ecdsaFromPoint(keyBytes);
                    default -> throw new OeKeys.BadKeyException("algorithm " + alg + " unknown");
                };
            } catch (OeKeys.BadKeyException e) {
                return Parsed.rejected("IPSECKEY key: " + e.getMessage());
            }
        } else if (alg != 0) {
            return Parsed.rejected("IPSECKEY algorithm " + alg + " with an empty key");
        }
        if (key == null && gateway.isNone()) return Parsed.rejected("IPSECKEY with neither gateway nor key");
        return Parsed.ok(new OeRecord(OeRecord.KeySource.IPSECKEY, r.getPrecedence(), gateway, key));
    }

    /**
     * KEY RR as the OE design publishes it ("KEY 0x4200 4 1 AQN..."): usable for authentication (no NOAUTH bit),
     * owned by a host/entity (not a zone or user key), protocol IPsec (4) or any (255), RSA key (algorithm 1 or 5).
     */
    public static Parsed parseKey(int flags, int protocol, int algorithm, byte[] key) {
        if ((flags & FLAG_NOAUTH) != 0) return Parsed.rejected(String.format(Locale.ROOT, "KEY flags 0x%04x forbid authentication use", flags));
        if ((flags & FLAG_EXTEND) != 0) return Parsed.rejected(String.format(Locale.ROOT, "KEY flags 0x%04x use extended flags", flags));
        if ((flags & NAME_TYPE_MASK) != NAME_TYPE_ENTITY)
            return Parsed.rejected(String.format(Locale.ROOT, "KEY flags 0x%04x: not a host (entity) key", flags));
        if (protocol != KEY_PROTOCOL_IPSEC && protocol != KEY_PROTOCOL_ANY) return Parsed.rejected("KEY protocol " + protocol + " is not IPsec (4)");
        if (algorithm != KEY_ALG_RSAMD5 && algorithm != KEY_ALG_RSASHA1) return Parsed.rejected("KEY algorithm " + algorithm + " is not RSA (1)");
        try {
            return Parsed.ok(new OeRecord(OeRecord.KeySource.KEY, OeRecord.NO_PRECEDENCE, OeGateway.none(), OeKeys.rsaFromRfc3110(key)));
        } catch (OeKeys.BadKeyException e) {
            return Parsed.rejected("KEY: " + e.getMessage());
        }
    }

    private static String abbreviate(String s) {
        String t = s.replaceAll("[^\\x20-\\x7e]", "?");
        return t.length() <= 80 ? t : t.substring(0, 77) + "...";
    }
}
