// Random, valid instances of every payload type, for round-trip and fuzz tests.
package bitw.ipsec.ike.message;

import bitw.ipsec.packet.IpAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Function;

final class RandomPayloads {
    private RandomPayloads() {}

    static byte[] bytes(Random r, int max) {
        byte[] b = new byte[r.nextInt(max + 1)];
        r.nextBytes(b);
        return b;
    }

    static Transform transform(Random r) {
        int keyLength = r.nextBoolean() ? Transform.NO_KEY_LENGTH : r.nextInt(0x10000);
        byte[] unknown = new byte[0];
        if (r.nextInt(4) == 0) {
            // One well-formed unknown attribute: TV (AF set) or TLV with a short value.
            if (r.nextBoolean()) unknown = new byte[] {(byte) 0x80, 0x20, (byte) r.nextInt(), (byte) r.nextInt()};
            else { int n = r.nextInt(6); unknown = new byte[4 + n]; unknown[1] = 0x21; unknown[3] = (byte) n; }
        }
        return new Transform(1 + r.nextInt(12), r.nextInt(0x10000), keyLength, unknown);
    }

    static Proposal proposal(Random r, int number) {
        List<Transform> ts = new ArrayList<>();
        for (int i = 0, n = 1 + r.nextInt(6); i < n; i++) ts.add(transform(r));
        int[] spiSizes = {0, 4, 8};
        byte[] spi = new byte[spiSizes[r.nextInt(3)]];
        r.nextBytes(spi);
        return new Proposal(number, 1 + r.nextInt(3), spi, ts);
    }

    static IpAddress address(Random r, int family) {
        return family == IpAddress.V4 ? IpAddress.v4(r.nextInt()) : new IpAddress(IpAddress.V6, r.nextLong(), r.nextLong());
    }

    static TrafficSelector selector(Random r) {
        int family = r.nextBoolean() ? IpAddress.V4 : IpAddress.V6;
        IpAddress a = address(r, family), b = address(r, family);
        if (TrafficSelector.compare(a, b) > 0) { IpAddress t = a; a = b; b = t; }
        int p1 = r.nextInt(0x10000), p2 = r.nextInt(0x10000);
        int[] ports = switch (r.nextInt(3)) {
            case 0 -> new int[] {0, 0xffff};
            case 1 -> new int[] {0xffff, 0};
            default -> new int[] {Math.min(p1, p2), Math.max(p1, p2)};
        };
        return new TrafficSelector(family == IpAddress.V4 ? 7 : 8, r.nextInt(3) == 0 ? 0 : r.nextInt(256), ports[0], ports[1], a, b);
    }

    /** One generator per payload type that may appear in a cleartext chain (SK/SKF excluded). */
    static final List<Function<Random, Payload>> PLAIN = List.of(
            r -> {
                List<Proposal> ps = new ArrayList<>();
                for (int i = 0, n = 1 + r.nextInt(4); i < n; i++) ps.add(proposal(r, i + 1));
                return new SaPayload(ps);
            },
            r -> new KePayload(r.nextInt(0x10000), bytes(r, 300)),
            r -> new IdPayload(r.nextBoolean(), r.nextInt(256), bytes(r, 40)),
            r -> new CertPayload(r.nextInt(256), bytes(r, 200)),
            r -> new CertReqPayload(r.nextInt(256), bytes(r, 60)),
            r -> new AuthPayload(r.nextInt(256), bytes(r, 100)),
            r -> new NoncePayload(bytes(r, 256)),
            r -> new NotifyPayload(r.nextInt(256), bytes(r, 8), r.nextInt(0x10000), bytes(r, 30)),
            r -> {
                int size = r.nextInt(9);
                List<byte[]> spis = new ArrayList<>();
                for (int i = 0, n = size == 0 ? 0 : r.nextInt(5); i < n; i++) { byte[] s = new byte[size]; r.nextBytes(s); spis.add(s); }
                return new DeletePayload(r.nextInt(256), size, spis);
            },
            r -> new VendorIdPayload(bytes(r, 20)),
            r -> {
                List<TrafficSelector> ts = new ArrayList<>();
                for (int i = 0, n = r.nextInt(5); i < n; i++) ts.add(selector(r));
                return new TsPayload(r.nextBoolean(), ts);
            },
            r -> {
                List<ConfigAttribute> as = new ArrayList<>();
                for (int i = 0, n = r.nextInt(5); i < n; i++) as.add(new ConfigAttribute(r.nextInt(0x8000), bytes(r, 16)));
                return new ConfigPayload(r.nextInt(256), as);
            },
            r -> { byte[] m = bytes(r, 40); return new EapPayload(m.length < 4 ? new byte[4] : m); },
            r -> {
                int t;
                do t = 1 + r.nextInt(255); while (PayloadType.isKnown(t));
                return new UnknownPayload(t, false, bytes(r, 30));
            });

    static Payload plain(Random r) { return PLAIN.get(r.nextInt(PLAIN.size())).apply(r); }

    static Payload encrypted(Random r) {
        if (r.nextBoolean()) return new EncryptedPayload(r.nextInt(256), bytes(r, 200));
        int total = 1 + r.nextInt(10);
        return new EncryptedFragmentPayload(r.nextInt(256), 1 + r.nextInt(total), total, bytes(r, 200));
    }

    static IkeMessage message(Random r) {
        List<Payload> ps = new ArrayList<>();
        for (int i = 0, n = r.nextInt(8); i < n; i++) ps.add(plain(r));
        if (r.nextInt(3) == 0) ps.add(encrypted(r));
        int exchange = r.nextInt(4) == 0 ? r.nextInt(256) : 34 + r.nextInt(4);
        IkeHeader h = new IkeHeader(r.nextLong(), r.nextLong(), 0, 2, r.nextInt(16), exchange, r.nextBoolean(), r.nextBoolean(),
                r.nextBoolean(), r.nextLong() & 0xffffffffL, 0);
        return new IkeMessage(h, ps);
    }
}
