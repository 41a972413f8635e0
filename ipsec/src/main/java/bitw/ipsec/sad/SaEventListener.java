// What the SAD tells its owner (manual keying now, IKEv2 later) about SA lifetimes. Called only on the control
// thread, from SecurityAssociationDatabase.tick(), never from a data thread; a listener may install and remove SAs.
package bitw.ipsec.sad;

public interface SaEventListener {
    /** The SA crossed a soft limit (seconds or bytes): start a rekey. At most once per SA. */
    void softExpired(SecurityAssociation sa);

    /**
     * The SA reached a hard limit (seconds, bytes, or its sequence numbers ran out) and has already been removed
     * from the database. At most once per SA; not called for SAs removed explicitly with remove().
     */
    void hardExpired(SecurityAssociation sa);
}
