// Security Association payload (RFC 7296 §3.3): the proposals offered or the one chosen.
package bitw.ipsec.ike.message;

import java.util.List;

public record SaPayload(List<Proposal> proposals) implements Payload {
    public SaPayload {
        if (proposals.isEmpty()) throw new IllegalArgumentException("an SA payload carries at least one proposal");
        proposals = List.copyOf(proposals);
    }

    @Override public int type() { return PayloadType.SA; }
}
