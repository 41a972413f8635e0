// Specification of IKE and ESP proposal strings: strongSwan's spelling in, the transform lists the IKEv2 engine
// negotiates out, strongSwan's prf rule, and a reason for every proposal that cannot work.
package bitw.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import bitw.ipsec.crypto.EncryptionAlgorithm;
import bitw.ipsec.crypto.IntegrityAlgorithm;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProposalTest {

    static void assertProblem(List<String> problems, String fragment) {
        assertTrue(problems.stream().anyMatch(p -> p.contains(fragment)), problems + " should mention '" + fragment + "'");
    }

    @Test
    void aeadIkeProposalWithExplicitPrf() {
        IkeProposal p = IkeProposal.parse("aes128gcm16-prfsha256-ecp256");
        assertEquals(new IkeProposal(List.of(EncryptionAlgorithm.AES_GCM_128), List.of(Prf.HMAC_SHA256), List.of(), List.of(19), List.of()), p);
        assertEquals(List.of(), p.problems());
        assertEquals("aes128gcm16-prfsha256-ecp256", p.render());
    }

    @Test
    void nonAeadIkeProposalTakesItsPrfFromTheIntegrityHash() {
        IkeProposal p = IkeProposal.parse("aes256-sha256-modp2048");
        assertEquals(List.of(Prf.HMAC_SHA256), p.prf());
        assertEquals(List.of(IntegrityAlgorithm.HMAC_SHA256_128), p.integrity());
        assertEquals(List.of(14), p.keyExchange());
        assertEquals("aes256-sha256-prfsha256-modp2048", p.render(), "the prf is written out");
        assertEquals(List.of(Prf.HMAC_SHA384, Prf.HMAC_SHA1), IkeProposal.parse("aes128-sha384-sha1-ecp384").prf());
        assertEquals(List.of(Prf.HMAC_SHA512), IkeProposal.parse("aes128-sha256-prfsha512-ecp384").prf(), "an explicit prf wins");
    }

    @Test
    void everyKeyExchangeNameMapsToItsIanaNumber() {
        assertEquals(List.of(14, 15, 16, 19, 20, 21, 31, 36),
                IkeProposal.parse("aes256gcm16-prfsha384-modp2048-modp3072-modp4096-ecp256-ecp384-ecp521-x25519-mlkem768").keyExchange());
        assertEquals(List.of(31), IkeProposal.parse("aes256gcm16-prfsha384-curve25519").keyExchange(), "strongSwan's older name");
        assertEquals("aes256gcm16-prfsha384-x25519", IkeProposal.parse("aes256gcm16-prfsha384-curve25519").render());
    }

    @Test
    void additionalKeyExchangesFollowRfc9370() {
        IkeProposal p = IkeProposal.parse("chacha20poly1305-prfsha256-x25519-ke1_mlkem768-ke1_none-ke2_mlkem1024");
        assertEquals(List.of(31), p.keyExchange());
        assertEquals(List.of(List.of(36, 0), List.of(37)), p.additionalKeyExchange(), "ke1 lists alternatives, none makes it optional");
        assertEquals("chacha20poly1305-prfsha256-x25519-ke1_mlkem768-ke1_none-ke2_mlkem1024", p.render());
        assertThrows(IllegalArgumentException.class, () -> IkeProposal.parse("aes128gcm16-prfsha256-x25519-ke2_mlkem768"));
    }

    @Test
    void aeadIkeProposalWithoutPrfIsAProblemSaidPlainly() {
        IkeProposal p = IkeProposal.parse("aes128gcm16-ecp256");
        assertEquals(List.of("an AEAD proposal needs an explicit prf, e.g. aes128gcm16-prfsha256-ecp256 (strongSwan requires it too)"), p.problems());
    }

    @Test
    void unworkableIkeProposalsSayWhy() {
        assertProblem(IkeProposal.parse("aes128gcm16-sha256-prfsha256-ecp256").problems(), "authenticates itself");
        assertProblem(IkeProposal.parse("aes128-prfsha256-ecp256").problems(), "needs an integrity algorithm");
        assertProblem(IkeProposal.parse("aes128-sha256").problems(), "needs a key exchange method");
        assertProblem(IkeProposal.parse("sha256-ecp256").problems(), "needs an encryption algorithm");
        assertProblem(IkeProposal.parse("null-sha256-ecp256").problems(), "null encryption is not allowed for IKE");
        assertProblem(IkeProposal.parse("aes128gcm16-aes128-sha256-prfsha256-ecp256").problems(), "mixes AEAD and non-AEAD");
        assertProblem(IkeProposal.parse("aes128-md5-ecp256").problems(), "needs a prf");
    }

    @Test
    void unknownAlgorithmsGetASuggestion() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> IkeProposal.parse("aes128gcm-prfsha256-ecp256"));
        assertEquals("unknown algorithm 'aes128gcm' in 'aes128gcm-prfsha256-ecp256'; did you mean 'aes128gcm16'?", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> IkeProposal.parse("aes128gcm16-prfsha256-ecp265"));
        assertTrue(e.getMessage().contains("did you mean 'ecp256'?"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> EspProposal.parse("aes256-sha265"));
        assertTrue(e.getMessage().contains("did you mean 'sha256'?"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> IkeProposal.parse("aes256--sha256"));
        assertTrue(e.getMessage().contains("empty algorithm"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> IkeProposal.parse("aes256-sha256-sha256-ecp256"));
        assertTrue(e.getMessage().contains("'sha256' appears twice"), e.getMessage());
    }

    @Test
    void espProposalsParseCipherIntegrityPfsAndEsn() {
        assertEquals(new EspProposal(List.of(EncryptionAlgorithm.AES_GCM_128), List.of(), List.of(), false), EspProposal.parse("aes128gcm16"));
        assertEquals(new EspProposal(List.of(EncryptionAlgorithm.AES_GCM_128), List.of(), List.of(19), false), EspProposal.parse("aes128gcm16-ecp256"));
        assertEquals(new EspProposal(List.of(EncryptionAlgorithm.AES_CBC_256), List.of(IntegrityAlgorithm.HMAC_SHA256_128), List.of(), true),
                EspProposal.parse("aes256-sha256-esn"));
        assertEquals(new EspProposal(List.of(EncryptionAlgorithm.CHACHA20_POLY1305), List.of(), List.of(), false), EspProposal.parse("chacha20poly1305-noesn"));
        assertEquals(List.of(), EspProposal.parse("null-sha256").problems(), "integrity-only ESP is allowed, as for tunnels");
        assertEquals("aes256-sha256-modp2048-esn", EspProposal.parse("aes256-esn-modp2048-sha256").render(), "canonical order");
    }

    @Test
    void unworkableEspProposalsSayWhy() {
        assertProblem(EspProposal.parse("aes256").problems(), "needs an integrity algorithm");
        assertProblem(EspProposal.parse("aes128gcm16-sha256").problems(), "authenticates itself");
        assertThrows(IllegalArgumentException.class, () -> EspProposal.parse("aes128gcm16-prfsha256"), "prf belongs to IKE");
        assertThrows(IllegalArgumentException.class, () -> EspProposal.parse("aes128gcm16-esn-noesn"));
        assertThrows(IllegalArgumentException.class, () -> EspProposal.parse("a".repeat(300)));
    }

    @Test
    void defaultsAreWhatTheLanguageDocuments() {
        assertEquals(List.of(IkeProposal.parse("aes128gcm16-prfsha256-ecp256"), IkeProposal.parse("aes256-sha256-modp2048")), IkeProposal.DEFAULTS);
        assertEquals(List.of(EspProposal.parse("aes128gcm16"), EspProposal.parse("aes256-sha256")), EspProposal.DEFAULTS);
    }
}
