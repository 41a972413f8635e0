// Finite-field Diffie-Hellman over the RFC 3526 MODP groups (14, 15, 16): KE data and shared secret are both
// padded to the prime's length (RFC 7296 §3.4, §2.14). Peer values must satisfy 1 < y < p-1 (RFC 6989 §2.2:
// for safe primes this range check is sufficient).
package bitw.ipsec.ike.crypto;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import javax.crypto.KeyAgreement;
import javax.crypto.interfaces.DHPublicKey;
import javax.crypto.spec.DHParameterSpec;
import javax.crypto.spec.DHPublicKeySpec;

final class ModpKeyExchange implements KeyExchange {
    private static final BigInteger G = BigInteger.TWO;
    /** Private exponent size: at least twice the group strength (≤ 152 bits for 4096-bit MODP). */
    private static final int EXPONENT_BITS = 512;

    private final KeyExchangeMethod method;
    private final BigInteger p;
    private final KeyPair pair;

    ModpKeyExchange(KeyExchangeMethod method) {
        this.method = method;
        this.p = method.modpPrime();
        try {
            KeyPairGenerator gen = KeyPairGenerator.getInstance("DiffieHellman");
            gen.initialize(new DHParameterSpec(p, G, EXPONENT_BITS));
            this.pair = gen.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("JDK DH key generation failed", e);
        }
    }

    @Override public KeyExchangeMethod method() { return method; }

    @Override public byte[] initiatorPublic() {
        return FixedLength.bigEndian(((DHPublicKey) pair.getPublic()).getY(), method.initiatorPublicLength());
    }

    @Override public Responder respond(byte[] initiatorPublic) throws IkeCryptoException {
        return new Responder(initiatorPublic(), agree(initiatorPublic));
    }

    @Override public byte[] complete(byte[] responderPublic) throws IkeCryptoException {
        return agree(responderPublic);
    }

    private byte[] agree(byte[] peer) throws IkeCryptoException {
        if (peer.length != method.initiatorPublicLength())
            throw new IkeCryptoException(IkeCryptoException.Reason.KE_WRONG_LENGTH,
                    method + " KE data is " + peer.length + " bytes, expected " + method.initiatorPublicLength());
        BigInteger y = new BigInteger(1, peer);
        if (y.compareTo(BigInteger.ONE) <= 0 || y.compareTo(p.subtract(BigInteger.ONE)) >= 0)
            throw new IkeCryptoException(IkeCryptoException.Reason.KE_INVALID_VALUE,
                    method + " public value outside 1 < y < p-1");
        try {
            KeyAgreement ka = KeyAgreement.getInstance("DiffieHellman");
            ka.init(pair.getPrivate());
            ka.doPhase(KeyFactory.getInstance("DiffieHellman").generatePublic(new DHPublicKeySpec(y, p, G)), true);
            return FixedLength.leftPad(ka.generateSecret(), method.sharedSecretLength());
        } catch (GeneralSecurityException e) {
            throw new IkeCryptoException(IkeCryptoException.Reason.KE_INVALID_VALUE, method + " agreement refused", e);
        }
    }
}
