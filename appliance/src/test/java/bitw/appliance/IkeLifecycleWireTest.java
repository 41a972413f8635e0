// IKEv2 life-cycle against strongSwan 5.9 (kernel-libipsec on router B) in the namespace lab, beyond the first
// negotiation that IkeInteropWireTest covers: certificate authentication (RSA, ECDSA P-256, Ed25519), IKE
// fragmentation (RFC 7383) of RSA-4096 certificate chains both ways, rekeys under traffic from both sides, dead
// peer detection, Delete from either side, INITIAL_CONTACT after a peer restart, NAT traversal behind a
// masquerading router, and a connection to 'peer any' with 'start wait'. Site A is our appliance, site B's bump
// is a bridge.
package bitw.appliance;

import static org.junit.jupiter.api.Assertions.*;

import bitw.lab.Capture;
import bitw.lab.Host;
import bitw.lab.NetnsLab;
import bitw.lab.NetnsLabExtension;
import bitw.lab.Result;
import bitw.lab.StrongSwan;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@Tag("netns")
@ExtendWith(NetnsLabExtension.class)
class IkeLifecycleWireTest {
    static final String PSK = "lifecycle-psk-0123456789abcdef";
    static final String IKE = "aes128gcm16-prfsha256-ecp256", ESP = "aes128gcm16";
    /** A dead peer is declared after 1+2+4 s of unanswered retransmissions instead of minutes. */
    static final List<String> FAST_RETRANSMIT = List.of("-Dbitw.ike.retransmit-base-ms=1000", "-Dbitw.ike.retransmit-tries=2");
    static TwoSites sites;
    static StrongSwan charon;

    @BeforeAll
    static void build(NetnsLab lab) {
        sites = new TwoSites(lab);
        sites.apB.bridge("br0", "in", "out");
        charon = StrongSwan.start(sites.rB, "");
    }

    @AfterEach
    void stop() {
        sites.stop();
        if (!charon.process().isAlive()) charon = StrongSwan.start(sites.rB, "");
        charon.swanctl("--terminate", "--ike", "a", "--force", "--timeout", "2");
        sites.rA.exec("nft", "delete", "table", "ip", "nat");
    }

    // ---- configurations ----

    /** The appliance's connection to-b; {@code auth} is the auth clause, {@code extra} more connection options. */
    static String applianceConfig(String auth, String extra, String start) {
        return """
                hostname site-a
                interface inside device in
                interface outside device out
                address 192.0.2.2/29 gateway 192.0.2.1
                connection to-b peer 203.0.113.2 remote-id 203.0.113.2 %s \\
                    ike-proposal %s esp-proposal %s local-net 10.1.0.0/24 remote-net 10.2.0.0/24 %s start %s
                policy 10 from 10.1.0.0/24 to 10.2.0.0/24 action configured tunnel to-b fallback hold
                policy 100 from any to any action permit
                default-action deny
                """.formatted(auth, IKE, ESP, extra, start);
    }

    static String pskAuth() { return "auth psk psk " + PSK; }

    /** strongSwan's connection a; {@code ikeExtra}/{@code childExtra} go into the IKE and child sections. */
    static String charonConfig(String remoteAddrs, String auth, String ikeExtra, String childExtra) {
        String secrets = auth.equals("psk") ? """
                secrets {
                    ike-a { id-a = 192.0.2.2
                            id-b = 203.0.113.2
                            secret = "%s" }
                }
                """.formatted(PSK) : "";
        String certs = auth.equals("psk") ? "" : "\n certs = b.pem";
        return """
                connections {
                    a {
                        version = 2
                        local_addrs = 203.0.113.2
                        remote_addrs = %s
                        proposals = %s
                        mobike = no
                        %s
                        local { auth = %s
                                id = 203.0.113.2 %s }
                        remote { auth = %s
                                 id = 192.0.2.2 }
                        children {
                            net {
                                local_ts = 10.2.0.0/24
                                remote_ts = 10.1.0.0/24
                                esp_proposals = %s
                                start_action = none
                                %s
                            }
                        }
                    }
                }
                %s
                """.formatted(remoteAddrs, IKE, ikeExtra, auth, certs, auth, ESP, childExtra, secrets);
    }

    private static void startAppliance(String config, List<String> jvmOptions) {
        sites.stop();
        sites.controlA = sites.lab.directory().resolve("life-a-" + System.nanoTime() + ".sock");
        sites.applianceA = sites.startAppliance(sites.apA, config, sites.controlA, List.of(), jvmOptions);
        sites.applianceA.waitForOutput("data plane running", Duration.ofSeconds(30));
        long end = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!Files.exists(sites.controlA) && System.nanoTime() < end) sleep(50);
    }

    private static String context() {
        return "\n--- appliance:\n" + sites.applianceA.output() + "\n--- charon SAs:\n" + charon.listSas();
    }

    // ---- traffic ----

    /** A first ping may be held while IKE negotiates (only the first packet is kept); the next ones must all cross. */
    private static void pingsBothWays() {
        sites.hA.exec(Duration.ofSeconds(20), "ping", "-c", "1", "-W", "10", "10.2.0.20");
        Result ab = sites.hA.exec(Duration.ofSeconds(30), "ping", "-c", "3", "-i", "0.2", "-W", "10", "10.2.0.20");
        assertTrue(ab.stdout().contains(" 0% packet loss"), ab.stdout() + context());
        Result ba = sites.hB.exec(Duration.ofSeconds(30), "ping", "-c", "3", "-i", "0.2", "-W", "5", "10.1.0.10");
        assertTrue(ba.stdout().contains(" 0% packet loss"), ba.stdout() + context());
    }

    /** 2 MiB over TCP each way, checked by SHA-256 at the receiver. */
    private static void transfersBothWays() throws Exception {
        sites.transfersBothWays(2 << 20, 7, IkeLifecycleWireTest::context);
    }

    // ---- what the two sides hold ----

    /** SPIs (unsigned) of the appliance's data-plane SAs of to-b. */
    private static Set<Long> applianceSpis() {
        Matcher m = Pattern.compile("\\{\"tunnel\":\"to-b\",\"direction\":\"(?:in|out)\",\"spi\":(\\d+)").matcher(sites.status(sites.controlA, "status json"));
        Set<Long> spis = new HashSet<>();
        while (m.find()) spis.add(Long.parseLong(m.group(1)));
        return spis;
    }

    /** ESP SPIs of strongSwan's INSTALLED child SAs (in and out): rekeyed ones linger as DELETED for delete_rekeyed_delay. */
    private static Set<Long> charonSpis() {
        Set<Long> spis = new HashSet<>();
        for (String child : charon.listSas().split("(?m)^(?=\\s+net: #)")) {
            if (!child.contains(", INSTALLED,")) continue;
            Matcher m = Pattern.compile("(?m)^\\s+(?:in|out)\\s+([0-9a-f]{8})").matcher(child);
            while (m.find()) spis.add(Long.parseLong(m.group(1), 16));
        }
        return spis;
    }

    /** strongSwan's IKE SA SPI pairs ("spi_i* spi_r"). */
    private static Set<String> charonIkeSpis() {
        Matcher m = Pattern.compile("([0-9a-f]{16}_i\\*? [0-9a-f]{16}_r\\*?)").matcher(charon.listSas());
        Set<String> spis = new HashSet<>();
        while (m.find()) spis.add(m.group(1).replace("*", ""));
        return spis;
    }

    /** The appliance's IKE SAs of to-b (`show ike json` on the control socket). */
    private static int ikeSas() {
        return count(sites.status(sites.controlA, "show ike json"), "\"connection\":\"to-b\"");
    }

    private static int count(String text, String needle) {
        int n = 0;
        for (int i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + 1)) n++;
        return n;
    }

    private static void await(String what, Duration timeout, java.util.function.BooleanSupplier condition) {
        long end = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) fail("timed out waiting for " + what + context());
            sleep(200);
        }
    }

    private static void sleep(long ms) {
        try { Thread.sleep(ms); } catch (InterruptedException e) { Thread.currentThread().interrupt(); throw new AssertionError(e); }
    }

    // ---- 1. certificates ----

    /** A CA and end-entity certificates for 192.0.2.2 (a) and 203.0.113.2 (b), made with openssl in the lab directory. */
    private static Path certificates(String kind) {
        Path d = sites.lab.directory().resolve("pki-" + kind);
        String newKey = switch (kind) {
            case "rsa" -> "-newkey rsa:2048";
            case "ecdsa" -> "-newkey ec -pkeyopt ec_paramgen_curve:P-256";
            default -> "-newkey ed25519";
        };
        String script = """
                set -e
                mkdir -p %1$s && cd %1$s
                openssl req -x509 %2$s -nodes -keyout ca.key -out ca.pem -days 2 -subj "/CN=bitw test %3$s CA" \\
                    -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign,cRLSign
                for side in a:192.0.2.2 b:203.0.113.2; do
                    n=${side%%%%:*}; ip=${side#*:}
                    openssl req %2$s -nodes -keyout $n.key -out $n.csr -subj "/CN=$ip"
                    printf "subjectAltName=IP:$ip\\nbasicConstraints=CA:FALSE\\nkeyUsage=digitalSignature\\n" > $n.ext
                    openssl x509 -req -in $n.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 2 -out $n.pem -extfile $n.ext
                done
                """.formatted(d, newKey, kind);
        Result r = sites.rA.exec(Duration.ofSeconds(60), "sh", "-c", script);
        assertEquals(0, r.exitCode(), r.stdout() + r.stderr());
        return d;
    }

    /** strongSwan's credentials: its certificate, its key and the CA in x509/, private/ and x509ca/ of its directory. */
    private static void installCharonCredentials(Path pki) throws Exception {
        Path s = charon.directory();
        for (String sub : List.of("x509", "x509ca", "private")) {
            Path p = s.resolve(sub);
            Files.createDirectories(p);
            try (var files = Files.list(p)) { for (Path f : files.toList()) Files.delete(f); }
        }
        Files.copy(pki.resolve("b.pem"), s.resolve("x509/b.pem"));
        Files.copy(pki.resolve("ca.pem"), s.resolve("x509ca/ca.pem"));
        Files.copy(pki.resolve("b.key"), s.resolve("private/b.key"));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"rsa", "ecdsa", "ed25519"})
    void certificatesAuthenticateBothWaysAndCarryTraffic(String kind) throws Exception {
        Path pki = certificates(kind);
        installCharonCredentials(pki);
        charon.load(charonConfig("192.0.2.2", "pubkey", "", ""));
        String auth = "auth pubkey private-key %1$s/a.key certificate %1$s/a.pem ca %1$s/ca.pem".formatted(pki);
        startAppliance(applianceConfig(auth, "", "on-traffic"), List.of());
        pingsBothWays();
        transfersBothWays();
        String sas = charon.listSas();
        assertTrue(sas.contains("ESTABLISHED"), sas);
        assertTrue(charon.log().contains("authentication of '192.0.2.2' with " + (kind.equals("rsa") ? "RSA" : kind.equals("ecdsa") ? "ECDSA" : "ED25519")),
                "strongSwan verified the appliance's " + kind + " signature:\n" + charon.log().lines().filter(l -> l.contains("authentication of")).toList());
    }

    /**
     * RSA-4096 keys, a root and an intermediate CA: a (192.0.2.2) and b (203.0.113.2) are signed by the
     * intermediate; a-chain.pem holds a's certificate and the intermediate, so the appliance sends both.
     */
    private static Path chainCertificates() {
        Path d = sites.lab.directory().resolve("pki-chain");
        String script = """
                set -e
                mkdir -p %1$s && cd %1$s
                openssl req -x509 -newkey rsa:4096 -nodes -keyout root.key -out root.pem -days 2 -subj "/CN=bitw test root CA" \\
                    -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign,cRLSign
                openssl req -newkey rsa:4096 -nodes -keyout int.key -out int.csr -subj "/CN=bitw test intermediate CA"
                printf "basicConstraints=critical,CA:TRUE\\nkeyUsage=critical,keyCertSign,cRLSign\\n" > int.ext
                openssl x509 -req -in int.csr -CA root.pem -CAkey root.key -CAcreateserial -days 2 -out int.pem -extfile int.ext
                for side in a:192.0.2.2 b:203.0.113.2; do
                    n=${side%%%%:*}; ip=${side#*:}
                    openssl req -newkey rsa:4096 -nodes -keyout $n.key -out $n.csr -subj "/CN=$ip"
                    printf "subjectAltName=IP:$ip\\nbasicConstraints=CA:FALSE\\nkeyUsage=digitalSignature\\n" > $n.ext
                    openssl x509 -req -in $n.csr -CA int.pem -CAkey int.key -CAcreateserial -days 2 -out $n.pem -extfile $n.ext
                    cat $n.pem int.pem > $n-chain.pem
                done
                cp root.pem ca.pem
                """.formatted(d);
        Result r = sites.rA.exec(Duration.ofSeconds(120), "sh", "-c", script);
        assertEquals(0, r.exitCode(), r.stdout() + r.stderr());
        return d;
    }

    @Test
    void largeCertificateChainsAreFragmentedBothWaysAndAuthenticate() throws Exception {
        Path pki = chainCertificates();
        installCharonCredentials(pki);
        Files.copy(pki.resolve("int.pem"), charon.directory().resolve("x509ca/int.pem"));
        charon.load(charonConfig("192.0.2.2", "pubkey", "fragmentation = yes", ""));
        String auth = "auth pubkey private-key %1$s/a.key certificate %1$s/a-chain.pem ca %1$s/root.pem".formatted(pki);
        startAppliance(applianceConfig(auth, "", "on-traffic"), List.of());
        Capture wan = sites.captureWan();
        pingsBothWays();
        wan.stop();
        String log = charon.log();
        int ours = wan.countMatching("isakmp.nextpayload == 53 && ip.src == 192.0.2.2"), theirs = wan.countMatching("isakmp.nextpayload == 53 && ip.src == 203.0.113.2");
        assertTrue(ours >= 3, "our IKE_AUTH (two RSA-4096 certificates) went in SKF fragments: " + ours + context());
        assertTrue(theirs >= 2, "strongSwan's answer came in fragments: " + theirs);
        assertTrue(log.contains("reassembled fragmented IKE message"), "strongSwan reassembled ours:\n" + log);
        assertTrue(Pattern.compile("splitting IKE message \\(\\d+ bytes\\) into \\d+ fragments").matcher(log).find(), "strongSwan fragmented its own");
        assertEquals(0, wan.countMatching("ip.flags.mf == 1 || ip.frag_offset > 0"), "IKE fragmentation, not IP fragmentation");
        assertEquals(0, wan.countMatching("isakmp && ip.src == 192.0.2.2 && ip.len > 1320"), "every datagram of ours within the 1280-byte fragment size");
        assertTrue(log.contains("authentication of '192.0.2.2' with RSA"), "strongSwan verified the chain and our signature");
        assertTrue(charon.listSas().contains("ESTABLISHED"), charon.listSas());
    }

    // ---- 2. rekeys under traffic ----

    /**
     * A fast ping runs for 25 s while child and IKE SAs are rekeyed; nothing may be lost, and strongSwan must end
     * up with new child and IKE SPIs that the appliance's data plane holds too.
     */
    private static void rekeysUnderTrafficLoseNothing(String charonIke, String charonChild, String applianceLifetimes) {
        charon.load(charonConfig("192.0.2.2", "psk", charonIke, charonChild));
        startAppliance(applianceConfig(pskAuth(), applianceLifetimes, "at-start"), List.of());
        await("the first child SA", Duration.ofSeconds(20), () -> charonSpis().size() == 2);
        Set<Long> firstChild = charonSpis();
        Set<String> firstIke = charonIkeSpis();
        Result ping = sites.hA.exec(Duration.ofSeconds(60), "ping", "-c", "500", "-i", "0.05", "-W", "2", "10.2.0.20");
        String out = sites.applianceA.output();
        assertTrue(ping.stdout().contains(" 0% packet loss"), ping.stdout().lines().filter(l -> l.contains("loss")).toList() + context());
        assertTrue(count(out, "ChildSaRekeyed") >= 1, "child SA rekeyed" + context());
        assertTrue(count(out, "IkeSaRekeyed") >= 1, "IKE SA rekeyed" + context());
        Set<Long> nowChild = charonSpis();
        nowChild.retainAll(firstChild);
        assertTrue(nowChild.isEmpty(), "strongSwan's child SAs have new SPIs: " + firstChild + " then " + charonSpis());
        Set<String> nowIke = charonIkeSpis();
        assertFalse(nowIke.isEmpty(), context());
        nowIke.retainAll(firstIke);
        assertTrue(nowIke.isEmpty(), "strongSwan's IKE SA has new SPIs: " + firstIke + " then " + charonIkeSpis());
        await("both sides to hold the same child SA", Duration.ofSeconds(3), () -> charonSpis().equals(applianceSpis()));
    }

    @Test
    void applianceInitiatedChildAndIkeRekeysLoseNoPacket() {
        // lifetime 60, margin 39 (minus up to 13 s of jitter): the appliance rekeys both after 8..21 s; strongSwan's own
        // rekeys are hours away, so every rekey here is the appliance's.
        rekeysUnderTrafficLoseNothing("", "", "ike-lifetime 60 child-lifetime 60 rekey-margin 39");
    }

    @Test
    void strongSwanInitiatedChildAndIkeRekeysLoseNoPacket() {
        // strongSwan rekeys the child SA every 5 s and the IKE SA after 11 s; the appliance's lifetimes are the defaults.
        rekeysUnderTrafficLoseNothing("rekey_time = 11s\n over_time = 60s\n rand_time = 0s",
                "rekey_time = 5s\n life_time = 120s\n rand_time = 0s", "");
    }

    // ---- 3. dead peer detection ----

    @Test
    void killedPeerIsDeclaredDeadAndItsSasClearedThenTrafficIsDropped() {
        charon.load(charonConfig("192.0.2.2", "psk", "", ""));
        startAppliance(applianceConfig(pskAuth(), "dpd 5 dpd-action clear", "at-start"), FAST_RETRANSMIT);
        await("the child SA", Duration.ofSeconds(20), () -> applianceSpis().size() == 2);
        pingsBothWays();
        charon.kill();
        long killed = System.nanoTime();
        // DPD starts within 5 s of silence; 1+2+4 s of retransmissions; 2 s slack for the 100 ms tick and start-up.
        await("PeerDead", Duration.ofSeconds(5 + 7 + 4), () -> sites.applianceA.output().contains("PeerDead"));
        long seconds = (System.nanoTime() - killed) / 1_000_000_000L;
        await("the SAs to go", Duration.ofSeconds(3), () -> applianceSpis().isEmpty());
        assertTrue(seconds >= 5, "not declared dead before dpd ran: " + seconds + " s");
        assertEquals(0, ikeSas(), "no IKE SA left:\n" + sites.statusA());
        Capture wan = sites.captureWan();
        Result r = sites.hA.exec(Duration.ofSeconds(10), "ping", "-c", "3", "-i", "0.2", "-W", "1", "10.2.0.20");
        wan.stop();
        assertNotEquals(0, r.exitCode(), "no answer: the policy holds or drops, never passes in clear");
        assertEquals(0, wan.countMatching("icmp.type == 8 || icmp.type == 0"), "no cleartext ping on the WAN (ICMP port unreachable from the dead peer is fine)");
    }

    // ---- 4. delete from either side ----

    @Test
    void strongSwanTerminateDeletesTheAppliancesSas() {
        charon.load(charonConfig("192.0.2.2", "psk", "", ""));
        startAppliance(applianceConfig(pskAuth(), "", "at-start"), List.of());
        await("the child SA", Duration.ofSeconds(20), () -> applianceSpis().size() == 2);
        pingsBothWays();
        Result t = charon.swanctl("--terminate", "--ike", "a", "--timeout", "5");
        assertEquals(0, t.exitCode(), t.stdout() + t.stderr() + context());
        await("the appliance's SAs to go", Duration.ofSeconds(5), () -> applianceSpis().isEmpty());
        assertTrue(sites.applianceA.output().contains("IkeSaDeleted"), context());
        assertEquals(0, ikeSas(), sites.statusA());
    }

    @Test
    void applianceTerminateCommandDeletesStrongSwansSas() {
        charon.load(charonConfig("192.0.2.2", "psk", "", ""));
        startAppliance(applianceConfig(pskAuth(), "", "wait"), List.of());
        Result init = charon.initiate("net");
        assertEquals(0, init.exitCode(), init.stdout() + context());
        pingsBothWays();
        assertEquals("ok\n", sites.status(sites.controlA, "ike terminate to-b"));
        await("strongSwan's SAs to go", Duration.ofSeconds(10), () -> !charon.listSas().contains("a: #"));
        await("the appliance's SAs to go", Duration.ofSeconds(5), () -> applianceSpis().isEmpty());
        assertTrue(charon.log().contains("received DELETE for IKE_SA"), "the appliance sent a Delete:\n" + charon.log());
    }

    // ---- 5. INITIAL_CONTACT ----

    @Test
    void restartedPeersInitialContactClearsStaleSas() {
        charon.load(charonConfig("192.0.2.2", "psk", "", ""));
        startAppliance(applianceConfig(pskAuth(), "dpd 0", "wait"), List.of());
        assertEquals(0, charon.initiate("net").exitCode(), context());
        pingsBothWays();
        Set<Long> stale = applianceSpis();
        assertEquals(2, stale.size(), context());
        charon.kill();
        charon = StrongSwan.start(sites.rB, "");
        charon.load(charonConfig("192.0.2.2", "psk", "", ""));
        Result init = charon.initiate("net");
        assertEquals(0, init.exitCode(), init.stdout() + context());
        await("the stale SAs to go", Duration.ofSeconds(5), () -> {
            Set<Long> s = applianceSpis();
            s.retainAll(stale);
            return s.isEmpty();
        });
        assertEquals(charonSpis(), applianceSpis(), "only the new child SA remains" + context());
        assertEquals(1, ikeSas(), "one IKE SA:\n" + sites.statusA());
        pingsBothWays();
    }

    // ---- 6. remote gateway any, start wait ----

    @Test
    void peerAnyAcceptsAGatewayItDidNotKnowAndStartWaitNeverInitiates() {
        charon.load(charonConfig("192.0.2.2", "psk", "", ""));
        startAppliance("""
                hostname site-a
                interface inside device in
                interface outside device out
                address 192.0.2.2/29 gateway 192.0.2.1
                connection to-b peer any remote-id 203.0.113.2 %s \\
                    ike-proposal %s esp-proposal %s local-net 10.1.0.0/24 remote-net 10.2.0.0/24 start wait
                policy 10 from 10.1.0.0/24 to 10.2.0.0/24 action configured tunnel to-b fallback hold
                policy 100 from any to any action permit
                default-action deny
                """.formatted(pskAuth(), IKE, ESP), List.of());
        Capture wan = sites.captureWan();
        Result before = sites.hA.exec(Duration.ofSeconds(20), "ping", "-c", "3", "-i", "0.5", "-W", "1", "10.2.0.20");
        sleep(1500);
        wan.stop();
        assertNotEquals(0, before.exitCode(), "no SA yet: held, then dropped");
        assertEquals(0, wan.countMatching("isakmp && ip.src == 192.0.2.2"), "start wait: the appliance never initiates");
        assertEquals(0, wan.countMatching("icmp && ip.src == 10.1.0.10"), "and nothing leaves in the clear");
        Result init = charon.initiate("net");
        assertEquals(0, init.exitCode(), init.stdout() + context());
        pingsBothWays();
        String ike = sites.status(sites.controlA, "show ike json");
        assertTrue(ike.contains("\"connection\":\"to-b\",\"state\":\"ESTABLISHED\",\"initiator\":false"), ike);
        assertTrue(ike.contains("\"remote\":\"203.0.113.2:4500\""), "the peer's address learned from its IKE_SA_INIT: " + ike);
        assertEquals(charonSpis(), applianceSpis());
    }

    // ---- 7. NAT ----

    @Test
    void natBetweenTheGatewaysIsDetectedAndTheTunnelWorks() throws Exception {
        Result nat = sites.rA.exec("sh", "-c", "nft add table ip nat && nft add chain ip nat post '{ type nat hook postrouting priority 100 ; }'"
                + " && nft add rule ip nat post oif wan masquerade");
        assertEquals(0, nat.exitCode(), nat.stderr());
        charon.load(charonConfig("%any", "psk", "", ""));
        startAppliance(applianceConfig(pskAuth(), "", "on-traffic"), List.of());
        Capture wan = sites.captureWan();
        pingsBothWays();
        transfersBothWays();
        wan.stop();
        assertTrue(sites.applianceA.output().contains("NatDetected"), context());
        assertTrue(charon.listSas().contains("203.0.113.1[4500]"), "strongSwan sees the NAT's address:\n" + charon.listSas());
        assertEquals(0, wan.countMatching("ip.src == 192.0.2.2"), "the inner address never reaches the WAN");
        assertEquals(0, wan.countMatching("icmp && !esp"), "no cleartext on the WAN");
        assertTrue(wan.countMatching("esp && udp.port == 4500") > 6, "ESP in UDP 4500");
    }
}
