// Test helper: places an ESP packet or payload in a frame-sized buffer at a non-zero offset, as the data path does.
package bitw.ipsec.crypto;

import java.util.Arrays;

final class EspPacket {
    static final int OFF = 34; // e.g. Ethernet + outer IPv4 header in front of ESP

    private EspPacket() {}

    /** A buffer holding {@code payload} where seal() expects it, with room for the trailer. */
    static byte[] forSeal(EspTransform t, byte[] payload) {
        byte[] buf = new byte[OFF + 8 + t.ivLength() + payload.length + t.maxTrailerLength() + 16];
        System.arraycopy(payload, 0, buf, OFF + 8 + t.ivLength(), payload.length);
        return buf;
    }

    static byte[] sealed(EspTransform t, byte[] payload, int nextHeader, int spi, long seq, boolean esn) {
        byte[] buf = forSeal(t, payload);
        int len = t.seal(buf, OFF, payload.length, nextHeader, spi, seq, esn);
        return Arrays.copyOfRange(buf, OFF, OFF + len);
    }

    /** A buffer holding the wire ESP packet at OFF. */
    static byte[] forOpen(byte[] esp) {
        byte[] buf = new byte[OFF + esp.length + 7];
        System.arraycopy(esp, 0, buf, OFF, esp.length);
        return buf;
    }

    /** Opens {@code esp}; returns the payload, or null if open() reported an error (the code in {@code code[0]}). */
    static byte[] opened(EspTransform t, byte[] esp, long seq, boolean esn, int[] code) {
        byte[] buf = forOpen(esp);
        int r = t.open(buf, OFF, esp.length, seq, esn);
        if (code != null) code[0] = r;
        if (r < 0) return null;
        int start = OFF + 8 + t.ivLength();
        return Arrays.copyOfRange(buf, start, start + r);
    }
}
