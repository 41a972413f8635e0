// Answering an INFORMATIONAL request (RFC 7296 §1.4): Delete payloads for Child SAs (answered with the SPIs of our
// halves, §1.4.1) or for the IKE SA itself (answered empty, then the SA and its children go), and the empty
// request of dead peer detection (answered empty; receiving it is proof of life).
package bitw.ipsec.ike;

import bitw.ipsec.ike.message.DeletePayload;
import bitw.ipsec.ike.message.NotifyPayload;
import bitw.ipsec.ike.message.Payload;
import bitw.ipsec.ike.message.Proposal;
import bitw.ipsec.packet.Bytes;
import java.util.ArrayList;
import java.util.List;

final class InformationalTask extends IkeTask {
    private final List<byte[]> deletedSpis = new ArrayList<>();

    InformationalTask(IkeSa sa) { super(sa); }

    @Override void processRequest(Received in) {
        invalidSpi(in);
        if (in.notify(NotifyPayload.AUTHENTICATION_FAILED).isPresent()) {
            // §2.21.2: the initiator could not verify our AUTH; the SA it never accepted goes.
            sa.engine.event(new IkeEvent.Failed(sa.conn.name(), IkeEvent.Failure.AUTHENTICATION_FAILED, "peer " + sa.remote + " rejected our authentication"));
            sa.deleteAfterResponse = "peer rejected our authentication";
        }
        for (DeletePayload d : in.all(DeletePayload.class)) {
            if (d.protocolId() == Proposal.IKE) {
                sa.deleteAfterResponse = "deleted by the peer";
                continue;
            }
            if (d.protocolId() != Proposal.ESP || d.spiSize() != 4) continue;
            for (byte[] spi : d.spis()) {
                ChildSa c = sa.childByOutboundSpi(Bytes.i32(spi, 0));
                if (c == null) continue;
                // If we are deleting it too, both Deletes cross; each side answers with what it still has.
                deletedSpis.add(ChildCreateTask.spiBytes(c.inboundSpi));
                sa.removeChild(c, "deleted by the peer");
            }
        }
    }

    /** The peer got ESP with an SPI it does not know (§2.21.4): if it is one of our outbound SAs, that pair is
     *  dead on the peer's side; remove it so that traffic triggers a fresh negotiation. */
    private void invalidSpi(Received in) {
        for (NotifyPayload n : in.all(NotifyPayload.class)) {
            if (n.notifyType() != NotifyPayload.INVALID_SPI) continue;
            byte[] spi = n.spi().length == 4 ? n.spi() : n.data().length == 4 ? n.data() : null;
            if (spi == null) continue;
            ChildSa c = sa.childByOutboundSpi(Bytes.i32(spi, 0));
            if (c == null) continue;
            sa.engine.event(new IkeEvent.Failed(sa.conn.name(), IkeEvent.Failure.INVALID_SPI, "peer does not know our outbound SPI " + Bytes.hex(spi) + "; removing the pair"));
            sa.removeChild(c, "peer reported INVALID_SPI");
            if (sa.children.isEmpty() && sa.conn.startAction() == StartAction.START)
                sa.queue(new Exchange(bitw.ipsec.ike.message.ExchangeType.CREATE_CHILD_SA, new ChildCreateTask(sa, false)), sa.engine.now);
        }
    }

    @Override void buildResponse(List<Payload> out) {
        if (!deletedSpis.isEmpty()) out.add(new DeletePayload(Proposal.ESP, 4, deletedSpis));
    }
}
