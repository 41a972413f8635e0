// One traffic selector (RFC 7296 §3.13.1) and the pure set logic narrowing needs (§2.9): does one selector or a set
// cover another, and what is the intersection of two sets. The engine compares proposed selectors with its policy
// through these; nothing here touches the SPD.
//
// Ports follow RFC 4301: 0..65535 means any port and also matches OPAQUE (start 65535, end 0), which means "ports
// not available" (e.g. non-first fragments); OPAQUE matches only OPAQUE or any. Protocol 0 means any protocol.
package bitw.ipsec.ike.message;

import bitw.ipsec.packet.IpAddress;
import bitw.ipsec.packet.IpPrefix;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

public record TrafficSelector(int tsType, int ipProtocol, int startPort, int endPort, IpAddress start, IpAddress end) {
    public static final int TS_IPV4_ADDR_RANGE = 7, TS_IPV6_ADDR_RANGE = 8;
    public static final int ANY_PROTOCOL = 0;

    public TrafficSelector {
        int family = switch (tsType) {
            case TS_IPV4_ADDR_RANGE -> IpAddress.V4;
            case TS_IPV6_ADDR_RANGE -> IpAddress.V6;
            default -> throw new IllegalArgumentException("unsupported TS type " + tsType);
        };
        if (start.family() != family || end.family() != family) throw new IllegalArgumentException("address family does not match TS type");
        if (ipProtocol < 0 || ipProtocol > 255) throw new IllegalArgumentException("IP protocol out of range");
        if (startPort < 0 || startPort > 0xffff || endPort < 0 || endPort > 0xffff) throw new IllegalArgumentException("port out of range");
        if (startPort > endPort && !(startPort == 0xffff && endPort == 0)) throw new IllegalArgumentException("start port above end port");
        if (compare(start, end) > 0) throw new IllegalArgumentException("start address above end address");
    }

    /** All traffic of a prefix: any protocol, any port. */
    public static TrafficSelector of(IpPrefix prefix) { return of(prefix, ANY_PROTOCOL, 0, 0xffff); }

    public static TrafficSelector of(IpPrefix prefix, int ipProtocol, int startPort, int endPort) {
        IpAddress a = prefix.address();
        IpAddress last = new IpAddress(a.family(), a.hi() | ~IpPrefix.maskHi(a.family(), prefix.length()) & (a.family() == IpAddress.V4 ? 0 : -1L),
                a.lo() | ~IpPrefix.maskLo(a.family(), prefix.length()) & (a.family() == IpAddress.V4 ? 0xffffffffL : -1L));
        return new TrafficSelector(a.family() == IpAddress.V4 ? TS_IPV4_ADDR_RANGE : TS_IPV6_ADDR_RANGE, ipProtocol, startPort, endPort, a, last);
    }

    public int family() { return start.family(); }

    /** As logs show it: prefixes (or a range), then [protocol/ports] when not any, e.g. 10.1.0.0/24[udp/53]. */
    @Override public String toString() {
        List<IpPrefix> p = toPrefixes();
        String addr = p.size() <= 2 ? String.join(",", p.stream().map(IpPrefix::toString).toList()) : start + "-" + end;
        if (ipProtocol == ANY_PROTOCOL && isAnyPort()) return addr;
        String ports = isAnyPort() ? "" : isOpaquePorts() ? "/opaque" : startPort == endPort ? "/" + startPort : "/" + startPort + "-" + endPort;
        return addr + "[" + (ipProtocol == ANY_PROTOCOL ? "any" : switch (ipProtocol) {
            case 1 -> "icmp"; case 6 -> "tcp"; case 17 -> "udp"; case 58 -> "ipv6-icmp"; default -> Integer.toString(ipProtocol);
        }) + ports + "]";
    }

    public boolean isOpaquePorts() { return startPort == 0xffff && endPort == 0; }

    public boolean isAnyPort() { return startPort == 0 && endPort == 0xffff; }

    /** The shortest list of prefixes whose union is exactly this selector's address range. */
    public List<IpPrefix> toPrefixes() {
        List<IpPrefix> out = new ArrayList<>();
        int bits = start.bitLength();
        BigInteger s = big(start), e = big(end);
        while (s.compareTo(e) <= 0) {
            int size = s.signum() == 0 ? bits : Math.min(bits, s.getLowestSetBit());
            while (size > 0 && s.add(BigInteger.ONE.shiftLeft(size)).subtract(BigInteger.ONE).compareTo(e) > 0) size--;
            out.add(new IpPrefix(address(family(), s), bits - size));
            s = s.add(BigInteger.ONE.shiftLeft(size));
        }
        return out;
    }

    /** The prefix when the address range is exactly one prefix. */
    public Optional<IpPrefix> asPrefix() {
        List<IpPrefix> p = toPrefixes();
        return p.size() == 1 ? Optional.of(p.get(0)) : Optional.empty();
    }

    /** True when this selector matches every packet {@code other} matches. */
    public boolean covers(TrafficSelector other) {
        if (other.tsType != tsType) return false;
        if (ipProtocol != ANY_PROTOCOL && ipProtocol != other.ipProtocol) return false;
        if (!isAnyPort()) {
            if (isOpaquePorts() != other.isOpaquePorts()) return false;
            if (!isOpaquePorts() && (other.startPort < startPort || other.endPort > endPort)) return false;
        }
        return compare(other.start, start) >= 0 && compare(other.end, end) <= 0;
    }

    /** The selector matching exactly what both match, if anything. */
    public Optional<TrafficSelector> intersect(TrafficSelector o) {
        if (o.tsType != tsType) return Optional.empty();
        int proto;
        if (ipProtocol == ANY_PROTOCOL) proto = o.ipProtocol;
        else if (o.ipProtocol == ANY_PROTOCOL || o.ipProtocol == ipProtocol) proto = ipProtocol;
        else return Optional.empty();
        int sp, ep;
        if (isOpaquePorts() || o.isOpaquePorts()) {
            if (!(isAnyPort() || isOpaquePorts()) || !(o.isAnyPort() || o.isOpaquePorts())) return Optional.empty();
            sp = 0xffff; ep = 0;
        } else {
            sp = Math.max(startPort, o.startPort);
            ep = Math.min(endPort, o.endPort);
            if (sp > ep) return Optional.empty();
        }
        IpAddress s = compare(start, o.start) >= 0 ? start : o.start, e = compare(end, o.end) <= 0 ? end : o.end;
        if (compare(s, e) > 0) return Optional.empty();
        return Optional.of(new TrafficSelector(tsType, proto, sp, ep, s, e));
    }

    /**
     * Narrowing (RFC 7296 §2.9): every non-empty pairwise intersection of the two sets, without selectors that
     * another result already covers. The union of the result is exactly the intersection of the unions.
     */
    public static List<TrafficSelector> intersect(List<TrafficSelector> a, List<TrafficSelector> b) {
        List<TrafficSelector> all = new ArrayList<>();
        for (TrafficSelector x : a) for (TrafficSelector y : b) x.intersect(y).ifPresent(all::add);
        List<TrafficSelector> out = new ArrayList<>();
        for (int i = 0; i < all.size(); i++) {
            TrafficSelector t = all.get(i);
            boolean redundant = false;
            for (int j = 0; j < all.size() && !redundant; j++) {
                if (i == j) continue;
                TrafficSelector u = all.get(j);
                // Of two equal selectors keep the first.
                redundant = u.covers(t) && (!t.covers(u) || j < i);
            }
            if (!redundant) out.add(t);
        }
        return out;
    }

    /** True when the union of {@code set} matches everything {@code ts} matches (even if no single member does). */
    public static boolean covers(List<TrafficSelector> set, TrafficSelector ts) {
        List<Box> rest = new ArrayList<>(List.of(Box.of(ts)));
        for (TrafficSelector s : set) {
            if (s.tsType != ts.tsType) continue;
            Box cut = Box.of(s);
            List<Box> next = new ArrayList<>();
            for (Box r : rest) r.subtract(cut, next);
            rest = next;
            if (rest.isEmpty()) return true;
        }
        return rest.isEmpty();
    }

    /** True when the union of {@code set} covers every selector of {@code other}. */
    public static boolean covers(List<TrafficSelector> set, List<TrafficSelector> other) {
        for (TrafficSelector t : other) if (!covers(set, t)) return false;
        return true;
    }

    /** Unsigned comparison of two addresses of the same family. */
    static int compare(IpAddress a, IpAddress b) {
        int c = Long.compareUnsigned(a.hi(), b.hi());
        return c != 0 ? c : Long.compareUnsigned(a.lo(), b.lo());
    }

    static BigInteger big(IpAddress a) {
        return new BigInteger(1, a.toBytes());
    }

    static IpAddress address(int family, BigInteger v) {
        byte[] raw = v.toByteArray();
        byte[] b = new byte[family == IpAddress.V4 ? 4 : 16];
        int n = Math.min(raw.length, b.length);
        System.arraycopy(raw, raw.length - n, b, b.length - n, n);
        return IpAddress.read(family, b, 0);
    }

    /**
     * A selector as a box in three dimensions, for set coverage by subtraction. Protocol "any" is 0..255; the port
     * axis runs from -1 (OPAQUE) to 65535, so "any port" (-1..65535) contains OPAQUE and a real range does not.
     */
    private record Box(int[] lo, int[] hi, BigInteger aLo, BigInteger aHi) {
        static Box of(TrafficSelector t) {
            int pLo = t.ipProtocol == ANY_PROTOCOL ? 0 : t.ipProtocol, pHi = t.ipProtocol == ANY_PROTOCOL ? 255 : t.ipProtocol;
            int sLo = t.isOpaquePorts() ? -1 : t.isAnyPort() ? -1 : t.startPort, sHi = t.isOpaquePorts() ? -1 : t.endPort;
            return new Box(new int[] {pLo, sLo}, new int[] {pHi, sHi}, big(t.start), big(t.end));
        }

        /** Adds to {@code out} the pieces of this box outside {@code c}. */
        void subtract(Box c, List<Box> out) {
            for (int d = 0; d < 2; d++) if (hi[d] < c.lo[d] || lo[d] > c.hi[d]) { out.add(this); return; }
            if (aHi.compareTo(c.aLo) < 0 || aLo.compareTo(c.aHi) > 0) { out.add(this); return; }
            int[] l = lo.clone(), h = hi.clone();
            for (int d = 0; d < 2; d++) {
                if (l[d] < c.lo[d]) { int[] ph = h.clone(); ph[d] = c.lo[d] - 1; out.add(new Box(l.clone(), ph, aLo, aHi)); l[d] = c.lo[d]; }
                if (h[d] > c.hi[d]) { int[] pl = l.clone(); pl[d] = c.hi[d] + 1; out.add(new Box(pl, h.clone(), aLo, aHi)); h[d] = c.hi[d]; }
            }
            if (aLo.compareTo(c.aLo) < 0) out.add(new Box(l, h, aLo, c.aLo.subtract(BigInteger.ONE)));
            if (aHi.compareTo(c.aHi) > 0) out.add(new Box(l, h, c.aHi.add(BigInteger.ONE), aHi));
        }
    }
}
