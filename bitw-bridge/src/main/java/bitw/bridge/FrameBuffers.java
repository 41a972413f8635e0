// Frame buffer geometry: frames are received at HEADROOM so outer headers (Ethernet, VLAN, IPv6, UDP, ESP
// header and IV) can be prepended in place, with TAILROOM after the largest frame for the ESP trailer.
package bitw.bridge;

public final class FrameBuffers {
    public static final int HEADROOM = 160;
    public static final int MAX_FRAME = 65536;
    public static final int TAILROOM = 512;
    public static final int CAPACITY = HEADROOM + MAX_FRAME + TAILROOM;

    private FrameBuffers() {}

    public static byte[] allocate() { return new byte[CAPACITY]; }
}
