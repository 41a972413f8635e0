// Test-only IV source: replays the IV a published vector was computed with. Production never uses it.
package bitw.ipsec.crypto;

final class FixedIv implements IvSource {
    private final byte[] iv;

    FixedIv(byte[] iv) { this.iv = iv.clone(); }

    @Override
    public void write(long seq, byte[] dst, int off, int len) {
        if (len != iv.length) throw new IllegalArgumentException("vector IV has " + iv.length + " bytes, transform wants " + len);
        System.arraycopy(iv, 0, dst, off, len);
    }
}
