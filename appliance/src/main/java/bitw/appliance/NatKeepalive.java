// NAT-T keepalives (RFC 3948 §2.3): a one-byte 0xFF UDP datagram from our port 4500 to each UDP-encapsulating
// peer, so a NAT between us keeps its mapping. Sent from IKE's port-4500 socket (through the kernel stack and the
// TAP, which resolve the next hop), since that socket owns the port.
package bitw.appliance;

import bitw.ipsec.sad.SaParameters;
import bitw.ipsec.sad.SecurityAssociation;
import bitw.ipsec.sad.SecurityAssociationDatabase;
import bitw.ipsec.packet.IpAddress;
import java.util.HashSet;
import java.util.Set;
import java.util.function.BiConsumer;

final class NatKeepalive implements AutoCloseable {
    private final SecurityAssociationDatabase sad;
    private final long intervalNanos;
    private final BiConsumer<IpAddress, Integer> sender;
    private long lastSent;

    NatKeepalive(SecurityAssociationDatabase sad, int intervalSeconds, BiConsumer<IpAddress, Integer> sender) {
        this.sad = sad;
        this.intervalNanos = intervalSeconds * 1_000_000_000L;
        this.sender = sender;
    }

    /** Called from the control loop once a second. */
    void tick(long now) {
        if (intervalNanos <= 0 || now - lastSent < intervalNanos) return;
        lastSent = now;
        Set<String> sentTo = new HashSet<>();
        for (SecurityAssociation sa : sad.all()) {
            SaParameters p = sa.params();
            if (sa.inbound() || !p.udpEncapsulation() || sa.expired()) continue;
            if (!sentTo.add(p.peerAddress() + ":" + p.peerPort())) continue;
            sender.accept(p.peerAddress(), p.peerPort());
        }
    }

    @Override public void close() {}
}
