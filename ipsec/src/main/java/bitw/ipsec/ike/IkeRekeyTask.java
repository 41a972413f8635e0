// Rekeying the IKE SA (RFC 7296 §1.3.2, §2.18): CREATE_CHILD_SA with an IKE proposal carrying the new SPI, fresh
// nonces and a new key exchange; SKEYSEED = prf(SK_d(old), g^ir(new) | Ni | Nr). The Child SAs move to the new IKE
// SA untouched (no SAD change) and the initiator deletes the old IKE SA. Simultaneous IKE rekeys (§2.8.2): the
// new SA whose exchange holds the lowest of the four nonces is redundant and deleted by its initiator; the
// children go to the other one. RFC 9370 additional key exchanges are not repeated in rekeys (no
// IKE_FOLLOWUP_KE): the new keys descend from SK_d, which carries every earlier exchange's secret.
package bitw.ipsec.ike;

import bitw.ipsec.ike.crypto.IkeCryptoException;
import bitw.ipsec.ike.crypto.IkeKeyDerivation;
import bitw.ipsec.ike.crypto.KeyExchange;
import bitw.ipsec.ike.crypto.KeyExchangeMethod;
import bitw.ipsec.ike.message.ExchangeType;
import bitw.ipsec.ike.message.KePayload;
import bitw.ipsec.ike.message.NoncePayload;
import bitw.ipsec.ike.message.NotifyPayload;
import bitw.ipsec.ike.message.Payload;
import bitw.ipsec.ike.message.SaPayload;
import bitw.ipsec.packet.Bytes;
import java.util.List;

final class IkeRekeyTask extends IkeTask {
    private static final long RETRY_LATER = 10_000_000_000L;

    private KeyExchangeMethod group;
    private KeyExchange ke;
    private long newSpi;
    private byte[] ni, nr, ourKePublic;
    private Proposals.Chosen<Proposals.IkeAlgorithms> chosen;
    private IkeSa created;

    IkeRekeyTask(IkeSa sa) { super(sa); }

    @Override boolean wanted() { return sa.state == IkeSa.State.ESTABLISHED; }

    // ------------------------------------------------------------------------------------------ initiator

    @Override void buildRequest(List<Payload> out) {
        if (group == null) group = sa.algorithms.ke();
        ke = group.newKeyExchange();
        newSpi = sa.engine.newIkeSpi();
        ni = sa.engine.nonce();
        out.add(Proposals.ikeOffer(sa.conn.ikeProposals(), spi8(newSpi), group, false));
        out.add(new NoncePayload(ni));
        out.add(new KePayload(group.ikev2Id, ke.initiatorPublic()));
    }

    @Override Result processResponse(Received in) throws ExchangeFailure {
        var error = in.error();
        if (error.isPresent()) {
            int type = error.get().notifyType();
            if (type == NotifyPayload.INVALID_KE_PAYLOAD) {
                KeyExchangeMethod wanted = KeyExchangeMethod.byId(error.get().invalidKeGroup());
                if (wanted != null && wanted != group) {
                    IkeRekeyTask retry = new IkeRekeyTask(sa);
                    retry.group = wanted;
                    sa.queue(new Exchange(ExchangeType.CREATE_CHILD_SA, retry), sa.engine.now);
                    return Result.DONE;
                }
            }
            sa.rekeyAt = sa.engine.now + RETRY_LATER;
            if (type == NotifyPayload.TEMPORARY_FAILURE) return Result.DONE;
            ExchangeFailure f = InitTask.peerError(type, "IKE SA rekey");
            throw ExchangeFailure.of(f.failure, 0, f.getMessage());
        }
        SaPayload saP = in.first(SaPayload.class).orElse(null);
        chosen = saP == null ? null : Proposals.acceptIke(sa.conn.ikeProposals(), saP, false);
        KePayload keP = in.first(KePayload.class).orElse(null);
        nr = in.first(NoncePayload.class).map(NoncePayload::nonce).orElse(null);
        if (chosen == null || chosen.peerSpi().length != 8 || chosen.algorithms().ke() != group || keP == null || keP.group() != group.ikev2Id || nr == null) {
            sa.rekeyAt = sa.engine.now + RETRY_LATER;
            throw ExchangeFailure.of(IkeEvent.Failure.NO_PROPOSAL_CHOSEN, 0, "IKE SA rekey answered with an unusable proposal");
        }
        InitTask.checkNonce(nr);
        byte[] secret;
        try {
            secret = ke.complete(keP.data());
        } catch (IkeCryptoException e) {
            sa.rekeyAt = sa.engine.now + RETRY_LATER;
            throw ExchangeFailure.of(IkeEvent.Failure.INVALID_SYNTAX, 0, "peer's KE in IKE rekey: " + e.getMessage());
        }
        created = newSa(true, newSpi, Bytes.i64(chosen.peerSpi(), 0), secret);
        IkeSa winner = created;
        IkeSa theirs = sa.peerRekeyedSa;
        if (theirs != null && theirs.state == IkeSa.State.ESTABLISHED && ChildRekeyTask.redundant(ni, nr, theirs.rekeyNi, theirs.rekeyNr)) winner = theirs;
        moveChildren(winner);
        sa.state = IkeSa.State.REKEYED;
        if (winner == created) {
            sa.queue(new Exchange(ExchangeType.INFORMATIONAL, new DeleteTask(sa, "rekeyed")), sa.engine.now);
        } else {
            created.queue(new Exchange(ExchangeType.INFORMATIONAL, new DeleteTask(created, "redundant after a simultaneous IKE rekey (§2.8.2)")), sa.engine.now);
        }
        return Result.DONE;
    }

    // ------------------------------------------------------------------------------------------ responder

    @Override void processRequest(Received in) throws ExchangeFailure {
        SaPayload saP = in.first(SaPayload.class).orElseThrow();
        KePayload keP = in.first(KePayload.class).orElse(null);
        ni = in.first(NoncePayload.class).map(NoncePayload::nonce).orElse(null);
        if (keP == null || ni == null) throw ExchangeFailure.of(IkeEvent.Failure.INVALID_SYNTAX, NotifyPayload.INVALID_SYNTAX, "IKE rekey without KE or nonce");
        if (sa.state != IkeSa.State.ESTABLISHED) throw ExchangeFailure.of(IkeEvent.Failure.PEER_ERROR, NotifyPayload.TEMPORARY_FAILURE, "IKE SA is being replaced or deleted");
        chosen = Proposals.selectIke(sa.conn.ikeProposals(), saP, keP.group(), false);
        if (chosen == null || chosen.peerSpi().length != 8)
            throw ExchangeFailure.of(IkeEvent.Failure.NO_PROPOSAL_CHOSEN, NotifyPayload.NO_PROPOSAL_CHOSEN, "no IKE proposal in common for the rekey: peer offered " + Proposals.describe(saP.proposals()));
        group = chosen.algorithms().ke();
        if (keP.group() != group.ikev2Id)
            throw new ExchangeFailure(IkeEvent.Failure.INVALID_KE_PAYLOAD, NotifyPayload.invalidKe(group.ikev2Id), false, "IKE rekey with KE group " + keP.group() + ", we want " + group);
        InitTask.checkNonce(ni);
        KeyExchange.Responder r;
        try {
            r = group.newKeyExchange().respond(keP.data());
        } catch (IkeCryptoException e) {
            throw ExchangeFailure.of(IkeEvent.Failure.INVALID_SYNTAX, NotifyPayload.INVALID_SYNTAX, "peer's KE in IKE rekey: " + e.getMessage());
        }
        ourKePublic = r.responderPublic();
        nr = sa.engine.nonce();
        newSpi = sa.engine.newIkeSpi();
        created = newSa(false, Bytes.i64(chosen.peerSpi(), 0), newSpi, r.sharedSecret());
        if (sa.active != null && sa.active.task(IkeRekeyTask.class) != null) {
            sa.peerRekeyedSa = created;   // our own rekey is in flight: its response decides who keeps the children
        } else {
            moveChildren(created);
            sa.state = IkeSa.State.REKEYED;   // the peer deletes it
        }
    }

    @Override void buildResponse(List<Payload> out) {
        out.add(new SaPayload(List.of(chosen.algorithms().toProposal(chosen.number(), spi8(newSpi)))));
        out.add(new NoncePayload(nr));
        out.add(new KePayload(group.ikev2Id, ourKePublic));
    }

    // ------------------------------------------------------------------------------------------ shared

    private IkeSa newSa(boolean weInitiated, long spiI, long spiR, byte[] secret) {
        IkeEngine e = sa.engine;
        IkeSa n = new IkeSa(e, sa.conn, weInitiated, spiI, spiR, sa.local, sa.remote, e.now);
        Proposals.IkeAlgorithms a = chosen.algorithms();
        n.algorithms = a;
        n.natLocal = sa.natLocal;
        n.natRemote = sa.natRemote;
        n.peerFragmentation = sa.peerFragmentation;
        n.peerSignatureHashes = sa.peerSignatureHashes;
        n.remoteIdentity = sa.remoteIdentity;
        n.rekeyNi = ni;
        n.rekeyNr = nr;
        n.setKeys(IkeKeyDerivation.deriveRekeyed(a.prf(), sa.keys.skD(), secret, ni, nr, spiI, spiR, a.enc().keyMaterialLength(), a.integ().keyLength));
        n.state = IkeSa.State.ESTABLISHED;
        e.register(n);
        e.scheduleIkeLifetime(n);
        e.event(new IkeEvent.IkeSaRekeyed(sa.conn.name(), String.format("%016x_i %016x_r", sa.spiI, sa.spiR) + " rekeyed to " + n.describe()));
        return n;
    }

    private void moveChildren(IkeSa to) {
        // Rekeys queued on the old IKE SA die with it; the new one's timers start them again.
        for (ChildSa c : sa.children) if (c.state == ChildSa.State.REKEYING) c.state = ChildSa.State.INSTALLED;
        to.adoptChildren(sa);
    }

    private static byte[] spi8(long spi) {
        byte[] b = new byte[8];
        Bytes.put64(b, 0, spi);
        return b;
    }
}
