// Telling the peer that ESP arrived for an SPI we do not know (RFC 7296 §2.21.4): an INFORMATIONAL carrying
// N(INVALID_SPI) with the SPI, sent only over an IKE SA with that peer (never unprotected).
package bitw.ipsec.ike;

import bitw.ipsec.ike.message.NotifyPayload;
import bitw.ipsec.ike.message.Payload;
import bitw.ipsec.ike.message.Proposal;
import java.util.List;

final class InvalidSpiTask extends IkeTask {
    private final int spi;

    InvalidSpiTask(IkeSa sa, int spi) {
        super(sa);
        this.spi = spi;
    }

    @Override void buildRequest(List<Payload> out) {
        out.add(new NotifyPayload(Proposal.ESP, new byte[0], NotifyPayload.INVALID_SPI, ChildCreateTask.spiBytes(spi)));   // the SPI is the notification data
    }
}
