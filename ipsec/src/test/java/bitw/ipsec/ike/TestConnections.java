// Connection definitions for the engine tests: the three interop proposals and a builder with sensible defaults
// (PSK, tunnel 10.1/16 <-> 10.2/16) that each test bends as it needs.
package bitw.ipsec.ike;

import bitw.ipsec.crypto.EncryptionAlgorithm;
import bitw.ipsec.crypto.IntegrityAlgorithm;
import bitw.ipsec.ike.crypto.KeyExchangeMethod;
import bitw.ipsec.ike.crypto.Prf;
import bitw.ipsec.packet.IpAddress;
import bitw.ipsec.packet.IpPrefix;
import bitw.ipsec.sad.SaMode;
import java.nio.charset.StandardCharsets;
import java.util.List;

final class TestConnections {
    static final IkeProposalSpec GCM128_ECP256 = IkeProposalSpec.of(EncryptionAlgorithm.AES_GCM_128, Prf.HMAC_SHA2_256, null, KeyExchangeMethod.ECP_256);
    static final IkeProposalSpec CBC256_MODP2048 = IkeProposalSpec.of(EncryptionAlgorithm.AES_CBC_256, Prf.HMAC_SHA2_256, IntegrityAlgorithm.HMAC_SHA256_128, KeyExchangeMethod.MODP_2048);
    static final IkeProposalSpec GCM256_ECP384 = IkeProposalSpec.of(EncryptionAlgorithm.AES_GCM_256, Prf.HMAC_SHA2_384, null, KeyExchangeMethod.ECP_384);
    static final EspProposalSpec ESP_GCM128 = EspProposalSpec.of(EncryptionAlgorithm.AES_GCM_128, null);
    static final EspProposalSpec ESP_CBC256 = EspProposalSpec.of(EncryptionAlgorithm.AES_CBC_256, IntegrityAlgorithm.HMAC_SHA256_128);
    static final EspProposalSpec ESP_GCM256 = EspProposalSpec.of(EncryptionAlgorithm.AES_GCM_256, null);
    static final byte[] PSK = "correct horse battery staple".getBytes(StandardCharsets.US_ASCII);

    static final class Builder {
        String name = "gw";
        IpAddress local, peer;
        Identity localId, remoteId;
        Authentication localAuth = new Authentication.Psk(PSK);
        PeerVerification peerAuth = new PeerVerification.Psk(PSK);
        List<IkeProposalSpec> ike = List.of(GCM128_ECP256);
        List<EspProposalSpec> esp = List.of(ESP_GCM128);
        SaMode mode = SaMode.TUNNEL;
        List<IpPrefix> localNets, remoteNets;
        long ikeLifetime = 3600, childLifetime = 1200, rekeyBytes = 0, margin = 60;
        int dpd = 0;
        DpdAction dpdAction = DpdAction.CLEAR;
        StartAction start = StartAction.NONE;
        boolean forceEncap, fragmentation = true;

        IkeConnection build() {
            return new IkeConnection(name, local, peer, localId, remoteId, localAuth, peerAuth, ike, esp, mode, localNets, remoteNets,
                    ikeLifetime, childLifetime, rekeyBytes, margin, dpd, dpdAction, start, forceEncap, fragmentation, 64);
        }
    }

    /** Side A (initiator by default): 192.0.2.1, nets 10.1.0.0/16 behind it. */
    static Builder a() {
        Builder b = new Builder();
        b.local = EnginePair.A_ADDR;
        b.peer = EnginePair.B_ADDR;
        b.localId = Identity.parse("fqdn:a.example");
        b.remoteId = Identity.parse("fqdn:b.example");
        b.localNets = List.of(IpPrefix.parse("10.1.0.0/16"));
        b.remoteNets = List.of(IpPrefix.parse("10.2.0.0/16"));
        return b;
    }

    /** Side B (responder by default): 198.51.100.2, nets 10.2.0.0/16 behind it. */
    static Builder b() {
        Builder b = new Builder();
        b.local = EnginePair.B_ADDR;
        b.peer = EnginePair.A_ADDR;
        b.localId = Identity.parse("fqdn:b.example");
        b.remoteId = Identity.parse("fqdn:a.example");
        b.localNets = List.of(IpPrefix.parse("10.2.0.0/16"));
        b.remoteNets = List.of(IpPrefix.parse("10.1.0.0/16"));
        return b;
    }
}
