// The one checked failure of the IKE cryptography: every rejection of peer-supplied input carries a Reason that
// the IKE engine maps to a Notify (INVALID_KE_PAYLOAD, INVALID_SYNTAX, AUTHENTICATION_FAILED) or to a silent drop.
package bitw.ipsec.ike.crypto;

public final class IkeCryptoException extends Exception {
    public enum Reason {
        /** Key exchange data has the wrong length for the negotiated method (engine: INVALID_SYNTAX). */
        KE_WRONG_LENGTH,
        /** Key exchange value of the right length that fails validation: off the curve, 0/1/p-1, all-zero X25519
         *  result, ML-KEM key failing its modulus check (engine: INVALID_SYNTAX, or INVALID_KE_PAYLOAD if it
         *  prefers to ask the peer for a fresh exchange). */
        KE_INVALID_VALUE,
        /** SK payload shorter than IV + ICV, or ciphertext not a whole number of blocks (drop silently). */
        SK_MALFORMED,
        /** ICV or AEAD tag mismatch (drop silently, RFC 7296 §2.21.2). */
        SK_INTEGRITY,
        /** Pad Length larger than the decrypted data (drop silently). */
        SK_BAD_PADDING,
        /** AUTH data cannot be parsed (RFC 7427 AlgorithmIdentifier, signature length) (AUTHENTICATION_FAILED). */
        AUTH_MALFORMED,
        /** Signature scheme not acceptable: not in the allowed set, unknown, or not matching the key type. */
        AUTH_SCHEME_REFUSED,
        /** Certificate chain does not validate to a trust anchor, or is expired. */
        CERT_UNTRUSTED,
        /** Certificate is valid but does not carry the peer's IKE identity. */
        CERT_IDENTITY_MISMATCH,
        /** Certificate, raw public key or DNS key bytes cannot be parsed. */
        CERT_MALFORMED
    }

    private final Reason reason;

    public IkeCryptoException(Reason reason, String message) {
        super(reason + ": " + message);
        this.reason = reason;
    }

    public IkeCryptoException(Reason reason, String message, Throwable cause) {
        super(reason + ": " + message, cause);
        this.reason = reason;
    }

    public Reason reason() { return reason; }
}
