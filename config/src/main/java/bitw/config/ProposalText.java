// Reading strongSwan-style proposal strings ("aes128gcm16-prfsha256-ecp256", "aes256-sha256-modp2048-esn") into
// their algorithm words, and the names of key exchange methods (IANA "Transform Type 4" numbers). Shared by
// IkeProposal and EspProposal; the configuration language writes proposals exactly as strongSwan's swanctl does.
package bitw.config;

import bitw.ipsec.crypto.EncryptionAlgorithm;
import bitw.ipsec.crypto.IntegrityAlgorithm;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

final class ProposalText {
    private ProposalText() {}

    /** Longest proposal string read; a hostile line cannot make us split megabytes. */
    static final int MAX_LENGTH = 256;
    /** RFC 9370 defines seven additional key exchanges (ADDKE1..ADDKE7, transform types 6..12). */
    static final int MAX_ADDITIONAL = 7;

    /** Key exchange method names, in rendering preference (the first name of a number is the one written). */
    static final Map<String, Integer> KEY_EXCHANGES;
    static {
        Map<String, Integer> m = new LinkedHashMap<>();
        m.put("modp2048", 14);
        m.put("modp3072", 15);
        m.put("modp4096", 16);
        m.put("modp6144", 17);
        m.put("modp8192", 18);
        m.put("ecp256", 19);
        m.put("ecp384", 20);
        m.put("ecp521", 21);
        m.put("x25519", 31);
        m.put("curve25519", 31);
        m.put("x448", 32);
        m.put("curve448", 32);
        m.put("mlkem512", 35);
        m.put("mlkem768", 36);
        m.put("mlkem1024", 37);
        KEY_EXCHANGES = java.util.Collections.unmodifiableMap(m);
    }

    /** The canonical name of a key exchange number, or null if the language has none. */
    static String keyExchangeName(int id) {
        for (Map.Entry<String, Integer> e : KEY_EXCHANGES.entrySet()) if (e.getValue() == id) return e.getKey();
        return null;
    }

    /** "none" is only meaningful as an additional key exchange (RFC 9370: the exchange is optional). */
    static final int NONE = 0;

    /** The '-'-separated words of a proposal; every word once. */
    static List<String> words(String text) {
        if (text.isEmpty()) throw new IllegalArgumentException("empty proposal");
        if (text.length() > MAX_LENGTH) throw new IllegalArgumentException("proposal longer than " + MAX_LENGTH + " characters");
        List<String> words = List.of(text.split("-", -1));
        Set<String> seen = new HashSet<>();
        for (String w : words) {
            if (w.isEmpty()) throw new IllegalArgumentException("empty algorithm between '-' in '" + AddressText.shorten(text) + "'");
            if (!seen.add(w)) throw new IllegalArgumentException("'" + AddressText.shorten(w) + "' appears twice in '" + AddressText.shorten(text) + "'");
        }
        return words;
    }

    /** Every single-word algorithm name, for suggestions. */
    static List<String> knownNames(boolean ike) {
        List<String> names = new ArrayList<>();
        for (EncryptionAlgorithm a : EncryptionAlgorithm.values()) if (!ike || a != EncryptionAlgorithm.NULL) names.add(a.configName);
        for (IntegrityAlgorithm a : IntegrityAlgorithm.values()) if (a != IntegrityAlgorithm.NONE) names.add(a.configName);
        if (ike) for (Prf p : Prf.values()) names.add(p.configName);
        names.addAll(KEY_EXCHANGES.keySet());
        names.add(ike ? "ke1_mlkem768" : "esn");
        return names;
    }

    /** "unknown algorithm 'aes128gcm' in 'aes128gcm-prfsha256-ecp256'; did you mean 'aes128gcm16'?" */
    static IllegalArgumentException unknown(String word, String text, List<String> choices) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        if (word.length() <= 40) {
            for (String c : choices) {
                int d = ConfigParser.editDistance(word, c);
                if (d < bestDistance) { bestDistance = d; best = c; }
            }
        }
        String hint = best != null && bestDistance <= Math.max(1, Math.min(3, best.length() / 3))
                ? "did you mean '" + best + "'?" : "expected algorithms like: " + String.join(", ", choices);
        return new IllegalArgumentException("unknown algorithm '" + AddressText.shorten(word) + "' in '" + AddressText.shorten(text) + "'; " + hint);
    }

    /** Names of key exchange numbers, joined for rendering ("ecp256-x25519"). */
    static void appendKeyExchanges(StringBuilder sb, List<Integer> ids, String prefix) {
        for (int id : ids) {
            String name = id == NONE ? "none" : keyExchangeName(id);
            sb.append('-').append(prefix).append(name == null ? "ke" + id : name);
        }
    }

    /** Problems with key exchange numbers the language cannot name (only possible in records built in code). */
    static void checkKeyExchanges(List<Integer> ids, String what, boolean noneAllowed, List<String> problems) {
        for (int id : ids)
            if ((id == NONE && !noneAllowed) || (id != NONE && keyExchangeName(id) == null))
                problems.add(what + " " + id + " is not a key exchange method the configuration language knows");
    }
}
