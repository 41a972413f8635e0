// Microbenchmark (a main(), not a test): lookups per second of SecurityPolicyDatabase next to the plain linear
// first-match scan, on realistic SPDs of 100, 1,000 and 10,000 entries, plus two adversarial 10,000-entry SPDs: a
// tiny address universe with every prefix length and both families (matches come early), and random IPv4 prefixes
// of 625 different length pairs (matches come late: the worst case for tuple-space search). Run: mvn -o -pl ipsec test-compile, then
// java -cp ipsec/target/classes:ipsec/target/test-classes bitw.ipsec.spd.SpdLookupBenchmark [seconds-per-figure]
package bitw.ipsec.spd;

import java.util.List;
import java.util.Random;

public final class SpdLookupBenchmark {
    private static long sink;

    public static void main(String[] args) {
        double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 0.6;
        System.out.printf("%-26s %8s %16s %16s %8s%n", "SPD", "groups", "tuple-space/s", "linear/s", "speedup");
        for (int n : new int[] {100, 1_000, 10_000}) {
            Random r = new Random(n);
            List<PolicyEntry> entries = RandomPolicies.realistic(r, n);
            run("realistic " + n, entries, RandomPolicies.realisticPackets(r, entries, 1 << 13), seconds);
        }
        Random r = new Random(99);
        List<PolicyEntry> adversarial = RandomPolicies.adversarial(r, 10_000, 0);
        run("adversarial 10000", adversarial, RandomPolicies.adversarialPackets(r, adversarial, 1 << 13), seconds);
        List<PolicyEntry> scattered = RandomPolicies.everyLengthPair(r, 10_000);
        run("every length pair 10000", scattered, RandomPolicies.realisticPackets(r, scattered, 1 << 13), seconds);
        if (sink == 42) System.out.println();
    }

    private static void run(String label, List<PolicyEntry> entries, RandomPolicies.Packets packets, double seconds) {
        SecurityPolicyDatabase spd = new SecurityPolicyDatabase(entries);
        double fast = rate(() -> tupleSpace(spd, packets), seconds);
        double slow = rate(() -> linear(entries, packets), seconds);
        System.out.printf("%-26s %8d %16.0f %16.0f %7.1fx%n", label, spd.groupCount(), fast, slow, fast / slow);
    }

    /** Runs batches (each one pass over the packets) for a warm-up period, then measures for {@code seconds}. */
    private static double rate(Runnable batch, double seconds) {
        long warmEnd = System.nanoTime() + (long) (seconds * 0.5e9);
        while (System.nanoTime() < warmEnd) batch.run();
        long start = System.nanoTime(), end = start + (long) (seconds * 1e9), batches = 0, now;
        do { batch.run(); batches++; } while ((now = System.nanoTime()) < end);
        return batches * (double) (1 << 13) / ((now - start) / 1e9);
    }

    private static void tupleSpace(SecurityPolicyDatabase spd, RandomPolicies.Packets p) {
        long s = 0;
        for (int i = 0, n = p.size(); i < n; i++) {
            PolicyEntry e = spd.lookup(p.family[i], p.srcHi[i], p.srcLo[i], p.dstHi[i], p.dstLo[i], p.protocol[i], p.srcPort[i], p.dstPort[i]);
            if (e != null) s += e.index();
        }
        sink += s;
    }

    private static void linear(List<PolicyEntry> entries, RandomPolicies.Packets p) {
        long s = 0;
        for (int i = 0, n = p.size(); i < n; i++) {
            PolicyEntry e = RandomPolicies.linearLookup(entries, p, i);
            if (e != null) s += e.index();
        }
        sink += s;
    }
}
