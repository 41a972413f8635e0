// Answering an INFORMATIONAL request (RFC 7296 §1.4): Delete payloads for Child SAs (answered with the SPIs of our
// halves, §1.4.1) or for the IKE SA itself (answered empty, then the SA and its children go), and the empty
// request of dead peer detection (answered empty; receiving it is proof of life).
package bitw.ipsec.ike;

import bitw.ipsec.ike.message.DeletePayload;
import bitw.ipsec.ike.message.Payload;
import bitw.ipsec.ike.message.Proposal;
import bitw.ipsec.packet.Bytes;
import java.util.ArrayList;
import java.util.List;

final class InformationalTask extends IkeTask {
    private final List<byte[]> deletedSpis = new ArrayList<>();

    InformationalTask(IkeSa sa) { super(sa); }

    @Override void processRequest(Received in) {
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

    @Override void buildResponse(List<Payload> out) {
        if (!deletedSpis.isEmpty()) out.add(new DeletePayload(Proposal.ESP, 4, deletedSpis));
    }
}
