// IKEv2 against strongSwan 5.9 (kernel-libipsec) in the namespace lab: site A is our appliance, site B's router
// runs charon (site B's bump position is a plain kernel bridge). Both roles, the proposals the issue names, and
// traffic that must arrive intact — with the WAN carrying only IKE and ESP-in-UDP.
package bitw.appliance;

import static org.junit.jupiter.api.Assertions.*;

import bitw.lab.Capture;
import bitw.lab.NetnsLab;
import bitw.lab.NetnsLabExtension;
import bitw.lab.Result;
import bitw.lab.StrongSwan;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

@Tag("netns")
@ExtendWith(NetnsLabExtension.class)
class IkeInteropWireTest {
    static final List<String> PROPOSALS = List.of("aes128gcm16-prfsha256-ecp256", "aes256-sha256-modp2048", "aes256gcm16-prfsha384-ecp384");
    static final String PSK = "interop-psk-0123456789abcdef";
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
        charon.swanctl("--terminate", "--ike", "a", "--force", "--timeout", "2");
    }

    static String esp(String ike) {
        return ike.startsWith("aes128gcm16") ? "aes128gcm16" : ike.startsWith("aes256gcm16") ? "aes256gcm16" : "aes256-sha256";
    }

    static String applianceConfig(String ike, String start) {
        return """
                hostname site-a
                interface inside device in
                interface outside device out
                address 192.0.2.2/29 gateway 192.0.2.1
                connection to-b peer 203.0.113.2 remote-id 203.0.113.2 auth psk psk %s \\
                    ike-proposal %s esp-proposal %s local-net 10.1.0.0/24 remote-net 10.2.0.0/24 start %s
                policy 10 from 10.1.0.0/24 to 10.2.0.0/24 action configured tunnel to-b fallback hold
                policy 100 from any to any action permit
                default-action deny
                """.formatted(PSK, ike, esp(ike), start);
    }

    static String charonConfig(String ike, String startAction) {
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
                                local_ts = 10.2.0.0/24
                                remote_ts = 10.1.0.0/24
                                esp_proposals = %s
                                start_action = %s
                            }
                        }
                    }
                }
                secrets {
                    ike-a { id-a = 192.0.2.2
                            id-b = 203.0.113.2
                            secret = "%s" }
                }
                """.formatted(ike, esp(ike), startAction, PSK);
    }

    private static void startApplianceAOnly(String config) {
        sites.stop();
        sites.applianceA = sites.startAppliance(sites.apA, config, sites.lab.directory().resolve("ike-a-" + System.nanoTime() + ".sock"));
        sites.applianceA.waitForOutput("data plane running", Duration.ofSeconds(30));
    }

    /** The first ping is held while IKE runs and then sent (it must be answered); the next ones all cross. */
    private static void pingsArriveAndWanCarriesOnlyIkeAndEsp(bitw.lab.Host from, String to, boolean negotiatesDuringCapture) {
        Capture wan = sites.captureWan();
        Result first = from.exec(Duration.ofSeconds(20), "ping", "-c", "1", "-W", "10", to);
        Result r = from.exec(Duration.ofSeconds(40), "ping", "-c", "4", "-i", "0.2", "-W", "3", to);
        wan.stop();
        String context = "\n--- appliance:\n" + sites.applianceA.output() + "\n--- charon:\n" + charon.listSas();
        assertEquals(0, first.exitCode(), "the first packet was held until the SA was up, then sent:\n" + first.stdout() + context);
        assertTrue(r.stdout().contains("4 received"), r.stdout() + context);
        assertEquals(0, wan.countMatching("icmp && !esp"), "no cleartext on the WAN");
        if (negotiatesDuringCapture) assertTrue(wan.countMatching("isakmp") >= 2, "IKE on the wire");
        assertEquals(10, wan.countMatching("esp"), "every ping in ESP (in UDP 4500 with kernel-libipsec)");
    }

    @ParameterizedTest(name = "{0}")
    @FieldSource("PROPOSALS")
    void applianceInitiatesOnTrafficWithPsk(String proposal) throws Exception {
        charon.load(charonConfig(proposal, "none"));
        startApplianceAOnly(applianceConfig(proposal, "on-traffic"));
        pingsArriveAndWanCarriesOnlyIkeAndEsp(sites.hA, "10.2.0.20", true);
        assertTrue(charon.listSas().contains("ESTABLISHED"), charon.listSas());
        sites.transfersBothWays(2 << 20, proposal.hashCode(), () -> "\n--- charon:\n" + charon.listSas());
    }

    @ParameterizedTest(name = "{0}")
    @FieldSource("PROPOSALS")
    void strongSwanInitiatesAndTheApplianceResponds(String proposal) throws Exception {
        charon.load(charonConfig(proposal, "none"));
        startApplianceAOnly(applianceConfig(proposal, "wait"));
        Result init = charon.initiate("net");
        assertEquals(0, init.exitCode(), init.stdout() + init.stderr() + "\n--- appliance:\n" + sites.applianceA.output());
        pingsArriveAndWanCarriesOnlyIkeAndEsp(sites.hB, "10.1.0.10", false);
        sites.transfersBothWays(2 << 20, proposal.hashCode(), () -> "\n--- charon:\n" + charon.listSas());
    }
}
