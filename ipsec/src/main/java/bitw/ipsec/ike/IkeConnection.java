// One configured IKE connection (a tunnel to one peer, or to any peer when peerAddress is null): who we are, how
// both sides authenticate, what may be proposed, which nets the Child SAs carry, and the timers. The engine keys
// everything by name; reconfigure() keeps the SAs of connections whose definition did not change.
package bitw.ipsec.ike;

import bitw.ipsec.packet.IpAddress;
import bitw.ipsec.packet.IpPrefix;
import bitw.ipsec.sad.SaMode;
import java.util.List;

/**
 * @param mode TUNNEL, or IIPTRAN (transport-mode ESP over IPIP, negotiated with USE_TRANSPORT_MODE and
 *             gateway-to-gateway selectors for protocols 4 and 41; localNets/remoteNets are then enforced only by
 *             our SPD and the SAs' selectors, not negotiated)
 * @param rekeyBytes soft byte limit of each Child SA (0: none); the hard limit is 10% more
 * @param rekeyMarginSeconds rekeys start this long (minus up to a third of it as jitter) before the lifetime ends
 * @param dpdSeconds silence after which an empty INFORMATIONAL probes the peer (0: no DPD)
 * @param forceUdpEncapsulation pretend a NAT (fake NAT_DETECTION_SOURCE_IP) so both sides use ESP in UDP 4500
 * @param fragmentation offer and use IKE fragmentation (RFC 7383)
 */
public record IkeConnection(String name, IpAddress localAddress, IpAddress peerAddress,
        Identity localId, Identity remoteId, Authentication localAuth, PeerVerification peerAuth,
        List<IkeProposalSpec> ikeProposals, List<EspProposalSpec> espProposals, SaMode mode,
        List<IpPrefix> localNets, List<IpPrefix> remoteNets, long ikeLifetimeSeconds, long childLifetimeSeconds,
        long rekeyBytes, long rekeyMarginSeconds, int dpdSeconds, DpdAction dpdAction, StartAction startAction,
        boolean forceUdpEncapsulation, boolean fragmentation, int replayWindow) {
    public IkeConnection {
        if (name == null || name.isEmpty()) throw new IllegalArgumentException("connection name required");
        if (localAddress == null) throw new IllegalArgumentException(name + ": local address required");
        if (localId == null || localAuth == null || peerAuth == null) throw new IllegalArgumentException(name + ": identities and authentication required");
        ikeProposals = List.copyOf(ikeProposals);
        espProposals = List.copyOf(espProposals);
        localNets = List.copyOf(localNets);
        remoteNets = List.copyOf(remoteNets);
        if (ikeProposals.isEmpty() || espProposals.isEmpty()) throw new IllegalArgumentException(name + ": IKE and ESP proposals required");
        if (mode == null) throw new IllegalArgumentException(name + ": mode required");
        if (mode == SaMode.TUNNEL && (localNets.isEmpty() || remoteNets.isEmpty())) throw new IllegalArgumentException(name + ": tunnel mode needs local and remote nets");
        if (ikeLifetimeSeconds <= 0 || childLifetimeSeconds <= 0) throw new IllegalArgumentException(name + ": lifetimes must be positive");
        if (rekeyMarginSeconds < 0 || rekeyMarginSeconds >= Math.min(ikeLifetimeSeconds, childLifetimeSeconds))
            throw new IllegalArgumentException(name + ": rekey margin must be below both lifetimes");
        if (dpdSeconds < 0 || rekeyBytes < 0 || replayWindow < 0) throw new IllegalArgumentException(name + ": negative timer or limit");
        if (dpdAction == null) dpdAction = DpdAction.CLEAR;
        if (startAction == null) startAction = StartAction.NONE;
        if (peerAddress != null && peerAddress.family() != localAddress.family()) throw new IllegalArgumentException(name + ": address families differ");
    }
}
