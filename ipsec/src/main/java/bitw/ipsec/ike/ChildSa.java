// One negotiated Child SA pair (inbound + outbound ESP SA) under an IKE SA: its SPIs, algorithms, keys, agreed
// traffic selectors, the SaParameters handed to the SAD, and its rekey/expiry times. Created by ChildCreateTask,
// replaced by ChildRekeyTask, removed by DeleteTask or with its IKE SA.
package bitw.ipsec.ike;

import bitw.ipsec.ike.message.TrafficSelector;
import bitw.ipsec.sad.SaParameters;
import java.util.List;

final class ChildSa {
    enum State { INSTALLED, REKEYING, REKEYED, DELETING }

    final int inboundSpi, outboundSpi;
    final Proposals.EspAlgorithms algorithms;
    final List<TrafficSelector> localTs, remoteTs;
    final SaParameters inbound, outbound;
    final long createdAt, rekeyAt, expireAt;
    /** Nonces of the exchange that created this SA (the §2.8 collision rule compares them). */
    final byte[] ni, nr;
    State state = State.INSTALLED;
    /** Set when the peer rekeyed this SA while our own rekey of it was outstanding: the peer's new SA's nonces. */
    byte[] peerRekeyNi, peerRekeyNr;
    ChildSa peerRekeyResult;

    ChildSa(int inboundSpi, int outboundSpi, Proposals.EspAlgorithms algorithms, List<TrafficSelector> localTs,
            List<TrafficSelector> remoteTs, SaParameters inbound, SaParameters outbound, long createdAt, long rekeyAt,
            long expireAt, byte[] ni, byte[] nr) {
        this.inboundSpi = inboundSpi;
        this.outboundSpi = outboundSpi;
        this.algorithms = algorithms;
        this.localTs = List.copyOf(localTs);
        this.remoteTs = List.copyOf(remoteTs);
        this.inbound = inbound;
        this.outbound = outbound;
        this.createdAt = createdAt;
        this.rekeyAt = rekeyAt;
        this.expireAt = expireAt;
        this.ni = ni;
        this.nr = nr;
    }

    String describe() {
        return String.format("in %08x out %08x %s %s %s === %s", inboundSpi, outboundSpi, algorithms,
                inbound.udpEncapsulation() ? "udp-encap" : "esp", inbound.localSelectors(), inbound.remoteSelectors());
    }
}
