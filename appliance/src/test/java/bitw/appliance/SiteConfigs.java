// Configuration texts for the two-site lab: one tunnel per family between the appliances (IPv4 to-b / to-a,
// IPv6 to-b6 / to-a6), keys drawn from a seed so a test can hand the same keys to tshark.
package bitw.appliance;

import bitw.lab.EspSa;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;

final class SiteConfigs {
    /** A transform as the config language names it, with tshark's names (null: tshark cannot decrypt it). */
    record Transform(String label, String protocol, String enc, String integ, int encKeyBytes, int integKeyBytes, String tsharkEnc, String tsharkAuth) {
        boolean aead() { return integKeyBytes == 0 && protocol.equals("esp"); }
        @Override public String toString() { return label; }
    }

    static final Transform AES128GCM = new Transform("aes128gcm16", "esp", "aes128gcm16", "none", 20, 0, EspSa.ENC_AES_GCM_16, EspSa.AUTH_NULL);
    static final List<Transform> ALL = List.of(
            AES128GCM,
            new Transform("aes256gcm16", "esp", "aes256gcm16", "none", 36, 0, EspSa.ENC_AES_GCM_16, EspSa.AUTH_NULL),
            new Transform("aes128-sha256", "esp", "aes128", "sha256", 16, 32, EspSa.ENC_AES_CBC, EspSa.AUTH_HMAC_SHA256_128),
            new Transform("aes256-sha256", "esp", "aes256", "sha256", 32, 32, EspSa.ENC_AES_CBC, EspSa.AUTH_HMAC_SHA256_128),
            new Transform("aes256-sha384", "esp", "aes256", "sha384", 32, 48, EspSa.ENC_AES_CBC, EspSa.AUTH_HMAC_SHA384_192),
            new Transform("aes128-sha512", "esp", "aes128", "sha512", 16, 64, EspSa.ENC_AES_CBC, EspSa.AUTH_HMAC_SHA512_256),
            new Transform("chacha20poly1305", "esp", "chacha20poly1305", "none", 36, 0, null, null),
            new Transform("3des-sha1", "esp", "3des", "sha1", 24, 20, EspSa.ENC_3DES_CBC, EspSa.AUTH_HMAC_SHA1_96),
            new Transform("3des-md5", "esp", "3des", "md5", 24, 16, EspSa.ENC_3DES_CBC, EspSa.AUTH_HMAC_MD5_96),
            new Transform("null-sha256", "esp", "null", "sha256", 0, 32, EspSa.ENC_NULL, EspSa.AUTH_HMAC_SHA256_128),
            new Transform("ah-sha256", "ah", null, "sha256", 0, 32, null, null),
            new Transform("ah-sha1", "ah", null, "sha1", 0, 20, null, null));

    /** Keys of one direction of one tunnel. */
    record Keys(int spi, String enc, String integ) {}

    final Transform transform;
    final String modeA, modeB, encap;
    final Keys v4AtoB, v4BtoA, v6AtoB, v6BtoA;
    String extraA = "", extraB = "", tunnelOptions = "";
    /** tshark 4.0's SA table has no ESN setting, so tunnels it must verify use 32-bit sequence numbers. */
    boolean esn;

    SiteConfigs(Transform t, String modeA, String modeB, boolean udp, long seed) {
        this.transform = t;
        this.modeA = modeA;
        this.modeB = modeB;
        this.encap = udp ? "udp" : "none";
        Random r = new Random(seed);
        v4AtoB = keys(r, 0x1001);
        v4BtoA = keys(r, 0x2001);
        v6AtoB = keys(r, 0x1006);
        v6BtoA = keys(r, 0x2006);
    }

    private Keys keys(Random r, int spi) {
        return new Keys(spi, hex(r, transform.encKeyBytes), hex(r, transform.integKeyBytes));
    }

    private static String hex(Random r, int n) {
        byte[] b = new byte[n];
        r.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    String siteA() {
        return site("site-a", "192.0.2.2/29", "192.0.2.1", "2001:db8:a::2/64", "2001:db8:a::1", "10.1.0.0/24", "10.2.0.0/24",
                "2001:db8:1::/64", "2001:db8:2::/64", "198.51.100.2", "2001:db8:b::2", "to-b", modeA, v4AtoB, v4BtoA, v6AtoB, v6BtoA) + extraA;
    }

    String siteB() {
        return site("site-b", "198.51.100.2/29", "198.51.100.1", "2001:db8:b::2/64", "2001:db8:b::1", "10.2.0.0/24", "10.1.0.0/24",
                "2001:db8:2::/64", "2001:db8:1::/64", "192.0.2.2", "2001:db8:a::2", "to-a", modeB, v4BtoA, v4AtoB, v6BtoA, v6AtoB) + extraB;
    }

    private String site(String host, String own4, String gw4, String own6, String gw6, String lan4, String peerLan4, String lan6, String peerLan6,
                        String peer4, String peer6, String tunnel, String mode, Keys out4, Keys in4, Keys out6, Keys in6) {
        return "hostname " + host + "\n"
                + "interface inside device in\n"
                + "interface outside device out mtu 1500\n"
                + "address " + own4 + " gateway " + gw4 + "\n"
                + "address " + own6 + " gateway " + gw6 + "\n"
                + tunnel(tunnel, peer4, mode, out4, in4, lan4, peerLan4)
                + tunnel(tunnel + "6", peer6, mode, out6, in6, lan6, peerLan6)
                + "policy 10 from " + lan4 + " to " + peerLan4 + " action configured tunnel " + tunnel + " fallback drop\n"
                + "policy 11 from " + lan6 + " to " + peerLan6 + " action configured tunnel " + tunnel + "6 fallback drop\n"
                + "policy 100 from any to any action permit\n"
                + "default-action deny\n";
    }

    private String tunnel(String name, String peer, String mode, Keys out, Keys in, String localNet, String remoteNet) {
        StringBuilder sb = new StringBuilder("tunnel ").append(name).append(" peer ").append(peer).append(" mode ").append(mode)
                .append(" protocol ").append(transform.protocol).append(" encap ").append(encap);
        if (transform.protocol.equals("esp")) sb.append(" enc ").append(transform.enc);
        sb.append(" integ ").append(transform.integ);
        sb.append(" spi-out 0x").append(Integer.toHexString(out.spi())).append(" spi-in 0x").append(Integer.toHexString(in.spi()));
        if (!out.enc().isEmpty()) sb.append(" key-out ").append(out.enc()).append(" key-in ").append(in.enc());
        if (!out.integ().isEmpty()) sb.append(" integ-key-out ").append(out.integ()).append(" integ-key-in ").append(in.integ());
        sb.append(" esn ").append(esn ? "on" : "off");
        sb.append(" local-net ").append(localNet).append(" remote-net ").append(remoteNet).append(tunnelOptions).append('\n');
        return sb.toString();
    }

    /** tshark SAs for all four directions (empty if tshark cannot decrypt this transform). */
    List<EspSa> tsharkSas() {
        List<EspSa> l = new ArrayList<>();
        if (transform.tsharkEnc == null) return l;
        l.add(sa("192.0.2.2", "198.51.100.2", v4AtoB));
        l.add(sa("198.51.100.2", "192.0.2.2", v4BtoA));
        l.add(sa("2001:db8:a::2", "2001:db8:b::2", v6AtoB));
        l.add(sa("2001:db8:b::2", "2001:db8:a::2", v6BtoA));
        return l;
    }

    private EspSa sa(String src, String dst, Keys k) {
        return new EspSa(src.contains(":") ? "IPv6" : "IPv4", src, dst, k.spi(), transform.tsharkEnc, k.enc(), transform.tsharkAuth, k.integ());
    }
}
