// What to do when dead peer detection declares a peer dead (see IkeEngine.tick).
package bitw.ipsec.ike;

public enum DpdAction {
    /** Remove the IKE and Child SAs; the policies stay and drop (or acquire) traffic. */
    CLEAR,
    /** Remove the SAs and initiate again at once. */
    RESTART,
    /** Remove the SAs, keep the policy, initiate again when traffic asks for it (acquire). */
    HOLD
}
