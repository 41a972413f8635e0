// Rekeying a Child SA (RFC 7296 §1.3.3, §2.8): CREATE_CHILD_SA with REKEY_SA naming the old pair; the new pair is
// installed before the old one is deleted (make-before-break). Simultaneous rekeys of the same pair (§2.8.1):
// both exchanges complete, and the redundant new pair — the one whose exchange holds the lowest of the four
// nonces — is deleted by the side that initiated it; the other side deletes the old pair.
package bitw.ipsec.ike;

import bitw.ipsec.ike.crypto.KeyExchangeMethod;
import bitw.ipsec.ike.message.ExchangeType;
import bitw.ipsec.ike.message.NotifyPayload;
import bitw.ipsec.ike.message.Payload;
import bitw.ipsec.ike.message.Proposal;
import bitw.ipsec.packet.Bytes;
import java.util.Arrays;
import java.util.List;

final class ChildRekeyTask extends ChildCreateTask {
    /** Initiator: the pair we rekey. Responder: found from the peer's REKEY_SA. */
    private ChildSa old;

    ChildRekeyTask(IkeSa sa, ChildSa old) {
        super(sa, false);
        this.old = old;
    }

    @Override boolean wanted() {
        return old != null && sa.children.contains(old) && (old.state == ChildSa.State.REKEYING || old.state == ChildSa.State.INSTALLED);
    }

    @Override void buildRequest(List<Payload> out) throws ExchangeFailure {
        old.state = ChildSa.State.REKEYING;
        out.add(new NotifyPayload(Proposal.ESP, spiBytes(old.inboundSpi), NotifyPayload.REKEY_SA, new byte[0]));
        super.buildRequest(out);
    }

    @Override Result processResponse(Received in) throws ExchangeFailure {
        try {
            super.processResponse(in);
        } catch (ExchangeFailure f) {
            if (sa.children.contains(old) && old.state == ChildSa.State.REKEYING) old.state = ChildSa.State.INSTALLED;
            // CHILD_SA_NOT_FOUND / TEMPORARY_FAILURE: the peer is deleting or replacing the pair itself.
            if (in.notify(NotifyPayload.CHILD_SA_NOT_FOUND).isPresent() || in.notify(NotifyPayload.TEMPORARY_FAILURE).isPresent()) return Result.DONE;
            throw f;
        }
        if (created == null) return Result.DONE;   // retried with another PFS group
        if (old.peerRekeyResult != null && sa.children.contains(old.peerRekeyResult)) {
            // The exchange holding the lowest of the four nonces made the redundant pair.
            if (redundant(ni, nr, old.peerRekeyNi, old.peerRekeyNr)) {
                sa.queue(new Exchange(ExchangeType.INFORMATIONAL, new DeleteTask(sa, created, "redundant after a simultaneous rekey (§2.8.1)")), sa.engine.now);
                old.state = ChildSa.State.REKEYED;   // the peer deletes the old pair
                return Result.DONE;
            }
        }
        old.state = ChildSa.State.REKEYED;
        sa.queue(new Exchange(ExchangeType.INFORMATIONAL, new DeleteTask(sa, old, "rekeyed")), sa.engine.now);
        return Result.DONE;
    }

    /** §2.8.1/§2.8.2: true when our exchange (ourNi, ourNr) holds the lowest of the four nonces. */
    static boolean redundant(byte[] ourNi, byte[] ourNr, byte[] theirNi, byte[] theirNr) {
        return Arrays.compareUnsigned(min(ourNi, ourNr), min(theirNi, theirNr)) < 0;
    }

    private static byte[] min(byte[] a, byte[] b) { return Arrays.compareUnsigned(a, b) <= 0 ? a : b; }

    @Override void processRequest(Received in) throws ExchangeFailure {
        NotifyPayload n = in.notify(NotifyPayload.REKEY_SA).orElseThrow();
        if (n.protocolId() != Proposal.ESP || n.spi().length != 4)
            throw ExchangeFailure.of(IkeEvent.Failure.INVALID_SYNTAX, NotifyPayload.INVALID_SYNTAX, "REKEY_SA for protocol " + n.protocolId());
        old = sa.childByOutboundSpi(Bytes.i32(n.spi(), 0));
        if (old == null)
            throw new ExchangeFailure(IkeEvent.Failure.INVALID_SPI, new NotifyPayload(Proposal.ESP, n.spi(), NotifyPayload.CHILD_SA_NOT_FOUND, new byte[0]), false,
                    "peer rekeys unknown Child SA " + Bytes.hex(n.spi()));
        if (old.state == ChildSa.State.REKEYED || old.state == ChildSa.State.DELETING)
            throw ExchangeFailure.of(IkeEvent.Failure.PEER_ERROR, NotifyPayload.TEMPORARY_FAILURE, "peer rekeys a Child SA that is already being replaced");
        respond(in);
        if (old.state == ChildSa.State.REKEYING) {
            // Our own rekey of the same pair is in flight: remember theirs; our response handler decides (§2.8.1).
            old.peerRekeyNi = ni;
            old.peerRekeyNr = nr;
            old.peerRekeyResult = created;
        } else {
            old.state = ChildSa.State.REKEYED;   // the peer deletes it once it has installed the new pair
        }
    }

    @Override Exchange retryWith(KeyExchangeMethod group) {
        ChildRekeyTask t = new ChildRekeyTask(sa, old);
        t.pfsGroup = group;
        return new Exchange(ExchangeType.CREATE_CHILD_SA, t);
    }

    @Override void announce(ChildSa child) {
        sa.engine.event(new IkeEvent.ChildSaRekeyed(sa.conn.name(), "Child SA " + String.format("%08x", old.inboundSpi) + " rekeyed to " + child.describe()));
    }
}
