// SA payload proposals both ways: our configured IKE and ESP proposal specs become SA payloads to offer, and a
// peer's offer is matched against ours. The responder picks by OUR preference: the first of our specs the peer
// offers, and within it the first algorithm of each list that the peer offers (RFC 7296 §2.7 leaves the choice to
// the responder). The initiator checks that the single proposal chosen by the peer is one it offered.
package bitw.ipsec.ike;

import bitw.ipsec.crypto.EncryptionAlgorithm;
import bitw.ipsec.crypto.IntegrityAlgorithm;
import bitw.ipsec.ike.crypto.KeyExchangeMethod;
import bitw.ipsec.ike.crypto.Prf;
import bitw.ipsec.ike.message.Proposal;
import bitw.ipsec.ike.message.SaPayload;
import bitw.ipsec.ike.message.Transform;
import java.util.ArrayList;
import java.util.List;

final class Proposals {
    private Proposals() {}

    /** The algorithms of an IKE SA. integ is NONE with AEAD; additionalKe in ADDKE1.. order. */
    record IkeAlgorithms(EncryptionAlgorithm enc, Prf prf, IntegrityAlgorithm integ, KeyExchangeMethod ke,
                         List<KeyExchangeMethod> additionalKe) {
        Proposal toProposal(int number, byte[] spi) {
            List<Transform> t = new ArrayList<>();
            t.add(encTransform(enc));
            t.add(new Transform(Transform.PRF, prf.ikev2Id));
            if (integ != IntegrityAlgorithm.NONE) t.add(new Transform(Transform.INTEG, integ.ikev2Id));
            t.add(new Transform(Transform.KE, ke.ikev2Id));
            for (int i = 0; i < additionalKe.size(); i++) t.add(new Transform(Transform.ADDKE1 + i, additionalKe.get(i).ikev2Id));
            return new Proposal(number, Proposal.IKE, spi, t);
        }

        @Override public String toString() {
            StringBuilder s = new StringBuilder(enc.configName);
            if (integ != IntegrityAlgorithm.NONE) s.append('-').append(integ.configName);
            s.append("-prf").append(prf.name().toLowerCase().replace("hmac_", "").replace("sha2_", "sha")).append('-').append(ke.name().toLowerCase().replace("_", ""));
            for (KeyExchangeMethod m : additionalKe) s.append("-ke-").append(m.name().toLowerCase().replace("_", ""));
            return s.toString();
        }
    }

    /** The algorithms of a Child SA; pfs null when the exchange carries no KE. */
    record EspAlgorithms(EncryptionAlgorithm enc, IntegrityAlgorithm integ, KeyExchangeMethod pfs, boolean esn) {
        Proposal toProposal(int number, byte[] spi) {
            List<Transform> t = new ArrayList<>();
            t.add(encTransform(enc));
            if (integ != IntegrityAlgorithm.NONE) t.add(new Transform(Transform.INTEG, integ.ikev2Id));
            if (pfs != null) t.add(new Transform(Transform.KE, pfs.ikev2Id));
            t.add(new Transform(Transform.ESN, esn ? 1 : 0));
            return new Proposal(number, Proposal.ESP, spi, t);
        }

        @Override public String toString() {
            return enc.configName + (integ != IntegrityAlgorithm.NONE ? "-" + integ.configName : "")
                    + (pfs != null ? "-" + pfs.name().toLowerCase().replace("_", "") : "") + (esn ? "-esn" : "");
        }
    }

    /** A selected proposal and the peer's SPI and number from the proposal it came from. */
    record Chosen<A>(A algorithms, int number, byte[] peerSpi) {}

    /**
     * Proposals as the configuration language writes them (aes256-sha256-prfsha256-modp2048, aes128gcm16-esn), for
     * the logs that explain a NO_PROPOSAL_CHOSEN; transforms we do not know by their type and number.
     */
    static String describe(List<Proposal> proposals) {
        List<String> out = new ArrayList<>();
        for (Proposal p : proposals) {
            List<String> parts = new ArrayList<>();
            for (Transform t : p.transforms()) parts.add(name(t));
            out.add(String.join("-", parts));
        }
        return String.join(", ", out);
    }

    private static String name(Transform t) {
        switch (t.type()) {
            case Transform.ENCR -> {
                for (EncryptionAlgorithm e : EncryptionAlgorithm.values())
                    if (e.ikev2Id == t.id() && (t.keyLength() == Transform.NO_KEY_LENGTH || t.keyLength() == e.keyLength * 8)) return e.configName;
                return "encr" + t.id() + (t.keyLength() == Transform.NO_KEY_LENGTH ? "" : "_" + t.keyLength());
            }
            case Transform.INTEG -> {
                for (IntegrityAlgorithm i : IntegrityAlgorithm.values()) if (i.ikev2Id == t.id()) return i.configName;
                return "integ" + t.id();
            }
            case Transform.PRF -> {
                Prf prf = Prf.byId(t.id());
                return prf == null ? "prf" + t.id() : "prf" + prf.name().toLowerCase().replace("hmac_", "").replace("sha2_", "sha");
            }
            case Transform.KE -> {
                KeyExchangeMethod m = KeyExchangeMethod.byId(t.id());
                return m == null ? "ke" + t.id() : m.name().toLowerCase().replace("_", "");
            }
            case Transform.ESN -> { return t.id() == 1 ? "esn" : "noesn"; }
            default -> {
                if (t.type() >= Transform.ADDKE1 && t.type() <= Transform.ADDKE7) {
                    KeyExchangeMethod m = KeyExchangeMethod.byId(t.id());
                    return "ke" + (t.type() - Transform.ADDKE1 + 1) + "_" + (m == null ? Integer.toString(t.id()) : m.name().toLowerCase().replace("_", ""));
                }
                return "type" + t.type() + "#" + t.id();
            }
        }
    }

    static Transform encTransform(EncryptionAlgorithm e) {
        boolean keyLengthAttribute = e != EncryptionAlgorithm.DES3_CBC && e != EncryptionAlgorithm.CHACHA20_POLY1305 && e != EncryptionAlgorithm.NULL;
        return new Transform(Transform.ENCR, e.ikev2Id, keyLengthAttribute ? e.keyLength * 8 : Transform.NO_KEY_LENGTH);
    }

    // ------------------------------------------------------------------------------------------------ IKE

    /** Our IKE offer. preferredKe, when one of a spec's groups, is moved to the front (after INVALID_KE_PAYLOAD). */
    static SaPayload ikeOffer(List<IkeProposalSpec> specs, byte[] spi, KeyExchangeMethod preferredKe) {
        return ikeOffer(specs, spi, preferredKe, true);
    }

    /** withAdditional false: IKE SA rekeys, which this engine runs without RFC 9370 IKE_FOLLOWUP_KE exchanges; the
     *  new SA's keys still descend from the old SK_d and so from every earlier (e.g. ML-KEM) exchange. */
    static SaPayload ikeOffer(List<IkeProposalSpec> specs, byte[] spi, KeyExchangeMethod preferredKe, boolean withAdditional) {
        List<Proposal> out = new ArrayList<>();
        for (IkeProposalSpec s : specs) {
            List<Transform> t = new ArrayList<>();
            for (EncryptionAlgorithm e : s.enc()) t.add(encTransform(e));
            for (Prf p : s.prf()) t.add(new Transform(Transform.PRF, p.ikev2Id));
            for (IntegrityAlgorithm i : s.integ()) t.add(new Transform(Transform.INTEG, i.ikev2Id));
            if (preferredKe != null && s.ke().contains(preferredKe)) t.add(new Transform(Transform.KE, preferredKe.ikev2Id));
            for (KeyExchangeMethod k : s.ke()) if (k != preferredKe) t.add(new Transform(Transform.KE, k.ikev2Id));
            if (withAdditional)
                for (int i = 0; i < s.additionalKe().size(); i++) t.add(new Transform(Transform.ADDKE1 + i, s.additionalKe().get(i).ikev2Id));
            out.add(new Proposal(out.size() + 1, Proposal.IKE, spi, t));
        }
        return new SaPayload(out);
    }

    /** Responder: our first spec the peer offers. peerKeGroup (the group of the peer's KE payload) is preferred
     *  among the groups of the chosen spec so that no INVALID_KE_PAYLOAD round trip is needed when avoidable. */
    static Chosen<IkeAlgorithms> selectIke(List<IkeProposalSpec> ours, SaPayload theirs, int peerKeGroup) {
        return selectIke(ours, theirs, peerKeGroup, true);
    }

    static Chosen<IkeAlgorithms> selectIke(List<IkeProposalSpec> ours, SaPayload theirs, int peerKeGroup, boolean withAdditional) {
        for (IkeProposalSpec s : ours) {
            for (Proposal p : theirs.proposals()) {
                if (p.protocolId() != Proposal.IKE) continue;
                EncryptionAlgorithm enc = firstEnc(s.enc(), p);
                Prf prf = null;
                for (Prf x : s.prf()) if (offers(p, Transform.PRF, x.ikev2Id)) { prf = x; break; }
                IntegrityAlgorithm integ = IntegrityAlgorithm.NONE;
                if (!s.integ().isEmpty()) {
                    integ = null;
                    for (IntegrityAlgorithm x : s.integ()) if (offers(p, Transform.INTEG, x.ikev2Id)) { integ = x; break; }
                }
                KeyExchangeMethod ke = null;
                for (KeyExchangeMethod x : s.ke()) if (x.ikev2Id == peerKeGroup && offers(p, Transform.KE, x.ikev2Id)) ke = x;
                if (ke == null) for (KeyExchangeMethod x : s.ke()) if (offers(p, Transform.KE, x.ikev2Id)) { ke = x; break; }
                List<KeyExchangeMethod> add = additional(withAdditional ? s.additionalKe() : List.of(), p);
                if (enc == null || prf == null || integ == null || ke == null || add == null) continue;
                return new Chosen<>(new IkeAlgorithms(enc, prf, integ, ke, add), p.number(), p.spi());
            }
        }
        return null;
    }

    /** Initiator: the peer's single chosen proposal, if it is something we offered. */
    static Chosen<IkeAlgorithms> acceptIke(List<IkeProposalSpec> ours, SaPayload chosen) { return acceptIke(ours, chosen, true); }

    static Chosen<IkeAlgorithms> acceptIke(List<IkeProposalSpec> ours, SaPayload chosen, boolean withAdditional) {
        if (chosen.proposals().size() != 1) return null;
        Proposal p = chosen.proposals().get(0);
        if (p.protocolId() != Proposal.IKE || !singlePerType(p)) return null;
        Chosen<IkeAlgorithms> c = selectIke(ours, chosen, -1, withAdditional);
        if (c == null) return null;
        int expected = 3 + (c.algorithms().integ() != IntegrityAlgorithm.NONE ? 1 : 0) + c.algorithms().additionalKe().size();
        return p.transforms().size() == expected ? c : null;
    }

    // ------------------------------------------------------------------------------------------------ ESP

    /** Our ESP offer; withKe false in IKE_AUTH (the first Child SA takes its keys from the IKE SA, §1.2). */
    static SaPayload espOffer(List<EspProposalSpec> specs, byte[] spi, boolean withKe, KeyExchangeMethod preferredKe) {
        List<Proposal> out = new ArrayList<>();
        for (EspProposalSpec s : specs) {
            List<Transform> t = new ArrayList<>();
            for (EncryptionAlgorithm e : s.enc()) t.add(encTransform(e));
            for (IntegrityAlgorithm i : s.integ()) t.add(new Transform(Transform.INTEG, i.ikev2Id));
            if (withKe) {
                if (preferredKe != null && s.pfs().contains(preferredKe)) t.add(new Transform(Transform.KE, preferredKe.ikev2Id));
                for (KeyExchangeMethod k : s.pfs()) if (k != preferredKe) t.add(new Transform(Transform.KE, k.ikev2Id));
            }
            if (s.esn()) t.add(new Transform(Transform.ESN, 1));
            t.add(new Transform(Transform.ESN, 0));
            out.add(new Proposal(out.size() + 1, Proposal.ESP, spi, t));
        }
        return new SaPayload(out);
    }

    /** Responder: our first ESP spec the peer offers. withKe: this exchange may carry PFS (CREATE_CHILD_SA). */
    static Chosen<EspAlgorithms> selectEsp(List<EspProposalSpec> ours, SaPayload theirs, boolean withKe, int peerKeGroup) {
        for (EspProposalSpec s : ours) {
            for (Proposal p : theirs.proposals()) {
                if (p.protocolId() != Proposal.ESP || p.spi().length != 4) continue;
                EncryptionAlgorithm enc = firstEnc(s.enc(), p);
                IntegrityAlgorithm integ = IntegrityAlgorithm.NONE;
                if (!s.integ().isEmpty()) {
                    integ = null;
                    for (IntegrityAlgorithm x : s.integ()) if (offers(p, Transform.INTEG, x.ikev2Id)) { integ = x; break; }
                } else if (hasOtherThanNone(p, Transform.INTEG)) {
                    continue;
                }
                KeyExchangeMethod ke = null;
                boolean keOk = true;
                if (withKe && !s.pfs().isEmpty()) {
                    for (KeyExchangeMethod x : s.pfs()) if (x.ikev2Id == peerKeGroup && offers(p, Transform.KE, x.ikev2Id)) ke = x;
                    if (ke == null) for (KeyExchangeMethod x : s.pfs()) if (offers(p, Transform.KE, x.ikev2Id)) { ke = x; break; }
                    keOk = ke != null;
                } else if (withKe && hasOtherThanNone(p, Transform.KE)) {
                    keOk = false;   // the peer insists on PFS we are not configured for
                }
                Boolean esn = null;
                if (s.esn() && offers(p, Transform.ESN, 1)) esn = true;
                else if (offers(p, Transform.ESN, 0) || !has(p, Transform.ESN)) esn = false;
                if (enc == null || integ == null || !keOk || esn == null) continue;
                return new Chosen<>(new EspAlgorithms(enc, integ, ke, esn), p.number(), p.spi());
            }
        }
        return null;
    }

    /** Initiator: the peer's single chosen ESP proposal, if we offered it. */
    static Chosen<EspAlgorithms> acceptEsp(List<EspProposalSpec> ours, SaPayload chosen, boolean withKe) {
        if (chosen.proposals().size() != 1) return null;
        Proposal p = chosen.proposals().get(0);
        if (p.protocolId() != Proposal.ESP || p.spi().length != 4 || !singlePerType(p)) return null;
        Transform keT = p.first(Transform.KE);
        return selectEsp(ours, chosen, withKe, keT == null ? -1 : keT.id());
    }

    private static EncryptionAlgorithm firstEnc(List<EncryptionAlgorithm> ours, Proposal p) {
        for (EncryptionAlgorithm e : ours) {
            Transform want = encTransform(e);
            for (Transform t : p.transforms()) if (t.equals(want)) return e;
        }
        return null;
    }

    private static List<KeyExchangeMethod> additional(List<KeyExchangeMethod> ours, Proposal p) {
        for (int i = 0; i < 7; i++) {
            int type = Transform.ADDKE1 + i;
            if (i < ours.size()) {
                if (!offers(p, type, ours.get(i).ikev2Id)) return null;
            } else if (hasOtherThanNone(p, type)) {
                return null;   // the peer insists on an additional exchange we do not do
            }
        }
        return ours;
    }

    private static boolean offers(Proposal p, int type, int id) {
        for (Transform t : p.transforms()) if (t.type() == type && t.id() == id && !t.hasUnknownAttributes()) return true;
        return false;
    }

    private static boolean has(Proposal p, int type) {
        for (Transform t : p.transforms()) if (t.type() == type) return true;
        return false;
    }

    /** True when the proposal has a transform of this type and none of them is NONE (id 0). */
    private static boolean hasOtherThanNone(Proposal p, int type) {
        return has(p, type) && !offers(p, type, 0);
    }

    private static boolean singlePerType(Proposal p) {
        boolean[] seen = new boolean[256];
        for (Transform t : p.transforms()) {
            if (seen[t.type()]) return false;
            seen[t.type()] = true;
        }
        return true;
    }
}
