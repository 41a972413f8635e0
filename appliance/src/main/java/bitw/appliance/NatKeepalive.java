// NAT-T keepalives (RFC 3948 §2.3): a one-byte 0xFF UDP datagram from our port 4500 to each UDP-encapsulating
// peer, so a NAT between us keeps its mapping. Sent through the kernel stack (TAP), which resolves the next hop.
package bitw.appliance;

import bitw.ipsec.sad.SaParameters;
import bitw.ipsec.sad.SecurityAssociation;
import bitw.ipsec.sad.SecurityAssociationDatabase;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.net.StandardSocketOptions;
import java.util.HashSet;
import java.util.Set;
import org.tinylog.Logger;

final class NatKeepalive implements AutoCloseable {
    private final SecurityAssociationDatabase sad;
    private final long intervalNanos;
    private long lastSent;
    private DatagramChannel channel;
    private boolean warned;

    NatKeepalive(SecurityAssociationDatabase sad, int intervalSeconds) {
        this.sad = sad;
        this.intervalNanos = intervalSeconds * 1_000_000_000L;
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
            try {
                if (channel == null) {
                    channel = DatagramChannel.open();
                    channel.setOption(StandardSocketOptions.SO_REUSEADDR, true);
                    channel.bind(new InetSocketAddress(p.localAddress().toInetAddress(), p.localPort()));
                }
                channel.send(ByteBuffer.wrap(new byte[] {(byte) 0xff}), new InetSocketAddress(p.peerAddress().toInetAddress(), p.peerPort()));
            } catch (IOException e) {
                if (!warned) Logger.warn("NAT keepalive to {} failed: {}", p.peerAddress(), e.getMessage());
                warned = true;
            }
        }
    }

    @Override public void close() {
        try { if (channel != null) channel.close(); } catch (IOException ignored) { }
    }
}
