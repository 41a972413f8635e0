// ChaCha20-Poly1305 (RFC 8439 §2.8) with a 12-byte nonce and a 16-byte tag, keyed once per SA and allocation-free
// per packet. SunJCE's Cipher must be re-initialised for every nonce, and that init allocates ~2.2 KB; this one
// drives the JDK's two intrinsics directly instead:
//   keystream: ChaCha20Cipher.implChaCha20Block(int[] state, byte[] out), the static method C2 replaces by its
//              AVX stub (up to 16 blocks, 1 KB, per call);
//   Poly1305:  Poly1305.processMultipleBlocks(byte[], int, int, long[] a, long[] r), replaced by the IFMA stub,
//              which works on the 5×26-bit limb arrays it is given. Its Java form works on the instance's own
//              accumulator and key elements instead, so the arrays passed are exactly those elements' limb
//              arrays: interpreted or compiled, both read and write the same state.
// Both live in com.sun.crypto.provider (the --add-opens every launcher passes, as for AesGcm); the limb arrays are
// reached through sun.security.util.math.IntegerModuloP.getLimbs() (--add-exports java.base/sun.security.util.math).
// If any of it is missing or the start-up self-test fails, available() is false and AeadEspTransform keeps
// SunJCE's Cipher: a JDK change can cost speed, never correctness.
package bitw.ipsec.crypto;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.invoke.VarHandle;
import java.lang.reflect.Field;
import java.nio.ByteOrder;
import java.security.Key;
import java.security.spec.AlgorithmParameterSpec;
import java.util.Arrays;
import java.util.Objects;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import bitw.ipsec.packet.Bytes;

final class ChaCha20Poly1305 implements KeyedAead {
    static final int KEY = 32;
    private static final int BLOCK = 16;
    /** implChaCha20Block writes up to this many bytes without bounds checks (the JDK's KS_MAX_LEN). */
    private static final int KEYSTREAM_MAX = 1024;
    private static final int LIMB_BITS = 26, LIMB_MASK = (1 << LIMB_BITS) - 1;
    private static final VarHandle LE_INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle LE_LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    /** Declared before the static initialiser, whose self-test seals and opens. */
    private static final ThreadLocal<Work> WORK = ThreadLocal.withInitial(Work::new);

    /** ChaCha20Cipher.implChaCha20Block(int[], byte[]) → int; null when unavailable. */
    private static final MethodHandle CHACHA_BLOCK;
    /** Poly1305.processMultipleBlocks(Poly1305, byte[], int, int, long[], long[]); null when unavailable. */
    private static final MethodHandle POLY_BLOCKS;
    /** new Poly1305() and its engineInit(Key, AlgorithmParameterSpec): once per thread. */
    private static final MethodHandle POLY_NEW, POLY_INIT;
    /** The accumulator and r elements of a Poly1305, and IntegerModuloP.getLimbs(). */
    private static final MethodHandle POLY_A, POLY_R, GET_LIMBS;
    static final String UNAVAILABLE_REASON;

    static {
        MethodHandle block = null, blocks = null, polyNew = null, polyInit = null, polyA = null, polyR = null, limbs = null;
        String why = null;
        try {
            Class<?> chacha = Class.forName("com.sun.crypto.provider.ChaCha20Cipher");
            block = MethodHandles.privateLookupIn(chacha, MethodHandles.lookup()).findStatic(chacha, "implChaCha20Block",
                    MethodType.methodType(int.class, int[].class, byte[].class));
            Class<?> poly = Class.forName("com.sun.crypto.provider.Poly1305");
            MethodHandles.Lookup lookup = MethodHandles.privateLookupIn(poly, MethodHandles.lookup());
            blocks = lookup.findVirtual(poly, "processMultipleBlocks",
                    MethodType.methodType(void.class, byte[].class, int.class, int.class, long[].class, long[].class));
            blocks = blocks.asType(blocks.type().changeParameterType(0, Object.class));   // the receiver held as Object
            polyNew = lookup.findConstructor(poly, MethodType.methodType(void.class));
            polyInit = lookup.findVirtual(poly, "engineInit", MethodType.methodType(void.class, Key.class, AlgorithmParameterSpec.class));
            Class<?> element = Class.forName("sun.security.util.math.IntegerModuloP");
            Field a = poly.getDeclaredField("a"), r = poly.getDeclaredField("r");
            polyA = lookup.unreflectGetter(a);
            polyR = lookup.unreflectGetter(r);
            limbs = lookup.findVirtual(element, "getLimbs", MethodType.methodType(long[].class));
        } catch (Throwable t) {
            why = t.getClass().getSimpleName() + ": " + t.getMessage();
        }
        boolean ok = why == null;
        CHACHA_BLOCK = ok ? block : null;
        POLY_BLOCKS = ok ? blocks : null;
        POLY_NEW = ok ? polyNew : null;
        POLY_INIT = ok ? polyInit : null;
        POLY_A = ok ? polyA : null;
        POLY_R = ok ? polyR : null;
        GET_LIMBS = ok ? limbs : null;
        if (ok) why = selfTest();
        UNAVAILABLE_REASON = why;
    }

    /** The key as the ChaCha20 state's words 4–11. */
    private final int[] keyWords = new int[8];

    /** What one packet needs while it is sealed or opened: per thread, not per SA (see AesGcm.Work). */
    private static final class Work {
        final int[] state = new int[16];
        final byte[] keystream = new byte[KEYSTREAM_MAX];
        final byte[] scratch = new byte[2 * BLOCK];   // a zero-padded last block and the length block
        final byte[] tag = new byte[TAG];
        final Object poly;
        /** The Poly1305 instance's own accumulator and r limbs (5 × 26 bits), rewritten per packet. */
        final long[] a, r;
        long s0, s1;                                 // the key's s half, little-endian

        Work() {
            try {
                poly = POLY_NEW.invoke();
                byte[] any = new byte[KEY];
                Arrays.fill(any, (byte) 1);   // engineInit refuses a zero r or s; the real r is written per packet
                POLY_INIT.invoke(poly, new SecretKeySpec(any, "ChaCha20"), null);
                a = (long[]) GET_LIMBS.invoke(POLY_A.invoke(poly));
                r = (long[]) GET_LIMBS.invoke(POLY_R.invoke(poly));
            } catch (Throwable t) {
                throw new IllegalStateException("Poly1305 unavailable", t);
            }
            if (a.length != 5 || r.length != 5) throw new IllegalStateException("Poly1305 limbs: " + a.length + ", " + r.length);
        }
    }

    static boolean available() { return UNAVAILABLE_REASON == null; }

    ChaCha20Poly1305(byte[] key, int keyOff) {
        if (!available()) throw new IllegalStateException("ChaCha20-Poly1305 intrinsic path unavailable: " + UNAVAILABLE_REASON);
        Objects.checkFromIndexSize(keyOff, KEY, key.length);
        for (int i = 0; i < 8; i++) keyWords[i] = (int) LE_INT.get(key, keyOff + 4 * i);
    }

    @Override
    public void seal(byte[] nonce, byte[] aad, int aadOff, int aadLen, byte[] buf, int off, int len) {
        Objects.checkFromIndexSize(off, len + TAG, buf.length);
        Objects.checkFromIndexSize(aadOff, aadLen, aad.length);
        Work w = WORK.get();
        int ks = start(w, nonce);
        crypt(w, buf, off, len, ks);
        mac(w, aad, aadOff, aadLen, buf, off, len);
        System.arraycopy(w.tag, 0, buf, off + len, TAG);
    }

    @Override
    public boolean open(byte[] nonce, byte[] aad, int aadOff, int aadLen, byte[] buf, int off, int len) {
        Objects.checkFromIndexSize(off, len + TAG, buf.length);
        Objects.checkFromIndexSize(aadOff, aadLen, aad.length);
        Work w = WORK.get();
        int ks = start(w, nonce);
        mac(w, aad, aadOff, aadLen, buf, off, len);
        if (!KeyedAead.tagMatches(w.tag, buf, off + len)) return false;
        crypt(w, buf, off, len, ks);
        return true;
    }

    /**
     * Sets up the state for this nonce, takes the Poly1305 key from block 0 and returns how many keystream bytes
     * the first call produced (blocks 1… of that call encrypt the start of the payload).
     */
    private int start(Work w, byte[] nonce) {
        int[] st = w.state;
        st[0] = 0x61707865; st[1] = 0x3320646e; st[2] = 0x79622d32; st[3] = 0x6b206574;
        System.arraycopy(keyWords, 0, st, 4, 8);
        st[12] = 0;
        st[13] = (int) LE_INT.get(nonce, 0);
        st[14] = (int) LE_INT.get(nonce, 4);
        st[15] = (int) LE_INT.get(nonce, 8);
        int n = block(w);
        byte[] k = w.keystream;
        // r, clamped (RFC 8439 §2.5.1), as the five 26-bit limbs the Poly1305 element uses
        long t0 = (int) LE_INT.get(k, 0) & 0x0fffffffL, t1 = (int) LE_INT.get(k, 4) & 0x0ffffffcL;
        long t2 = (int) LE_INT.get(k, 8) & 0x0ffffffcL, t3 = (int) LE_INT.get(k, 12) & 0x0ffffffcL;
        long[] r = w.r;
        r[0] = t0 & LIMB_MASK;
        r[1] = ((t0 >>> 26) | (t1 << 6)) & LIMB_MASK;
        r[2] = ((t1 >>> 20) | (t2 << 12)) & LIMB_MASK;
        r[3] = ((t2 >>> 14) | (t3 << 18)) & LIMB_MASK;
        r[4] = t3 >>> 8;
        w.s0 = (long) LE_LONG.get(k, 16);
        w.s1 = (long) LE_LONG.get(k, 24);
        Arrays.fill(w.a, 0);
        return n;
    }

    /** XORs the keystream from block 1 on over {@code buf[off, +len)}; {@code have} bytes of it are in keystream. */
    private static void crypt(Work w, byte[] buf, int off, int len, int have) {
        int n = Math.min(len, have - 64);
        KeyedAead.xor(w.keystream, 64, buf, off, n);
        int counter = have / 64;
        for (off += n, len -= n; len > 0; off += n, len -= n) {
            w.state[12] = counter;
            have = block(w);
            n = Math.min(len, have);
            KeyedAead.xor(w.keystream, 0, buf, off, n);
            counter += have / 64;
        }
    }

    /** Poly1305 over AAD ‖ pad16 ‖ ciphertext ‖ pad16 ‖ le64(aadLen) ‖ le64(len), into w.tag. */
    private static void mac(Work w, byte[] aad, int aadOff, int aadLen, byte[] ct, int off, int len) {
        byte[] sc = w.scratch;
        int full = aadLen & ~(BLOCK - 1);
        if (full > 0) poly(w, aad, aadOff, full);
        if (full < aadLen) {
            Arrays.fill(sc, 0, BLOCK, (byte) 0);
            System.arraycopy(aad, aadOff + full, sc, 0, aadLen - full);
            poly(w, sc, 0, BLOCK);
        }
        full = len & ~(BLOCK - 1);
        if (full > 0) poly(w, ct, off, full);
        int at = 0;
        if (full < len) {
            Arrays.fill(sc, 0, BLOCK, (byte) 0);
            System.arraycopy(ct, off + full, sc, 0, len - full);
            at = BLOCK;
        }
        LE_LONG.set(sc, at, (long) aadLen);
        LE_LONG.set(sc, at + 8, (long) len);
        poly(w, sc, 0, at + BLOCK);
        finish(w);
    }

    private static void poly(Work w, byte[] data, int off, int len) {
        // The stub does no bounds checks of its own.
        Objects.checkFromIndexSize(off, len, data.length);
        try {
            POLY_BLOCKS.invokeExact(w.poly, data, off, len, w.a, w.r);
        } catch (Throwable t) {
            throw new IllegalStateException("Poly1305.processMultipleBlocks failed: " + t, t);
        }
    }

    private static int block(Work w) {
        try {
            return (int) CHACHA_BLOCK.invokeExact(w.state, w.keystream);
        } catch (Throwable t) {
            throw new IllegalStateException("ChaCha20 block failed", t);
        }
    }

    /** tag = (a mod 2^130−5 + s) mod 2^128. The limbs may hold more than 26 bits each: carry until they do not. */
    private static void finish(Work w) {
        long[] a = w.a;
        long h0 = a[0], h1 = a[1], h2 = a[2], h3 = a[3], h4 = a[4], c;
        // Each round leaves every limb in [0, 2^26) except h0, which takes 5 × the carry out of h4 (2^130 ≡ 5); that
        // carry shrinks by 2^26 per round, so a round without it (at most the third) leaves all limbs in range.
        do {
            c = h0 >> LIMB_BITS; h0 &= LIMB_MASK; h1 += c;
            c = h1 >> LIMB_BITS; h1 &= LIMB_MASK; h2 += c;
            c = h2 >> LIMB_BITS; h2 &= LIMB_MASK; h3 += c;
            c = h3 >> LIMB_BITS; h3 &= LIMB_MASK; h4 += c;
            c = h4 >> LIMB_BITS; h4 &= LIMB_MASK; h0 += c * 5;
        } while (c != 0);
        // 0 ≤ h < 2^130; subtract p = 2^130 − 5 if h ≥ p
        long g0 = h0 + 5; c = g0 >> LIMB_BITS; g0 &= LIMB_MASK;
        long g1 = h1 + c; c = g1 >> LIMB_BITS; g1 &= LIMB_MASK;
        long g2 = h2 + c; c = g2 >> LIMB_BITS; g2 &= LIMB_MASK;
        long g3 = h3 + c; c = g3 >> LIMB_BITS; g3 &= LIMB_MASK;
        long g4 = h4 + c - (1L << LIMB_BITS);
        if (g4 >= 0) { h0 = g0; h1 = g1; h2 = g2; h3 = g3; h4 = g4; }
        long lo = h0 | (h1 << 26) | (h2 << 52);
        long hi = (h2 >>> 12) | (h3 << 14) | (h4 << 40);
        long sumLo = lo + w.s0;
        long sumHi = hi + w.s1 + (Long.compareUnsigned(sumLo, lo) < 0 ? 1 : 0);
        LE_LONG.set(w.tag, 0, sumLo);
        LE_LONG.set(w.tag, 8, sumHi);
    }

    /**
     * Known answers before the class is trusted: RFC 8439 §2.8.2 (sealed and opened, a tampered tag refused with
     * the buffer intact) and payloads of 0–1,600 bytes with ESP's AAD sizes against SunJCE (more than one
     * keystream call). Returns null if all pass, else what failed.
     */
    private static String selfTest() {
        try {
            byte[] key = Bytes.fromHex("808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9f");
            byte[] nonce = Bytes.fromHex("070000004041424344454647");
            byte[] aad = Bytes.fromHex("50515253c0c1c2c3c4c5c6c7");
            byte[] pt = ("Ladies and Gentlemen of the class of '99: If I could offer you only one tip for the future, "
                    + "sunscreen would be it.").getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            byte[] ct = Bytes.fromHex("d31a8d34648e60db7b86afbc53ef7ec2a4aded51296e08fea9e2b5a736ee62d63dbea45e8ca9671282fafb69da92728b"
                    + "1a71de0a9e060b2905d6a5b67ecd3b3692ddbd7f2d778b8c9803aee328091b58fab324e4fad675945585808b4831d7bc"
                    + "3ff4def08e4b7a9de576d26586cec64b6116");
            byte[] tag = Bytes.fromHex("1ae10b594f09e26a7e902ecbd0600691");
            ChaCha20Poly1305 c = new ChaCha20Poly1305(key, 0);
            byte[] buf = Arrays.copyOf(pt, pt.length + TAG);
            c.seal(nonce, aad, 0, aad.length, buf, 0, pt.length);
            if (!Arrays.equals(buf, 0, pt.length, ct, 0, ct.length) || !Arrays.equals(buf, pt.length, buf.length, tag, 0, TAG))
                return "self-test: RFC 8439 2.8.2 seal mismatch";
            byte[] forged = buf.clone();
            forged[3] ^= 1;
            byte[] copy = forged.clone();
            if (c.open(nonce, aad, 0, aad.length, forged, 0, pt.length) || !Arrays.equals(forged, copy))
                return "self-test: a tampered packet was accepted or changed";
            if (!c.open(nonce, aad, 0, aad.length, buf, 0, pt.length) || !Arrays.equals(buf, 0, pt.length, pt, 0, pt.length))
                return "self-test: RFC 8439 2.8.2 did not open";

            Cipher jce = Cipher.getInstance("ChaCha20-Poly1305", "SunJCE");
            for (int len : new int[] {0, 1, 15, 16, 17, 63, 64, 65, 1000, 1600}) {
                byte[] p = new byte[len];
                for (int i = 0; i < len; i++) p[i] = (byte) (i * 7 + len);
                byte[] ad = Arrays.copyOf(aad, len % 2 == 0 ? 8 : 12);
                nonce[0] = (byte) len;
                jce.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "ChaCha20"), new IvParameterSpec(nonce));
                jce.updateAAD(ad);
                byte[] expected = jce.doFinal(p);
                byte[] b = Arrays.copyOf(p, len + TAG);
                c.seal(nonce, ad, 0, ad.length, b, 0, len);
                if (!Arrays.equals(b, expected)) return "self-test: " + len + " bytes differ from SunJCE";
                if (!c.open(nonce, ad, 0, ad.length, b, 0, len) || !Arrays.equals(b, 0, len, p, 0, len))
                    return "self-test: " + len + " bytes did not open";
            }
            return null;
        } catch (Throwable t) {
            return "self-test failed: " + t;
        }
    }
}
