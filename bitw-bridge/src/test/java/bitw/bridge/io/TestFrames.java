// Test frames for the port tests: Ethernet frames with a local experimental EtherType (0x88B5), a magic, a sender id
// and a sequence number, and a payload derived from both, so a receiver can check every byte without a copy of the
// frame. Building and checking allocate nothing (the allocation test relies on that).
package bitw.bridge.io;

final class TestFrames {
    static final int MIN = 60, MAX = 1514;
    private static final int ETHERTYPE = 0x88B5, MAGIC = 0x42545731;   // "BTW1"
    private static final int HEADER = 14 + 4 + 4 + 2;

    private TestFrames() {}

    /** A frame length in 60..1514 that varies with the sequence number. */
    static int lengthFor(int seq) { return MIN + (int) ((seq * 7919L) % (MAX - MIN + 1)); }

    /** Writes test frame (sender, seq) of {@code len} bytes into {@code buf[0..len)}. */
    static void build(byte[] buf, int sender, int seq, int len) {
        for (int i = 0; i < 6; i++) { buf[i] = (byte) (i == 0 ? 0x02 : i == 5 ? 0x0b : 0); buf[6 + i] = (byte) (i == 0 ? 0x02 : i == 5 ? 0x0a : 0); }
        buf[12] = (byte) (ETHERTYPE >>> 8); buf[13] = (byte) ETHERTYPE;
        putInt(buf, 14, MAGIC);
        putInt(buf, 18, seq);
        buf[22] = (byte) (sender >>> 8); buf[23] = (byte) sender;
        for (int i = HEADER; i < len; i++) buf[i] = payloadByte(sender, seq, i);
    }

    static boolean isTestFrame(byte[] buf, int len) {
        return len >= HEADER && (buf[12] & 0xff) == ETHERTYPE >>> 8 && (buf[13] & 0xff) == (ETHERTYPE & 0xff)
                && getInt(buf, 14) == MAGIC;
    }

    static int seq(byte[] buf) { return getInt(buf, 18); }

    static int sender(byte[] buf) { return ((buf[22] & 0xff) << 8) | (buf[23] & 0xff); }

    /** True if every byte of buf[0..len) is what {@link #build} writes for the frame's own sender and sequence
     *  number (the length itself is the caller's to check). */
    static boolean intact(byte[] buf, int len) {
        if (!isTestFrame(buf, len)) return false;
        int sender = sender(buf), seq = seq(buf);
        for (int i = 0; i < 12; i++) if (buf[i] != (byte) (i % 6 == 0 ? 0x02 : i == 5 ? 0x0b : i == 11 ? 0x0a : 0)) return false;
        for (int i = HEADER; i < len; i++) if (buf[i] != payloadByte(sender, seq, i)) return false;
        return true;
    }

    private static byte payloadByte(int sender, int seq, int i) { return (byte) (seq * 31 + sender * 17 + i); }

    private static void putInt(byte[] b, int off, int v) {
        b[off] = (byte) (v >>> 24); b[off + 1] = (byte) (v >>> 16); b[off + 2] = (byte) (v >>> 8); b[off + 3] = (byte) v;
    }

    private static int getInt(byte[] b, int off) {
        return ((b[off] & 0xff) << 24) | ((b[off + 1] & 0xff) << 16) | ((b[off + 2] & 0xff) << 8) | (b[off + 3] & 0xff);
    }
}
