// A snapshot of one IKE SA and its Child SAs for the console and status pages (IkeEngine.status()). Times are
// seconds relative to the moment of the snapshot; -1 when no such timer runs.
package bitw.ipsec.ike;

import bitw.ipsec.packet.IpPrefix;
import java.util.List;

public record IkeSaStatus(String connection, Endpoint local, Endpoint remote, String state, boolean initiator,
                          long initiatorSpi, long responderSpi, String algorithms, Identity localId, Identity remoteId,
                          boolean natDetected, long ageSeconds, long rekeyInSeconds, long expiresInSeconds, List<Child> children) {
    public record Child(int inboundSpi, int outboundSpi, String mode, String algorithms, boolean udpEncapsulation,
                        List<IpPrefix> localSelectors, List<IpPrefix> remoteSelectors, long ageSeconds,
                        long rekeyInSeconds, long expiresInSeconds) {}
}
