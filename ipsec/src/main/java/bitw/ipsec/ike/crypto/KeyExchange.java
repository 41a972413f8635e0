// One key exchange (KE payload) between two IKE peers, for any KeyExchangeMethod: the engine creates one per
// IKE_SA_INIT, CREATE_CHILD_SA with PFS, or RFC 9370 IKE_INTERMEDIATE/IKE_FOLLOWUP_KE round, and uses it on one
// side only. Peer values are validated here; failures are IkeCryptoException with a KE_* reason.
package bitw.ipsec.ike.crypto;

public interface KeyExchange {
    KeyExchangeMethod method();

    /** Our KE data when we initiate: a Diffie-Hellman public value, or the ML-KEM encapsulation key. */
    byte[] initiatorPublic();

    /** Responder side: takes the initiator's KE data, returns our KE data (DH public value or ML-KEM ciphertext)
     *  and the shared secret. */
    Responder respond(byte[] initiatorPublic) throws IkeCryptoException;

    /** Initiator side: takes the responder's KE data and returns the shared secret. */
    byte[] complete(byte[] responderPublic) throws IkeCryptoException;

    record Responder(byte[] responderPublic, byte[] sharedSecret) {}
}
