// One RFC 9370 additional key exchange (e.g. ML-KEM-768 after an ECDH IKE_SA_INIT) in its own IKE_INTERMEDIATE
// exchange (RFC 9242). After it, all IKE SA keys are recomputed: SKEYSEED(n) = prf(SK_d(n-1), SK(n) | Ni | Nr).
// The response is still protected with the previous keys, so the responder switches keys only after sending it.
package bitw.ipsec.ike;

import bitw.ipsec.ike.crypto.IkeCryptoException;
import bitw.ipsec.ike.crypto.IkeKeyDerivation;
import bitw.ipsec.ike.crypto.KeyExchange;
import bitw.ipsec.ike.crypto.KeyExchangeMethod;
import bitw.ipsec.ike.message.KePayload;
import bitw.ipsec.ike.message.NotifyPayload;
import bitw.ipsec.ike.message.Payload;
import java.util.List;

final class AdditionalKeTask extends IkeTask {
    private int index;
    private KeyExchangeMethod method;
    private KeyExchange ke;
    private byte[] ourPublic, secret;

    /** @param index which additional exchange (0 for ADDKE1); the responder passes -1 and counts. */
    AdditionalKeTask(IkeSa sa, int index) {
        super(sa);
        this.index = index;
    }

    @Override void buildRequest(List<Payload> out) {
        method = sa.algorithms.additionalKe().get(index);
        ke = method.newKeyExchange();
        out.add(new KePayload(method.ikev2Id, ke.initiatorPublic()));
    }

    @Override Result processResponse(Received in) throws ExchangeFailure {
        KePayload k = in.first(KePayload.class).orElse(null);
        if (k == null || k.group() != method.ikev2Id) {
            var e = in.error();
            throw InitTask.peerError(e.isPresent() ? e.get().notifyType() : NotifyPayload.INVALID_SYNTAX, "IKE_INTERMEDIATE (" + method + ")");
        }
        try {
            secret = ke.complete(k.data());
        } catch (IkeCryptoException e) {
            throw ExchangeFailure.fatal(IkeEvent.Failure.INVALID_SYNTAX, 0, "peer's " + method + " data: " + e.getMessage());
        }
        sa.intermediateDone++;
        rekey();
        return Result.DONE;
    }

    @Override void processRequest(Received in) throws ExchangeFailure {
        index = sa.intermediateDone;
        List<KeyExchangeMethod> add = sa.algorithms.additionalKe();
        if (index >= add.size())
            throw ExchangeFailure.fatal(IkeEvent.Failure.INVALID_SYNTAX, NotifyPayload.INVALID_SYNTAX, "more IKE_INTERMEDIATE exchanges than additional key exchanges");
        method = add.get(index);
        KePayload k = in.first(KePayload.class).orElse(null);
        if (k == null || k.group() != method.ikev2Id)
            throw new ExchangeFailure(IkeEvent.Failure.INVALID_KE_PAYLOAD, NotifyPayload.invalidKe(method.ikev2Id), true,
                    "IKE_INTERMEDIATE " + (index + 1) + " without a KE of " + method);
        try {
            KeyExchange.Responder r = method.newKeyExchange().respond(k.data());
            ourPublic = r.responderPublic();
            secret = r.sharedSecret();
        } catch (IkeCryptoException e) {
            throw ExchangeFailure.fatal(IkeEvent.Failure.INVALID_SYNTAX, NotifyPayload.INVALID_SYNTAX, "peer's " + method + " data: " + e.getMessage());
        }
        sa.intermediateDone++;
        sa.afterResponseSent = this::rekey;
    }

    @Override void buildResponse(List<Payload> out) {
        out.add(new KePayload(method.ikev2Id, ourPublic));
    }

    private void rekey() {
        Proposals.IkeAlgorithms a = sa.algorithms;
        sa.setKeys(IkeKeyDerivation.deriveAfterAdditionalKeyExchange(a.prf(), sa.keys, secret, sa.ni, sa.nr, sa.spiI, sa.spiR,
                a.enc().keyMaterialLength(), a.integ().keyLength));
    }
}
