// NAT detection in IKE_SA_INIT (RFC 7296 §2.23): both sides send hashes of the addresses and ports they think
// they use; a mismatch on arrival means a NAT rewrote them. Then IKE floats to port 4500 and the Child SAs use
// ESP in UDP (RFC 3948). Forced encapsulation sends a deliberately wrong source hash, as strongSwan does, so the
// peer encapsulates too.
package bitw.ipsec.ike;

import bitw.ipsec.ike.crypto.NatDetection;
import bitw.ipsec.ike.message.NotifyPayload;
import bitw.ipsec.ike.message.Payload;
import bitw.ipsec.ike.message.SaPayload;
import java.util.List;

final class NatDetectionTask extends IkeTask {
    NatDetectionTask(IkeSa sa) { super(sa); }

    @Override void buildRequest(List<Payload> out) { add(out, 0); }

    @Override void buildResponse(List<Payload> out) { add(out, sa.spiR); }

    private void add(List<Payload> out, long spiR) {
        byte[] src = NatDetection.hash(sa.spiI, spiR, sa.local.address(), sa.local.port());
        if (sa.conn.forceUdpEncapsulation()) {
            src = new byte[src.length];
            sa.engine.rng.nextBytes(src);
        }
        out.add(new NotifyPayload(NotifyPayload.NAT_DETECTION_SOURCE_IP, src));
        out.add(new NotifyPayload(NotifyPayload.NAT_DETECTION_DESTINATION_IP, NatDetection.hash(sa.spiI, spiR, sa.remote.address(), sa.remote.port())));
    }

    @Override Result processResponse(Received in) {
        if (in.first(SaPayload.class).isEmpty()) return Result.DONE;   // an error or cookie response
        check(in, in.header().responderSpi());
        if (sa.udpEncapsulation() && sa.local.port() != Endpoint.NAT_T_PORT) {
            sa.local = sa.local.withPort(Endpoint.NAT_T_PORT);
            if (sa.remote.port() == Endpoint.IKE_PORT) sa.remote = sa.remote.withPort(Endpoint.NAT_T_PORT);
        }
        return Result.DONE;
    }

    @Override void processRequest(Received in) { check(in, 0); }

    private void check(Received in, long spiR) {
        List<NotifyPayload> all = in.all(NotifyPayload.class);
        boolean sawSrc = false, sawDst = false, srcOk = false, dstOk = false;
        Datagram d = in.datagram();
        for (NotifyPayload n : all) {
            if (n.notifyType() == NotifyPayload.NAT_DETECTION_SOURCE_IP) {
                sawSrc = true;
                srcOk |= NatDetection.matches(n.data(), sa.spiI, spiR, d.remote().address(), d.remote().port());
            } else if (n.notifyType() == NotifyPayload.NAT_DETECTION_DESTINATION_IP) {
                sawDst = true;
                dstOk |= NatDetection.matches(n.data(), sa.spiI, spiR, d.local().address(), d.local().port());
            }
        }
        if (!sawSrc || !sawDst) return;   // the peer does not do NAT-T
        sa.natRemote = !srcOk;
        sa.natLocal = !dstOk;
        if (sa.udpEncapsulation())
            sa.engine.event(new IkeEvent.NatDetected(sa.conn.name(), (sa.natLocal ? "we are behind a NAT" : sa.natRemote ? "peer is behind a NAT (or fakes one)" : "UDP encapsulation forced")
                    + "; IKE moves to port 4500 and ESP is encapsulated in UDP"));
    }
}
