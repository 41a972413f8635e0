// IKEv2 wire format (RFC 7296 §3, RFC 7383 SKF): datagram bytes <-> IkeMessage, and the inner payload chain of a
// decrypted SK payload <-> List<Payload>. Sits between the UDP socket and the IKE engine; no I/O and no crypto.
//
// Decoding trusts nothing: every length is checked against the bytes actually present before anything is read
// or allocated, so a hostile datagram costs at most its own size in memory, and bad input only ever raises
// IkeParseException.
//
// Protecting SK (what the engine feeds to the crypto; the codec lays the bytes out):
//  - The SK body is IV | ciphertext (inner chain, padding, pad length) | ICV; the header length field always
//    counts the whole message including the ICV, so it must be final before anything is authenticated.
//  - Integrity input for non-AEAD transforms (RFC 7296 §3.14): message bytes from the first octet of the IKE header
//    through the last octet of the encrypted data (i.e. everything but the ICV): message[0, length - icvLength).
//  - AEAD associated data (RFC 5282 §5.1): the IKE header, any payloads before SK, and the 4-byte SK generic
//    payload header, up to but excluding the IV: message[0, encryptedBodyOffset(m)) == headerAndSkPrefix(m).
//    For SKF (RFC 7383 §2.5) the prefix also includes the Fragment Number and Total Fragments fields.
package bitw.ipsec.ike.message;

import bitw.ipsec.ike.message.IkeParseException.Reason;
import bitw.ipsec.packet.Bytes;
import bitw.ipsec.packet.IpAddress;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

public final class IkeMessageCodec {
    private IkeMessageCodec() {}

    // ---------------------------------------------------------------------------------------------- decoding

    /**
     * Decodes one IKE message that fills {@code datagram[off, off+len)} exactly (UDP payload, without the non-ESP
     * marker of port 4500). Invalid {@code off}/{@code len} for the array are a caller bug (IndexOutOfBoundsException).
     */
    public static IkeMessage decode(byte[] datagram, int off, int len) throws IkeParseException {
        Objects.checkFromIndexSize(off, len, datagram.length);
        if (len < IkeHeader.LENGTH) throw fail(Reason.TRUNCATED, "datagram shorter than the IKE header", -1, null);
        IkeHeader h = IkeHeader.read(datagram, off);
        // The version decides how the rest is laid out, so it is judged before anything else.
        if (h.majorVersion() > 2) throw fail(Reason.INVALID_MAJOR_VERSION, "major version " + h.majorVersion(), -1, h);
        if (h.majorVersion() < 2) throw fail(Reason.OLD_MAJOR_VERSION, "major version " + h.majorVersion(), -1, h);
        if (h.length() > len) throw fail(Reason.TRUNCATED, "header length " + h.length() + " > datagram " + len, -1, h);
        if (h.length() < len) throw fail(Reason.BAD_LENGTH, "header length " + h.length() + " < datagram " + len, -1, h);
        return new IkeMessage(h, chain(h.nextPayload(), datagram, off + IkeHeader.LENGTH, off + len, true, h));
    }

    /** Decodes the plaintext chain found inside an SK payload; SK/SKF may not appear in it. */
    public static List<Payload> decodeChain(int firstPayloadType, byte[] b, int off, int len) throws IkeParseException {
        Objects.checkFromIndexSize(off, len, b.length);
        return chain(firstPayloadType, b, off, off + len, false, null);
    }

    private static List<Payload> chain(int first, byte[] b, int p, int end, boolean outer, IkeHeader h) throws IkeParseException {
        List<Payload> out = new ArrayList<>();
        int type = first;
        while (type != PayloadType.NONE) {
            if (end - p < 4) throw fail(Reason.TRUNCATED, "chain ends before payload " + type, type, h);
            int next = Bytes.u8(b, p);
            boolean critical = (b[p + 1] & 0x80) != 0;
            int plen = Bytes.u16(b, p + 2);
            if (plen < 4) throw fail(Reason.BAD_LENGTH, "payload " + type + " length " + plen, type, h);
            if (plen > end - p) throw fail(Reason.BAD_LENGTH, "payload " + type + " length " + plen + " exceeds message", type, h);
            int body = p + 4, blen = plen - 4;
            if (type == PayloadType.SK || type == PayloadType.SKF) {
                // The next-payload field of SK/SKF names the first inner payload; SK ends the outer chain.
                if (!outer) throw fail(Reason.ENCRYPTED_NOT_LAST, "encrypted payload inside an encrypted payload", type, h);
                if (p + plen != end) throw fail(Reason.ENCRYPTED_NOT_LAST, "bytes follow the encrypted payload", type, h);
                out.add(type == PayloadType.SK ? new EncryptedPayload(next, Arrays.copyOfRange(b, body, body + blen)) : fragment(next, b, body, blen, h));
                return out;
            }
            if (!PayloadType.isKnown(type)) {
                if (critical) throw fail(Reason.UNSUPPORTED_CRITICAL_PAYLOAD, "payload type " + type, type, h);
                out.add(new UnknownPayload(type, false, Arrays.copyOfRange(b, body, body + blen)));
            } else {
                out.add(payload(type, b, body, blen, h));
            }
            p += plen;
            type = next;
        }
        if (p != end) throw fail(Reason.BAD_LENGTH, (end - p) + " bytes after the last payload", -1, h);
        return out;
    }

    private static Payload payload(int type, byte[] b, int off, int len, IkeHeader h) throws IkeParseException {
        int end = off + len;
        switch (type) {
            case PayloadType.SA: return sa(b, off, end, h);
            case PayloadType.KE:
                min(type, len, 4, h);
                return new KePayload(Bytes.u16(b, off), Arrays.copyOfRange(b, off + 4, end));
            case PayloadType.IDI, PayloadType.IDR:
                min(type, len, 4, h);
                return new IdPayload(type == PayloadType.IDI, Bytes.u8(b, off), Arrays.copyOfRange(b, off + 4, end));
            case PayloadType.CERT:
                min(type, len, 1, h);
                return new CertPayload(Bytes.u8(b, off), Arrays.copyOfRange(b, off + 1, end));
            case PayloadType.CERTREQ:
                min(type, len, 1, h);
                return new CertReqPayload(Bytes.u8(b, off), Arrays.copyOfRange(b, off + 1, end));
            case PayloadType.AUTH:
                min(type, len, 4, h);
                return new AuthPayload(Bytes.u8(b, off), Arrays.copyOfRange(b, off + 4, end));
            case PayloadType.NONCE: return new NoncePayload(Arrays.copyOfRange(b, off, end));
            case PayloadType.NOTIFY: {
                min(type, len, 4, h);
                int spiSize = Bytes.u8(b, off + 1);
                if (4 + spiSize > len) throw fail(Reason.BAD_LENGTH, "notify SPI size " + spiSize + " exceeds payload", type, h);
                return new NotifyPayload(Bytes.u8(b, off), Arrays.copyOfRange(b, off + 4, off + 4 + spiSize), Bytes.u16(b, off + 2),
                        Arrays.copyOfRange(b, off + 4 + spiSize, end));
            }
            case PayloadType.DELETE: {
                min(type, len, 4, h);
                int spiSize = Bytes.u8(b, off + 1), n = Bytes.u16(b, off + 2);
                if (4L + (long) spiSize * n != len) throw fail(Reason.BAD_LENGTH, n + " SPIs of " + spiSize + " bytes do not fill " + len, type, h);
                // Zero-size SPIs would let four bytes claim 65535 list entries.
                if (spiSize == 0 && n != 0) throw fail(Reason.INVALID_SYNTAX, n + " SPIs of size 0", type, h);
                List<byte[]> spis = new ArrayList<>(n);
                for (int i = 0; i < n; i++) spis.add(Arrays.copyOfRange(b, off + 4 + i * spiSize, off + 4 + (i + 1) * spiSize));
                return new DeletePayload(Bytes.u8(b, off), spiSize, spis);
            }
            case PayloadType.VENDOR_ID: return new VendorIdPayload(Arrays.copyOfRange(b, off, end));
            case PayloadType.TSI, PayloadType.TSR: return ts(type, b, off, end, h);
            case PayloadType.CP: return cp(b, off, end, h);
            case PayloadType.EAP:
                min(type, len, 4, h);
                return new EapPayload(Arrays.copyOfRange(b, off, end));
            default: throw new AssertionError("unhandled known payload type " + type);
        }
    }

    private static SaPayload sa(byte[] b, int p, int end, IkeHeader h) throws IkeParseException {
        List<Proposal> proposals = new ArrayList<>();
        boolean more = true;
        while (more) {
            if (end - p < 8) throw fail(Reason.BAD_LENGTH, "proposal header does not fit", PayloadType.SA, h);
            int last = Bytes.u8(b, p), plen = Bytes.u16(b, p + 2);
            if (last != 0 && last != 2) throw fail(Reason.INVALID_SYNTAX, "proposal last-substructure " + last, PayloadType.SA, h);
            if (plen < 8 || plen > end - p) throw fail(Reason.BAD_LENGTH, "proposal length " + plen, PayloadType.SA, h);
            int number = Bytes.u8(b, p + 4), protocol = Bytes.u8(b, p + 5), spiSize = Bytes.u8(b, p + 6), count = Bytes.u8(b, p + 7);
            if (8 + spiSize > plen) throw fail(Reason.BAD_LENGTH, "proposal SPI size " + spiSize + " exceeds proposal", PayloadType.SA, h);
            byte[] spi = Arrays.copyOfRange(b, p + 8, p + 8 + spiSize);
            List<Transform> transforms = transforms(b, p + 8 + spiSize, p + plen, count, h);
            proposals.add(new Proposal(number, protocol, spi, transforms));
            p += plen;
            more = last == 2;
            if (more && p == end) throw fail(Reason.INVALID_SYNTAX, "last proposal says more follow", PayloadType.SA, h);
            if (!more && p != end) throw fail(Reason.INVALID_SYNTAX, "bytes after the last proposal", PayloadType.SA, h);
        }
        return new SaPayload(proposals);
    }

    private static List<Transform> transforms(byte[] b, int p, int end, int count, IkeHeader h) throws IkeParseException {
        List<Transform> out = new ArrayList<>(count);
        boolean more = p < end;
        if (count == 0 || !more) throw fail(Reason.INVALID_SYNTAX, "proposal without transforms", PayloadType.SA, h);
        while (more) {
            if (end - p < 8) throw fail(Reason.BAD_LENGTH, "transform header does not fit", PayloadType.SA, h);
            int last = Bytes.u8(b, p), tlen = Bytes.u16(b, p + 2);
            if (last != 0 && last != 3) throw fail(Reason.INVALID_SYNTAX, "transform last-substructure " + last, PayloadType.SA, h);
            if (tlen < 8 || tlen > end - p) throw fail(Reason.BAD_LENGTH, "transform length " + tlen, PayloadType.SA, h);
            int keyLength = Transform.NO_KEY_LENGTH;
            ByteArrayOutputStream unknown = new ByteArrayOutputStream(0);
            for (int a = p + 8, tend = p + tlen; a < tend; ) {
                if (tend - a < 4) throw fail(Reason.BAD_LENGTH, "transform attribute header does not fit", PayloadType.SA, h);
                int typeField = Bytes.u16(b, a);
                boolean tv = (typeField & 0x8000) != 0;
                int alen = tv ? 4 : 4 + Bytes.u16(b, a + 2);
                if (alen > tend - a) throw fail(Reason.BAD_LENGTH, "transform attribute length exceeds transform", PayloadType.SA, h);
                if (tv && (typeField & 0x7fff) == Transform.ATTR_KEY_LENGTH && keyLength == Transform.NO_KEY_LENGTH) keyLength = Bytes.u16(b, a + 2);
                else unknown.write(b, a, alen);
                a += alen;
            }
            out.add(new Transform(Bytes.u8(b, p + 4), Bytes.u16(b, p + 6), keyLength, unknown.toByteArray()));
            p += tlen;
            more = last == 3;
            if (more && p == end) throw fail(Reason.INVALID_SYNTAX, "last transform says more follow", PayloadType.SA, h);
            if (!more && p != end) throw fail(Reason.INVALID_SYNTAX, "bytes after the last transform", PayloadType.SA, h);
        }
        if (out.size() != count) throw fail(Reason.INVALID_SYNTAX, out.size() + " transforms, header says " + count, PayloadType.SA, h);
        return out;
    }

    /** TS types other than 7 and 8 (e.g. RFC 9478 security labels) are refused as INVALID_SYNTAX: we never negotiate them. */
    private static TsPayload ts(int type, byte[] b, int off, int end, IkeHeader h) throws IkeParseException {
        min(type, end - off, 4, h);
        int count = Bytes.u8(b, off);
        List<TrafficSelector> out = new ArrayList<>(count);
        int p = off + 4;
        while (p < end) {
            if (end - p < 8) throw fail(Reason.BAD_LENGTH, "traffic selector header does not fit", type, h);
            int tsType = Bytes.u8(b, p), slen = Bytes.u16(b, p + 2);
            int family = tsType == TrafficSelector.TS_IPV4_ADDR_RANGE ? IpAddress.V4 : tsType == TrafficSelector.TS_IPV6_ADDR_RANGE ? IpAddress.V6 : 0;
            if (family == 0) throw fail(Reason.INVALID_SYNTAX, "traffic selector type " + tsType, type, h);
            int alen = family == IpAddress.V4 ? 4 : 16;
            if (slen != 8 + 2 * alen || slen > end - p) throw fail(Reason.BAD_LENGTH, "traffic selector length " + slen, type, h);
            try {
                out.add(new TrafficSelector(tsType, Bytes.u8(b, p + 1), Bytes.u16(b, p + 4), Bytes.u16(b, p + 6),
                        IpAddress.read(family, b, p + 8), IpAddress.read(family, b, p + 8 + alen)));
            } catch (IllegalArgumentException e) {
                throw fail(Reason.INVALID_SYNTAX, "traffic selector: " + e.getMessage(), type, h);
            }
            p += slen;
        }
        if (out.size() != count) throw fail(Reason.INVALID_SYNTAX, out.size() + " traffic selectors, header says " + count, type, h);
        return new TsPayload(type == PayloadType.TSI, out);
    }

    private static ConfigPayload cp(byte[] b, int off, int end, IkeHeader h) throws IkeParseException {
        min(PayloadType.CP, end - off, 4, h);
        List<ConfigAttribute> out = new ArrayList<>();
        for (int p = off + 4; p < end; ) {
            if (end - p < 4) throw fail(Reason.BAD_LENGTH, "config attribute header does not fit", PayloadType.CP, h);
            int alen = Bytes.u16(b, p + 2);
            if (alen > end - p - 4) throw fail(Reason.BAD_LENGTH, "config attribute length " + alen, PayloadType.CP, h);
            out.add(new ConfigAttribute(Bytes.u16(b, p) & 0x7fff, Arrays.copyOfRange(b, p + 4, p + 4 + alen)));
            p += 4 + alen;
        }
        return new ConfigPayload(Bytes.u8(b, off), out);
    }

    private static EncryptedFragmentPayload fragment(int next, byte[] b, int off, int len, IkeHeader h) throws IkeParseException {
        min(PayloadType.SKF, len, 4, h);
        int number = Bytes.u16(b, off), total = Bytes.u16(b, off + 2);
        if (number < 1 || total < number) throw fail(Reason.INVALID_SYNTAX, "fragment " + number + " of " + total, PayloadType.SKF, h);
        return new EncryptedFragmentPayload(next, number, total, Arrays.copyOfRange(b, off + 4, off + len));
    }

    private static void min(int type, int len, int min, IkeHeader h) throws IkeParseException {
        if (len < min) throw fail(Reason.BAD_LENGTH, "payload " + type + " body " + len + " < minimum " + min, type, h);
    }

    private static IkeParseException fail(Reason r, String detail, int type, IkeHeader h) {
        return new IkeParseException(r, detail, type, h);
    }

    // ---------------------------------------------------------------------------------------------- encoding

    /**
     * Encodes a message: the header's next-payload and length fields are computed (their values in {@code m} are
     * ignored). An SK or SKF payload must be last. Out-of-range content is a caller bug (IllegalArgumentException).
     */
    public static byte[] encode(IkeMessage m) {
        int len = IkeHeader.LENGTH + chainLength(m.payloads(), true);
        byte[] out = new byte[len];
        m.header().withNextPayloadAndLength(firstType(m.payloads()), len).write(out, 0);
        writeChain(m.payloads(), out, IkeHeader.LENGTH);
        return out;
    }

    /** Encodes the inner chain of an SK payload (the plaintext before padding); SK/SKF are not allowed in it. */
    public static byte[] encodeChain(List<Payload> payloads) {
        byte[] out = new byte[chainLength(payloads, false)];
        writeChain(payloads, out, 0);
        return out;
    }

    /** The type for the next-payload field that precedes this chain (0 for an empty chain). */
    public static int firstType(List<Payload> payloads) { return payloads.isEmpty() ? PayloadType.NONE : payloads.getFirst().type(); }

    /** A message of cleartext payloads (often none) followed by SK with the given (already protected) body. */
    public static IkeMessage withEncrypted(IkeHeader header, List<Payload> cleartext, int firstInnerPayload, byte[] encryptedBody) {
        List<Payload> all = new ArrayList<>(cleartext);
        all.add(new EncryptedPayload(firstInnerPayload, encryptedBody));
        return new IkeMessage(header, all);
    }

    /**
     * Offset in encode(m) — and in the datagram m was decoded from — where the body of the final SK/SKF payload
     * (its IV) starts. Encode a message whose SK body is a placeholder of the final length, protect
     * {@code [offset, length)} in place, and the AAD is {@code [0, offset)}.
     */
    public static int encryptedBodyOffset(IkeMessage m) {
        if (!m.isEncrypted()) throw new IllegalArgumentException("last payload is not SK or SKF");
        List<Payload> p = m.payloads();
        int off = IkeHeader.LENGTH;
        for (int i = 0; i < p.size() - 1; i++) off += 4 + bodyLength(p.get(i));
        return off + 4 + (p.getLast() instanceof EncryptedFragmentPayload ? 4 : 0);
    }

    /** The AEAD associated data of m (RFC 5282 §5.1): IKE header, cleartext payloads, SK/SKF header up to the IV. */
    public static byte[] headerAndSkPrefix(IkeMessage m) { return Arrays.copyOf(encode(m), encryptedBodyOffset(m)); }

    private static int chainLength(List<Payload> payloads, boolean outer) {
        long total = 0;
        for (int i = 0; i < payloads.size(); i++) {
            Payload p = payloads.get(i);
            if (p instanceof EncryptedPayload || p instanceof EncryptedFragmentPayload) {
                if (!outer) throw new IllegalArgumentException("SK/SKF inside an encrypted chain");
                if (i != payloads.size() - 1) throw new IllegalArgumentException("SK/SKF must be the last payload");
            }
            int body = bodyLength(p);
            if (body + 4 > 0xffff) throw new IllegalArgumentException("payload " + p.type() + " longer than 65535 bytes");
            total += 4 + body;
        }
        if (total > Integer.MAX_VALUE - IkeHeader.LENGTH) throw new IllegalArgumentException("message too long");
        return (int) total;
    }

    private static int bodyLength(Payload payload) {
        return switch (payload) {
            case SaPayload p -> {
                int n = 0;
                for (Proposal pr : p.proposals()) {
                    n += 8 + pr.rawSpi().length;
                    for (Transform t : pr.transforms()) n += t.encodedLength();
                }
                yield n;
            }
            case KePayload p -> 4 + p.raw().length;
            case IdPayload p -> 4 + p.raw().length;
            case CertPayload p -> 1 + p.raw().length;
            case CertReqPayload p -> 1 + p.raw().length;
            case AuthPayload p -> 4 + p.raw().length;
            case NoncePayload p -> p.raw().length;
            case NotifyPayload p -> 4 + p.rawSpi().length + p.raw().length;
            case DeletePayload p -> 4 + p.spiSize() * p.rawSpis().size();
            case VendorIdPayload p -> p.raw().length;
            case TsPayload p -> {
                int n = 4;
                for (TrafficSelector t : p.selectors()) n += 8 + 2 * t.start().byteLength();
                yield n;
            }
            case ConfigPayload p -> {
                int n = 4;
                for (ConfigAttribute a : p.attributes()) n += 4 + a.raw().length;
                yield n;
            }
            case EapPayload p -> p.raw().length;
            case EncryptedPayload p -> p.raw().length;
            case EncryptedFragmentPayload p -> 4 + p.raw().length;
            case UnknownPayload p -> p.raw().length;
        };
    }

    private static void writeChain(List<Payload> payloads, byte[] b, int p) {
        for (int i = 0; i < payloads.size(); i++) {
            Payload payload = payloads.get(i);
            int next = switch (payload) {
                case EncryptedPayload e -> e.firstInnerPayload();
                case EncryptedFragmentPayload f -> f.firstInnerPayload();
                default -> i + 1 < payloads.size() ? payloads.get(i + 1).type() : PayloadType.NONE;
            };
            int body = bodyLength(payload);
            Bytes.put8(b, p, next);
            Bytes.put8(b, p + 1, payload instanceof UnknownPayload u && u.critical() ? 0x80 : 0);
            Bytes.put16(b, p + 2, 4 + body);
            writeBody(payload, b, p + 4);
            p += 4 + body;
        }
    }

    private static void writeBody(Payload payload, byte[] b, int p) {
        switch (payload) {
            case SaPayload sa -> {
                List<Proposal> ps = sa.proposals();
                for (int i = 0; i < ps.size(); i++) {
                    Proposal pr = ps.get(i);
                    int start = p;
                    Bytes.put8(b, p, i + 1 < ps.size() ? 2 : 0);
                    Bytes.put8(b, p + 4, pr.number());
                    Bytes.put8(b, p + 5, pr.protocolId());
                    Bytes.put8(b, p + 6, pr.rawSpi().length);
                    Bytes.put8(b, p + 7, pr.transforms().size());
                    p = put(b, p + 8, pr.rawSpi());
                    List<Transform> ts = pr.transforms();
                    for (int j = 0; j < ts.size(); j++) {
                        Transform t = ts.get(j);
                        Bytes.put8(b, p, j + 1 < ts.size() ? 3 : 0);
                        Bytes.put16(b, p + 2, t.encodedLength());
                        Bytes.put8(b, p + 4, t.type());
                        Bytes.put16(b, p + 6, t.id());
                        p += 8;
                        if (t.keyLength() >= 0) {
                            Bytes.put16(b, p, 0x8000 | Transform.ATTR_KEY_LENGTH);
                            Bytes.put16(b, p + 2, t.keyLength());
                            p += 4;
                        }
                        p = put(b, p, t.rawUnknownAttributes());
                    }
                    Bytes.put16(b, start + 2, p - start);
                }
            }
            case KePayload k -> { Bytes.put16(b, p, k.group()); put(b, p + 4, k.raw()); }
            case IdPayload id -> { Bytes.put8(b, p, id.idType()); put(b, p + 4, id.raw()); }
            case CertPayload c -> { Bytes.put8(b, p, c.encoding()); put(b, p + 1, c.raw()); }
            case CertReqPayload c -> { Bytes.put8(b, p, c.encoding()); put(b, p + 1, c.raw()); }
            case AuthPayload a -> { Bytes.put8(b, p, a.method()); put(b, p + 4, a.raw()); }
            case NoncePayload n -> put(b, p, n.raw());
            case NotifyPayload n -> {
                Bytes.put8(b, p, n.protocolId());
                Bytes.put8(b, p + 1, n.rawSpi().length);
                Bytes.put16(b, p + 2, n.notifyType());
                put(b, put(b, p + 4, n.rawSpi()), n.raw());
            }
            case DeletePayload d -> {
                Bytes.put8(b, p, d.protocolId());
                Bytes.put8(b, p + 1, d.spiSize());
                Bytes.put16(b, p + 2, d.rawSpis().size());
                p += 4;
                for (byte[] spi : d.rawSpis()) p = put(b, p, spi);
            }
            case VendorIdPayload v -> put(b, p, v.raw());
            case TsPayload ts -> {
                Bytes.put8(b, p, ts.selectors().size());
                p += 4;
                for (TrafficSelector t : ts.selectors()) {
                    int alen = t.start().byteLength();
                    Bytes.put8(b, p, t.tsType());
                    Bytes.put8(b, p + 1, t.ipProtocol());
                    Bytes.put16(b, p + 2, 8 + 2 * alen);
                    Bytes.put16(b, p + 4, t.startPort());
                    Bytes.put16(b, p + 6, t.endPort());
                    t.start().write(b, p + 8);
                    t.end().write(b, p + 8 + alen);
                    p += 8 + 2 * alen;
                }
            }
            case ConfigPayload cp -> {
                Bytes.put8(b, p, cp.cfgType());
                p += 4;
                for (ConfigAttribute a : cp.attributes()) {
                    Bytes.put16(b, p, a.type());
                    Bytes.put16(b, p + 2, a.raw().length);
                    p = put(b, p + 4, a.raw());
                }
            }
            case EapPayload e -> put(b, p, e.raw());
            case EncryptedPayload e -> put(b, p, e.raw());
            case EncryptedFragmentPayload f -> {
                Bytes.put16(b, p, f.fragmentNumber());
                Bytes.put16(b, p + 2, f.totalFragments());
                put(b, p + 4, f.raw());
            }
            case UnknownPayload u -> put(b, p, u.raw());
        }
    }

    private static int put(byte[] b, int p, byte[] src) {
        System.arraycopy(src, 0, b, p, src.length);
        return p + src.length;
    }
}
