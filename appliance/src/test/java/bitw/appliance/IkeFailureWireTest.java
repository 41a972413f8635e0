// Negotiations that must fail, against strongSwan 5.9 in the namespace lab, in both roles: no common IKE proposal,
// no common ESP proposal, a wrong pre-shared key, traffic selectors the responder will not accept. Each time the
// appliance's log names the failure and its reason, and strongSwan's log shows the notify on the wire (sent or
// received). Then traffic under an on-traffic connection that keeps failing: the appliance logs each failure with
// its back-off, and the WAN shows IKE_SA_INIT requests 5 s and then 10 s apart, not one per acquire (1/s).
package bitw.appliance;

import static org.junit.jupiter.api.Assertions.*;

import bitw.lab.Capture;
import bitw.lab.LabProcess;
import bitw.lab.NetnsLab;
import bitw.lab.NetnsLabExtension;
import bitw.lab.Result;
import bitw.lab.StrongSwan;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

@Tag("netns")
@ExtendWith(NetnsLabExtension.class)
class IkeFailureWireTest {
    static final String PSK = "failure-psk-0123456789abcdef";
    static TwoSites sites;
    static StrongSwan charon;

    /**
     * What strongSwan is given wrong, and what each side must say about it: the appliance's log (a regex on its
     * Failed event) and strongSwan's log, when the appliance initiates and when strongSwan does.
     */
    enum Mismatch {
        IKE_PROPOSAL("aes256-sha256-modp2048", "aes128gcm16", PSK, "10.2.0.0/24",
                "failure=NO_PROPOSAL_CHOSEN, message=peer answered IKE_SA_INIT with NO_PROPOSAL_CHOSEN; failure \\d+ in a row",
                "generating IKE_SA_INIT response 0 \\[ N\\(NO_PROP\\) \\]",
                "failure=NO_PROPOSAL_CHOSEN, message=peer 203.0.113.2:500: no IKE proposal in common: peer offered",
                "received NO_PROPOSAL_CHOSEN notify error"),
        ESP_PROPOSAL("aes128gcm16-prfsha256-ecp256", "aes256-sha256", PSK, "10.2.0.0/24",
                "failure=NO_PROPOSAL_CHOSEN, message=peer answered the first Child SA with NO_PROPOSAL_CHOSEN; failure \\d+ in a row",
                "generating IKE_AUTH response 1 \\[[^]]*N\\(NO_PROP\\)",
                "failure=NO_PROPOSAL_CHOSEN, message=first Child SA: no ESP proposal in common: peer offered",
                "received NO_PROPOSAL_CHOSEN notify, no CHILD_SA built"),
        PRESHARED_KEY("aes128gcm16-prfsha256-ecp256", "aes128gcm16", "not-the-same-psk-9876543210", "10.2.0.0/24",
                "failure=AUTHENTICATION_FAILED, message=peer answered IKE_AUTH with AUTHENTICATION_FAILED; failure \\d+ in a row",
                "generating IKE_AUTH response 1 \\[ N\\(AUTH_FAILED\\) \\]",
                "failure=AUTHENTICATION_FAILED, message=peer 203.0.113.2:\\d+: \\S",
                "received AUTHENTICATION_FAILED notify error"),
        TRAFFIC_SELECTORS("aes128gcm16-prfsha256-ecp256", "aes128gcm16", PSK, "10.9.0.0/24",
                "failure=TS_UNACCEPTABLE, message=peer answered the first Child SA with TS_UNACCEPTABLE; failure \\d+ in a row",
                "generating IKE_AUTH response 1 \\[[^]]*N\\(TS_UNACCEPT\\)",
                "failure=TS_UNACCEPTABLE, message=first Child SA: \\S",
                "received TS_UNACCEPTABLE notify, no CHILD_SA built");

        final String ike, esp, secret, charonNets, applianceInitiates, charonResponds, applianceResponds, charonInitiates;

        Mismatch(String ike, String esp, String secret, String charonNets, String applianceInitiates, String charonResponds,
                 String applianceResponds, String charonInitiates) {
            this.ike = ike;
            this.esp = esp;
            this.secret = secret;
            this.charonNets = charonNets;
            this.applianceInitiates = applianceInitiates;
            this.charonResponds = charonResponds;
            this.applianceResponds = applianceResponds;
            this.charonInitiates = charonInitiates;
        }
    }

    @BeforeAll
    static void build(NetnsLab lab) {
        sites = new TwoSites(lab);
        sites.apB.bridge("br0", "in", "out");
        charon = StrongSwan.start(sites.rB, "");
    }

    @AfterAll
    static void stop() {
        sites.stop();
    }

    static String applianceConfig(String start) {
        return """
                hostname site-a
                interface inside device in
                interface outside device out
                address 192.0.2.2/29 gateway 192.0.2.1
                connection to-b peer 203.0.113.2 remote-id 203.0.113.2 auth psk psk %s \\
                    ike-proposal aes128gcm16-prfsha256-ecp256 esp-proposal aes128gcm16 \\
                    local-net 10.1.0.0/24 remote-net 10.2.0.0/24 start %s
                policy 10 from 10.1.0.0/24 to 10.2.0.0/24 action configured tunnel to-b fallback hold
                policy 100 from any to any action permit
                default-action deny
                """.formatted(PSK, start);
    }

    static String charonConfig(Mismatch m) {
        return """
                connections {
                    a {
                        version = 2
                        local_addrs = 203.0.113.2
                        remote_addrs = 192.0.2.2
                        proposals = %s
                        mobike = no
                        local { auth = psk
                                id = 203.0.113.2 }
                        remote { auth = psk
                                 id = 192.0.2.2 }
                        children {
                            net {
                                local_ts = %s
                                remote_ts = 10.1.0.0/24
                                esp_proposals = %s
                                start_action = none
                            }
                        }
                    }
                }
                secrets {
                    ike-a { id-a = 192.0.2.2
                            id-b = 203.0.113.2
                            secret = "%s" }
                }
                """.formatted(m.ike, m.charonNets, m.esp, m.secret);
    }

    private static String startedWith;

    private static void startAppliance(String start) {
        sites.stop();
        startedWith = start;
        sites.controlA = sites.lab.directory().resolve("fail-a-" + System.nanoTime() + ".sock");
        sites.applianceA = sites.startAppliance(sites.apA, applianceConfig(start), sites.controlA);
        sites.applianceA.waitForOutput("data plane running", Duration.ofSeconds(30));
        long end = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!Files.exists(sites.controlA) && System.nanoTime() < end) sleep(50);
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Mismatch.class)
    void failureIsNamedInBothLogsWhicheverSideInitiates(Mismatch m) {
        if (!"wait".equals(startedWith) || !sites.applianceA.isAlive()) startAppliance("wait");
        clear();
        charon.load(charonConfig(m));

        // The appliance initiates, strongSwan refuses.
        int ours = sites.applianceA.output().length(), theirs = charon.log().length();
        assertEquals("ok\n", sites.status(sites.controlA, "ike initiate to-b"));
        String failed = awaitLine(sites.applianceA, ours, "WARN.*ike: Failed\\[connection=to-b, " + m.applianceInitiates);
        assertTrue(Pattern.compile(m.charonResponds).matcher(charon.log().substring(theirs)).find(),
                "strongSwan sent the notify:\n" + charon.log().substring(theirs));
        System.out.println(m + ", appliance initiates; appliance logged: " + failed);

        // strongSwan initiates, the appliance refuses.
        clear();
        ours = sites.applianceA.output().length();
        theirs = charon.log().length();
        Result r = charon.initiate("net");
        assertNotEquals(0, r.exitCode(), "strongSwan could not set it up:\n" + r.stdout());
        failed = awaitLine(sites.applianceA, ours, "WARN.*ike: Failed\\[connection=to-b, " + m.applianceResponds);
        assertTrue(Pattern.compile(m.charonInitiates).matcher(charon.log().substring(theirs)).find(),
                "strongSwan received the notify:\n" + charon.log().substring(theirs));
        System.out.println(m + ", strongSwan initiates; appliance logged: " + failed);
        clear();
        assertFalse(sites.status(sites.controlA, "show sas json").contains("\"tunnel\":\"to-b\""), "no Child SA on the appliance");
    }

    /** Both sides forget what a failed child left behind (its IKE SA), so the next case starts clean. */
    private static void clear() {
        charon.swanctl("--terminate", "--ike", "a", "--force", "--timeout", "2");
        sites.status(sites.controlA, "ike terminate to-b");
        long end = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!sites.status(sites.controlA, "show ike json").startsWith("{\"ike\":[]") && System.nanoTime() < end) sleep(100);
    }

    @Test
    void trafficRetriesAFailingNegotiationWithBackOffNotOncePerSecond() {
        charon.load(charonConfig(Mismatch.IKE_PROPOSAL));
        startAppliance("on-traffic");
        int ours = sites.applianceA.output().length();
        Capture wan = sites.captureWan();
        // Pings for 13 s: the data plane asks for an SA about once a second the whole time.
        sites.hA.exec(Duration.ofSeconds(30), "ping", "-c", "65", "-i", "0.2", "-W", "1", "10.2.0.20");
        // One attempt = one new IKE SA (initiator SPI); retransmissions and COOKIE/INVALID_KE retries reuse its SPI.
        List<String[]> frames = wan.fields("isakmp.exchangetype == 34 && ip.src == 192.0.2.2", "frame.time_relative", "isakmp.ispi");
        java.util.Map<String, Double> attempts = new java.util.LinkedHashMap<>();
        for (String[] f : frames) attempts.putIfAbsent(f[1], Double.parseDouble(f[0]));
        List<Double> at = List.copyOf(attempts.values());
        String seen = "IKE_SA_INIT requests (time, SPI): " + frames.stream().map(f -> f[0] + " " + f[1]).toList();
        String log = sites.applianceA.output().substring(ours);
        assertTrue(log.contains("failure=NO_PROPOSAL_CHOSEN, message=peer answered IKE_SA_INIT with NO_PROPOSAL_CHOSEN;"
                + " failure 1 in a row: next attempt on traffic, not before 5 s]"), log);
        assertTrue(log.contains("failure 2 in a row: next attempt on traffic, not before 10 s]"), log);
        assertTrue(at.size() >= 2 && at.size() <= 3, "attempts in 13 s of traffic: " + seen);
        assertTrue(at.get(1) - at.get(0) >= 4.5 && at.get(1) - at.get(0) < 7, "5 s back-off: " + seen);
        if (at.size() == 3) assertTrue(at.get(2) - at.get(1) >= 9.5, "then 10 s: " + seen);
        assertEquals(0, wan.countMatching("icmp && ip.src == 10.1.0.10"), "held or dropped, never clear");
    }

    private static String awaitLine(LabProcess p, int from, String regex) {
        Pattern re = Pattern.compile(regex);
        long end = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (System.nanoTime() < end) {
            for (String l : p.output().substring(from).lines().toList()) if (re.matcher(l).find()) return l;
            sleep(100);
        }
        throw new AssertionError("no log line matching " + regex + " in:\n" + p.output().substring(from) + "\n--- charon:\n" + charon.log());
    }

    private static void sleep(long ms) {
        try { Thread.sleep(ms); } catch (InterruptedException e) { Thread.currentThread().interrupt(); throw new AssertionError(e); }
    }
}
