// Specification of IKE identities: each written form, its ID type and the Identification Data the IKEv2 engine
// puts in its ID payload (RFC 7296 section 3.5), and the forms that are refused.
package bitw.config;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import javax.security.auth.x500.X500Principal;
import org.junit.jupiter.api.Test;

class IkeIdentityTest {

    @Test
    void addressesAreIpv4OrIpv6Identities() {
        IkeIdentity v4 = IkeIdentity.parse("198.51.100.2");
        assertEquals(IkeIdentity.Kind.IPV4_ADDR, v4.kind());
        assertEquals(1, v4.kind().ikev2Id);
        assertArrayEquals(new byte[] {(byte) 198, 51, 100, 2}, v4.encoded());
        IkeIdentity v6 = IkeIdentity.parse("2001:DB8:0:0::1");
        assertEquals(new IkeIdentity(IkeIdentity.Kind.IPV6_ADDR, "2001:db8::1"), v6, "canonical RFC 5952 text");
        assertArrayEquals(HexFormat.of().parseHex("20010db8000000000000000000000001"), v6.encoded());
    }

    @Test
    void namesAreFqdnAndEmailIdentities() {
        IkeIdentity f = IkeIdentity.parse("fqdn:gw.example.net");
        assertEquals(2, f.kind().ikev2Id);
        assertArrayEquals("gw.example.net".getBytes(StandardCharsets.US_ASCII), f.encoded());
        IkeIdentity m = IkeIdentity.parse("email:alice@example.net");
        assertEquals(3, m.kind().ikev2Id);
        assertEquals("email:alice@example.net", m.render());
    }

    @Test
    void aDistinguishedNameIsEncodedAsDer() {
        IkeIdentity dn = IkeIdentity.parse("dn:CN=gw.example.net, O=Example\\, Inc., C=DE");
        assertEquals(9, dn.kind().ikev2Id);
        assertArrayEquals(new X500Principal("CN=gw.example.net,O=Example\\, Inc.,C=DE").getEncoded(), dn.encoded());
        assertEquals("dn:\"CN=gw.example.net, O=Example\\\\, Inc., C=DE\"", dn.render(), "quoted, backslash doubled");
    }

    @Test
    void aKeyIdIsHexBytes() {
        IkeIdentity k = IkeIdentity.parse("keyid:00A1ff");
        assertEquals(11, k.kind().ikev2Id);
        assertEquals("keyid:00a1ff", k.render());
        assertArrayEquals(new byte[] {0, (byte) 0xa1, (byte) 0xff}, k.encoded());
    }

    @Test
    void malformedIdentitiesAreRefusedWithTheReason() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> IkeIdentity.parse("gw.example.net")).getMessage()
                .contains("is not an identity (an IP address, fqdn:<name>"));
        assertThrows(IllegalArgumentException.class, () -> IkeIdentity.parse("fqdn:-bad-.example"));
        assertThrows(IllegalArgumentException.class, () -> IkeIdentity.parse("email:alice"));
        assertThrows(IllegalArgumentException.class, () -> IkeIdentity.parse("email:a@b@c"));
        assertThrows(IllegalArgumentException.class, () -> IkeIdentity.parse("dn:"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> IkeIdentity.parse("dn:no equals sign")).getMessage()
                .contains("is not a distinguished name"));
        assertThrows(IllegalArgumentException.class, () -> IkeIdentity.parse("keyid:abc"));
        assertThrows(IllegalArgumentException.class, () -> IkeIdentity.parse("keyid:zz"));
    }
}
