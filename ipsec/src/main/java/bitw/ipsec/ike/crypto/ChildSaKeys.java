// Key material of one Child SA pair (RFC 7296 §2.17): the initiator-to-responder SA first, then the reverse.
// Encryption keys include the AEAD salt at their end, as bitw.ipsec.crypto expects.
package bitw.ipsec.ike.crypto;

public record ChildSaKeys(byte[] encrInitiatorToResponder, byte[] integInitiatorToResponder,
                          byte[] encrResponderToInitiator, byte[] integResponderToInitiator) {}
