// One IKE SA proposal as configured (e.g. aes128gcm16-prfsha256-ecp256): every list is in our order of preference.
// integ is empty for AEAD encryption. additionalKe lists the RFC 9370 additional key exchanges in order: element
// i is the method of ADDKE(i+1) (e.g. ML-KEM-768 as ADDKE1), each run in its own IKE_INTERMEDIATE exchange.
package bitw.ipsec.ike;

import bitw.ipsec.crypto.EncryptionAlgorithm;
import bitw.ipsec.crypto.IntegrityAlgorithm;
import bitw.ipsec.ike.crypto.KeyExchangeMethod;
import bitw.ipsec.ike.crypto.Prf;
import java.util.List;

public record IkeProposalSpec(List<EncryptionAlgorithm> enc, List<Prf> prf, List<IntegrityAlgorithm> integ,
                              List<KeyExchangeMethod> ke, List<KeyExchangeMethod> additionalKe) {
    public IkeProposalSpec {
        enc = List.copyOf(enc);
        prf = List.copyOf(prf);
        integ = List.copyOf(integ);
        ke = List.copyOf(ke);
        additionalKe = List.copyOf(additionalKe);
        if (enc.isEmpty() || prf.isEmpty() || ke.isEmpty()) throw new IllegalArgumentException("an IKE proposal needs encryption, PRF and key exchange");
        if (additionalKe.size() > 7) throw new IllegalArgumentException("at most 7 additional key exchanges");
        for (KeyExchangeMethod m : ke) if (m.isKem()) throw new IllegalArgumentException(m + " cannot be the IKE_SA_INIT key exchange (RFC 9370)");
        boolean aead = enc.get(0).aead;
        for (EncryptionAlgorithm e : enc) {
            if (e.aead != aead) throw new IllegalArgumentException("AEAD and non-AEAD encryption cannot share a proposal");
            if (e == EncryptionAlgorithm.NULL) throw new IllegalArgumentException("IKE requires encryption");
        }
        if (aead != integ.isEmpty()) throw new IllegalArgumentException(aead ? "AEAD proposals take no integrity algorithm" : "integrity algorithm required");
    }

    public static IkeProposalSpec of(EncryptionAlgorithm enc, Prf prf, IntegrityAlgorithm integ, KeyExchangeMethod ke) {
        return new IkeProposalSpec(List.of(enc), List.of(prf), integ == null || integ == IntegrityAlgorithm.NONE ? List.of() : List.of(integ), List.of(ke), List.of());
    }
}
