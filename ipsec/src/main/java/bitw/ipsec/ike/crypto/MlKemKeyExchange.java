// ML-KEM-768 (FIPS 203) as an IKEv2 key exchange method (draft-ietf-ipsecme-ikev2-mlkem, method 36), used as an
// RFC 9370 additional key exchange: the initiator sends its 1184-byte encapsulation key, the responder encapsulates
// and returns the 1088-byte ciphertext; both obtain the 32-byte shared secret. JDK 25's javax.crypto.KEM does the work.
package bitw.ipsec.ike.crypto;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import javax.crypto.KEM;

final class MlKemKeyExchange implements KeyExchange {
    private static final int EK_LENGTH = 1184, CT_LENGTH = 1088, Q = 3329, T_HAT_BYTES = 1152;
    /** DER SubjectPublicKeyInfo header in front of a raw ML-KEM-768 key; taken from the JDK's own encoding. */
    private static final byte[] SPKI_PREFIX;

    static {
        try {
            byte[] spki = KeyPairGenerator.getInstance("ML-KEM-768").generateKeyPair().getPublic().getEncoded();
            SPKI_PREFIX = Arrays.copyOf(spki, spki.length - EK_LENGTH);
        } catch (GeneralSecurityException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private KeyPair pair;   // created lazily: the responder never needs one

    @Override public KeyExchangeMethod method() { return KeyExchangeMethod.ML_KEM_768; }

    @Override public byte[] initiatorPublic() {
        byte[] spki = initiatorPair().getPublic().getEncoded();
        return Arrays.copyOfRange(spki, spki.length - EK_LENGTH, spki.length);
    }

    @Override public Responder respond(byte[] encapsulationKey) throws IkeCryptoException {
        if (encapsulationKey.length != EK_LENGTH)
            throw new IkeCryptoException(IkeCryptoException.Reason.KE_WRONG_LENGTH,
                    "ML-KEM-768 encapsulation key is " + encapsulationKey.length + " bytes, expected " + EK_LENGTH);
        checkModulus(encapsulationKey);
        try {
            byte[] spki = Arrays.copyOf(SPKI_PREFIX, SPKI_PREFIX.length + EK_LENGTH);
            System.arraycopy(encapsulationKey, 0, spki, SPKI_PREFIX.length, EK_LENGTH);
            PublicKey ek = KeyFactory.getInstance("ML-KEM").generatePublic(new X509EncodedKeySpec(spki));
            KEM.Encapsulated enc = KEM.getInstance("ML-KEM").newEncapsulator(ek).encapsulate();
            return new Responder(enc.encapsulation(), enc.key().getEncoded());
        } catch (GeneralSecurityException e) {
            throw new IkeCryptoException(IkeCryptoException.Reason.KE_INVALID_VALUE, "ML-KEM-768 key refused", e);
        }
    }

    @Override public byte[] complete(byte[] ciphertext) throws IkeCryptoException {
        if (ciphertext.length != CT_LENGTH)
            throw new IkeCryptoException(IkeCryptoException.Reason.KE_WRONG_LENGTH,
                    "ML-KEM-768 ciphertext is " + ciphertext.length + " bytes, expected " + CT_LENGTH);
        // A tampered ciphertext of the right length decapsulates to an unrelated secret (implicit rejection);
        // the AUTH exchange then fails, which is the intended outcome.
        try {
            return KEM.getInstance("ML-KEM").newDecapsulator(initiatorPair().getPrivate()).decapsulate(ciphertext)
                    .getEncoded();
        } catch (GeneralSecurityException e) {
            throw new IkeCryptoException(IkeCryptoException.Reason.KE_INVALID_VALUE, "ML-KEM-768 decapsulation failed", e);
        }
    }

    private KeyPair initiatorPair() {
        if (pair == null) {
            try {
                pair = KeyPairGenerator.getInstance("ML-KEM-768").generateKeyPair();
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("JDK lacks ML-KEM-768", e);
            }
        }
        return pair;
    }

    /** FIPS 203 §7.2 modulus check: every 12-bit coefficient of the encoded vector t̂ must be below q. */
    static void checkModulus(byte[] ek) throws IkeCryptoException {
        for (int i = 0; i < T_HAT_BYTES; i += 3) {
            int b0 = ek[i] & 0xff, b1 = ek[i + 1] & 0xff, b2 = ek[i + 2] & 0xff;
            int c0 = b0 | (b1 & 0x0f) << 8, c1 = b1 >>> 4 | b2 << 4;
            if (c0 >= Q || c1 >= Q)
                throw new IkeCryptoException(IkeCryptoException.Reason.KE_INVALID_VALUE,
                        "ML-KEM-768 encapsulation key fails the modulus check");
        }
    }
}
