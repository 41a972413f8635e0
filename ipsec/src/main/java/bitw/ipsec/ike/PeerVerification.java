// How we check the peer's AUTH payload in IKE_AUTH: the same pre-shared key, a certificate chain to one of our
// trust anchors carrying the peer's identity, or a raw public key from an accepted list (fed from DNS later).
package bitw.ipsec.ike;

import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.util.List;

public sealed interface PeerVerification {
    record Psk(byte[] secret) implements PeerVerification {
        public Psk { secret = secret.clone(); }
        @Override public byte[] secret() { return secret.clone(); }
        @Override public String toString() { return "Psk[...]"; }
        /** By content, so that reconfigure() sees an unchanged key as unchanged. */
        @Override public boolean equals(Object o) { return o instanceof Psk p && java.security.MessageDigest.isEqual(p.secret, secret); }
        @Override public int hashCode() { return java.util.Arrays.hashCode(secret); }
    }

    record Certificates(List<X509Certificate> trustAnchors) implements PeerVerification {
        public Certificates { trustAnchors = List.copyOf(trustAnchors); }
    }

    record RawKeys(List<PublicKey> acceptable) implements PeerVerification {
        public RawKeys { acceptable = List.copyOf(acceptable); }
    }
}
