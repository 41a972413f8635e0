// Key derivation for IKEv2: SKEYSEED and the IKE SA keys after IKE_SA_INIT (RFC 7296 §2.14), after an IKE SA
// rekey (§2.18), after each RFC 9370 additional key exchange (§2.2.2), and Child SA KEYMAT (§2.17, RFC 9370 §2.2.3).
// The engine calls these once per exchange; nothing here keeps state.
package bitw.ipsec.ike.crypto;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;

public final class IkeKeyDerivation {
    private IkeKeyDerivation() {}

    /** IKE_SA_INIT: SKEYSEED = prf(Ni | Nr, g^ir); {SK_d | SK_ai | SK_ar | SK_ei | SK_er | SK_pi | SK_pr} =
     *  prf+(SKEYSEED, Ni | Nr | SPIi | SPIr). For HMAC PRFs the whole Ni | Nr is the key (§2.14).
     *  @param encKeyLen encryption key length incl. salt for AEAD; integKeyLen 0 with AEAD. */
    public static IkeSaKeys derive(Prf prf, byte[] ni, byte[] nr, byte[] sharedSecret, long spiI, long spiR,
                                   int encKeyLen, int integKeyLen) {
        byte[] skeyseed = prf.prf(Prf.concat(ni, nr), sharedSecret);
        return expand(prf, skeyseed, ni, nr, spiI, spiR, encKeyLen, integKeyLen);
    }

    /** IKE SA rekey (§2.18): SKEYSEED = prf(SK_d(old), g^ir(new) | Ni | Nr), with the new nonces and new SPIs.
     *  With RFC 9370 additional exchanges in the rekey, pass the concatenation of all new secrets in order. */
    public static IkeSaKeys deriveRekeyed(Prf prf, byte[] oldSkD, byte[] newSharedSecret, byte[] ni, byte[] nr,
                                          long spiI, long spiR, int encKeyLen, int integKeyLen) {
        byte[] skeyseed = prf.prf(oldSkD, newSharedSecret, ni, nr);
        return expand(prf, skeyseed, ni, nr, spiI, spiR, encKeyLen, integKeyLen);
    }

    /** RFC 9370 §2.2.2, after the n-th IKE_INTERMEDIATE key exchange: SKEYSEED(n) = prf(SK_d(n-1), SK(n) | Ni | Nr),
     *  keys recomputed with the IKE_SA_INIT nonces and the same SPIs. */
    public static IkeSaKeys deriveAfterAdditionalKeyExchange(Prf prf, IkeSaKeys previous, byte[] additionalSecret,
                                                             byte[] ni, byte[] nr, long spiI, long spiR,
                                                             int encKeyLen, int integKeyLen) {
        return deriveRekeyed(prf, previous.skD(), additionalSecret, ni, nr, spiI, spiR, encKeyLen, integKeyLen);
    }

    /** Child SA KEYMAT = prf+(SK_d, [g^ir (new) |] Ni | Nr) (§2.17). Each direction takes its encryption key first,
     *  then its integrity key; initiator-to-responder first. sharedSecretOrNull is the PFS secret, or null. */
    public static ChildSaKeys childKeys(Prf prf, byte[] skD, byte[] sharedSecretOrNull, byte[] ni, byte[] nr,
                                        int encKeyLen, int integKeyLen) {
        return childKeysMultipleKeyExchanges(prf, skD, sharedSecretOrNull == null ? List.of() : List.of(sharedSecretOrNull),
                ni, nr, encKeyLen, integKeyLen);
    }

    /** Child SA KEYMAT with several key exchanges (RFC 9370 §2.2.3): prf+(SK_d, g^ir | SK(1) | ... | SK(n) | Ni | Nr). */
    public static ChildSaKeys childKeysMultipleKeyExchanges(Prf prf, byte[] skD, List<byte[]> sharedSecrets, byte[] ni, byte[] nr,
                                        int encKeyLen, int integKeyLen) {
        byte[][] seedParts = new byte[sharedSecrets.size() + 2][];
        for (int i = 0; i < sharedSecrets.size(); i++) seedParts[i] = sharedSecrets.get(i);
        seedParts[sharedSecrets.size()] = ni;
        seedParts[sharedSecrets.size() + 1] = nr;
        byte[] keymat = prf.prfPlus(skD, Prf.concat(seedParts), 2 * (encKeyLen + integKeyLen));
        int pos = 0;
        byte[] ei = Arrays.copyOfRange(keymat, pos, pos += encKeyLen);
        byte[] ai = Arrays.copyOfRange(keymat, pos, pos += integKeyLen);
        byte[] er = Arrays.copyOfRange(keymat, pos, pos += encKeyLen);
        byte[] ar = Arrays.copyOfRange(keymat, pos, pos += integKeyLen);
        return new ChildSaKeys(ei, ai, er, ar);
    }

    private static IkeSaKeys expand(Prf prf, byte[] skeyseed, byte[] ni, byte[] nr, long spiI, long spiR,
                                    int encKeyLen, int integKeyLen) {
        int prfKeyLen = prf.preferredKeyLength();
        byte[] seed = ByteBuffer.allocate(ni.length + nr.length + 16).put(ni).put(nr).putLong(spiI).putLong(spiR).array();
        byte[] k = prf.prfPlus(skeyseed, seed, 3 * prfKeyLen + 2 * integKeyLen + 2 * encKeyLen);
        int pos = 0;
        byte[] d = Arrays.copyOfRange(k, pos, pos += prfKeyLen);
        byte[] ai = Arrays.copyOfRange(k, pos, pos += integKeyLen);
        byte[] ar = Arrays.copyOfRange(k, pos, pos += integKeyLen);
        byte[] ei = Arrays.copyOfRange(k, pos, pos += encKeyLen);
        byte[] er = Arrays.copyOfRange(k, pos, pos += encKeyLen);
        byte[] pi = Arrays.copyOfRange(k, pos, pos += prfKeyLen);
        byte[] pr = Arrays.copyOfRange(k, pos, pos += prfKeyLen);
        return new IkeSaKeys(skeyseed, d, ai, ar, ei, er, pi, pr);
    }
}
