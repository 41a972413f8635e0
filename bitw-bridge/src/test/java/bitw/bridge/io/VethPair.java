// Test fixture: a veth pair in the JVM's own (root) namespace, where PcapPort opens interfaces. Names are unique per
// JVM (bt<pid>a<n>/bt<pid>b<n>) and the pair is deleted on close, also when a test fails.
package bitw.bridge.io;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

final class VethPair implements AutoCloseable {
    private static final AtomicInteger NEXT = new AtomicInteger();

    final String a, b;
    private final AtomicBoolean deleted = new AtomicBoolean();

    private VethPair(String a, String b) { this.a = a; this.b = b; }

    /** A pair with both ends prepared as bridge ports (up, no addresses, IPv6 off, ARP off, offloads off). */
    static VethPair createPrepared() throws Exception {
        VethPair pair = createDown();
        try {
            HostInterfaceSetup setup = new HostInterfaceSetup();
            setup.preparePort(pair.a);
            setup.preparePort(pair.b);
            return pair;
        } catch (Exception e) {
            pair.close();
            throw e;
        }
    }

    /** A pair left down and unconfigured. */
    static VethPair createDown() throws Exception {
        int n = NEXT.getAndIncrement();
        String base = "bt" + ProcessHandle.current().pid();
        VethPair pair = new VethPair(base + "a" + n, base + "b" + n);
        HostInterfaceSetup.run("ip", "link", "add", pair.a, "type", "veth", "peer", "name", pair.b);
        return pair;
    }

    @Override
    public void close() {
        if (deleted.getAndSet(true)) return;
        try {
            HostInterfaceSetup.run("ip", "link", "del", a);   // deletes both ends
        } catch (Exception e) {
            System.err.println("could not delete veth " + a + ": " + e.getMessage());
        }
    }
}
