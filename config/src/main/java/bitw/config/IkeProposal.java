// One IKE SA proposal (RFC 7296 section 3.3) of a connection, parsed from a strongSwan-style string such as
// "aes128gcm16-prfsha256-ecp256" or "aes256-sha256-modp2048" (prf defaults to the integrity hash) or
// "aes256gcm16-prfsha384-x25519-ke1_mlkem768" (RFC 9370 additional key exchange). The IKE engine offers or
// accepts these in order; each list is the set of alternatives for its transform type.
package bitw.config;

import bitw.ipsec.crypto.EncryptionAlgorithm;
import bitw.ipsec.crypto.IntegrityAlgorithm;
import java.util.ArrayList;
import java.util.List;

/**
 * @param encryption  transform type 1; all AEAD or all not
 * @param prf         transform type 2; never empty in a valid proposal (filled from integrity when not written)
 * @param integrity   transform type 3; empty for AEAD
 * @param keyExchange transform type 4, IANA numbers (modp2048=14, ecp256=19, x25519=31, mlkem768=36, ...)
 * @param additionalKeyExchange RFC 9370: element i lists the alternatives for ADDKE(i+1) (transform type 6+i);
 *                    0 (written 'none') makes that exchange optional
 */
public record IkeProposal(
        List<EncryptionAlgorithm> encryption,
        List<Prf> prf,
        List<IntegrityAlgorithm> integrity,
        List<Integer> keyExchange,
        List<List<Integer>> additionalKeyExchange) {

    /** Used when a connection names no ike-proposal. */
    public static final List<IkeProposal> DEFAULTS = List.of(
            new IkeProposal(List.of(EncryptionAlgorithm.AES_GCM_128), List.of(Prf.HMAC_SHA256), List.of(), List.of(19), List.of()),
            new IkeProposal(List.of(EncryptionAlgorithm.AES_CBC_256), List.of(Prf.HMAC_SHA256),
                    List.of(IntegrityAlgorithm.HMAC_SHA256_128), List.of(14), List.of()));

    public IkeProposal {
        encryption = List.copyOf(encryption);
        prf = List.copyOf(prf);
        integrity = List.copyOf(integrity);
        keyExchange = List.copyOf(keyExchange);
        additionalKeyExchange = additionalKeyExchange.stream().map(List::copyOf).toList();
    }

    /** Parses a proposal string; throws IllegalArgumentException for unknown or repeated words (semantics: problems()). */
    public static IkeProposal parse(String text) {
        List<EncryptionAlgorithm> enc = new ArrayList<>();
        List<Prf> prf = new ArrayList<>();
        List<IntegrityAlgorithm> integ = new ArrayList<>();
        List<Integer> ke = new ArrayList<>();
        List<List<Integer>> additional = new ArrayList<>();
        for (String w : ProposalText.words(text)) {
            EncryptionAlgorithm e = EncryptionAlgorithm.byConfigName(w);
            Prf p = Prf.byConfigName(w);
            IntegrityAlgorithm i = w.equals("none") ? null : IntegrityAlgorithm.byConfigName(w);
            Integer k = ProposalText.KEY_EXCHANGES.get(w);
            if (e != null) enc.add(e);
            else if (p != null) prf.add(p);
            else if (i != null) integ.add(i);
            else if (k != null) ke.add(k);
            else if (w.length() > 4 && w.startsWith("ke") && w.charAt(2) >= '1' && w.charAt(2) <= '0' + ProposalText.MAX_ADDITIONAL && w.charAt(3) == '_') {
                int slot = w.charAt(2) - '1';
                String name = w.substring(4);
                Integer id = name.equals("none") ? Integer.valueOf(ProposalText.NONE) : ProposalText.KEY_EXCHANGES.get(name);
                if (id == null) throw ProposalText.unknown(name, text, new ArrayList<>(ProposalText.KEY_EXCHANGES.keySet()));
                while (additional.size() <= slot) additional.add(new ArrayList<>());
                if (additional.get(slot).contains(id)) throw new IllegalArgumentException("'" + w + "' repeats a key exchange of ke" + (slot + 1));
                additional.get(slot).add(id);
            } else {
                throw ProposalText.unknown(w, text, ProposalText.knownNames(true));
            }
        }
        for (int s = 0; s < additional.size(); s++)
            if (additional.get(s).isEmpty())
                throw new IllegalArgumentException("ke" + (s + 2) + "_ needs ke" + (s + 1) + "_ first in '" + AddressText.shorten(text) + "'");
        if (prf.isEmpty()) {
            // strongSwan: a non-AEAD proposal without a prf uses the PRFs of its integrity hashes.
            for (IntegrityAlgorithm i : integ) {
                Prf p = Prf.matching(i);
                if (p != null && !prf.contains(p)) prf.add(p);
            }
        }
        return new IkeProposal(enc, prf, integ, ke, additional);
    }

    /** What makes this proposal unusable; empty when it is fine. Messages suit "ike-proposal X: message". */
    public List<String> problems() {
        List<String> out = new ArrayList<>();
        if (encryption.isEmpty()) out.add("needs an encryption algorithm (aes128gcm16, aes256gcm16, aes256, chacha20poly1305, ...)");
        if (encryption.contains(EncryptionAlgorithm.NULL)) out.add("null encryption is not allowed for IKE");
        boolean aead = !encryption.isEmpty() && encryption.get(0).aead;
        for (EncryptionAlgorithm e : encryption)
            if (e.aead != aead) { out.add("mixes AEAD and non-AEAD ciphers; write two proposals"); break; }
        if (integrity.contains(IntegrityAlgorithm.NONE)) out.add("integrity 'none' is not a proposal algorithm: leave integrity out");
        if (aead && !integrity.isEmpty())
            out.add("AEAD cipher " + encryption.get(0).configName + " authenticates itself: remove " + integrity.get(0).configName);
        if (aead && prf.isEmpty())
            out.add("an AEAD proposal needs an explicit prf, e.g. " + encryption.get(0).configName + "-prfsha256-ecp256 (strongSwan requires it too)");
        if (!aead && !encryption.isEmpty() && integrity.isEmpty())
            out.add("a non-AEAD cipher needs an integrity algorithm (sha256, sha384, sha512, sha1, md5)");
        if (!aead && !integrity.isEmpty() && prf.isEmpty()) out.add("needs a prf (prfsha256, prfsha384, prfsha512, prfsha1)");
        if (keyExchange.isEmpty()) out.add("needs a key exchange method (ecp256, x25519, modp2048, mlkem768, ...)");
        ProposalText.checkKeyExchanges(keyExchange, "key exchange", false, out);
        if (additionalKeyExchange.size() > ProposalText.MAX_ADDITIONAL) out.add("at most " + ProposalText.MAX_ADDITIONAL + " additional key exchanges");
        for (int s = 0; s < additionalKeyExchange.size(); s++) {
            if (additionalKeyExchange.get(s).isEmpty()) out.add("ke" + (s + 1) + " lists no key exchange");
            ProposalText.checkKeyExchanges(additionalKeyExchange.get(s), "ke" + (s + 1), true, out);
        }
        return out;
    }

    /** strongSwan order: ciphers, integrity, prfs, key exchanges, then ke1_..., ke2_.... Always writes the prf. */
    public String render() {
        StringBuilder sb = new StringBuilder(64);
        for (EncryptionAlgorithm e : encryption) sb.append('-').append(e.configName);
        for (IntegrityAlgorithm i : integrity) sb.append('-').append(i.configName);
        for (Prf p : prf) sb.append('-').append(p.configName);
        ProposalText.appendKeyExchanges(sb, keyExchange, "");
        for (int s = 0; s < additionalKeyExchange.size(); s++) ProposalText.appendKeyExchanges(sb, additionalKeyExchange.get(s), "ke" + (s + 1) + "_");
        return sb.isEmpty() ? "" : sb.substring(1);
    }

    @Override public String toString() { return render(); }
}
