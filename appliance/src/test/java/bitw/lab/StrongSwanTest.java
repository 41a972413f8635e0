// The strongSwan fixture works: two charons (kernel-libipsec) build a PSK tunnel and hosts behind them talk
// through it, with only ESP-in-UDP on the WAN. IKE interop tests and the benchmark stand on this.
package bitw.lab;

import static org.junit.jupiter.api.Assertions.*;

import java.time.Duration;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@Tag("netns")
@ExtendWith(NetnsLabExtension.class)
class StrongSwanTest {
    static String conf(String me, String peer, String localNet, String remoteNet) {
        return """
                connections {
                    gw {
                        version = 2
                        local_addrs = %s
                        remote_addrs = %s
                        proposals = aes128gcm16-prfsha256-ecp256
                        mobike = no
                        local { auth = psk
                                id = %s }
                        remote { auth = psk
                                 id = %s }
                        children {
                            net {
                                local_ts = %s
                                remote_ts = %s
                                esp_proposals = aes128gcm16
                            }
                        }
                    }
                }
                secrets {
                    ike-gw { id-a = %s
                             id-b = %s
                             secret = "lab secret for strongswan fixture" }
                }
                """.formatted(me, peer, me, peer, localNet, remoteNet, me, peer);
    }

    @Test
    void twoCharonsCarryTrafficInEspInUdp(NetnsLab lab) {
        Host hA = lab.host("hA"), rA = lab.host("rA"), rB = lab.host("rB"), hB = lab.host("hB");
        lab.link(hA, "eth0", rA, "lan");
        lab.link(rA, "wan", rB, "wan");
        lab.link(rB, "lan", hB, "eth0");
        hA.addr("eth0", "10.1.0.10/24").route("default", "10.1.0.1");
        hB.addr("eth0", "10.2.0.20/24").route("default", "10.2.0.1");
        rA.forwarding(true).addr("lan", "10.1.0.1/24").addr("wan", "203.0.113.1/30");
        rB.forwarding(true).addr("lan", "10.2.0.1/24").addr("wan", "203.0.113.2/30");
        StrongSwan a = StrongSwan.start(rA, ""), b = StrongSwan.start(rB, "");
        a.load(conf("203.0.113.1", "203.0.113.2", "10.1.0.0/24", "10.2.0.0/24"));
        b.load(conf("203.0.113.2", "203.0.113.1", "10.2.0.0/24", "10.1.0.0/24"));
        Result init = a.initiate("net");
        assertEquals(0, init.exitCode(), init.stdout() + init.stderr() + a.log());
        Capture wan = rA.capture("wan", "udp");
        Result ping = hA.exec(Duration.ofSeconds(20), "ping", "-c", "3", "-i", "0.2", "-W", "2", "10.2.0.20");
        wan.stop();
        assertEquals(0, ping.exitCode(), ping.stdout() + "\n" + a.listSas() + a.log());
        assertEquals(6, wan.countMatching("udp.port == 4500 && esp"), "pings crossed in ESP-in-UDP");
        assertEquals(0, wan.countMatching("icmp"), "no cleartext");
        assertTrue(a.listSas().contains("ESTABLISHED"), a.listSas());
    }
}
