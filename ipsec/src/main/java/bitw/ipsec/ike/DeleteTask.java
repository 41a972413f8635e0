// Deleting SAs we own (RFC 7296 §1.4.1): an INFORMATIONAL with a Delete payload for some Child SAs (by our
// inbound SPIs) or for the whole IKE SA. Children are removed when the peer answers, or when it never does.
package bitw.ipsec.ike;

import bitw.ipsec.ike.message.DeletePayload;
import bitw.ipsec.ike.message.Payload;
import bitw.ipsec.ike.message.Proposal;
import java.util.ArrayList;
import java.util.List;

final class DeleteTask extends IkeTask {
    private final List<ChildSa> children;
    private final String why;

    /** Deletes the IKE SA (and with it all its children). */
    DeleteTask(IkeSa sa, String why) { this(sa, null, why); }

    /** Deletes one Child SA pair. */
    DeleteTask(IkeSa sa, ChildSa child, String why) {
        super(sa);
        this.children = child == null ? null : List.of(child);
        this.why = why;
    }

    boolean deletesIkeSa() { return children == null; }

    @Override boolean wanted() {
        if (children == null) return true;
        for (ChildSa c : children) if (sa.children.contains(c)) return true;
        return false;
    }

    @Override void buildRequest(List<Payload> out) {
        if (children == null) {
            sa.state = IkeSa.State.DELETING;
            out.add(DeletePayload.ikeSa());
            return;
        }
        List<byte[]> spis = new ArrayList<>();
        for (ChildSa c : children) {
            if (!sa.children.contains(c)) continue;
            c.state = ChildSa.State.DELETING;
            spis.add(ChildCreateTask.spiBytes(c.inboundSpi));
        }
        out.add(new DeletePayload(Proposal.ESP, 4, spis));
    }

    @Override Result processResponse(Received in) {
        finish();
        return Result.DONE;
    }

    @Override void abort() { finish(); }

    private void finish() {
        if (children == null) {
            sa.engine.destroy(sa, why);
            return;
        }
        for (ChildSa c : children) sa.removeChild(c, why);
    }
}
