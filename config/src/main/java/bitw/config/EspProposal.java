// One ESP (child SA) proposal of a connection, parsed from a strongSwan-style string such as "aes128gcm16",
// "aes128gcm16-ecp256" (with a PFS group for CREATE_CHILD_SA) or "aes256-sha256-esn". The IKE engine offers or
// accepts these in order and installs the chosen transform as an SA via SaParameters.
package bitw.config;

import bitw.ipsec.crypto.EncryptionAlgorithm;
import bitw.ipsec.crypto.IntegrityAlgorithm;
import java.util.ArrayList;
import java.util.List;

/**
 * @param encryption transform type 1; all AEAD or all not ('null' allowed, with integrity)
 * @param integrity  transform type 3; empty for AEAD
 * @param pfsGroups  transform type 4 (IANA numbers); empty = no PFS (the child keys come from the IKE SA's SKEYSEED)
 * @param esn        offer extended sequence numbers (written 'esn'); false = no ESN, strongSwan's default
 */
public record EspProposal(
        List<EncryptionAlgorithm> encryption,
        List<IntegrityAlgorithm> integrity,
        List<Integer> pfsGroups,
        boolean esn) {

    /** Used when a connection names no esp-proposal. */
    public static final List<EspProposal> DEFAULTS = List.of(
            new EspProposal(List.of(EncryptionAlgorithm.AES_GCM_128), List.of(), List.of(), false),
            new EspProposal(List.of(EncryptionAlgorithm.AES_CBC_256), List.of(IntegrityAlgorithm.HMAC_SHA256_128), List.of(), false));

    public EspProposal {
        encryption = List.copyOf(encryption);
        integrity = List.copyOf(integrity);
        pfsGroups = List.copyOf(pfsGroups);
    }

    /** Parses a proposal string; throws IllegalArgumentException for unknown or repeated words (semantics: problems()). */
    public static EspProposal parse(String text) {
        List<EncryptionAlgorithm> enc = new ArrayList<>();
        List<IntegrityAlgorithm> integ = new ArrayList<>();
        List<Integer> groups = new ArrayList<>();
        boolean esn = false, noesn = false;
        for (String w : ProposalText.words(text)) {
            EncryptionAlgorithm e = EncryptionAlgorithm.byConfigName(w);
            IntegrityAlgorithm i = w.equals("none") ? null : IntegrityAlgorithm.byConfigName(w);
            Integer k = ProposalText.KEY_EXCHANGES.get(w);
            if (e != null) enc.add(e);
            else if (i != null) integ.add(i);
            else if (k != null) groups.add(k);
            else if (w.equals("esn")) esn = true;
            else if (w.equals("noesn")) noesn = true;
            else if (Prf.byConfigName(w) != null) throw new IllegalArgumentException("'" + w + "' is a prf: prfs belong in ike-proposal, not esp-proposal");
            else if (w.startsWith("ke") && w.indexOf('_') == 3)
                throw new IllegalArgumentException("additional key exchanges ('" + AddressText.shorten(w) + "') are supported in ike-proposal only");
            else throw ProposalText.unknown(w, text, ProposalText.knownNames(false));
        }
        if (esn && noesn) throw new IllegalArgumentException("'" + AddressText.shorten(text) + "' says both esn and noesn; choose one");
        return new EspProposal(enc, integ, groups, esn);
    }

    /** What makes this proposal unusable; empty when it is fine. Messages suit "esp-proposal X: message". */
    public List<String> problems() {
        List<String> out = new ArrayList<>();
        if (encryption.isEmpty()) out.add("needs an encryption algorithm (aes128gcm16, aes256gcm16, aes256, chacha20poly1305, ...)");
        boolean aead = !encryption.isEmpty() && encryption.get(0).aead;
        for (EncryptionAlgorithm e : encryption)
            if (e.aead != aead) { out.add("mixes AEAD and non-AEAD ciphers; write two proposals"); break; }
        if (integrity.contains(IntegrityAlgorithm.NONE)) out.add("integrity 'none' is not a proposal algorithm: leave integrity out");
        if (aead && !integrity.isEmpty())
            out.add("AEAD cipher " + encryption.get(0).configName + " authenticates itself: remove " + integrity.get(0).configName);
        if (!aead && !encryption.isEmpty() && integrity.isEmpty())
            out.add("a non-AEAD cipher needs an integrity algorithm (sha256, sha384, sha512, sha1, md5)");
        ProposalText.checkKeyExchanges(pfsGroups, "pfs group", false, out);
        return out;
    }

    /** strongSwan order: ciphers, integrity, PFS groups, then 'esn' when offered. */
    public String render() {
        StringBuilder sb = new StringBuilder(48);
        for (EncryptionAlgorithm e : encryption) sb.append('-').append(e.configName);
        for (IntegrityAlgorithm i : integrity) sb.append('-').append(i.configName);
        ProposalText.appendKeyExchanges(sb, pfsGroups, "");
        if (esn) sb.append("-esn");
        return sb.isEmpty() ? "" : sb.substring(1);
    }

    @Override public String toString() { return render(); }
}
