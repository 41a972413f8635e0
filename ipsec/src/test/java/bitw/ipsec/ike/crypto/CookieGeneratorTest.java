// COOKIE values (RFC 7296 §2.6): valid for the same initiator values across one secret rotation, invalid for any
// other Ni, address or SPIi, after two rotations, or when altered.
package bitw.ipsec.ike.crypto;

import static org.junit.jupiter.api.Assertions.*;

import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

import bitw.ipsec.packet.Bytes;

class CookieGeneratorTest {
    private static final byte[] NI = PrfTest.fill(0x4e, 32), IP = {(byte) 198, 51, 100, 7};
    private static final long SPI = 0x0a0b0c0d0e0f1011L;

    @Test
    void cookieIsVersionThenSha256OfNiAddressSpiAndSecret() throws Exception {
        CookieGenerator g = new CookieGenerator(new SecureRandom());
        byte[] c = g.cookie(NI, IP, SPI);
        assertEquals(CookieGenerator.COOKIE_LENGTH, c.length);
        assertTrue(c.length <= 64, "RFC 7296 limits cookies to 64 bytes");
        assertArrayEquals(c, g.cookie(NI, IP, SPI), "stateless: same inputs, same cookie");
        // Without the secret nobody can produce it: the plain hash of the public inputs is different.
        byte[] publicOnly = MessageDigest.getInstance("SHA-256").digest(Prf.concat(NI, IP, Bytes.fromHex("0a0b0c0d0e0f1011")));
        assertFalse(Arrays.equals(publicOnly, Arrays.copyOfRange(c, 4, c.length)));
    }

    @Test
    void verifiesOnlyTheValuesItWasMadeFor() {
        CookieGenerator g = new CookieGenerator(new SecureRandom());
        byte[] c = g.cookie(NI, IP, SPI);
        assertTrue(g.verify(c, NI, IP, SPI));
        assertFalse(g.verify(c, PrfTest.fill(0x4f, 32), IP, SPI), "other Ni");
        assertFalse(g.verify(c, NI, new byte[] {(byte) 198, 51, 100, 8}, SPI), "other address");
        assertFalse(g.verify(c, NI, IP, SPI + 1), "other SPIi");
        byte[] altered = c.clone();
        altered[20] ^= 1;
        assertFalse(g.verify(altered, NI, IP, SPI));
        assertFalse(g.verify(Arrays.copyOf(c, 35), NI, IP, SPI));
        assertFalse(new CookieGenerator(new SecureRandom()).verify(c, NI, IP, SPI), "another responder's secret");
    }

    @Test
    void survivesOneRotationButNotTwo() {
        CookieGenerator g = new CookieGenerator(new SecureRandom());
        byte[] c = g.cookie(NI, IP, SPI);
        g.rotate();
        assertTrue(g.verify(c, NI, IP, SPI), "previous secret still accepted");
        assertFalse(Arrays.equals(c, g.cookie(NI, IP, SPI)), "new cookies use the new secret");
        g.rotate();
        assertFalse(g.verify(c, NI, IP, SPI), "expired secret");
        assertTrue(g.verify(g.cookie(NI, IP, SPI), NI, IP, SPI));
    }
}
