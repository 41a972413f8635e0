// Everything needed to install one unidirectional SA: the form manual keying (config) and IKE both produce.
package bitw.ipsec.sad;

import bitw.ipsec.crypto.EncryptionAlgorithm;
import bitw.ipsec.crypto.IntegrityAlgorithm;
import bitw.ipsec.packet.IpAddress;
import bitw.ipsec.packet.IpPrefix;
import java.util.List;

/**
 * @param name        the tunnel (SPD binding) this SA belongs to; the inbound and outbound SA of a tunnel share it
 * @param direction   INBOUND SAs are looked up by SPI; OUTBOUND SAs are chosen by policy
 * @param spi         32-bit SPI (values 1..255 are reserved by RFC 4303 and rejected)
 * @param protocol    ESP or AH
 * @param mode        tunnel or IIPtran
 * @param localAddress  our outer address (the appliance's own address)
 * @param peerAddress   the peer's outer address
 * @param encryption  ESP encryption transform (ignored for AH)
 * @param encryptionKey key material: key, plus salt for AEAD
 * @param integrity   integrity transform (NONE only with AEAD)
 * @param integrityKey  HMAC key, empty for AEAD
 * @param udpEncapsulation ESP in UDP (RFC 3948) when true
 * @param localPort/peerPort UDP ports for encapsulation (normally 4500/4500)
 * @param esn         64-bit extended sequence numbers
 * @param replayWindow anti-replay window size in packets (0 disables the check)
 * @param lifetime    soft/hard limits
 * @param localSelectors / remoteSelectors inner-packet selectors this SA may carry (checked after inbound decapsulation)
 */
public record SaParameters(
        String name,
        Direction direction,
        int spi,
        SaProtocol protocol,
        SaMode mode,
        IpAddress localAddress,
        IpAddress peerAddress,
        EncryptionAlgorithm encryption,
        byte[] encryptionKey,
        IntegrityAlgorithm integrity,
        byte[] integrityKey,
        boolean udpEncapsulation,
        int localPort,
        int peerPort,
        boolean esn,
        int replayWindow,
        Lifetime lifetime,
        List<IpPrefix> localSelectors,
        List<IpPrefix> remoteSelectors) {

    public enum Direction { INBOUND, OUTBOUND }

    /** Soft limits notify (rekey); hard limits expire the SA. 0 means unlimited. */
    public record Lifetime(long softSeconds, long hardSeconds, long softBytes, long hardBytes) {
        public static final Lifetime UNLIMITED = new Lifetime(0, 0, 0, 0);
    }

    public static final int DEFAULT_REPLAY_WINDOW = 1024;
}
