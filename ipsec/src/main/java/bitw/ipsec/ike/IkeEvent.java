// What the IKE engine reports to logs and status through IkeOutput.event: each event names its connection and
// carries a human-readable message that includes the reason (a notify name, a timeout, a peer's Delete, ...).
package bitw.ipsec.ike;

public sealed interface IkeEvent {
    String connection();
    String message();

    /** Why an exchange failed. PEER_* means the peer told us (a notify in its response); the others are our verdicts. */
    enum Failure {
        NO_PROPOSAL_CHOSEN, AUTHENTICATION_FAILED, TS_UNACCEPTABLE, INVALID_KE_PAYLOAD, INVALID_SYNTAX, INVALID_SPI,
        TIMEOUT, PEER_ERROR, INTERNAL
    }

    record IkeSaEstablished(String connection, String message) implements IkeEvent {}
    record ChildSaEstablished(String connection, String message) implements IkeEvent {}
    record IkeSaRekeyed(String connection, String message) implements IkeEvent {}
    record ChildSaRekeyed(String connection, String message) implements IkeEvent {}
    record IkeSaDeleted(String connection, String message) implements IkeEvent {}
    record ChildSaDeleted(String connection, String message) implements IkeEvent {}
    /** An exchange or SA failed; {@code failure} classifies it, the message says what happened. */
    record Failed(String connection, Failure failure, String message) implements IkeEvent {}
    /** Dead peer detection gave up: retransmissions of a request were exhausted. */
    record PeerDead(String connection, String message) implements IkeEvent {}
    /** NAT detected (or UDP encapsulation forced): IKE floats to 4500, Child SAs use ESP in UDP. */
    record NatDetected(String connection, String message) implements IkeEvent {}
}
