// The engine's hook for opportunistic encryption as responder: a peer we have no connection for authenticates
// with an identity and a key that only DNS can vouch for. The shell registers template connections (peer any,
// our credentials and proposals; one per own address) and this callback; when an IKE_AUTH request would land on a template (no
// configured connection accepts the initiator's identity — those are always tried first, so an OE peer can never
// borrow a configured identity), the engine asks the callback which connection to use instead. The answer may
// take a DNS round trip: PENDING(key) makes the engine keep the request unanswered (the initiator's retransmissions
// meanwhile are ignored, so they start nothing new) until the shell calls IkeEngine.resumeDeferred(key) when its
// lookup is done; the request is then processed again at once and the callback answers from the shell's cache. An
// answer that never comes is refused (AUTHENTICATION_FAILED) when the half-open IKE SA expires.
package bitw.ipsec.ike;

import bitw.ipsec.ike.message.TrafficSelector;
import java.util.List;

public interface OpportunisticResponder {
    sealed interface Answer {
        /** Use this connection (raw keys from DNS, nets = exactly the authorized host pair) for the IKE SA. */
        record Accept(IkeConnection connection) implements Answer {}
        /** AUTHENTICATION_FAILED to the initiator; reason for the log. */
        record Refuse(String reason) implements Answer {}
        /**
         * Not known yet: the request waits until IkeEngine.resumeDeferred is called with this key (equal keys: one
         * lookup may answer several requests); a null key is resumed only by resumeDeferred(null, ...).
         */
        record Pending(Object key) implements Answer {
            public Pending() { this(null); }
        }
    }

    /**
     * @param peerId the initiator's IDi
     * @param peerAddress where its IKE messages come from
     * @param tsi, tsr the initiator's traffic selectors (TSi: its side, the inner source addresses)
     */
    Answer respond(IkeConnection template, Identity peerId, Endpoint peerAddress, List<TrafficSelector> tsi, List<TrafficSelector> tsr);

    /**
     * As above, with the IDr the initiator asked for (null if it sent none): the engine calls this one. The
     * accepted connection's localId is what we answer with, so it should be the identity asked for.
     */
    default Answer respond(IkeConnection template, Identity peerId, Identity requestedLocalId, Endpoint peerAddress,
                           List<TrafficSelector> tsi, List<TrafficSelector> tsr) {
        return respond(template, peerId, peerAddress, tsi, tsr);
    }

    /** True if {@code id} (an initiator's IDr) is ours though it is not the template's localId, e.g. our OE FQDN. */
    default boolean ownsIdentity(Identity id) { return false; }

    /**
     * True for the shell's own initiator connections (one host pair each): they never answer a peer's IKE_AUTH,
     * so a peer that initiates for another pair reaches the template, which checks its authority for that pair.
     */
    default boolean initiatesOnly(IkeConnection c) { return false; }
}
