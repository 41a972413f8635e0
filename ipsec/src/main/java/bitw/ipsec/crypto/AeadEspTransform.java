// ESP with a combined-mode cipher: AES-GCM (RFC 4106) and ChaCha20-Poly1305 (RFC 7634).
// Seal: trailer → IV → AAD (SPI, sequence) → encrypt in place, tag appended. Open is the reverse, tag first.
// AES-GCM runs on AesGcm and ChaCha20-Poly1305 on ChaCha20Poly1305 (keyed once, no per-packet allocation) when the
// JDK's intrinsics are reachable, otherwise on SunJCE, which must be re-initialised for every nonce.
package bitw.ipsec.crypto;

import java.security.GeneralSecurityException;
import java.security.spec.AlgorithmParameterSpec;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import bitw.ipsec.packet.Bytes;
import org.tinylog.Logger;

final class AeadEspTransform implements EspTransform {
    static {
        if (!AesGcm.available())
            Logger.warn("AES-GCM falls back to SunJCE's Cipher (slower, allocates per packet): {}. "
                    + "Run the JVM with --add-opens java.base/com.sun.crypto.provider=ALL-UNNAMED", AesGcm.UNAVAILABLE_REASON);
        if (!ChaCha20Poly1305.available())
            Logger.warn("ChaCha20-Poly1305 falls back to SunJCE's Cipher (slower, allocates per packet): {}. Run the JVM with "
                    + "--add-opens java.base/com.sun.crypto.provider=ALL-UNNAMED --add-exports java.base/sun.security.util.math=ALL-UNNAMED",
                    ChaCha20Poly1305.UNAVAILABLE_REASON);
    }

    private static final int HEADER = 8;
    /** RFC 4106 §3.2 asks for 4-byte alignment only; both ciphers are stream-like. */
    private static final int BLOCK = 4;

    private final EncryptionAlgorithm algorithm;
    private final boolean gcm;
    /** AesGcm or ChaCha20Poly1305, keyed once; null when unavailable (or not wanted). */
    private final KeyedAead keyed;
    /** SunJCE, re-initialised per packet; null when keyed is used. */
    private final Cipher cipher;
    private final SecretKeySpec key;
    private final IvSource ivSource;
    private final int ivLen;
    private final int tagLen;
    /** salt (4 bytes, fixed for the SA) followed by the 8-byte explicit IV of the current packet. */
    private final byte[] nonce = new byte[12];
    /** SPI, sequence high, sequence low: the ESN form of the AAD (RFC 4106 §5). */
    private final byte[] esnAad = new byte[12];
    private int lastNextHeader = -1;

    AeadEspTransform(EncryptionAlgorithm algorithm, byte[] keyMaterial, IvSource ivSource) {
        this(algorithm, keyMaterial, ivSource, true);
    }

    /** @param intrinsic use AesGcm / ChaCha20Poly1305 where available (false: SunJCE, for comparisons) */
    AeadEspTransform(EncryptionAlgorithm algorithm, byte[] keyMaterial, IvSource ivSource, boolean intrinsic) {
        this.algorithm = algorithm;
        this.gcm = algorithm != EncryptionAlgorithm.CHACHA20_POLY1305;
        this.ivSource = ivSource;
        this.ivLen = algorithm.ivLength;
        this.tagLen = algorithm.aeadIcvLength;
        this.key = new SecretKeySpec(keyMaterial, 0, algorithm.keyLength, gcm ? "AES" : "ChaCha20");
        System.arraycopy(keyMaterial, algorithm.keyLength, nonce, 0, 4);
        if (intrinsic && (gcm ? AesGcm.available() : ChaCha20Poly1305.available())) {
            keyed = gcm ? new AesGcm(keyMaterial, 0, algorithm.keyLength) : new ChaCha20Poly1305(keyMaterial, 0);
            cipher = null;
            return;
        }
        keyed = null;
        try {
            cipher = Cipher.getInstance(gcm ? "AES/GCM/NoPadding" : "ChaCha20-Poly1305", "SunJCE");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(algorithm + " unavailable", e);
        }
    }

    @Override public int ivLength() { return ivLen; }
    @Override public int icvLength() { return tagLen; }
    @Override public int maxTrailerLength() { return BLOCK - 1 + 2 + tagLen; }
    @Override public int lastNextHeader() { return lastNextHeader; }

    @Override
    public int seal(byte[] buf, int espOff, int payloadLen, int nextHeader, int spi, long seq, boolean esn) {
        int ptOff = espOff + HEADER + ivLen;
        int ptLen = payloadLen + EspTrailer.write(buf, ptOff + payloadLen, EspTrailer.padLength(payloadLen, BLOCK), nextHeader);
        Bytes.put32(buf, espOff, spi);
        Bytes.put32(buf, espOff + 4, (int) seq);
        ivSource.write(seq, buf, espOff + HEADER, ivLen);
        System.arraycopy(buf, espOff + HEADER, nonce, 4, ivLen);
        if (keyed != null) {
            if (esn) keyed.seal(nonce, esnAad(buf, espOff, spi, seq), 0, 12, buf, ptOff, ptLen);
            else keyed.seal(nonce, buf, espOff, HEADER, buf, ptOff, ptLen);
            return HEADER + ivLen + ptLen + tagLen;
        }
        try {
            cipher.init(Cipher.ENCRYPT_MODE, key, parameters());
            addAad(buf, espOff, spi, seq, esn);
            cipher.doFinal(buf, ptOff, ptLen, buf, ptOff);
        } catch (GeneralSecurityException e) {
            // Only a repeated (key, IV) pair — a sequence number sealed twice — or a buffer without the promised
            // trailer room gets here: both are the caller's bugs, never packet contents.
            throw new IllegalStateException(algorithm + " seal failed (sequence number reused or no trailer room?)", e);
        }
        return HEADER + ivLen + ptLen + tagLen;
    }

    @Override
    public int open(byte[] buf, int espOff, int espLen, long seq, boolean esn) {
        int ctLen = espLen - HEADER - ivLen - tagLen;
        if (ctLen < 2 || espOff < 0 || espOff + espLen > buf.length) return ERR_TRUNCATED;
        int ctOff = espOff + HEADER + ivLen;
        System.arraycopy(buf, espOff + HEADER, nonce, 4, ivLen);
        // Both check the tag before they write any plaintext, so a forged packet leaves the buffer intact.
        if (keyed != null) {
            boolean ok = esn ? keyed.open(nonce, esnAad(buf, espOff, Bytes.i32(buf, espOff), seq), 0, 12, buf, ctOff, ctLen)
                    : keyed.open(nonce, buf, espOff, HEADER, buf, ctOff, ctLen);
            if (!ok) return ERR_ICV;
        } else {
            try {
                cipher.init(Cipher.DECRYPT_MODE, key, parameters());
                addAad(buf, espOff, Bytes.i32(buf, espOff), seq, esn);
                cipher.doFinal(buf, ctOff, ctLen + tagLen, buf, ctOff);
            } catch (GeneralSecurityException e) {
                return ERR_ICV;
            }
        }
        int payloadLen = EspTrailer.check(buf, ctOff, ctLen);
        if (payloadLen < 0) return ERR_PADDING;
        lastNextHeader = buf[ctOff + ctLen - 1] & 0xff;
        return payloadLen;
    }

    /**
     * The SunJCE path's allocation per packet: the JCE takes a new nonce only inside a fresh parameter spec, and
     * needs a re-init for it. Inside that init SunJCE allocates more (measured on JDK 25, EspCostReport: ~1.0 KB
     * per packet for AES-GCM, which rebuilds its GHASH state; ~2.2 KB for ChaCha20-Poly1305).
     */
    private AlgorithmParameterSpec parameters() {
        return gcm ? new GCMParameterSpec(tagLen * 8, nonce) : new IvParameterSpec(nonce);
    }

    private void addAad(byte[] buf, int espOff, int spi, long seq, boolean esn) {
        // Without ESN the AAD is exactly the 8 header bytes on the wire.
        if (!esn) cipher.updateAAD(buf, espOff, HEADER);
        else cipher.updateAAD(esnAad(buf, espOff, spi, seq), 0, 12);
    }

    /** SPI and low sequence bits as on the wire, the high bits from the replay window's inference. */
    private byte[] esnAad(byte[] buf, int espOff, int spi, long seq) {
        Bytes.put32(esnAad, 0, spi);
        Bytes.put32(esnAad, 4, (int) (seq >>> 32));
        System.arraycopy(buf, espOff + 4, esnAad, 8, 4);
        return esnAad;
    }
}
