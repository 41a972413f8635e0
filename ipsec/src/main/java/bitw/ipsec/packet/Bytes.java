// Big-endian reads and writes on byte arrays: the one place the data path touches raw header fields.
package bitw.ipsec.packet;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

public final class Bytes {
    private static final VarHandle U16 = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle U32 = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle U64 = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

    private Bytes() {}

    public static int u8(byte[] b, int off) { return b[off] & 0xff; }
    public static int u16(byte[] b, int off) { return ((short) U16.get(b, off)) & 0xffff; }
    public static int i32(byte[] b, int off) { return (int) U32.get(b, off); }
    public static long u32(byte[] b, int off) { return ((int) U32.get(b, off)) & 0xffffffffL; }
    public static long i64(byte[] b, int off) { return (long) U64.get(b, off); }

    public static void put8(byte[] b, int off, int v) { b[off] = (byte) v; }
    public static void put16(byte[] b, int off, int v) { U16.set(b, off, (short) v); }
    public static void put32(byte[] b, int off, int v) { U32.set(b, off, v); }
    public static void put64(byte[] b, int off, long v) { U64.set(b, off, v); }

    public static String hex(byte[] b, int off, int len) {
        StringBuilder sb = new StringBuilder(len * 2);
        for (int i = 0; i < len; i++) sb.append(Character.forDigit((b[off + i] >> 4) & 0xf, 16)).append(Character.forDigit(b[off + i] & 0xf, 16));
        return sb.toString();
    }

    public static String hex(byte[] b) { return hex(b, 0, b.length); }

    /** Parses hex with optional "0x" prefix and ':' separators; throws IllegalArgumentException on bad input. */
    public static byte[] fromHex(String s) {
        String t = s.startsWith("0x") || s.startsWith("0X") ? s.substring(2) : s;
        t = t.replace(":", "");
        if (t.length() % 2 != 0) throw new IllegalArgumentException("odd number of hex digits");
        byte[] out = new byte[t.length() / 2];
        for (int i = 0; i < out.length; i++) {
            int hi = Character.digit(t.charAt(2 * i), 16), lo = Character.digit(t.charAt(2 * i + 1), 16);
            if (hi < 0 || lo < 0) throw new IllegalArgumentException("not a hex digit in '" + s + "'");
            out[i] = (byte) (hi << 4 | lo);
        }
        return out;
    }
}
