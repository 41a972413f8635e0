// Curve25519 Diffie-Hellman for IKEv2 (RFC 8031): 32-byte little-endian u coordinates as KE data and shared secret.
// An all-zero result (peer sent a small-order point) is refused, as RFC 8031 §2 requires.
package bitw.ipsec.ike.crypto;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.interfaces.XECPublicKey;
import java.security.spec.NamedParameterSpec;
import java.security.spec.XECPrivateKeySpec;
import java.security.spec.XECPublicKeySpec;
import javax.crypto.KeyAgreement;

final class X25519KeyExchange implements KeyExchange {
    private static final BigInteger U_MASK = BigInteger.ONE.shiftLeft(255).subtract(BigInteger.ONE);

    private final PrivateKey privateKey;
    private final byte[] publicValue;

    X25519KeyExchange() {
        try {
            KeyPair pair = KeyPairGenerator.getInstance("X25519").generateKeyPair();
            this.privateKey = pair.getPrivate();
            this.publicValue = FixedLength.littleEndian(((XECPublicKey) pair.getPublic()).getU(), 32);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("JDK lacks X25519", e);
        }
    }

    /** Known 32-byte scalar: for published test vectors only. The public value is X25519(k, 9). */
    X25519KeyExchange(byte[] scalar) {
        try {
            this.privateKey = KeyFactory.getInstance("XDH")
                    .generatePrivate(new XECPrivateKeySpec(NamedParameterSpec.X25519, scalar.clone()));
            byte[] base = new byte[32];
            base[0] = 9;
            this.publicValue = agree(base);
        } catch (GeneralSecurityException | IkeCryptoException e) {
            throw new IllegalArgumentException(e);
        }
    }

    @Override public KeyExchangeMethod method() { return KeyExchangeMethod.CURVE25519; }

    @Override public byte[] initiatorPublic() { return publicValue.clone(); }

    @Override public Responder respond(byte[] initiatorPublic) throws IkeCryptoException {
        return new Responder(initiatorPublic(), agree(initiatorPublic));
    }

    @Override public byte[] complete(byte[] responderPublic) throws IkeCryptoException {
        return agree(responderPublic);
    }

    private byte[] agree(byte[] peer) throws IkeCryptoException {
        if (peer.length != 32)
            throw new IkeCryptoException(IkeCryptoException.Reason.KE_WRONG_LENGTH,
                    "Curve25519 KE data is " + peer.length + " bytes, expected 32");
        // RFC 7748 §5: the top bit of the last byte is ignored.
        BigInteger u = FixedLength.fromLittleEndian(peer).and(U_MASK);
        byte[] secret;
        try {
            KeyAgreement ka = KeyAgreement.getInstance("X25519");
            ka.init(privateKey);
            ka.doPhase(KeyFactory.getInstance("XDH")
                    .generatePublic(new XECPublicKeySpec(NamedParameterSpec.X25519, u)), true);
            secret = ka.generateSecret();
        } catch (GeneralSecurityException e) {
            // SunEC itself refuses small-order points with an exception.
            throw new IkeCryptoException(IkeCryptoException.Reason.KE_INVALID_VALUE, "Curve25519 agreement refused", e);
        }
        int acc = 0;
        for (byte b : secret) acc |= b;
        if (acc == 0) throw new IkeCryptoException(IkeCryptoException.Reason.KE_INVALID_VALUE, "all-zero X25519 result");
        return secret;
    }
}
