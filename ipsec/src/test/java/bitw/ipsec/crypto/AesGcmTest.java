// AesGcm (AES-GCM on the JDK's AES and GHASH intrinsics) against SunJCE's AES/GCM as the reference (the shared
// KeyedAeadContract: random packets, threads, tampering, bounds), and the SunJCE fallback when the internal GHASH is
// out of reach.
package bitw.ipsec.crypto;

import static org.junit.jupiter.api.Assertions.*;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

class AesGcmTest extends KeyedAeadContract {

    @Override KeyedAead create(byte[] key) { return new AesGcm(key, 0, key.length); }

    @Override int keyLength(int k) { return k % 2 == 0 ? 16 : 32; }

    @Override Cipher reference(int mode, byte[] key, byte[] nonce) throws Exception {
        Cipher c = Cipher.getInstance("AES/GCM/NoPadding", "SunJCE");
        c.init(mode, new SecretKeySpec(key, "AES"), new GCMParameterSpec(128, nonce));
        return c;
    }

    @Test
    void intrinsicPathIsAvailableWhereTheJvmOpensTheProvider() {
        // surefire's argLine carries --add-opens java.base/com.sun.crypto.provider=ALL-UNNAMED, as every launcher does.
        assertTrue(AesGcm.available(), "AesGcm unavailable: " + AesGcm.UNAVAILABLE_REASON);
    }

    @Override Class<?> fallbackProbe() { return Probe.class; }

    /** Run in a child JVM without --add-opens: reports availability and seals a known answer through the factory. */
    static final class Probe {
        public static void main(String[] args) {
            System.out.println("available=" + AesGcm.available() + " reason=" + AesGcm.UNAVAILABLE_REASON);
            // gcm-test-01 case 2 (AES-128): the factory must pick SunJCE here and still produce the published packet.
            byte[] material = bitw.ipsec.packet.Bytes.fromHex("feffe9928665731c6d6a8f9467308308" + "cafebabe");
            EspTransform t = EspTransforms.create(EncryptionAlgorithm.AES_GCM_128, material, IntegrityAlgorithm.NONE, null,
                    new FixedIv(bitw.ipsec.packet.Bytes.fromHex("facedbaddecaf888")));
            byte[] payload = bitw.ipsec.packet.Bytes.fromHex("4500003e698f000080114dccc0a80102c0a801010a980035002a2343b2d001000001000000000000037369700963796265726369747902646b0000010001");
            byte[] sealed = EspPacket.sealed(t, payload, 1, 0xa5f8, 0xa, false);
            String tag = bitw.ipsec.packet.Bytes.hex(sealed, sealed.length - 16, 16);
            System.out.println("KAT through the transform: " + (tag.equals("83b70d3aa8bc6ee4c309e9d85a41ad4a") ? "ok" : "wrong tag " + tag));
        }
    }
}
