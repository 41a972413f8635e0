// IKEv2 hash algorithm identifiers (RFC 7427 §4, IANA "IKEv2 Hash Algorithms") and the SIGNATURE_HASH_ALGORITHMS
// notify data (a list of 2-byte ids) that advertises which ones a peer accepts in RFC 7427 signatures.
package bitw.ipsec.ike.crypto;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;

public enum HashAlgorithm {
    SHA1(1), SHA2_256(2), SHA2_384(3), SHA2_512(4),
    /** RFC 8420: "hash" of EdDSA signatures, which sign the message itself. */
    IDENTITY(5);

    public final int id;

    HashAlgorithm(int id) { this.id = id; }

    public static HashAlgorithm byId(int id) {
        for (HashAlgorithm h : values()) if (h.id == id) return h;
        return null;
    }

    /** Notify data of SIGNATURE_HASH_ALGORITHMS (type 16431): the ids, two bytes each, in the given order. */
    public static byte[] encodeNotifyData(List<HashAlgorithm> algorithms) {
        byte[] out = new byte[2 * algorithms.size()];
        for (int i = 0; i < algorithms.size(); i++) {
            out[2 * i] = (byte) (algorithms.get(i).id >>> 8);
            out[2 * i + 1] = (byte) algorithms.get(i).id;
        }
        return out;
    }

    /** The known algorithms in a peer's SIGNATURE_HASH_ALGORITHMS; unknown ids are skipped (RFC 7427 §4). */
    public static Set<HashAlgorithm> decodeNotifyData(byte[] data) throws IkeCryptoException {
        if (data.length % 2 != 0)
            throw new IkeCryptoException(IkeCryptoException.Reason.AUTH_MALFORMED,
                    "SIGNATURE_HASH_ALGORITHMS data has odd length " + data.length);
        Set<HashAlgorithm> out = EnumSet.noneOf(HashAlgorithm.class);
        for (int i = 0; i < data.length; i += 2) {
            HashAlgorithm h = byId((data[i] & 0xff) << 8 | data[i + 1] & 0xff);
            if (h != null) out.add(h);
        }
        return out;
    }
}
