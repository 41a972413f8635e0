// A task's verdict that an exchange cannot go on. As responder the engine answers with the notify (if any); as
// initiator it reports the failure. fatal: the IKE SA itself is unusable (IKE_SA_INIT/IKE_AUTH failures).
package bitw.ipsec.ike;

import bitw.ipsec.ike.message.NotifyPayload;

final class ExchangeFailure extends Exception {
    final IkeEvent.Failure failure;
    /** Notify to put in our response (responder), or null for none. */
    final NotifyPayload notify;
    final boolean fatal;

    ExchangeFailure(IkeEvent.Failure failure, NotifyPayload notify, boolean fatal, String message) {
        super(message, null, false, false);
        this.failure = failure;
        this.notify = notify;
        this.fatal = fatal;
    }

    static ExchangeFailure fatal(IkeEvent.Failure f, int notifyType, String message) {
        return new ExchangeFailure(f, notifyType == 0 ? null : new NotifyPayload(notifyType, new byte[0]), true, message);
    }

    /** Not a failure: the request cannot be answered yet (OpportunisticResponder PENDING); it is dropped
     *  unanswered and its retransmission is processed afresh. */
    static ExchangeFailure deferred(String message) {
        return new ExchangeFailure(null, null, false, message);
    }

    boolean isDeferral() { return failure == null; }

    static ExchangeFailure of(IkeEvent.Failure f, int notifyType, String message) {
        return new ExchangeFailure(f, notifyType == 0 ? null : new NotifyPayload(notifyType, new byte[0]), false, message);
    }
}
