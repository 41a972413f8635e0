// Specification of the namespace test lab itself: topologies route, processes and namespaces never outlive a lab
// (also when a test fails or an earlier JVM crashed), captures see traffic, and tshark's ESP decoding (our
// independent ESP check) verifies scapy-made ESP and flags a wrong key.
package bitw.lab;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;
import static org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder.request;

@Tag("netns")
@ExtendWith(NetnsLabExtension.class)
class NetnsLabTest {

    private static final String GCM_KEY_AND_SALT = "000102030405060708090a0b0c0d0e0f" + "a1a2a3a4";
    private static final String CBC_KEY = "2b7e151628aed2a6abf7158809cf4f3c";
    private static final String HMAC_KEY = "11".repeat(32);

    @Test
    void twoHostsOnALinkPingEachOther(NetnsLab lab) {
        Host a = lab.host("a");
        Host b = lab.host("b");
        lab.link(a, "eth0", b, "eth0");
        a.addr("eth0", "10.1.0.1/24").addr("eth0", "2001:db8:1::1/64");
        b.addr("eth0", "10.1.0.2/24").addr("eth0", "2001:db8:1::2/64");

        assertTrue(a.exec("ping", "-c", "2", "-W", "2", "10.1.0.2").succeeded());
        assertTrue(b.exec("ping", "-c", "2", "-W", "2", "10.1.0.1").succeeded());
        assertTrue(a.exec("ping", "-6", "-c", "2", "-W", "2", "2001:db8:1::2").succeeded());
        b.sysctl("net.ipv6.conf.eth0.disable_ipv6", "1");
        assertFalse(a.exec("ping", "-6", "-c", "1", "-W", "1", "2001:db8:1::2").succeeded());
        // Nobody owns .3: the lab must not be answering pings by accident.
        assertFalse(a.exec("ping", "-c", "1", "-W", "1", "10.1.0.3").succeeded());
    }

    @Test
    void linkEndsHaveOffloadsOffAndTheRequestedMtu(NetnsLab lab) {
        Host a = lab.host("a");
        Host b = lab.host("b");
        lab.link(a, "inside", b, "outside", 1400);

        assertTrue(a.run("ip", "link", "show", "inside").contains("mtu 1400"));
        assertTrue(b.run("ip", "link", "show", "outside").contains("mtu 1400"));
        String features = b.run("ethtool", "-k", "outside");
        for (String feature : List.of("tx-checksumming: off", "tcp-segmentation-offload: off",
                "generic-segmentation-offload: off", "generic-receive-offload: off")) {
            assertTrue(features.contains(feature), feature + " in\n" + features);
        }
    }

    @Test
    void routerNamespaceForwardsIpv4AndIpv6OnlyWithForwardingOn(NetnsLab lab) {
        Host left = lab.host("left");
        Host router = lab.host("router");
        Host right = lab.host("right");
        lab.link(left, "eth0", router, "left0");
        lab.link(router, "right0", right, "eth0");
        left.addr("eth0", "10.1.0.10/24").addr("eth0", "2001:db8:1::10/64");
        router.addr("left0", "10.1.0.1/24").addr("left0", "2001:db8:1::1/64");
        router.addr("right0", "10.2.0.1/24").addr("right0", "2001:db8:2::1/64");
        right.addr("eth0", "10.2.0.20/24").addr("eth0", "2001:db8:2::20/64");
        left.route("default", "10.1.0.1").route("default", "2001:db8:1::1");
        right.route("default", "10.2.0.1").route("default", "2001:db8:2::1");

        router.forwarding(false);
        assertFalse(left.exec("ping", "-c", "1", "-W", "1", "10.2.0.20").succeeded());

        router.forwarding(true);
        assertTrue(left.exec("ping", "-c", "2", "-W", "2", "10.2.0.20").succeeded());
        assertTrue(left.exec("ping", "-6", "-c", "2", "-W", "2", "2001:db8:2::20").succeeded());
        // The ping crossed a router: TTL 64 arrives as 63.
        assertTrue(left.run("ping", "-c", "1", "-W", "2", "10.2.0.20").contains("ttl=63"));
    }

    @Test
    void bridgeJoinsThreeHostsOnOneSegment(NetnsLab lab) {
        Host sw = lab.host("sw");
        Host a = lab.host("a");
        Host b = lab.host("b");
        lab.link(a, "eth0", sw, "pa");
        lab.link(b, "eth0", sw, "pb");
        sw.bridge("br0", "pa", "pb");
        a.addr("eth0", "10.3.0.1/24");
        b.addr("eth0", "10.3.0.2/24");

        assertTrue(a.exec("ping", "-c", "2", "-W", "2", "10.3.0.2").succeeded());
    }

    @Test
    void execReportsExitCodeAndOutputAndFailsOnTimeout(NetnsLab lab) {
        Host a = lab.host("a");

        Result r = a.exec("sh", "-c", "echo out; echo err >&2; exit 3");
        assertEquals(3, r.exitCode());
        assertEquals("out\n", r.stdout());
        assertEquals("err\n", r.stderr());
        assertThrows(IllegalStateException.class, r::requireSuccess);
        assertThrows(IllegalStateException.class, () -> a.exec(Duration.ofMillis(300), "sleep", "30"));
        // Commands really run inside the namespace: it has only loopback.
        assertEquals("lo", a.run("ls", "/sys/class/net").strip());
    }

    @Test
    void backgroundProcessTreeIsKilledOnClose() {
        LabProcess parent;
        List<ProcessHandle> tree;
        String namespace;
        try (NetnsLab lab = NetnsLab.open()) {
            Host a = lab.host("a");
            namespace = a.namespace();
            // A shell with two children, one of which ignores SIGTERM: close() must still get rid of it.
            parent = a.spawn("sh", "-c", "sleep 600 & (trap '' TERM; sleep 601) & echo started; wait");
            parent.waitForOutput("started", Duration.ofSeconds(5));
            tree = waitForDescendants(parent, 2);
            assertTrue(parent.isAlive());
        }
        assertFalse(NetnsLab.isRunning(parent.pid()));
        for (ProcessHandle h : tree) {
            assertFalse(NetnsLab.isRunning(h.pid()), "still running: " + h.info().commandLine().orElse("?"));
        }
        assertFalse(NetnsLab.listNamespaces().contains(namespace));
    }

    @Test
    void daemonThatLeftItsParentIsKilledWithTheNamespace() throws Exception {
        Path pidFile;
        try (NetnsLab lab = NetnsLab.open()) {
            Host a = lab.host("a");
            pidFile = Files.createTempFile("bitw-lab-daemon", ".pid");
            // setsid + background: the daemon is re-parented to init and is no longer in any spawned tree.
            a.run("sh", "-c", "setsid sleep 600 </dev/null >/dev/null 2>&1 & echo $! > " + pidFile);
        }
        long pid = Long.parseLong(Files.readString(pidFile).strip());
        Files.delete(pidFile);
        assertFalse(NetnsLab.isRunning(pid), "daemon " + pid + " survived");
    }

    @Test
    void waitForOutputFailsAtOnceWhenTheProcessExits(NetnsLab lab) {
        Host a = lab.host("a");
        LabProcess p = a.spawn("sh", "-c", "echo bye; exit 1");

        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> p.waitForOutput("never printed", Duration.ofSeconds(20)));
        assertTrue(e.getMessage().contains("bye"), e.getMessage());
    }

    @Test
    void namespacesAreGoneAfterATestBodyThrows() {
        FailingBodyExample.prefix = null;
        SummaryGeneratingListener listener = new SummaryGeneratingListener();
        Launcher launcher = LauncherFactory.create();
        launcher.execute(request().selectors(selectClass(FailingBodyExample.class)).build(), listener);

        assertEquals(1, listener.getSummary().getTestsFailedCount(), "the example must fail");
        String prefix = FailingBodyExample.prefix;
        assertNotNull(prefix);
        assertFalse(NetnsLab.listNamespaces().stream().anyMatch(ns -> ns.startsWith(prefix)),
                "namespaces left: " + NetnsLab.listNamespaces());
        assertFalse(Files.exists(FailingBodyExample.directory), "temp directory left");
        assertFalse(NetnsLab.isRunning(FailingBodyExample.pid));
    }

    /** Run only through the launcher above (surefire skips nested classes): builds a lab, then throws. */
    @ExtendWith(NetnsLabExtension.class)
    static class FailingBodyExample {
        static volatile String prefix;
        static volatile Path directory;
        static volatile long pid;

        @Test
        void throwsMidway(NetnsLab lab) {
            prefix = lab.prefix();
            directory = lab.directory();
            Host a = lab.host("a");
            lab.link(a, "eth0", lab.host("b"), "eth0");
            pid = a.spawn("sleep", "600").pid();
            throw new IllegalStateException("test body fails on purpose");
        }
    }

    @Test
    void openingALabRemovesLeftoversOfACrashedRun() throws Exception {
        // A pid that surely is dead: a process that has already exited.
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        String ghost = "bl" + gone.pid() + "x1-ghost";
        NetnsLab.runRoot("ip", "netns", "add", ghost);
        Path ghostDir = Files.createTempDirectory("bl" + gone.pid() + "x1-");
        Process orphan = new ProcessBuilder("ip", "netns", "exec", ghost, "sleep", "600").start();
        try {
            assertTrue(NetnsLab.listNamespaces().contains(ghost));

            try (NetnsLab lab = NetnsLab.open()) {
                assertFalse(NetnsLab.listNamespaces().contains(ghost));
                assertFalse(Files.exists(ghostDir));
                assertTrue(orphan.waitFor(5, java.util.concurrent.TimeUnit.SECONDS), "process in ghost survived");
                assertNotEquals(ghost, lab.host("ghost").namespace());
            }
        } finally {
            orphan.destroyForcibly();
            NetnsLab.runRoot("sh", "-c", "ip netns delete " + ghost + " 2>/dev/null || true");
        }
    }

    @Test
    void shutdownHookRemovesTheLabWhenTheJvmIsTerminated() throws Exception {
        Process jvm = new ProcessBuilder(NetnsLab.javaCommand(List.of(), AbandonedLabMain.class.getName(), List.of()))
                .redirectErrorStream(true).start();
        try {
            String line = new java.io.BufferedReader(new java.io.InputStreamReader(jvm.getInputStream())).readLine();
            assertNotNull(line, "child JVM printed nothing");
            String[] words = line.split(" "); // "lab <prefix> sleep <pid>"
            assertEquals("lab", words[0], line);
            String prefix = words[1];
            long sleepPid = Long.parseLong(words[3]);
            assertTrue(NetnsLab.listNamespaces().stream().anyMatch(ns -> ns.startsWith(prefix)));

            jvm.destroy(); // SIGTERM: the JVM runs its shutdown hooks
            assertTrue(jvm.waitFor(20, java.util.concurrent.TimeUnit.SECONDS), "child JVM did not exit");

            assertFalse(NetnsLab.listNamespaces().stream().anyMatch(ns -> ns.startsWith(prefix)),
                    "namespaces left: " + NetnsLab.listNamespaces());
            assertFalse(NetnsLab.isRunning(sleepPid), "lab process survived its JVM");
        } finally {
            jvm.destroyForcibly();
        }
    }

    @Test
    void startJavaRunsAMainClassInsideTheNamespace(NetnsLab lab) {
        Host server = lab.host("server");
        Host client = lab.host("client");
        lab.link(server, "eth0", client, "eth0");
        server.addr("eth0", "10.4.0.1/24");
        client.addr("eth0", "10.4.0.2/24");

        LabProcess echo = lab.startJava(server, UdpEchoMain.class.getName(), List.of("7777"));
        echo.waitForOutput("ready on udp 7777", Duration.ofSeconds(30));

        assertTrue(echo.output().contains("interfaces eth0,lo"), echo.output());
        Result reply = client.exec("sh", "-c", "echo hello | socat -t 2 - UDP:10.4.0.1:7777");
        assertEquals("echo:hello\n", reply.stdout(), reply.toString());
    }

    @Test
    void captureSeesThePingsAndSummarisesFrames(NetnsLab lab) {
        Host a = lab.host("a");
        Host b = lab.host("b");
        lab.link(a, "eth0", b, "eth0");
        a.addr("eth0", "10.1.0.1/24");
        b.addr("eth0", "10.1.0.2/24");

        Capture capture = b.capture("eth0", "icmp");
        a.run("ping", "-c", "3", "-i", "0.2", "-W", "2", "10.1.0.2");
        Path pcap = capture.stop();

        assertTrue(Files.exists(pcap));
        assertEquals(3, capture.countMatching("icmp.type == 8 && ip.src == 10.1.0.1 && ip.dst == 10.1.0.2"));
        assertEquals(3, capture.countMatching("icmp.type == 0"));
        // Offloads are off, so the kernel's own frames carry complete, correct checksums.
        assertEquals(0, capture.countMatching("ip.checksum.status == \"Bad\" || icmp.checksum.status == \"Bad\""));
        List<CapturedFrame> frames = capture.packets();
        assertEquals(6, frames.size());
        assertTrue(frames.stream().allMatch(f -> f.has("icmp")), frames.toString());
        assertEquals("10.1.0.1", frames.getFirst().source());
        assertTrue(frames.getFirst().info().contains("Echo (ping) request"), frames.getFirst().info());
    }

    @Test
    void udpChecksumsOverVethAreCompleteOnlyBecauseTxOffloadIsOff(NetnsLab lab) {
        Host a = lab.host("a");
        Host b = lab.host("b");
        lab.link(a, "eth0", b, "eth0");
        a.addr("eth0", "10.1.0.1/24");
        b.addr("eth0", "10.1.0.2/24");

        Capture offloadOff = b.capture("eth0", "udp port 9999");
        a.run("sh", "-c", "echo payload | socat -u - UDP:10.1.0.2:9999");
        assertEquals(1, offloadOff.countMatching("udp"));
        assertEquals(0, offloadOff.countMatching("udp.checksum.status == \"Bad\""));

        // Why the lab turns offload off: with it on, veth delivers a partial checksum to every capture.
        a.run("ethtool", "-K", "eth0", "tx", "on");
        Capture offloadOn = b.capture("eth0", "udp port 9999");
        a.run("sh", "-c", "echo payload | socat -u - UDP:10.1.0.2:9999");
        assertEquals(1, offloadOn.countMatching("udp.checksum.status == \"Bad\""));
    }

    @Test
    void espDecoderVerifiesScapyAesGcmAndFlagsAWrongKey(NetnsLab lab) throws Exception {
        Capture capture = sendScapyEsp(lab, List.of("--crypt", "AES-GCM", "--crypt-key", GCM_KEY_AND_SALT,
                "--tunnel-src", "192.0.2.1", "--tunnel-dst", "192.0.2.2"));

        EspDecryption right = capture.decryptEsp(EspSa.aesGcm16("192.0.2.1", "192.0.2.2", 0x1001, GCM_KEY_AND_SALT));
        assertEquals(3, right.packets().size());
        assertEquals(3, right.goodIcv());
        assertEquals(0, right.badIcv());
        for (EspPacket p : right.packets()) {
            assertEquals(0x1001, p.spi());
            assertTrue(p.decrypted());
            assertEquals("ip:icmp:data", p.innerProtocols());
        }
        assertEquals(List.of(1L, 2L, 3L), right.packets().stream().map(EspPacket::sequence).toList());

        String wrongKey = "ff" + GCM_KEY_AND_SALT.substring(2);
        EspDecryption wrong = capture.decryptEsp(EspSa.aesGcm16("192.0.2.1", "192.0.2.2", 0x1001, wrongKey));
        assertEquals(0, wrong.goodIcv());
        assertEquals(0, wrong.noSa());
        // With a wrong GCM key tshark dissects garbage before its verdict; ~2% of frames end without one.
        assertEquals(3, wrong.badIcv() + wrong.unreported(), wrong.toString());
        assertEquals(3, wrong.notGood());

        EspDecryption noSa = capture.decryptEsp();
        assertEquals(3, noSa.noSa());
    }

    @Test
    void espDecoderVerifiesScapyAesCbcHmacSha256AndFlagsAWrongKey(NetnsLab lab) throws Exception {
        Capture capture = sendScapyEsp(lab, List.of("--crypt", "AES-CBC", "--crypt-key", CBC_KEY,
                "--auth", "SHA2-256-128", "--auth-key", HMAC_KEY));

        EspDecryption right = capture.decryptEsp(EspSa.aesCbcHmacSha256("10.9.0.1", "10.9.0.2", 0x1001, CBC_KEY, HMAC_KEY));
        assertEquals(3, right.goodIcv());
        assertEquals(0, right.badIcv());
        // Transport mode: ICMP follows ESP directly.
        assertTrue(right.packets().stream().allMatch(p -> p.innerProtocols().equals("icmp:data")), right.toString());

        String wrongHmac = "22" + HMAC_KEY.substring(2);
        EspDecryption wrong = capture.decryptEsp(EspSa.aesCbcHmacSha256("10.9.0.1", "10.9.0.2", 0x1001, CBC_KEY, wrongHmac));
        assertEquals(0, wrong.goodIcv());
        assertEquals(3, wrong.badIcv());

        // Same keys but another SPI: tshark has no SA for these frames and cannot check them.
        EspDecryption otherSpi = capture.decryptEsp(EspSa.aesCbcHmacSha256("10.9.0.1", "10.9.0.2", 0x2002, CBC_KEY, HMAC_KEY));
        assertEquals(3, otherSpi.noSa());
    }

    @Test
    void espDecoderVerifiesEspInUdp4500AndIpv6Outer(NetnsLab lab) throws Exception {
        Host a = lab.host("a");
        Host b = lab.host("b");
        lab.link(a, "eth0", b, "eth0");
        Capture capture = b.capture("eth0", "esp or udp port 4500");
        sendScapyEsp(a, List.of("--spi", "0x3003", "--crypt", "AES-GCM", "--crypt-key", GCM_KEY_AND_SALT,
                "--tunnel-src", "192.0.2.1", "--tunnel-dst", "192.0.2.2", "--udp-encap"));
        sendScapyEsp(a, List.of("--spi", "0x6006", "--crypt", "AES-CBC", "--crypt-key", CBC_KEY,
                "--auth", "SHA2-256-128", "--auth-key", HMAC_KEY, "--tunnel-src", "2001:db8::1",
                "--tunnel-dst", "2001:db8::2"));

        assertEquals(3, capture.countMatching("udp.port == 4500 && esp"));
        assertEquals(3, capture.countMatching("ipv6 && esp"));
        EspDecryption both = capture.decryptEsp(
                EspSa.aesGcm16("192.0.2.1", "192.0.2.2", 0x3003, GCM_KEY_AND_SALT),
                EspSa.aesCbcHmacSha256("2001:db8::1", "*", 0x6006, CBC_KEY, HMAC_KEY));
        assertEquals(6, both.goodIcv(), both.toString());
        assertEquals(0, both.badIcv());
        // The IPv6 SA must not match an IPv4 frame: with only it, the UDP-encapsulated frames have no SA.
        EspDecryption v6Only = capture.decryptEsp(EspSa.aesCbcHmacSha256("2001:db8::1", "*", 0x6006, CBC_KEY, HMAC_KEY));
        assertEquals(3, v6Only.goodIcv());
        assertEquals(3, v6Only.noSa());
    }

    /** Two hosts; scapy on "a" sends 3 ESP frames (SPI 0x1001, inner 10.9.0.1 -> 10.9.0.2) captured on "b". */
    private static Capture sendScapyEsp(NetnsLab lab, List<String> saArgs) throws URISyntaxException {
        Host a = lab.host("a");
        Host b = lab.host("b");
        lab.link(a, "eth0", b, "eth0");
        Capture capture = b.capture("eth0", "esp");
        List<String> args = new java.util.ArrayList<>(List.of("--spi", "0x1001"));
        args.addAll(saArgs);
        sendScapyEsp(a, args);
        capture.stop();
        assertEquals(3, capture.countMatching("esp"));
        return capture;
    }

    /** Runs send_esp.py on {@code host}: 3 ICMP echoes 10.9.0.1 -> 10.9.0.2 out of eth0, protected as saArgs say. */
    private static void sendScapyEsp(Host host, List<String> saArgs) throws URISyntaxException {
        List<String> cmd = new java.util.ArrayList<>(List.of("/usr/bin/python3", sendEspScript().toString(),
                "--iface", "eth0", "--src", "10.9.0.1", "--dst", "10.9.0.2", "--count", "3"));
        cmd.addAll(saArgs);
        Result sent = host.exec(cmd.toArray(String[]::new)).requireSuccess();
        assertTrue(sent.stdout().contains("sent 3"), sent.toString());
    }

    private static Path sendEspScript() throws URISyntaxException {
        return Path.of(NetnsLabTest.class.getResource("send_esp.py").toURI());
    }

    private static List<ProcessHandle> waitForDescendants(LabProcess p, int count) {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        ProcessHandle root = ProcessHandle.of(p.pid()).orElseThrow();
        while (System.nanoTime() < deadline) {
            List<ProcessHandle> d = root.descendants().toList();
            if (d.size() >= count) {
                return d;
            }
            NetnsLab.sleep(Duration.ofMillis(20));
        }
        throw new AssertionError("no " + count + " children of " + p);
    }
}
