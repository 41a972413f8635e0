// Frames and bytes through one port, per direction. rx is written by the port's reader thread only; tx by
// several senders, so tx uses atomic adds (a contended cache line only on the rare TAP/control sends).
package bitw.bridge;

import java.util.concurrent.atomic.AtomicLong;

public final class PortCounters {
    public final String port;
    private long rxFrames, rxBytes;
    private final AtomicLong txFrames = new AtomicLong(), txBytes = new AtomicLong(), txFailed = new AtomicLong();

    public PortCounters(String port) { this.port = port; }

    public void received(int len) { rxFrames++; rxBytes += len; }

    public void sent(int len) { txFrames.incrementAndGet(); txBytes.addAndGet(len); }

    public void sendFailed() { txFailed.incrementAndGet(); }

    public long rxFrames() { return rxFrames; }
    public long rxBytes() { return rxBytes; }
    public long txFrames() { return txFrames.get(); }
    public long txBytes() { return txBytes.get(); }
    public long txFailed() { return txFailed.get(); }

    public void clear() { rxFrames = 0; rxBytes = 0; txFrames.set(0); txBytes.set(0); txFailed.set(0); }
}
