// How we prove our identity in IKE_AUTH: a pre-shared key, or a signature with our private key, sent with our
// certificate chain (end entity first) or, when the chain is empty, as a raw public key (RFC 7670).
package bitw.ipsec.ike;

import bitw.ipsec.ike.crypto.SignatureScheme;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;

public sealed interface Authentication {
    record Psk(byte[] secret) implements Authentication {
        public Psk { secret = secret.clone(); }
        @Override public byte[] secret() { return secret.clone(); }
        @Override public String toString() { return "Psk[...]"; }
        /** By content, so that reconfigure() sees an unchanged key as unchanged. */
        @Override public boolean equals(Object o) { return o instanceof Psk p && java.security.MessageDigest.isEqual(p.secret, secret); }
        @Override public int hashCode() { return java.util.Arrays.hashCode(secret); }
    }

    /** @param chain end entity first; empty: authenticate with the raw public key (CERT encoding 15) */
    record Signature(PrivateKey key, List<X509Certificate> chain, SignatureScheme scheme) implements Authentication {
        public Signature { chain = List.copyOf(chain); }
    }
}
