// Everything the sans-I/O IKE engine asks of the world: send a datagram, install or remove a Child SA pair in the
// SAD, and report events for logs and status. The shell implements it with sockets and the SAD; tests wire two
// engines back to back through it.
package bitw.ipsec.ike;

import bitw.ipsec.sad.SaParameters;

public interface IkeOutput {
    void send(Datagram d);

    /** Install a child SA pair; make-before-break: on rekey the new pair is installed before the old is removed. */
    void installChildSa(String connection, SaParameters inbound, SaParameters outbound);

    /**
     * A pair we made as the responder of the peer's Child SA rekey. The peer installs its inbound SA only when our
     * response arrives, so packets we send on the new outbound SA before then are lost (RFC 7296 §2.8): a shell may
     * keep sending on the old outbound SA until the old pair is removed (the peer's Delete). Default: install now.
     */
    default void installRekeyedChildSaAsResponder(String connection, SaParameters inbound, SaParameters outbound) {
        installChildSa(connection, inbound, outbound);
    }

    void removeChildSa(String connection, SaParameters inbound, SaParameters outbound);

    /** For logs and status: established, rekeyed, deleted, failed (with reason), dpd-dead, ... */
    void event(IkeEvent e);
}
