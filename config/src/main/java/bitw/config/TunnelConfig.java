// 'tunnel <name> ...': one manually keyed IPsec tunnel to a peer; the source of its inbound and outbound SA.
// Defaults are already resolved here (mode, protocol, algorithms, esn, window), so the record is what the SAD
// gets; only the local address may be left to the configuration (the own address of the peer's family).
package bitw.config;

import bitw.ipsec.crypto.EncryptionAlgorithm;
import bitw.ipsec.crypto.IntegrityAlgorithm;
import bitw.ipsec.packet.IpAddress;
import bitw.ipsec.packet.IpPrefix;
import bitw.ipsec.sad.SaMode;
import bitw.ipsec.sad.SaParameters;
import bitw.ipsec.sad.SaParameters.Direction;
import bitw.ipsec.sad.SaParameters.Lifetime;
import bitw.ipsec.sad.SaProtocol;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * @param spiIn  SPI the peer puts on packets to us (0..2^32-1 as a long; the config accepts 256 and up)
 * @param spiOut SPI we put on packets to the peer
 * @param keyIn / keyOut  ESP cipher key + salt for AEAD; EMPTY for AH or the null cipher
 * @param integrityKeyIn / integrityKeyOut  HMAC keys; EMPTY with AEAD
 * @param localNets / remoteNets  inner selectors as written; empty means "any" (see effectiveLocalNets)
 */
public record TunnelConfig(
        String name,
        IpAddress peer,
        Optional<IpAddress> local,
        SaMode mode,
        SaProtocol protocol,
        boolean udpEncapsulation,
        EncryptionAlgorithm encryption,
        IntegrityAlgorithm integrity,
        long spiIn,
        long spiOut,
        KeyMaterial keyIn,
        KeyMaterial keyOut,
        KeyMaterial integrityKeyIn,
        KeyMaterial integrityKeyOut,
        boolean esn,
        int replayWindow,
        Lifetime lifetime,
        List<IpPrefix> localNets,
        List<IpPrefix> remoteNets) implements Statement {

    public static final long MIN_SPI = 256, MAX_SPI = 0xffffffffL;
    public static final int MAX_REPLAY_WINDOW = 1 << 16;
    /** RFC 3948: ESP in UDP uses 4500 on both sides. */
    public static final int NAT_T_PORT = 4500;

    public TunnelConfig {
        localNets = List.copyOf(localNets);
        remoteNets = List.copyOf(remoteNets);
    }

    public String key() { return "tunnel " + name; }

    /** The local selectors the SA carries: as written, or "any" of each family the other side names (both when neither does). */
    public List<IpPrefix> effectiveLocalNets() { return effective(localNets, remoteNets); }

    public List<IpPrefix> effectiveRemoteNets() { return effective(remoteNets, localNets); }

    static List<IpPrefix> effective(List<IpPrefix> mine, List<IpPrefix> other) {
        if (!mine.isEmpty()) return mine;
        List<IpPrefix> any = new ArrayList<>(2);
        for (int family : new int[] {IpAddress.V4, IpAddress.V6})
            if (other.isEmpty() || other.stream().anyMatch(p -> p.family() == family)) any.add(IpPrefix.any(family));
        return List.copyOf(any);
    }

    /**
     * The inbound and outbound SA of this tunnel, in that order. {@code ownAddress} is used when no 'local' was
     * written; Configuration.saParameters supplies the own address of the peer's family.
     */
    public List<SaParameters> saParameters(IpAddress ownAddress) {
        IpAddress localAddress = local.orElse(ownAddress);
        if (localAddress == null) throw new IllegalStateException("tunnel " + name + " has no local address");
        return List.of(sa(Direction.INBOUND, spiIn, keyIn, integrityKeyIn, localAddress),
                sa(Direction.OUTBOUND, spiOut, keyOut, integrityKeyOut, localAddress));
    }

    private SaParameters sa(Direction direction, long spi, KeyMaterial key, KeyMaterial integrityKey, IpAddress localAddress) {
        boolean ah = protocol == SaProtocol.AH;
        int port = udpEncapsulation ? NAT_T_PORT : 0;
        return new SaParameters(name, direction, (int) spi, protocol, mode, localAddress, peer,
                ah ? EncryptionAlgorithm.NULL : encryption, ah ? new byte[0] : key.toBytes(),
                integrity, integrityKey.toBytes(), udpEncapsulation, port, port, esn, replayWindow, lifetime,
                effectiveLocalNets(), effectiveRemoteNets());
    }

    public String render() {
        String nl = " \\\n    ";
        StringBuilder sb = new StringBuilder(256);
        sb.append("tunnel ").append(name).append(" peer ").append(AddressText.addressText(peer));
        local.ifPresent(l -> sb.append(" local ").append(AddressText.addressText(l)));
        sb.append(" mode ").append(mode.name().toLowerCase(java.util.Locale.ROOT))
          .append(" protocol ").append(protocol.name().toLowerCase(java.util.Locale.ROOT))
          .append(" encap ").append(udpEncapsulation ? "udp" : "none");
        sb.append(nl);
        if (protocol == SaProtocol.ESP) sb.append("enc ").append(encryption.configName).append(' ');
        sb.append("integ ").append(integrity.configName);
        sb.append(nl).append("spi-in ").append(spiText(spiIn)).append(" spi-out ").append(spiText(spiOut));
        if (!keyIn.isEmpty() || !keyOut.isEmpty() || !integrityKeyIn.isEmpty() || !integrityKeyOut.isEmpty()) {
            if (!keyIn.isEmpty()) sb.append(nl).append("key-in ").append(keyIn.toHex());
            if (!keyOut.isEmpty()) sb.append(nl).append("key-out ").append(keyOut.toHex());
            if (!integrityKeyIn.isEmpty()) sb.append(nl).append("integ-key-in ").append(integrityKeyIn.toHex());
            if (!integrityKeyOut.isEmpty()) sb.append(nl).append("integ-key-out ").append(integrityKeyOut.toHex());
        }
        sb.append(nl).append("esn ").append(esn ? "on" : "off").append(" replay-window ").append(replayWindow);
        if (lifetime.softSeconds() != 0 || lifetime.hardSeconds() != 0)
            sb.append(" lifetime-seconds ").append(lifetime.softSeconds()).append('/').append(lifetime.hardSeconds());
        if (lifetime.softBytes() != 0 || lifetime.hardBytes() != 0)
            sb.append(" lifetime-bytes ").append(lifetime.softBytes()).append('/').append(lifetime.hardBytes());
        if (!localNets.isEmpty() || !remoteNets.isEmpty()) {
            sb.append(nl);
            String sep = "";
            for (IpPrefix p : localNets) { sb.append(sep).append("local-net ").append(AddressText.prefixText(p)); sep = " "; }
            for (IpPrefix p : remoteNets) { sb.append(sep).append("remote-net ").append(AddressText.prefixText(p)); sep = " "; }
        }
        return sb.toString();
    }

    static String spiText(long spi) { return "0x" + Long.toHexString(spi); }
}
