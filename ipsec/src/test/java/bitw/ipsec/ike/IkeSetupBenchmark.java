// Benchmark (a main(), not a test): how many IKE SA + first Child SA set-ups per second one responder IkeEngine
// completes, how much of that is the responder's own CPU, what the crypto alone costs, and how much heap each
// established IKE SA + Child SA pair holds in the responder. Everything runs in memory on one thread: fresh
// initiator engines (one identity and address each) talk to the one responder through queues; the responder's
// receive() calls are bracketed with the thread's CPU clock so its share is measured, not estimated.
// Run: see docs/BENCHMARKS.md, IKE section.
package bitw.ipsec.ike;

import bitw.ipsec.crypto.EncryptionAlgorithm;
import bitw.ipsec.crypto.IntegrityAlgorithm;
import bitw.ipsec.ike.crypto.IkeAuthentication;
import bitw.ipsec.ike.crypto.IkeCryptoException;
import bitw.ipsec.ike.crypto.IkeKeyDerivation;
import bitw.ipsec.ike.crypto.IkeSaKeys;
import bitw.ipsec.ike.crypto.KeyExchange;
import bitw.ipsec.ike.crypto.KeyExchangeMethod;
import bitw.ipsec.ike.crypto.Prf;
import bitw.ipsec.packet.IpAddress;
import bitw.ipsec.packet.IpPrefix;
import bitw.ipsec.sad.SaMode;
import bitw.ipsec.sad.SaParameters;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.OperatingSystemMXBean;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Random;

public final class IkeSetupBenchmark {
    static final IpAddress RESPONDER = IpAddress.parse("198.51.100.2");
    static final byte[] PSK = "benchmark pre-shared key, 32 by.".getBytes(StandardCharsets.US_ASCII);
    static final long SECOND = 1_000_000_000L;

    record Suite(String label, EncryptionAlgorithm enc, Prf prf, IntegrityAlgorithm integ, KeyExchangeMethod kem,
                 EncryptionAlgorithm espEnc, IntegrityAlgorithm espInteg) {
        IkeProposalSpec ike() { return IkeProposalSpec.of(enc, prf, integ, kem); }
        EspProposalSpec esp() { return EspProposalSpec.of(espEnc, espInteg); }
    }

    static final Suite ECP256 = new Suite("aes128gcm16-prfsha256-ecp256 / esp aes128gcm16",
            EncryptionAlgorithm.AES_GCM_128, Prf.HMAC_SHA2_256, null, KeyExchangeMethod.ECP_256, EncryptionAlgorithm.AES_GCM_128, null);
    static final Suite MODP2048 = new Suite("aes256-sha256-modp2048 / esp aes256-sha256",
            EncryptionAlgorithm.AES_CBC_256, Prf.HMAC_SHA2_256, IntegrityAlgorithm.HMAC_SHA256_128, KeyExchangeMethod.MODP_2048,
            EncryptionAlgorithm.AES_CBC_256, IntegrityAlgorithm.HMAC_SHA256_128);

    static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    /** The one responder: any peer, any identity, one PSK; installs only counted (the SAD is not part of this). */
    static final class Responder implements IkeOutput {
        final ArrayDeque<Datagram> outbox = new ArrayDeque<>();
        final IkeEngine engine;
        long installs, failures, cpuNanos;

        Responder(Suite s) {
            IkeConnection c = new IkeConnection("any", RESPONDER, null, Identity.fqdn("gw.example"), null,
                    new Authentication.Psk(PSK), new PeerVerification.Psk(PSK), List.of(s.ike()), List.of(s.esp()), SaMode.TUNNEL,
                    List.of(IpPrefix.parse("10.2.0.0/16")), List.of(IpPrefix.parse("10.0.0.0/8")),
                    86400, 86400, 0, 60, 0, DpdAction.CLEAR, StartAction.NONE, false, true, 64);
            engine = new IkeEngine(List.of(c), this, new SecureRandom(), 0);
        }

        void receive(Datagram d, long now) {
            long t0 = THREADS.getCurrentThreadCpuTime();
            engine.receive(d, now);
            cpuNanos += THREADS.getCurrentThreadCpuTime() - t0;
        }

        @Override public void send(Datagram d) { outbox.add(d); }
        @Override public void installChildSa(String connection, SaParameters in, SaParameters out) { installs++; }
        @Override public void removeChildSa(String connection, SaParameters in, SaParameters out) { }
        @Override public void event(IkeEvent e) { if (e instanceof IkeEvent.Failed) failures++; }
    }

    /** One initiator: its own engine, address and identity, as a separate peer would be. */
    static final class Initiator implements IkeOutput {
        final ArrayDeque<Datagram> outbox = new ArrayDeque<>();
        final IkeEngine engine;
        boolean installed, failed;

        Initiator(Suite s, int n, Random rng, long now) {
            IpAddress addr = IpAddress.v4(0x64400000 + n);   // 100.64.0.0/10, one address per peer
            IkeConnection c = new IkeConnection("gw", addr, RESPONDER, Identity.fqdn("peer" + n + ".example"), Identity.fqdn("gw.example"),
                    new Authentication.Psk(PSK), new PeerVerification.Psk(PSK), List.of(s.ike()), List.of(s.esp()), SaMode.TUNNEL,
                    List.of(IpPrefix.parse("10.1.0.0/16")), List.of(IpPrefix.parse("10.2.0.0/16")),
                    86400, 86400, 0, 60, 0, DpdAction.CLEAR, StartAction.NONE, false, true, 64);
            engine = new IkeEngine(List.of(c), this, new Random(rng.nextLong()), now);
        }

        @Override public void send(Datagram d) { outbox.add(d); }
        @Override public void installChildSa(String connection, SaParameters in, SaParameters out) { installed = true; }
        @Override public void removeChildSa(String connection, SaParameters in, SaParameters out) { }
        @Override public void event(IkeEvent e) { if (e instanceof IkeEvent.Failed) failed = true; }
    }

    /** One complete IKE_SA_INIT + IKE_AUTH between a fresh initiator and the responder; false if it did not end up
     *  with a Child SA on both sides. */
    static boolean setUp(Responder r, Suite s, int n, Random rng, long now) {
        Initiator i = new Initiator(s, n, rng, now);
        long before = r.installs;
        i.engine.initiate("gw", now);
        for (int guard = 0; guard < 64 && !(i.outbox.isEmpty() && r.outbox.isEmpty()); guard++) {
            Datagram d;
            while ((d = i.outbox.poll()) != null) r.receive(new Datagram(d.remote(), d.local(), d.data()), now);
            while ((d = r.outbox.poll()) != null) i.engine.receive(new Datagram(d.remote(), d.local(), d.data()), now);
        }
        return i.installed && !i.failed && r.installs == before + 1;
    }

    record Rate(int setups, double wallSeconds, double responderCpuSeconds, double threadCpuSeconds) {
        double perSecond() { return setups / wallSeconds; }
        double responderMicros() { return responderCpuSeconds * 1e6 / setups; }
        double totalMicros() { return threadCpuSeconds * 1e6 / setups; }
    }

    static int next = 1;

    static Rate run(Responder r, Suite s, int count, Random rng) {
        long cpu0 = r.cpuNanos, thread0 = THREADS.getCurrentThreadCpuTime(), t0 = System.nanoTime();
        for (int k = 0; k < count; k++)
            if (!setUp(r, s, next++, rng, SECOND)) throw new IllegalStateException("set-up " + (next - 1) + " failed; drops " + r.engine.dropCounters());
        long wall = System.nanoTime() - t0;
        return new Rate(count, wall / 1e9, (r.cpuNanos - cpu0) / 1e9, (THREADS.getCurrentThreadCpuTime() - thread0) / 1e9);
    }

    static void rate(Suite s, int warmup, int count) {
        Responder r = new Responder(s);
        Random rng = new Random(42);
        run(r, s, warmup, rng);
        Rate m = run(r, s, count, rng);
        System.out.printf("%-50s %6d set-ups  %7.1f set-ups/s (both sides, one thread)  responder CPU %7.1f us/set-up"
                        + " -> %6.0f set-ups/s per core  (whole thread %7.1f us/set-up)  load %.2f%n",
                s.label(), m.setups(), m.perSecond(), m.responderMicros(), 1e6 / m.responderMicros(), m.totalMicros(), load());
    }

    /** What the responder's crypto costs with nothing else: one key pair + one agreement (respond), the IKE SA and
     *  Child SA key derivations, and the PSK AUTH value computed twice (verify the peer's, make ours). */
    static void cryptoReference(Suite s, int count) throws IkeCryptoException {
        KeyExchangeMethod kem = s.kem();
        Prf prf = s.prf();
        byte[] ni = new byte[32], nr = new byte[32], octets = new byte[600];
        new Random(1).nextBytes(octets);
        for (int pass = 0; pass < 2; pass++) {
            int n = pass == 0 ? Math.max(20, count / 5) : count;
            long respondNs = 0, initiatorNs = 0, prfNs = 0;
            for (int k = 0; k < n; k++) {
                long t0 = THREADS.getCurrentThreadCpuTime();
                KeyExchange peer = kem.newKeyExchange();
                byte[] pub = peer.initiatorPublic();
                long t1 = THREADS.getCurrentThreadCpuTime();
                KeyExchange.Responder resp = kem.newKeyExchange().respond(pub);
                long t2 = THREADS.getCurrentThreadCpuTime();
                peer.complete(resp.responderPublic());
                long t3 = THREADS.getCurrentThreadCpuTime();
                IkeSaKeys keys = IkeKeyDerivation.derive(prf, ni, nr, resp.sharedSecret(), 1, 2, s.enc().keyMaterialLength(),
                        s.integ() == null ? 0 : s.integ().keyLength);
                IkeKeyDerivation.childKeys(prf, keys.skD(), null, ni, nr, s.espEnc().keyMaterialLength(), s.espInteg() == null ? 0 : s.espInteg().keyLength);
                IkeAuthentication.pskAuth(prf, PSK, IkeAuthentication.signedOctets(octets, nr, prf, keys.skPi(), octets));
                IkeAuthentication.pskAuth(prf, PSK, IkeAuthentication.signedOctets(octets, ni, prf, keys.skPr(), octets));
                long t4 = THREADS.getCurrentThreadCpuTime();
                respondNs += t2 - t1;
                initiatorNs += (t1 - t0) + (t3 - t2);
                prfNs += t4 - t3;
            }
            if (pass == 1)
                System.out.printf("crypto alone, %-12s responder KE (key pair + check + agreement) %7.1f us, initiator KE %7.1f us,"
                                + " PRF work (SKEYSEED, prf+, child keys, 2x PSK AUTH) %5.1f us  -> responder crypto %7.1f us/set-up%n",
                        kem, respondNs / 1e3 / n, initiatorNs / 1e3 / n, prfNs / 1e3 / n, (respondNs + prfNs) / 1e3 / n);
        }
    }

    /** The floor under EcpKeyExchange: bare JCA P-256 key pair generation and ECDH agreement (no point checks or
     *  encodings of our own), with the JDK's SunEC (what the engine uses) and, for comparison, Bouncy Castle. */
    static void jcaReference(int count) throws Exception {
        for (java.security.Provider provider : List.of(java.security.Security.getProvider("SunEC"), new org.bouncycastle.jce.provider.BouncyCastleProvider())) {
            var gen = java.security.KeyPairGenerator.getInstance("EC", provider);
            gen.initialize(new java.security.spec.ECGenParameterSpec("secp256r1"));
            java.security.PublicKey peer = gen.generateKeyPair().getPublic();
            for (int pass = 0; pass < 2; pass++) {
                int n = pass == 0 ? count / 5 : count;
                long genNs = 0, agreeNs = 0;
                for (int k = 0; k < n; k++) {
                    long t0 = THREADS.getCurrentThreadCpuTime();
                    java.security.KeyPair kp = gen.generateKeyPair();
                    long t1 = THREADS.getCurrentThreadCpuTime();
                    javax.crypto.KeyAgreement ka = javax.crypto.KeyAgreement.getInstance("ECDH", provider);
                    ka.init(kp.getPrivate());
                    ka.doPhase(peer, true);
                    ka.generateSecret();
                    long t2 = THREADS.getCurrentThreadCpuTime();
                    genNs += t1 - t0;
                    agreeNs += t2 - t1;
                }
                if (pass == 1)
                    System.out.printf("bare JCA (%s) secp256r1: key pair %7.1f us, ECDH agreement %7.1f us%n", provider.getName(), genNs / 1e3 / n, agreeNs / 1e3 / n);
            }
        }
    }

    static double load() {
        OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        return os.getSystemLoadAverage();
    }

    static long usedHeapAfterGc() {
        MemoryMXBean mem = ManagementFactory.getMemoryMXBean();
        long used = Long.MAX_VALUE;
        for (int k = 0; k < 4; k++) {   // a few rounds: the last one finds nothing more to free
            System.gc();
            try { Thread.sleep(100); } catch (InterruptedException e) { Thread.currentThread().interrupt(); }
            used = Math.min(used, mem.getHeapMemoryUsage().getUsed());
        }
        return used;
    }

    /** Establishes pairs in steps on one responder; after each step: heap per pair, and the rate of that step
     *  (which shows whether set-up cost grows with the number of SAs already held). */
    static void heap(Suite s, int[] steps) {
        Runtime rt = Runtime.getRuntime();
        System.out.printf("heap: max %d MiB%n", rt.maxMemory() >> 20);
        long base = usedHeapAfterGc();
        Responder r = new Responder(s);
        Random rng = new Random(7);
        int have = 0;
        for (int target : steps) {
            Rate m;
            try {
                m = run(r, s, target - have, rng);
            } catch (OutOfMemoryError e) {
                System.out.printf("heap: OutOfMemoryError after %d pairs%n", r.installs);
                return;
            }
            have = target;
            long used = usedHeapAfterGc();
            long tickStart = THREADS.getCurrentThreadCpuTime();
            r.engine.tick(2 * SECOND);
            long tickNs = THREADS.getCurrentThreadCpuTime() - tickStart;
            System.out.printf("heap: %7d pairs  used %6.1f MiB (%.1f MiB before the responder)  %6.0f bytes/pair"
                            + "  | this step %7.1f set-ups/s, responder CPU %7.1f us/set-up | one tick() %6.1f ms | load %.2f%n",
                    r.installs, used / 1048576.0, base / 1048576.0, (double) (used - base) / r.installs,
                    m.perSecond(), m.responderMicros(), tickNs / 1e6, load());
        }
        System.out.printf("heap: %d pairs established in a %d MiB heap%n", r.installs, rt.maxMemory() >> 20);
    }

    public static void main(String[] args) throws Exception {
        // args: [setups for ECP-256] [comma-separated heap steps]; defaults keep a run to a few minutes.
        int count = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
        String steps = args.length > 1 ? args[1] : "10000,50000,100000";
        System.out.printf("java %s, %d CPUs, load %.2f%n", Runtime.version(), Runtime.getRuntime().availableProcessors(), load());
        jcaReference(2000);
        cryptoReference(ECP256, 2000);
        cryptoReference(MODP2048, 200);
        rate(ECP256, count / 4, count);
        rate(MODP2048, Math.max(20, count / 40), Math.max(50, count / 10));
        int[] heapSteps = java.util.Arrays.stream(steps.split(",")).mapToInt(Integer::parseInt).toArray();
        if (heapSteps.length > 0 && heapSteps[0] > 0) heap(ECP256, heapSteps);
    }
}
