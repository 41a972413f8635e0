// A port the data plane reads and writes raw Ethernet frames on: a NIC (libpcap), the TAP to the kernel
// stack, or an in-memory port in tests.
package bitw.bridge;

public interface FramePort extends AutoCloseable {
    /** Copies the next frame to buf[off..]; returns its length, 0 if none arrived within the poll interval, -1 once closed. */
    int receive(byte[] buf, int off, int maxLen);

    /** Sends one frame; false if the port refused it. Safe to call from several threads. */
    boolean send(byte[] buf, int off, int len);

    /** Makes a blocked receive return promptly (it then returns -1). */
    void breakLoop();

    /**
     * Makes a receive waiting for frames return 0 promptly, so its reader runs its periodic work now rather than
     * at the end of the poll interval (held frames whose SA just arrived). Safe from any thread; may be a no-op.
     */
    default void wake() {}

    String name();

    @Override void close();
}
