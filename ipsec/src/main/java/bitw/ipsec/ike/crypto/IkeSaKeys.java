// The seven keys of an IKE SA (RFC 7296 §2.14) and the SKEYSEED they came from; produced by IkeKeyDerivation.
// SK_ei/SK_er include the AEAD salt at their end when the encryption transform is AEAD (RFC 5282 §7.1).
package bitw.ipsec.ike.crypto;

public record IkeSaKeys(byte[] skeyseed, byte[] skD, byte[] skAi, byte[] skAr, byte[] skEi, byte[] skEr,
                        byte[] skPi, byte[] skPr) {}
