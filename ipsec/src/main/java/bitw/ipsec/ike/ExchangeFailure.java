// A task's verdict that an exchange cannot go on. As responder the engine answers with the notify (if any); as
// initiator it reports the failure. fatal: the IKE SA itself is unusable (IKE_SA_INIT/IKE_AUTH failures).
package bitw.ipsec.ike;

import bitw.ipsec.ike.message.NotifyPayload;

final class ExchangeFailure extends Exception {
    final IkeEvent.Failure failure;
    /** Notify to put in our response (responder), or null for none. */
    final NotifyPayload notify;
    final boolean fatal;
    /** A deferral's key (OpportunisticResponder.Answer.Pending): IkeEngine.resumeDeferred(key) processes it again. */
    final Object deferralKey;

    ExchangeFailure(IkeEvent.Failure failure, NotifyPayload notify, boolean fatal, String message) {
        this(failure, notify, fatal, message, null);
    }

    private ExchangeFailure(IkeEvent.Failure failure, NotifyPayload notify, boolean fatal, String message, Object deferralKey) {
        super(message, null, false, false);
        this.failure = failure;
        this.notify = notify;
        this.fatal = fatal;
        this.deferralKey = deferralKey;
    }

    static ExchangeFailure fatal(IkeEvent.Failure f, int notifyType, String message) {
        return new ExchangeFailure(f, notifyType == 0 ? null : new NotifyPayload(notifyType, new byte[0]), true, message);
    }

    /** Not a failure: the request cannot be answered yet (OpportunisticResponder PENDING); it is kept unanswered
     *  until IkeEngine.resumeDeferred(key) processes it again. */
    static ExchangeFailure deferred(String message, Object key) {
        return new ExchangeFailure(null, null, false, message, key);
    }

    boolean isDeferral() { return failure == null; }

    static ExchangeFailure of(IkeEvent.Failure f, int notifyType, String message) {
        return new ExchangeFailure(f, notifyType == 0 ? null : new NotifyPayload(notifyType, new byte[0]), false, message);
    }
}
