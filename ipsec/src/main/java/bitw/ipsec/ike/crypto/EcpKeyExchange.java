// Elliptic-curve Diffie-Hellman over the NIST prime curves (groups 19, 20, 21) with RFC 5903 encodings: KE data is
// x | y without a point-format octet, the shared secret is the x coordinate, both padded to the field length.
// Peer points are checked to lie on the curve before use (the curves have cofactor 1, so that suffices).
package bitw.ipsec.ike.crypto;

import java.math.BigInteger;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECFieldFp;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPrivateKeySpec;
import java.security.spec.ECPublicKeySpec;
import java.security.spec.EllipticCurve;
import javax.crypto.KeyAgreement;

final class EcpKeyExchange implements KeyExchange {
    private final KeyExchangeMethod method;
    private final ECParameterSpec params;
    private final int coordLength;
    private final PrivateKey privateKey;
    private final ECPoint publicPoint;

    EcpKeyExchange(KeyExchangeMethod method) {
        this.method = method;
        this.params = curve(method);
        this.coordLength = method.sharedSecretLength();
        try {
            KeyPairGenerator gen = KeyPairGenerator.getInstance("EC");
            gen.initialize(new ECGenParameterSpec(method.curveName()));
            KeyPair pair = gen.generateKeyPair();
            this.privateKey = pair.getPrivate();
            this.publicPoint = ((ECPublicKey) pair.getPublic()).getW();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("JDK EC key generation failed", e);
        }
    }

    /** Known private scalar and its public point: for published test vectors only. */
    EcpKeyExchange(KeyExchangeMethod method, BigInteger d, BigInteger x, BigInteger y) {
        this.method = method;
        this.params = curve(method);
        this.coordLength = method.sharedSecretLength();
        try {
            this.privateKey = KeyFactory.getInstance("EC").generatePrivate(new ECPrivateKeySpec(d, params));
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException(e);
        }
        this.publicPoint = new ECPoint(x, y);
    }

    static ECParameterSpec curve(KeyExchangeMethod method) {
        try {
            AlgorithmParameters ap = AlgorithmParameters.getInstance("EC");
            ap.init(new ECGenParameterSpec(method.curveName()));
            return ap.getParameterSpec(ECParameterSpec.class);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("JDK lacks " + method.curveName(), e);
        }
    }

    @Override public KeyExchangeMethod method() { return method; }

    @Override public byte[] initiatorPublic() {
        byte[] out = new byte[2 * coordLength];
        System.arraycopy(FixedLength.bigEndian(publicPoint.getAffineX(), coordLength), 0, out, 0, coordLength);
        System.arraycopy(FixedLength.bigEndian(publicPoint.getAffineY(), coordLength), 0, out, coordLength, coordLength);
        return out;
    }

    @Override public Responder respond(byte[] initiatorPublic) throws IkeCryptoException {
        return new Responder(initiatorPublic(), agree(initiatorPublic));
    }

    @Override public byte[] complete(byte[] responderPublic) throws IkeCryptoException {
        return agree(responderPublic);
    }

    private byte[] agree(byte[] peer) throws IkeCryptoException {
        PublicKey peerKey = decodePeer(peer);
        try {
            KeyAgreement ka = KeyAgreement.getInstance("ECDH");
            ka.init(privateKey);
            ka.doPhase(peerKey, true);
            return FixedLength.leftPad(ka.generateSecret(), coordLength);
        } catch (GeneralSecurityException e) {
            throw new IkeCryptoException(IkeCryptoException.Reason.KE_INVALID_VALUE, method + " agreement refused", e);
        }
    }

    private PublicKey decodePeer(byte[] peer) throws IkeCryptoException {
        if (peer.length != 2 * coordLength)
            throw new IkeCryptoException(IkeCryptoException.Reason.KE_WRONG_LENGTH,
                    method + " KE data is " + peer.length + " bytes, expected " + 2 * coordLength);
        byte[] xb = new byte[coordLength], yb = new byte[coordLength];
        System.arraycopy(peer, 0, xb, 0, coordLength);
        System.arraycopy(peer, coordLength, yb, 0, coordLength);
        BigInteger x = new BigInteger(1, xb), y = new BigInteger(1, yb);
        EllipticCurve c = params.getCurve();
        BigInteger p = ((ECFieldFp) c.getField()).getP();
        if (x.compareTo(p) >= 0 || y.compareTo(p) >= 0)
            throw new IkeCryptoException(IkeCryptoException.Reason.KE_INVALID_VALUE, method + " coordinate >= p");
        BigInteger lhs = y.multiply(y).mod(p);
        BigInteger rhs = x.multiply(x).multiply(x).add(c.getA().multiply(x)).add(c.getB()).mod(p);
        if (!lhs.equals(rhs))
            throw new IkeCryptoException(IkeCryptoException.Reason.KE_INVALID_VALUE, method + " point not on curve");
        try {
            return KeyFactory.getInstance("EC").generatePublic(new ECPublicKeySpec(new ECPoint(x, y), params));
        } catch (GeneralSecurityException e) {
            throw new IkeCryptoException(IkeCryptoException.Reason.KE_INVALID_VALUE, method + " point refused", e);
        }
    }
}
