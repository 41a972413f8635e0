// Builds SaParameters and transform-less SAs for the SAD tests, so each test states only what it is about.
package bitw.ipsec.sad;

import bitw.ipsec.crypto.EncryptionAlgorithm;
import bitw.ipsec.crypto.IntegrityAlgorithm;
import bitw.ipsec.packet.IpAddress;
import java.util.List;

final class TestSas {
    static final long T0 = 1_000_000_000_000L;
    static final long SECOND = 1_000_000_000L;

    private TestSas() {}

    static SaParameters params(String name, SaParameters.Direction dir, int spi, SaProtocol protocol, boolean esn,
                               int window, SaParameters.Lifetime lifetime) {
        return new SaParameters(name, dir, spi, protocol, SaMode.TUNNEL,
                IpAddress.v4(0xC0000201), IpAddress.v4(0xC6336401),
                EncryptionAlgorithm.AES_GCM_128, new byte[20], IntegrityAlgorithm.NONE, new byte[0],
                false, 4500, 4500, esn, window, lifetime, List.of(), List.of());
    }

    static SecurityAssociation inbound(int spi) {
        return new SecurityAssociation(params("t", SaParameters.Direction.INBOUND, spi, SaProtocol.ESP, false,
                SaParameters.DEFAULT_REPLAY_WINDOW, SaParameters.Lifetime.UNLIMITED), T0);
    }

    static SecurityAssociation inbound(int spi, SaProtocol protocol) {
        return new SecurityAssociation(params("t", SaParameters.Direction.INBOUND, spi, protocol, false,
                SaParameters.DEFAULT_REPLAY_WINDOW, SaParameters.Lifetime.UNLIMITED), T0);
    }

    static SecurityAssociation outbound(String tunnel, int spi) {
        return new SecurityAssociation(params(tunnel, SaParameters.Direction.OUTBOUND, spi, SaProtocol.ESP, false,
                0, SaParameters.Lifetime.UNLIMITED), T0);
    }

    static SecurityAssociation withLifetime(SaParameters.Direction dir, int spi, SaParameters.Lifetime lifetime) {
        return new SecurityAssociation(params("t", dir, spi, SaProtocol.ESP, false,
                SaParameters.DEFAULT_REPLAY_WINDOW, lifetime), T0);
    }

    static SecurityAssociation outboundEsn(boolean esn) {
        return new SecurityAssociation(params("t", SaParameters.Direction.OUTBOUND, 0x1000, SaProtocol.ESP, esn,
                0, SaParameters.Lifetime.UNLIMITED), T0);
    }
}
