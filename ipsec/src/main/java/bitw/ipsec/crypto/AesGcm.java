// AES-GCM (NIST SP 800-38D) with a 12-byte nonce and a 16-byte tag, keyed once per SA and allocation-free per
// packet. SunJCE's GCM must be re-initialised for every nonce (it refuses key+IV reuse), and that init allocates
// ~1 KB and dominates the per-packet cost; this one reuses the JDK's two intrinsics instead:
//   keystream: counter blocks J0, J0+1, … written into scratch and encrypted by an AES/ECB Cipher made once
//              (ECB takes no IV, so it is never re-initialised; SunJCE's ECB runs the AES intrinsic);
//   GHASH:     com.sun.crypto.provider.GHASH.processBlocks, the static method C2 replaces by its CLMUL stub,
//              reached once through a private lookup (needs --add-opens java.base/com.sun.crypto.provider).
// If that method is missing or the start-up self-test fails, available() is false and AeadEspTransform keeps
// SunJCE's GCM: a JDK change can cost speed, never correctness.
package bitw.ipsec.crypto;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.invoke.VarHandle;
import java.lang.reflect.Field;
import java.nio.ByteOrder;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.Objects;
import javax.crypto.Cipher;
import javax.crypto.spec.SecretKeySpec;

import bitw.ipsec.packet.Bytes;

final class AesGcm implements KeyedAead {
    private static final int BLOCK = 16;
    /** Counter blocks per ECB call: a 1500-byte frame needs one call. */
    private static final int CHUNK_BLOCKS = 96;
    /** GHASH's key table as the JDK lays it out: H in [0, 2), then 8 powers of H the intrinsic fills on first use. */
    private static final int TABLE_LONGS = 18;
    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);

    /** Declared before the static initialiser, whose self-test seals and opens. */
    private static final ThreadLocal<Work> WORK = ThreadLocal.withInitial(Work::new);

    /** GHASH.processBlocks(byte[] data, int off, int blocks, long[] state, long[] table); null when unavailable. */
    private static final MethodHandle PROCESS_BLOCKS;
    /** Why the intrinsic path is not used, or null when it is. */
    static final String UNAVAILABLE_REASON;

    static {
        MethodHandle mh = null;
        String why;
        try {
            Class<?> ghash = Class.forName("com.sun.crypto.provider.GHASH");
            MethodHandles.Lookup lookup = MethodHandles.privateLookupIn(ghash, MethodHandles.lookup());
            mh = lookup.findStatic(ghash, "processBlocks",
                    MethodType.methodType(void.class, byte[].class, int.class, int.class, long[].class, long[].class));
            // The stub writes powers of H into the table without bounds checks: only use it if the JDK's own
            // GHASH allocates exactly the table size we allocate.
            Object probe = lookup.findConstructor(ghash, MethodType.methodType(void.class, byte[].class)).invoke(new byte[BLOCK]);
            Field table = ghash.getDeclaredField("subkeyHtbl");
            table.setAccessible(true);
            int len = ((long[]) table.get(probe)).length;
            why = len != TABLE_LONGS ? "GHASH key table has " + len + " longs, expected " + TABLE_LONGS : null;
        } catch (Throwable t) {
            why = t.getClass().getSimpleName() + ": " + t.getMessage();
        }
        PROCESS_BLOCKS = why == null ? mh : null;
        if (why == null) why = selfTest();
        UNAVAILABLE_REASON = why;
    }

    private final Cipher ecb;
    /** GHASH's key table: H, then the powers the stub computes on first use; per key, so per instance. */
    private final long[] table = new long[TABLE_LONGS];

    /**
     * What one packet needs while it is sealed or opened, per thread rather than per SA: ~3 KB that would
     * otherwise be held by every SA direction (an appliance may hold very many), and a thread seals or opens
     * one packet at a time.
     */
    private static final class Work {
        final long[] state = new long[2];                        // the GHASH accumulator
        final byte[] counters = new byte[CHUNK_BLOCKS * BLOCK];
        final byte[] keystream = new byte[CHUNK_BLOCKS * BLOCK];
        final byte[] tagMask = new byte[BLOCK];                  // E(K, J0)
        final byte[] scratch = new byte[BLOCK];                  // a zero-padded last block, the length block
        final byte[] tag = new byte[BLOCK];
        long nonceHi;                                            // first 8 bytes of the packet's nonce
        int nonceLo;                                             // its last 4 bytes
    }

    /** True when the intrinsic path resolved and passed its self-test on this JVM. */
    static boolean available() { return UNAVAILABLE_REASON == null; }

    AesGcm(byte[] key, int keyOff, int keyLen) {
        if (!available()) throw new IllegalStateException("AES-GCM intrinsic path unavailable: " + UNAVAILABLE_REASON);
        try {
            ecb = Cipher.getInstance("AES/ECB/NoPadding", "SunJCE");
            ecb.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, keyOff, keyLen, "AES"));
            byte[] h = ecb.doFinal(new byte[BLOCK]);   // the hash subkey H = E(K, 0^128)
            table[0] = (long) LONG.get(h, 0);
            table[1] = (long) LONG.get(h, 8);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES/ECB unavailable", e);
        }
    }

    /**
     * Encrypts {@code buf[off, +len)} in place and writes the tag to {@code buf[off + len, +16)}. The AAD is
     * {@code aad[aadOff, +aadLen)} (ESP's is 8 or 12 bytes). One thread at a time per instance.
     */
    @Override
    public void seal(byte[] nonce, byte[] aad, int aadOff, int aadLen, byte[] buf, int off, int len) {
        Objects.checkFromIndexSize(off, len + TAG, buf.length);
        Work w = WORK.get();
        start(w, nonce, aad, aadOff, aadLen);
        int blocks = firstKeystream(w, len);
        cryptFirst(w, buf, off, len, blocks);
        ghash(w, buf, off, len, aadLen);
        finishTag(w);
        System.arraycopy(w.tag, 0, buf, off + len, TAG);
    }

    /**
     * Verifies the tag at {@code buf[off + len, +16)} over the AAD and ciphertext {@code buf[off, +len)}; only if it
     * matches decrypts in place and returns true. A forged packet leaves the buffer untouched.
     */
    @Override
    public boolean open(byte[] nonce, byte[] aad, int aadOff, int aadLen, byte[] buf, int off, int len) {
        Objects.checkFromIndexSize(off, len + TAG, buf.length);
        Work w = WORK.get();
        start(w, nonce, aad, aadOff, aadLen);
        int blocks = firstKeystream(w, len);
        ghash(w, buf, off, len, aadLen);
        finishTag(w);
        if (!KeyedAead.tagMatches(w.tag, buf, off + len)) return false;
        cryptFirst(w, buf, off, len, blocks);
        return true;
    }

    /** Loads the nonce, resets the hash and absorbs the AAD. */
    private void start(Work w, byte[] nonce, byte[] aad, int aadOff, int aadLen) {
        w.nonceHi = (long) LONG.get(nonce, 0);
        w.nonceLo = (int) INT.get(nonce, 8);
        w.state[0] = 0;
        w.state[1] = 0;
        absorbPadded(w, aad, aadOff, aadLen);
    }

    /** Keystream for counters 1 (J0, whose block masks the tag) to as many as one chunk holds; returns that count. */
    private int firstKeystream(Work w, int len) {
        int blocks = Math.min(CHUNK_BLOCKS, 1 + (len + BLOCK - 1) / BLOCK);
        keystream(w, 1, blocks);
        System.arraycopy(w.keystream, 0, w.tagMask, 0, BLOCK);
        return blocks;
    }

    /** CTR over {@code buf[off, +len)} (counters 2, 3, …), starting from the first chunk's keystream. */
    private void cryptFirst(Work w, byte[] buf, int off, int len, int blocks) {
        int n = Math.min(len, (blocks - 1) * BLOCK);
        KeyedAead.xor(w.keystream, BLOCK, buf, off, n);
        int counter = 1 + blocks;
        for (off += n, len -= n; len > 0; off += n, len -= n) {
            blocks = Math.min(CHUNK_BLOCKS, (len + BLOCK - 1) / BLOCK);
            keystream(w, counter, blocks);
            n = Math.min(len, blocks * BLOCK);
            KeyedAead.xor(w.keystream, 0, buf, off, n);
            counter += blocks;
        }
    }

    /** keystream[0, blocks·16) = E(K, nonce ‖ counter), E(K, nonce ‖ counter+1), … */
    private void keystream(Work w, int counter, int blocks) {
        byte[] c = w.counters;
        long hi = w.nonceHi;
        int lo = w.nonceLo;
        for (int i = 0, at = 0; i < blocks; i++, at += BLOCK) {
            LONG.set(c, at, hi);
            INT.set(c, at + 8, lo);
            INT.set(c, at + 12, counter + i);   // inc32: wraps modulo 2^32 like the standard's
        }
        try {
            ecb.update(c, 0, blocks * BLOCK, w.keystream, 0);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES/ECB on whole blocks failed", e);
        }
    }

    /** Absorbs the ciphertext, zero-padded, then the length block [len(A)·8, len(C)·8]. */
    private void ghash(Work w, byte[] buf, int off, int len, int aadLen) {
        absorbPadded(w, buf, off, len);
        LONG.set(w.scratch, 0, aadLen * 8L);
        LONG.set(w.scratch, 8, len * 8L);
        processBlocks(w, w.scratch, 0, 1);
    }

    /** Absorbs {@code b[off, +len)}: whole blocks where they lie, the rest zero-padded in scratch. */
    private void absorbPadded(Work w, byte[] b, int off, int len) {
        int full = len / BLOCK * BLOCK;
        if (full > 0) processBlocks(w, b, off, full / BLOCK);
        if (full < len) {
            Arrays.fill(w.scratch, 0, BLOCK, (byte) 0);
            System.arraycopy(b, off + full, w.scratch, 0, len - full);
            processBlocks(w, w.scratch, 0, 1);
        }
    }

    private static void finishTag(Work w) {
        LONG.set(w.tag, 0, w.state[0] ^ (long) LONG.get(w.tagMask, 0));
        LONG.set(w.tag, 8, w.state[1] ^ (long) LONG.get(w.tagMask, 8));
    }

    private void processBlocks(Work w, byte[] data, int off, int blocks) {
        // The intrinsic does no bounds checks of its own: every caller passes a checked range, and this re-checks.
        Objects.checkFromIndexSize(off, blocks * BLOCK, data.length);
        try {
            PROCESS_BLOCKS.invokeExact(data, off, blocks, w.state, table);
        } catch (Throwable t) {
            throw new IllegalStateException("GHASH.processBlocks failed", t);
        }
    }

    /**
     * Known answers through this class before it is trusted: test cases 3 and 4 of McGrew and Viega, "The
     * Galois/Counter Mode of Operation" (AES-128, 96-bit IV; case 4 has a 20-byte AAD and a partial last block),
     * sealed and opened; a tampered tag refused with the buffer left intact; and 1,600 bytes (more than one
     * keystream chunk) with an ESP-sized AAD against SunJCE. Returns null if all pass, else what failed.
     */
    private static String selfTest() {
        try {
            byte[] key = Bytes.fromHex("feffe9928665731c6d6a8f9467308308");
            byte[] nonce = Bytes.fromHex("cafebabefacedbaddecaf888");
            byte[] pt = Bytes.fromHex("d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a721c3c0c95956809532fcf0e2449a6b525"
                    + "b16aedf5aa0de657ba637b391aafd255");
            byte[] ct = Bytes.fromHex("42831ec2217774244b7221b784d0d49ce3aa212f2c02a4e035c17e2329aca12e21d514b25466931c7d8f6a5aac84aa05"
                    + "1ba30b396a0aac973d58e091473f5985");
            byte[] aad4 = Bytes.fromHex("feedfacedeadbeeffeedfacedeadbeefabaddad2");
            AesGcm g = new AesGcm(key, 0, 16);
            String r = knownAnswer(g, nonce, new byte[0], pt, ct, Bytes.fromHex("4d5c2af327cd64a62cf35abd2ba6fab4"), "case 3");
            if (r == null) r = knownAnswer(g, nonce, aad4, Arrays.copyOf(pt, 60), Arrays.copyOf(ct, 60),
                    Bytes.fromHex("5bc94fbc3221a5db94fae95ae7121a47"), "case 4");
            if (r != null) return r;

            byte[] big = new byte[1600];
            for (int i = 0; i < big.length; i++) big[i] = (byte) (i * 7 + 3);
            byte[] aad = Arrays.copyOf(aad4, 12);
            Cipher jce = Cipher.getInstance("AES/GCM/NoPadding", "SunJCE");
            jce.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new javax.crypto.spec.GCMParameterSpec(128, nonce));
            jce.updateAAD(aad);
            byte[] expected = jce.doFinal(big);
            byte[] buf = Arrays.copyOf(big, big.length + TAG);
            g.seal(nonce, aad, 0, aad.length, buf, 0, big.length);
            if (!Arrays.equals(buf, expected)) return "self-test: 1600 bytes differ from SunJCE";
            if (!g.open(nonce, aad, 0, aad.length, buf, 0, big.length) || !Arrays.equals(Arrays.copyOf(buf, big.length), big))
                return "self-test: 1600 bytes did not open";
            return null;
        } catch (Throwable t) {
            return "self-test failed: " + t;
        }
    }

    private static String knownAnswer(AesGcm g, byte[] nonce, byte[] aad, byte[] pt, byte[] ct, byte[] tag, String name) {
        byte[] buf = Arrays.copyOf(pt, pt.length + TAG);
        g.seal(nonce, aad, 0, aad.length, buf, 0, pt.length);
        if (!Arrays.equals(Arrays.copyOf(buf, pt.length), ct) || !Arrays.equals(Arrays.copyOfRange(buf, pt.length, buf.length), tag))
            return "self-test: " + name + " seal mismatch";
        byte[] sealed = buf.clone();
        sealed[pt.length + 5] ^= 1;
        byte[] forged = sealed.clone();
        if (g.open(nonce, aad, 0, aad.length, forged, 0, pt.length) || !Arrays.equals(forged, sealed))
            return "self-test: " + name + " tampered tag accepted or buffer changed";
        if (!g.open(nonce, aad, 0, aad.length, buf, 0, pt.length) || !Arrays.equals(Arrays.copyOf(buf, pt.length), pt))
            return "self-test: " + name + " did not open";
        return null;
    }
}
