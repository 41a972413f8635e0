package bitw.ipsec.ike;
final class IkeRekeyTask extends IkeTask {
    IkeRekeyTask(IkeSa sa) { super(sa); }
    @Override void processRequest(Received in) throws ExchangeFailure {
        throw ExchangeFailure.of(IkeEvent.Failure.NO_PROPOSAL_CHOSEN, bitw.ipsec.ike.message.NotifyPayload.NO_PROPOSAL_CHOSEN, "IKE rekey not yet");
    }
}
