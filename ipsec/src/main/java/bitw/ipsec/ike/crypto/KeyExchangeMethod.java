// IKEv2 key exchange methods (IANA Transform Type 4) with their KE data encodings, and the KeyExchange objects
// that run them: MODP groups (RFC 3526), NIST curves (RFC 5903 encoding), Curve25519 (RFC 8031) and ML-KEM-768
// (draft-ietf-ipsecme-ikev2-mlkem, used as an RFC 9370 additional key exchange). JDK providers do the arithmetic.
package bitw.ipsec.ike.crypto;

import java.math.BigInteger;

public enum KeyExchangeMethod {
    MODP_2048(14, 256, 256, 256),
    MODP_3072(15, 384, 384, 384),
    MODP_4096(16, 512, 512, 512),
    /** KE data x | y, each coordinate fixed-length, no 0x04 prefix; shared secret = x coordinate (RFC 5903). */
    ECP_256(19, 64, 64, 32),
    ECP_384(20, 96, 96, 48),
    ECP_521(21, 132, 132, 66),
    /** RFC 8031: 32-byte little-endian u coordinates both ways and as the shared secret. */
    CURVE25519(31, 32, 32, 32),
    /** Initiator sends the 1184-byte encapsulation key, responder the 1088-byte ciphertext; 32-byte secret. */
    ML_KEM_768(36, 1184, 1088, 32);

    public final int ikev2Id;
    private final int initiatorPublicLength;
    private final int responderPublicLength;
    private final int sharedSecretLength;

    KeyExchangeMethod(int ikev2Id, int initiatorPublicLength, int responderPublicLength, int sharedSecretLength) {
        this.ikev2Id = ikev2Id;
        this.initiatorPublicLength = initiatorPublicLength;
        this.responderPublicLength = responderPublicLength;
        this.sharedSecretLength = sharedSecretLength;
    }

    public int initiatorPublicLength() { return initiatorPublicLength; }
    public int responderPublicLength() { return responderPublicLength; }
    public int sharedSecretLength() { return sharedSecretLength; }

    /** A KEM is not symmetric: only the initiator's side creates a key pair, and RFC 9370 forbids it in the
     *  IKE_SA_INIT KE payload. */
    public boolean isKem() { return this == ML_KEM_768; }

    public static KeyExchangeMethod byId(int ikev2Id) {
        for (KeyExchangeMethod m : values()) if (m.ikev2Id == ikev2Id) return m;
        return null;
    }

    /** A fresh exchange with new random private values. */
    public KeyExchange newKeyExchange() {
        return switch (this) {
            case MODP_2048, MODP_3072, MODP_4096 -> new ModpKeyExchange(this);
            case ECP_256, ECP_384, ECP_521 -> new EcpKeyExchange(this);
            case CURVE25519 -> new X25519KeyExchange();
            case ML_KEM_768 -> new MlKemKeyExchange();
        };
    }

    /** The group prime (MODP methods only); generator is 2 for all of them. */
    BigInteger modpPrime() {
        return switch (this) {
            case MODP_2048 -> Primes.P2048;
            case MODP_3072 -> Primes.P3072;
            case MODP_4096 -> Primes.P4096;
            default -> throw new IllegalStateException(this + " is not a MODP group");
        };
    }

    /** Standard curve name for the ECP methods (JDK SunEC). */
    String curveName() {
        return switch (this) {
            case ECP_256 -> "secp256r1";
            case ECP_384 -> "secp384r1";
            case ECP_521 -> "secp521r1";
            default -> throw new IllegalStateException(this + " is not an ECP group");
        };
    }

    /** RFC 3526 primes, held apart so enum initialisation stays cheap and the hex stays readable. */
    private static final class Primes {
        private static final String MODP_2048_PRIME =
            "FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74020BBEA63B139B22514A08798E3404DD" +
            "EF9519B3CD3A431B302B0A6DF25F14374FE1356D6D51C245E485B576625E7EC6F44C42E9A637ED6B0BFF5CB6F406B7ED" +
            "EE386BFB5A899FA5AE9F24117C4B1FE649286651ECE45B3DC2007CB8A163BF0598DA48361C55D39A69163FA8FD24CF5F" +
            "83655D23DCA3AD961C62F356208552BB9ED529077096966D670C354E4ABC9804F1746C08CA18217C32905E462E36CE3B" +
            "E39E772C180E86039B2783A2EC07A28FB5C55DF06F4C52C9DE2BCBF6955817183995497CEA956AE515D2261898FA0510" +
            "15728E5A8AACAA68FFFFFFFFFFFFFFFF";

        private static final String MODP_3072_PRIME =
            "FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74020BBEA63B139B22514A08798E3404DD" +
            "EF9519B3CD3A431B302B0A6DF25F14374FE1356D6D51C245E485B576625E7EC6F44C42E9A637ED6B0BFF5CB6F406B7ED" +
            "EE386BFB5A899FA5AE9F24117C4B1FE649286651ECE45B3DC2007CB8A163BF0598DA48361C55D39A69163FA8FD24CF5F" +
            "83655D23DCA3AD961C62F356208552BB9ED529077096966D670C354E4ABC9804F1746C08CA18217C32905E462E36CE3B" +
            "E39E772C180E86039B2783A2EC07A28FB5C55DF06F4C52C9DE2BCBF6955817183995497CEA956AE515D2261898FA0510" +
            "15728E5A8AAAC42DAD33170D04507A33A85521ABDF1CBA64ECFB850458DBEF0A8AEA71575D060C7DB3970F85A6E1E4C7" +
            "ABF5AE8CDB0933D71E8C94E04A25619DCEE3D2261AD2EE6BF12FFA06D98A0864D87602733EC86A64521F2B18177B200C" +
            "BBE117577A615D6C770988C0BAD946E208E24FA074E5AB3143DB5BFCE0FD108E4B82D120A93AD2CAFFFFFFFFFFFFFFFF";

        private static final String MODP_4096_PRIME =
            "FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74020BBEA63B139B22514A08798E3404DD" +
            "EF9519B3CD3A431B302B0A6DF25F14374FE1356D6D51C245E485B576625E7EC6F44C42E9A637ED6B0BFF5CB6F406B7ED" +
            "EE386BFB5A899FA5AE9F24117C4B1FE649286651ECE45B3DC2007CB8A163BF0598DA48361C55D39A69163FA8FD24CF5F" +
            "83655D23DCA3AD961C62F356208552BB9ED529077096966D670C354E4ABC9804F1746C08CA18217C32905E462E36CE3B" +
            "E39E772C180E86039B2783A2EC07A28FB5C55DF06F4C52C9DE2BCBF6955817183995497CEA956AE515D2261898FA0510" +
            "15728E5A8AAAC42DAD33170D04507A33A85521ABDF1CBA64ECFB850458DBEF0A8AEA71575D060C7DB3970F85A6E1E4C7" +
            "ABF5AE8CDB0933D71E8C94E04A25619DCEE3D2261AD2EE6BF12FFA06D98A0864D87602733EC86A64521F2B18177B200C" +
            "BBE117577A615D6C770988C0BAD946E208E24FA074E5AB3143DB5BFCE0FD108E4B82D120A92108011A723C12A787E6D7" +
            "88719A10BDBA5B2699C327186AF4E23C1A946834B6150BDA2583E9CA2AD44CE8DBBBC2DB04DE8EF92E8EFC141FBECAA6" +
            "287C59474E6BC05D99B2964FA090C3A2233BA186515BE7ED1F612970CEE2D7AFB81BDD762170481CD0069127D5B05AA9" +
            "93B4EA988D8FDDC186FFB7DC90A6C08F4DF435C934063199FFFFFFFFFFFFFFFF";

        static final BigInteger P2048 = new BigInteger(MODP_2048_PRIME, 16);
        static final BigInteger P3072 = new BigInteger(MODP_3072_PRIME, 16);
        static final BigInteger P4096 = new BigInteger(MODP_4096_PRIME, 16);
    }
}
