// One ESP Child SA proposal as configured (e.g. aes128gcm16-ecp256 or aes256-sha256): lists in our order of
// preference; integ empty for AEAD; pfs empty for no PFS (the Child SA keys then come from SK_d and the nonces
// only); esn true offers extended sequence numbers first and still accepts a peer without them.
package bitw.ipsec.ike;

import bitw.ipsec.crypto.EncryptionAlgorithm;
import bitw.ipsec.crypto.IntegrityAlgorithm;
import bitw.ipsec.ike.crypto.KeyExchangeMethod;
import java.util.List;

public record EspProposalSpec(List<EncryptionAlgorithm> enc, List<IntegrityAlgorithm> integ, List<KeyExchangeMethod> pfs, boolean esn) {
    public EspProposalSpec {
        enc = List.copyOf(enc);
        integ = List.copyOf(integ);
        pfs = List.copyOf(pfs);
        if (enc.isEmpty()) throw new IllegalArgumentException("an ESP proposal needs an encryption algorithm");
        boolean aead = enc.get(0).aead;
        for (EncryptionAlgorithm e : enc) if (e.aead != aead) throw new IllegalArgumentException("AEAD and non-AEAD encryption cannot share a proposal");
        if (!aead && integ.isEmpty()) throw new IllegalArgumentException("integrity algorithm required");
    }

    public static EspProposalSpec of(EncryptionAlgorithm enc, IntegrityAlgorithm integ) {
        return new EspProposalSpec(List.of(enc), integ == null || integ == IntegrityAlgorithm.NONE ? List.of() : List.of(integ), List.of(), false);
    }
}
