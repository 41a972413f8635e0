// IKE_SA_INIT's core (RFC 7296 §1.2, §2.6, §2.7): SA proposals, key exchange, nonces, and the capability notifies
// (fragmentation RFC 7383, signature hashes RFC 7427, intermediate exchange RFC 9242). Ends with the IKE SA keys
// installed. The initiator retries with the responder's COOKIE or requested INVALID_KE_PAYLOAD group.
package bitw.ipsec.ike;

import bitw.ipsec.ike.crypto.IkeCryptoException;
import bitw.ipsec.ike.crypto.IkeKeyDerivation;
import bitw.ipsec.ike.crypto.KeyExchange;
import bitw.ipsec.ike.crypto.KeyExchangeMethod;
import bitw.ipsec.ike.message.CertReqPayload;
import bitw.ipsec.ike.message.KePayload;
import bitw.ipsec.ike.message.NoncePayload;
import bitw.ipsec.ike.message.NotifyPayload;
import bitw.ipsec.ike.message.Payload;
import bitw.ipsec.ike.message.SaPayload;
import java.util.ArrayList;
import java.util.List;

final class InitTask extends IkeTask {
    private static final int MAX_RETRIES = 3;
    private static final byte[] SIGNATURE_HASHES = {0, 2, 0, 3, 0, 4, 0, 5};   // SHA2-256, -384, -512, Identity

    private final List<IkeConnection> candidates;   // responder: connections the addresses allow
    private KeyExchangeMethod group;
    private KeyExchange ke;
    private byte[] cookie, ourKePublic;
    private int retries;
    private Proposals.Chosen<Proposals.IkeAlgorithms> chosen;

    /** Initiator. */
    InitTask(IkeSa sa) {
        super(sa);
        this.candidates = List.of();
        this.group = sa.conn.ikeProposals().get(0).ke().get(0);
    }

    /** Responder. */
    InitTask(IkeSa sa, List<IkeConnection> candidates) {
        super(sa);
        this.candidates = candidates;
    }

    @Override void buildRequest(List<Payload> out) {
        if (sa.ni == null) sa.ni = sa.engine.nonce();
        if (ke == null) ke = group.newKeyExchange();
        if (cookie != null) out.add(new NotifyPayload(NotifyPayload.COOKIE, cookie));
        out.add(Proposals.ikeOffer(sa.conn.ikeProposals(), new byte[0], group));
        out.add(new KePayload(group.ikev2Id, ke.initiatorPublic()));
        out.add(new NoncePayload(sa.ni));
        capabilities(out, sa.conn, true);
    }

    private static void capabilities(List<Payload> out, IkeConnection c, boolean intermediate) {
        if (c.fragmentation()) out.add(new NotifyPayload(NotifyPayload.IKEV2_FRAGMENTATION_SUPPORTED, new byte[0]));
        out.add(new NotifyPayload(NotifyPayload.SIGNATURE_HASH_ALGORITHMS, SIGNATURE_HASHES));
        if (intermediate) out.add(new NotifyPayload(NotifyPayload.INTERMEDIATE_EXCHANGE_SUPPORTED, new byte[0]));
    }

    @Override Result processResponse(Received in) throws ExchangeFailure {
        var cookieN = in.notify(NotifyPayload.COOKIE);
        if (cookieN.isPresent() && in.first(SaPayload.class).isEmpty()) {
            byte[] c = cookieN.get().data();
            if (++retries > MAX_RETRIES || c.length == 0 || c.length > 64)
                throw ExchangeFailure.fatal(IkeEvent.Failure.PEER_ERROR, 0, "responder keeps asking for a cookie");
            cookie = c;
            return Result.RETRY;
        }
        var invalidKe = in.notify(NotifyPayload.INVALID_KE_PAYLOAD);
        if (invalidKe.isPresent()) {
            KeyExchangeMethod wanted = KeyExchangeMethod.byId(invalidKe.get().invalidKeGroup());
            if (wanted == null || wanted == group || ++retries > MAX_RETRIES || !offered(wanted))
                throw ExchangeFailure.fatal(IkeEvent.Failure.INVALID_KE_PAYLOAD, 0,
                        "peer wants key exchange group " + invalidKe.get().invalidKeGroup() + ", which we do not offer");
            sa.engine.event(new IkeEvent.Failed(sa.conn.name(), IkeEvent.Failure.INVALID_KE_PAYLOAD,
                    "peer asked for " + wanted + " instead of " + group + "; retrying"));
            group = wanted;
            ke = null;
            return Result.RETRY;
        }
        var error = in.error();
        if (error.isPresent()) throw peerError(error.get().notifyType(), "IKE_SA_INIT");
        SaPayload saP = in.first(SaPayload.class).orElseThrow(() -> syntax("IKE_SA_INIT response without SA"));
        KePayload keP = in.first(KePayload.class).orElseThrow(() -> syntax("IKE_SA_INIT response without KE"));
        NoncePayload nonce = in.first(NoncePayload.class).orElseThrow(() -> syntax("IKE_SA_INIT response without nonce"));
        chosen = Proposals.acceptIke(sa.conn.ikeProposals(), saP);
        if (chosen == null || chosen.algorithms().ke() != group || keP.group() != group.ikev2Id)
            throw ExchangeFailure.fatal(IkeEvent.Failure.NO_PROPOSAL_CHOSEN, 0, "peer chose a proposal we did not offer: " + Proposals.describe(saP.proposals()));
        checkNonce(nonce.nonce());
        if (in.header().responderSpi() == 0) throw syntax("IKE_SA_INIT response with zero responder SPI");
        byte[] secret;
        try {
            secret = ke.complete(keP.data());
        } catch (IkeCryptoException e) {
            throw ExchangeFailure.fatal(IkeEvent.Failure.INVALID_SYNTAX, 0, "peer's KE: " + e.getMessage());
        }
        sa.spiR = in.header().responderSpi();
        sa.nr = nonce.nonce();
        sa.initResponse = in.datagram().data();
        readCapabilities(in);
        sa.algorithms = chosen.algorithms();
        derive(secret);
        // RFC 9370: one IKE_INTERMEDIATE exchange per additional key exchange, before IKE_AUTH.
        List<KeyExchangeMethod> add = chosen.algorithms().additionalKe();
        if (!add.isEmpty() && !sa.peerIntermediate)
            throw ExchangeFailure.fatal(IkeEvent.Failure.NO_PROPOSAL_CHOSEN, 0, "additional key exchanges chosen without IKE_INTERMEDIATE support");
        for (int i = add.size() - 1; i >= 0; i--) sa.queueFirst(new Exchange(bitw.ipsec.ike.message.ExchangeType.IKE_INTERMEDIATE, new AdditionalKeTask(sa, i)));
        return Result.DONE;
    }

    /** Every IKE proposal the candidate connections accept (what a responder could have chosen). */
    private List<IkeProposalSpec> acceptable() {
        List<IkeProposalSpec> all = new ArrayList<>();
        for (IkeConnection c : candidates) for (IkeProposalSpec p : c.ikeProposals()) if (!all.contains(p)) all.add(p);
        return all;
    }

    private boolean offered(KeyExchangeMethod m) {
        for (IkeProposalSpec s : sa.conn.ikeProposals()) if (s.ke().contains(m)) return true;
        return false;
    }

    @Override void processRequest(Received in) throws ExchangeFailure {
        SaPayload saP = in.first(SaPayload.class).orElseThrow(() -> fatalSyntax("IKE_SA_INIT request without SA"));
        KePayload keP = in.first(KePayload.class).orElseThrow(() -> fatalSyntax("IKE_SA_INIT request without KE"));
        NoncePayload nonce = in.first(NoncePayload.class).orElseThrow(() -> fatalSyntax("IKE_SA_INIT request without nonce"));
        for (IkeConnection c : candidates) {
            chosen = Proposals.selectIke(c.ikeProposals(), saP, keP.group());
            if (chosen != null) { sa.switchConnection(c); break; }
        }
        if (chosen == null)
            throw ExchangeFailure.fatal(IkeEvent.Failure.NO_PROPOSAL_CHOSEN, NotifyPayload.NO_PROPOSAL_CHOSEN,
                    "no IKE proposal in common: peer offered " + Proposals.describe(saP.proposals()) + "; we accept "
                            + Proposals.describe(Proposals.ikeOffer(acceptable(), new byte[0], null).proposals()));
        group = chosen.algorithms().ke();
        if (keP.group() != group.ikev2Id)
            throw new ExchangeFailure(IkeEvent.Failure.INVALID_KE_PAYLOAD, NotifyPayload.invalidKe(group.ikev2Id), true,
                    "peer sent KE group " + keP.group() + ", we want " + group);
        checkNonce(nonce.nonce());
        KeyExchange.Responder r;
        try {
            r = group.newKeyExchange().respond(keP.data());
        } catch (IkeCryptoException e) {
            throw ExchangeFailure.fatal(IkeEvent.Failure.INVALID_SYNTAX, NotifyPayload.INVALID_SYNTAX, "peer's KE: " + e.getMessage());
        }
        ourKePublic = r.responderPublic();
        sa.ni = nonce.nonce();
        sa.nr = sa.engine.nonce();
        sa.initRequest = in.datagram().data();
        readCapabilities(in);
        sa.algorithms = chosen.algorithms();
        derive(r.sharedSecret());
    }

    @Override void buildResponse(List<Payload> out) {
        out.add(new SaPayload(List.of(chosen.algorithms().toProposal(chosen.number(), new byte[0]))));
        out.add(new KePayload(group.ikev2Id, ourKePublic));
        out.add(new NoncePayload(sa.nr));
        boolean frag = sa.conn.fragmentation() && sa.peerFragmentation;
        if (frag) out.add(new NotifyPayload(NotifyPayload.IKEV2_FRAGMENTATION_SUPPORTED, new byte[0]));
        out.add(new NotifyPayload(NotifyPayload.SIGNATURE_HASH_ALGORITHMS, SIGNATURE_HASHES));
        if (sa.peerIntermediate && !chosen.algorithms().additionalKe().isEmpty())
            out.add(new NotifyPayload(NotifyPayload.INTERMEDIATE_EXCHANGE_SUPPORTED, new byte[0]));
        CertReqPayload req = AuthTask.certificateRequest(sa.conn);
        if (req != null) out.add(req);
    }

    private void readCapabilities(Received in) {
        sa.peerFragmentation = in.notify(NotifyPayload.IKEV2_FRAGMENTATION_SUPPORTED).isPresent();
        sa.peerSignatureHashes = in.notify(NotifyPayload.SIGNATURE_HASH_ALGORITHMS).isPresent();
        sa.peerIntermediate = in.notify(NotifyPayload.INTERMEDIATE_EXCHANGE_SUPPORTED).isPresent();
    }

    private void derive(byte[] secret) {
        Proposals.IkeAlgorithms a = sa.algorithms;
        sa.setKeys(IkeKeyDerivation.derive(a.prf(), sa.ni, sa.nr, secret, sa.spiI, sa.spiR, a.enc().keyMaterialLength(), a.integ().keyLength));
    }

    static void checkNonce(byte[] n) throws ExchangeFailure {
        if (n.length < 16 || n.length > 256) throw ExchangeFailure.fatal(IkeEvent.Failure.INVALID_SYNTAX, NotifyPayload.INVALID_SYNTAX, "nonce of " + n.length + " bytes");
    }

    static ExchangeFailure peerError(int notifyType, String exchange) {
        IkeEvent.Failure f = switch (notifyType) {
            case NotifyPayload.NO_PROPOSAL_CHOSEN -> IkeEvent.Failure.NO_PROPOSAL_CHOSEN;
            case NotifyPayload.AUTHENTICATION_FAILED -> IkeEvent.Failure.AUTHENTICATION_FAILED;
            case NotifyPayload.TS_UNACCEPTABLE -> IkeEvent.Failure.TS_UNACCEPTABLE;
            case NotifyPayload.INVALID_KE_PAYLOAD -> IkeEvent.Failure.INVALID_KE_PAYLOAD;
            case NotifyPayload.INVALID_SYNTAX -> IkeEvent.Failure.INVALID_SYNTAX;
            case NotifyPayload.INVALID_SPI -> IkeEvent.Failure.INVALID_SPI;
            default -> IkeEvent.Failure.PEER_ERROR;
        };
        return ExchangeFailure.fatal(f, 0, "peer answered " + exchange + " with " + notifyName(notifyType));
    }

    static String notifyName(int type) {
        for (var f : NotifyPayload.class.getFields()) {
            try {
                if (f.getType() == int.class && java.lang.reflect.Modifier.isStatic(f.getModifiers()) && f.getInt(null) == type) return f.getName();
            } catch (IllegalAccessException e) {
                break;
            }
        }
        return "notify " + type;
    }

    private static ExchangeFailure syntax(String m) { return ExchangeFailure.fatal(IkeEvent.Failure.INVALID_SYNTAX, 0, m); }

    private static ExchangeFailure fatalSyntax(String m) { return ExchangeFailure.fatal(IkeEvent.Failure.INVALID_SYNTAX, NotifyPayload.INVALID_SYNTAX, m); }
}
