// Proposal offer and selection rules: our preference decides, transforms with unknown attributes are never
// chosen, ESN follows the spec, and the initiator only accepts a single proposal it offered.
package bitw.ipsec.ike;

import static org.junit.jupiter.api.Assertions.*;

import bitw.ipsec.crypto.EncryptionAlgorithm;
import bitw.ipsec.crypto.IntegrityAlgorithm;
import bitw.ipsec.ike.crypto.KeyExchangeMethod;
import bitw.ipsec.ike.crypto.Prf;
import bitw.ipsec.ike.message.Proposal;
import bitw.ipsec.ike.message.SaPayload;
import bitw.ipsec.ike.message.Transform;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProposalsTest {
    private static final IkeProposalSpec GCM = TestConnections.GCM128_ECP256, CBC = TestConnections.CBC256_MODP2048;

    @Test
    void responderTakesItsOwnFirstSpecThatThePeerOffers() {
        SaPayload offer = Proposals.ikeOffer(List.of(GCM, CBC), new byte[0], null);
        var chosen = Proposals.selectIke(List.of(CBC, GCM), offer, KeyExchangeMethod.ECP_256.ikev2Id);
        assertEquals(EncryptionAlgorithm.AES_CBC_256, chosen.algorithms().enc());
        assertEquals(2, chosen.number(), "the number of the peer's proposal it came from");
        assertEquals(IntegrityAlgorithm.HMAC_SHA256_128, chosen.algorithms().integ());
    }

    @Test
    void withinASpecThePeersKeGroupIsPreferredToSaveARoundTrip() {
        IkeProposalSpec two = new IkeProposalSpec(List.of(EncryptionAlgorithm.AES_GCM_128), List.of(Prf.HMAC_SHA2_256), List.of(),
                List.of(KeyExchangeMethod.ECP_384, KeyExchangeMethod.ECP_256), List.of());
        SaPayload offer = Proposals.ikeOffer(List.of(two), new byte[0], KeyExchangeMethod.ECP_256);
        assertEquals(KeyExchangeMethod.ECP_256, Proposals.selectIke(List.of(two), offer, KeyExchangeMethod.ECP_256.ikev2Id).algorithms().ke());
        assertEquals(KeyExchangeMethod.ECP_384, Proposals.selectIke(List.of(two), offer, 99).algorithms().ke());
    }

    @Test
    void proposalsAreDescribedAsTheConfigurationWritesThem() {
        assertEquals("aes128gcm16-prfsha256-ecp256, aes256-prfsha256-sha256-modp2048",
                Proposals.describe(Proposals.ikeOffer(List.of(GCM, CBC), new byte[0], null).proposals()));
        EspProposalSpec esp = new EspProposalSpec(List.of(EncryptionAlgorithm.AES_CBC_256), List.of(IntegrityAlgorithm.HMAC_SHA256_128),
                List.of(KeyExchangeMethod.ECP_256), true);
        assertEquals("aes256-sha256-ecp256-esn-noesn", Proposals.describe(Proposals.espOffer(List.of(esp), new byte[4], true, null).proposals()));
        Proposal odd = new Proposal(1, Proposal.IKE, new byte[0], List.of(new Transform(Transform.ENCR, 99, 128), new Transform(Transform.PRF, 77),
                new Transform(Transform.KE, 1234), new Transform(13, 5)));
        assertEquals("encr99_128-prf77-ke1234-type13#5", Proposals.describe(List.of(odd)), "unknown transforms by number");
    }

    @Test
    void aesKeyLengthMustMatch() {
        SaPayload offer = Proposals.ikeOffer(List.of(TestConnections.GCM256_ECP384), new byte[0], null);
        IkeProposalSpec gcm128ecp384 = IkeProposalSpec.of(EncryptionAlgorithm.AES_GCM_128, Prf.HMAC_SHA2_384, null, KeyExchangeMethod.ECP_384);
        assertNull(Proposals.selectIke(List.of(gcm128ecp384), offer, 20));
    }

    @Test
    void transformsWithUnknownAttributesAreNeverChosen() {
        Proposal p = new Proposal(1, Proposal.IKE, new byte[0], List.of(
                new Transform(Transform.ENCR, EncryptionAlgorithm.AES_GCM_128.ikev2Id, 128, new byte[] {(byte) 0x80, 0x22, 0, 1}),
                new Transform(Transform.PRF, Prf.HMAC_SHA2_256.ikev2Id), new Transform(Transform.KE, 19)));
        assertNull(Proposals.selectIke(List.of(GCM), new SaPayload(List.of(p)), 19));
    }

    @Test
    void initiatorRefusesAnAnswerWithSeveralTransformsOfOneType() {
        SaPayload ours = Proposals.ikeOffer(List.of(GCM), new byte[0], null);
        assertNull(Proposals.acceptIke(List.of(GCM), ours.proposals().size() == 1 ? withExtraPrf(ours.proposals().get(0)) : null));
        var answer = new SaPayload(List.of(new Proposals.IkeAlgorithms(EncryptionAlgorithm.AES_GCM_128, Prf.HMAC_SHA2_256, IntegrityAlgorithm.NONE,
                KeyExchangeMethod.ECP_256, List.of()).toProposal(1, new byte[0])));
        assertNotNull(Proposals.acceptIke(List.of(GCM), answer));
        assertNull(Proposals.acceptIke(List.of(CBC), answer), "not something we offered");
    }

    private static SaPayload withExtraPrf(Proposal p) {
        List<Transform> t = new java.util.ArrayList<>(p.transforms());
        t.add(new Transform(Transform.PRF, Prf.HMAC_SHA2_384.ikev2Id));
        return new SaPayload(List.of(new Proposal(1, Proposal.IKE, new byte[0], t)));
    }

    @Test
    void esnIsPreferredWhenConfiguredAndRefusedWhenNot() {
        EspProposalSpec withEsn = new EspProposalSpec(List.of(EncryptionAlgorithm.AES_GCM_128), List.of(), List.of(), true);
        EspProposalSpec without = TestConnections.ESP_GCM128;
        byte[] spi = {1, 2, 3, 4};
        SaPayload both = Proposals.espOffer(List.of(withEsn), spi, false, null);
        assertTrue(Proposals.selectEsp(List.of(withEsn), both, false, -1).algorithms().esn());
        assertFalse(Proposals.selectEsp(List.of(without), both, false, -1).algorithms().esn());
        SaPayload onlyEsn = new SaPayload(List.of(new Proposal(1, Proposal.ESP, spi, List.of(Proposals.encTransform(EncryptionAlgorithm.AES_GCM_128), new Transform(Transform.ESN, 1)))));
        assertNull(Proposals.selectEsp(List.of(without), onlyEsn, false, -1));
    }

    @Test
    void pfsIsNegotiatedOnlyWhereAKeyExchangeMayHappen() {
        EspProposalSpec pfs = new EspProposalSpec(List.of(EncryptionAlgorithm.AES_GCM_128), List.of(), List.of(KeyExchangeMethod.CURVE25519), false);
        byte[] spi = {1, 2, 3, 4};
        SaPayload inAuth = Proposals.espOffer(List.of(pfs), spi, false, null);
        assertNull(Proposals.selectEsp(List.of(pfs), inAuth, false, -1).algorithms().pfs(), "IKE_AUTH children take no PFS");
        SaPayload inCreate = Proposals.espOffer(List.of(pfs), spi, true, null);
        assertEquals(KeyExchangeMethod.CURVE25519, Proposals.selectEsp(List.of(pfs), inCreate, true, 31).algorithms().pfs());
        assertNull(Proposals.selectEsp(List.of(TestConnections.ESP_GCM128), inCreate, true, 31), "a peer insisting on PFS we lack");
    }
}
