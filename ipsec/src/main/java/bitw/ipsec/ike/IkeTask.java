// One concern of an exchange (strongSwan's task model): an exchange's request and response are the union of the
// payloads its tasks build, and each task reads back what concerns it. Initiator side: buildRequest then
// processResponse; responder side: processRequest then buildResponse. A task holds the state of its concern
// between the two halves (a KeyExchange, a nonce, an allocated SPI).
package bitw.ipsec.ike;

import bitw.ipsec.ike.message.Payload;
import java.util.List;

abstract class IkeTask {
    enum Result { DONE, RETRY }

    final IkeSa sa;

    IkeTask(IkeSa sa) { this.sa = sa; }

    /** False when the task has become pointless before its exchange started (e.g. its Child SA is gone). */
    boolean wanted() { return true; }

    void buildRequest(List<Payload> out) throws ExchangeFailure {}

    /** RETRY: send the exchange again, rebuilt (IKE_SA_INIT after COOKIE or INVALID_KE_PAYLOAD). */
    Result processResponse(Received in) throws ExchangeFailure { return Result.DONE; }

    void processRequest(Received in) throws ExchangeFailure {}

    void buildResponse(List<Payload> out) {}

    /** The exchange failed or timed out: release what the task holds (allocated SPIs, half-made SAs). */
    void abort() {}
}
