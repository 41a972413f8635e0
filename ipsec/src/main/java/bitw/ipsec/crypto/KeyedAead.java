// An AEAD keyed once per SA that seals and opens in place without per-packet allocation (AesGcm,
// ChaCha20Poly1305): 12-byte nonce, 16-byte tag after the data.
package bitw.ipsec.crypto;

interface KeyedAead {
    int NONCE = 12, TAG = 16;

    /** Encrypts {@code buf[off, +len)} in place and writes the tag after it; the AAD is {@code aad[aadOff, +aadLen)}. */
    void seal(byte[] nonce, byte[] aad, int aadOff, int aadLen, byte[] buf, int off, int len);

    /** Checks the tag after {@code buf[off, +len)}; only if it matches decrypts in place and returns true. */
    boolean open(byte[] nonce, byte[] aad, int aadOff, int aadLen, byte[] buf, int off, int len);
}
