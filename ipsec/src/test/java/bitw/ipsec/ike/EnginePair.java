// Test wiring: two IKE engines back to back in memory. Datagrams go through a queue that can lose, duplicate or
// reorder them, and an optional NAT in front of engine A that rewrites A's address and ports. The clock is
// injectable; SA installs/removals and events are recorded per side in order.
package bitw.ipsec.ike;

import bitw.ipsec.packet.IpAddress;
import bitw.ipsec.sad.SaParameters;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Predicate;

final class EnginePair {
    static final IpAddress A_ADDR = IpAddress.parse("192.0.2.1"), B_ADDR = IpAddress.parse("198.51.100.2");
    static final IpAddress NAT_PUBLIC = IpAddress.parse("203.0.113.5");

    /** What one engine did, in order. */
    static final class Side implements IkeOutput {
        final String name;
        final List<String> log = new ArrayList<>();
        /** The same with the time of each, and the IKE header (SPIs, exchange, flags, message ID, length) of each
         *  datagram sent: everything that is deterministic for a seed (key exchange values and IVs are not). */
        final List<String> timeline = new ArrayList<>();
        final List<IkeEvent> events = new ArrayList<>();
        final List<SaParameters[]> installed = new ArrayList<>();
        final List<SaParameters[]> removed = new ArrayList<>();
        final Map<Integer, SaParameters[]> live = new HashMap<>();
        final List<Datagram> sent = new ArrayList<>();
        EnginePair pair;
        IkeEngine engine;

        Side(String name) { this.name = name; }

        @Override public void send(Datagram d) {
            sent.add(d);
            timeline.add(pair.now + " send " + d.local() + " -> " + d.remote() + " "
                    + java.util.HexFormat.of().formatHex(d.data(), 0, Math.min(28, d.data().length)));
            pair.transmit(this, d);
        }

        @Override public void installChildSa(String connection, SaParameters in, SaParameters out) {
            installed.add(new SaParameters[] {in, out});
            live.put(in.spi(), new SaParameters[] {in, out});
            log.add("install " + Integer.toHexString(in.spi()));
            timeline.add(pair.now + " " + log.getLast());
        }

        @Override public void removeChildSa(String connection, SaParameters in, SaParameters out) {
            removed.add(new SaParameters[] {in, out});
            live.remove(in.spi());
            log.add("remove " + Integer.toHexString(in.spi()));
            timeline.add(pair.now + " " + log.getLast());
        }

        @Override public void event(IkeEvent e) {
            events.add(e);
            log.add(e.getClass().getSimpleName() + ": " + e.message());
            timeline.add(pair.now + " " + log.getLast());
        }

        <T extends IkeEvent> List<T> events(Class<T> kind) {
            List<T> out = new ArrayList<>();
            for (IkeEvent e : events) if (kind.isInstance(e)) out.add(kind.cast(e));
            return out;
        }

        boolean failedWith(IkeEvent.Failure f) {
            for (IkeEvent.Failed e : events(IkeEvent.Failed.class)) if (e.failure() == f) return true;
            return false;
        }
    }

    private record InFlight(Side from, Datagram d) {}

    final Side a = new Side("A"), b = new Side("B");
    final ArrayDeque<InFlight> wire = new ArrayDeque<>();
    final Random random;
    long now = 1_000_000_000L;
    /** Returns true for datagrams to lose. */
    Predicate<Datagram> lose = d -> false;
    double duplicate, reorder;
    boolean natInFrontOfA;
    IpAddress aAddress = A_ADDR, bAddress = B_ADDR;
    private final Map<Integer, Integer> natPorts = new HashMap<>();
    int delivered;
    /** Engines tick every IKE SA, due or not (IkeTimersTest compares with the normal due-only schedule). */
    boolean tickEverySa;

    EnginePair(long seed) {
        random = new Random(seed);
        a.pair = this;
        b.pair = this;
    }

    void start(List<IkeConnection> aConns, List<IkeConnection> bConns) {
        b.engine = new IkeEngine(bConns, b, new Random(random.nextLong()), now);
        a.engine = new IkeEngine(aConns, a, new Random(random.nextLong()), now);
        a.engine.tickEverySa = b.engine.tickEverySa = tickEverySa;
    }

    void transmit(Side from, Datagram d) {
        if (lose.test(d)) return;
        wire.add(new InFlight(from, d));
        if (random.nextDouble() < duplicate) wire.add(new InFlight(from, d));
    }

    /** Delivers queued datagrams (and whatever they cause) until the wire is empty. */
    void run() {
        int guard = 0;
        while (!wire.isEmpty()) {
            if (++guard > 100_000) throw new AssertionError("datagram storm");
            InFlight f = reorder > 0 && wire.size() > 1 && random.nextDouble() < reorder ? wire.pollLast() : wire.pollFirst();
            deliver(f);
        }
    }

    private void deliver(InFlight f) {
        Datagram d = f.d();
        Side to;
        Endpoint src = d.local(), dst = d.remote();
        if (f.from() == a) {
            to = b;
            if (natInFrontOfA) src = new Endpoint(NAT_PUBLIC, natPort(src.port()));
        } else {
            to = a;
            if (natInFrontOfA) {
                if (!dst.address().equals(NAT_PUBLIC)) return;
                Integer inside = null;
                for (var e : natPorts.entrySet()) if (e.getValue() == dst.port()) inside = e.getKey();
                if (inside == null) return;
                dst = new Endpoint(aAddress, inside);
            } else if (!dst.address().equals(aAddress)) {
                return;
            }
        }
        if (to == b && !dst.address().equals(bAddress)) return;
        delivered++;
        to.engine.receive(new Datagram(dst, src, d.data().clone()), now);
    }

    private int natPort(int inside) { return natPorts.computeIfAbsent(inside, p -> 30000 + natPorts.size() * 1111); }

    /** Advances the clock in steps, ticking both engines and delivering between steps. */
    void advance(long seconds) {
        for (long s = 0; s < seconds; s++) {
            now += 1_000_000_000L;
            a.engine.tick(now);
            b.engine.tick(now);
            run();
        }
    }
}
