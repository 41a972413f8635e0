// 'connection <name> ...': one IKEv2-keyed connection (RFC 7296) to a peer: who we are and who the peer must be,
// how both authenticate, which IKE and ESP proposals to offer, which traffic the child SAs carry, and the timers.
// Defaults are resolved by the parser (proposals, lifetimes, dpd, start, ...), so the record is what the IKE
// engine gets. Key and certificate files are named, never read here: the appliance loads them.
package bitw.config;

import bitw.ipsec.packet.IpAddress;
import bitw.ipsec.packet.IpPrefix;
import bitw.ipsec.sad.SaMode;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * @param peer        the peer's address; empty = 'any' (a responder-only connection for peers with changing addresses)
 * @param local       our address as written; empty = the own address of the peer's family (Configuration.localAddressOf)
 * @param localId     empty = the local address (Configuration.localIdentityOf)
 * @param remoteId    empty = the peer address (effectiveRemoteId); required with peer any
 * @param psk         with auth psk only; toString never shows it
 * @param certificate our X.509 certificate file (auth pubkey)
 * @param privateKey  our private key file (auth pubkey)
 * @param peerKey     the peer's raw public key file (RFC 7670), instead of certificates
 * @param caFiles     trust anchors for the peer's certificate chain
 * @param ikeProposals / espProposals  in preference order; never empty after parsing (defaults filled in)
 * @param localNets / remoteNets  child SA traffic selectors as written; empty means "any" as for tunnels
 * @param rekeyMarginSeconds empty = 10% of each lifetime (ikeRekeyMarginSeconds, childRekeyMarginSeconds)
 * @param rekeyBytes  child SA rekey after this many bytes; 0 = by time only
 * @param dpdSeconds  dead peer detection interval (RFC 7296 liveness check); 0 = off
 */
public record ConnectionConfig(
        String name,
        Optional<IpAddress> peer,
        Optional<IpAddress> local,
        Optional<IkeIdentity> localId,
        Optional<IkeIdentity> remoteId,
        Auth auth,
        Optional<PresharedKey> psk,
        Optional<String> certificate,
        Optional<String> privateKey,
        Optional<String> peerKey,
        List<String> caFiles,
        List<IkeProposal> ikeProposals,
        List<EspProposal> espProposals,
        SaMode mode,
        Encapsulation encapsulation,
        List<IpPrefix> localNets,
        List<IpPrefix> remoteNets,
        int ikeLifetimeSeconds,
        int childLifetimeSeconds,
        long rekeyBytes,
        OptionalInt rekeyMarginSeconds,
        int dpdSeconds,
        DpdAction dpdAction,
        StartAction start,
        boolean fragmentation,
        int replayWindow) implements Statement {

    public static final int DEFAULT_IKE_LIFETIME = 14400, DEFAULT_CHILD_LIFETIME = 3600, DEFAULT_DPD = 30;
    public static final int MIN_LIFETIME = 60, MAX_LIFETIME = 604800, MAX_DPD = 3600;
    public static final long MAX_REKEY_BYTES = 1L << 50;
    /** Longest file name accepted (Linux PATH_MAX). */
    public static final int MAX_PATH = 4096;

    public enum Auth {
        PSK("psk"), PUBKEY("pubkey");
        public final String configName;
        Auth(String configName) { this.configName = configName; }
    }

    /** AUTO: ESP in UDP 4500 only when NAT detection (RFC 7296 2.23) finds a NAT; UDP: always (RFC 3948). */
    public enum Encapsulation {
        AUTO("auto"), UDP("udp");
        public final String configName;
        Encapsulation(String configName) { this.configName = configName; }
    }

    /** What to do with the child SAs when DPD finds the peer dead: remove them, keep the policies trapping, or re-initiate. */
    public enum DpdAction {
        CLEAR("clear"), HOLD("hold"), RESTART("restart");
        public final String configName;
        DpdAction(String configName) { this.configName = configName; }
    }

    /** ON_TRAFFIC: initiate when a policy first matches; AT_START: at boot; WAIT: respond only. */
    public enum StartAction {
        ON_TRAFFIC("on-traffic"), AT_START("at-start"), WAIT("wait");
        public final String configName;
        StartAction(String configName) { this.configName = configName; }
    }

    public ConnectionConfig {
        caFiles = List.copyOf(caFiles);
        ikeProposals = List.copyOf(ikeProposals);
        espProposals = List.copyOf(espProposals);
        localNets = List.copyOf(localNets);
        remoteNets = List.copyOf(remoteNets);
    }

    public String key() { return "connection " + name; }

    /** Whom the peer must prove to be: remote-id as written, else the peer address. Empty only for an invalid 'peer any'. */
    public Optional<IkeIdentity> effectiveRemoteId() { return remoteId.or(() -> peer.map(IkeIdentity::of)); }

    public List<IpPrefix> effectiveLocalNets() { return TunnelConfig.effective(localNets, remoteNets); }

    public List<IpPrefix> effectiveRemoteNets() { return TunnelConfig.effective(remoteNets, localNets); }

    /** Seconds before the IKE SA's lifetime ends at which to rekey it. */
    public int ikeRekeyMarginSeconds() { return rekeyMarginSeconds.orElse(ikeLifetimeSeconds / 10); }

    /** Seconds before a child SA's lifetime ends at which to rekey it. */
    public int childRekeyMarginSeconds() { return rekeyMarginSeconds.orElse(childLifetimeSeconds / 10); }

    /** Writes the pre-shared key in clear: the configuration file is where it lives and must round-trip. */
    public String render() {
        String nl = " \\\n    ";
        StringBuilder sb = new StringBuilder(512);
        sb.append("connection ").append(name).append(" peer ").append(peer.map(AddressText::addressText).orElse("any"));
        local.ifPresent(l -> sb.append(" local ").append(AddressText.addressText(l)));
        localId.ifPresent(id -> sb.append(" local-id ").append(id.render()));
        remoteId.ifPresent(id -> sb.append(" remote-id ").append(id.render()));
        sb.append(nl).append("auth ").append(auth.configName);
        psk.ifPresent(k -> sb.append(" psk ").append(ConfigParser.quoted(k.reveal())));
        certificate.ifPresent(f -> sb.append(" certificate ").append(ConfigParser.quoted(f)));
        privateKey.ifPresent(f -> sb.append(" private-key ").append(ConfigParser.quoted(f)));
        peerKey.ifPresent(f -> sb.append(" peer-key ").append(ConfigParser.quoted(f)));
        for (String f : caFiles) sb.append(" ca ").append(ConfigParser.quoted(f));
        sb.append(nl);
        String sep = "";
        for (IkeProposal p : ikeProposals) { sb.append(sep).append("ike-proposal ").append(p.render()); sep = " "; }
        sb.append(nl);
        sep = "";
        for (EspProposal p : espProposals) { sb.append(sep).append("esp-proposal ").append(p.render()); sep = " "; }
        sb.append(nl).append("mode ").append(mode.name().toLowerCase(Locale.ROOT)).append(" encap ").append(encapsulation.configName);
        for (IpPrefix p : localNets) sb.append(" local-net ").append(AddressText.prefixText(p));
        for (IpPrefix p : remoteNets) sb.append(" remote-net ").append(AddressText.prefixText(p));
        sb.append(nl).append("ike-lifetime ").append(ikeLifetimeSeconds).append(" child-lifetime ").append(childLifetimeSeconds);
        if (rekeyBytes != 0) sb.append(" rekey-bytes ").append(rekeyBytes);
        rekeyMarginSeconds.ifPresent(m -> sb.append(" rekey-margin ").append(m));
        sb.append(nl).append("dpd ").append(dpdSeconds).append(" dpd-action ").append(dpdAction.configName)
          .append(" start ").append(start.configName).append(" fragmentation ").append(fragmentation ? "on" : "off")
          .append(" replay-window ").append(replayWindow);
        return sb.toString();
    }
}
