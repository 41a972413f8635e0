// RSA key pairs for the OE tests, generated once per JVM (1024-bit: fast, and the smallest OeKeys accepts).
package bitw.ipsec.oe;

import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.interfaces.RSAPublicKey;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

final class OeTestKeys {
    private static final List<RSAPublicKey> KEYS = new ArrayList<>();

    private OeTestKeys() {}

    static synchronized RSAPublicKey rsa(int index) {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
            g.initialize(1024);
            while (KEYS.size() <= index) KEYS.add((RSAPublicKey) g.generateKeyPair().getPublic());
            return KEYS.get(index);
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    static String base64(int index) {
        return Base64.getEncoder().encodeToString(OeKeys.rfc3110(rsa(index)));
    }
}
