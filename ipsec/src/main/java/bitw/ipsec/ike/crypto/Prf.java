// IKEv2 pseudorandom functions (IANA Transform Type 2) and prf+ (RFC 7296 §2.13): the basis of every IKE and
// Child SA key. Used by IkeKeyDerivation, IkeAuthentication and the engine's proposal matching.
package bitw.ipsec.ike.crypto;

import java.io.ByteArrayOutputStream;
import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

public enum Prf {
    HMAC_SHA1(2, "HmacSHA1", 20),
    HMAC_SHA2_256(5, "HmacSHA256", 32),
    HMAC_SHA2_384(6, "HmacSHA384", 48),
    HMAC_SHA2_512(7, "HmacSHA512", 64);

    public final int ikev2Id;
    public final String jceName;
    private final int outputLength;

    Prf(int ikev2Id, String jceName, int outputLength) {
        this.ikev2Id = ikev2Id;
        this.jceName = jceName;
        this.outputLength = outputLength;
    }

    public int outputLength() { return outputLength; }

    /** For HMAC PRFs the preferred key size equals the output size (RFC 7296 §2.13); SK_d, SK_pi and SK_pr
     *  have this length. */
    public int preferredKeyLength() { return outputLength; }

    public static Prf byId(int ikev2Id) {
        for (Prf p : values()) if (p.ikev2Id == ikev2Id) return p;
        return null;
    }

    /** prf(key, data[0] | data[1] | ...). HMAC accepts keys of any length, including empty ones. */
    public byte[] prf(byte[] key, byte[]... data) {
        Mac mac = newMac(key);
        for (byte[] d : data) mac.update(d);
        return mac.doFinal();
    }

    /** prf+(K, S) = T1 | T2 | ..., T1 = prf(K, S | 0x01), Tn = prf(K, Tn-1 | S | n), cut to length bytes. The
     *  counter is one octet, so at most 255 blocks exist. */
    public byte[] prfPlus(byte[] key, byte[] seed, int length) {
        int blocks = (length + outputLength - 1) / outputLength;
        if (length < 0 || blocks > 255) throw new IllegalArgumentException("prf+ cannot produce " + length + " bytes");
        Mac mac = newMac(key);
        byte[] out = new byte[length];
        byte[] t = new byte[0];
        for (int n = 1, pos = 0; n <= blocks; n++) {
            mac.update(t);
            mac.update(seed);
            mac.update((byte) n);
            t = mac.doFinal();
            int take = Math.min(t.length, length - pos);
            System.arraycopy(t, 0, out, pos, take);
            pos += take;
        }
        return out;
    }

    private Mac newMac(byte[] key) {
        try {
            Mac mac = Mac.getInstance(jceName);
            // SecretKeySpec refuses empty keys; HMAC pads a missing key with zeros, so one zero byte is the same key.
            mac.init(new SecretKeySpec(key.length == 0 ? new byte[1] : key, jceName));
            return mac;
        } catch (InvalidKeyException e) {
            throw new IllegalArgumentException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("JDK lacks " + jceName, e);
        }
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) out.writeBytes(p);
        return out.toByteArray();
    }
}
