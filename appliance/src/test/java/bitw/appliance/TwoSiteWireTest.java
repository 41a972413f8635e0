// Two real appliances between two LANs in network namespaces: what crosses the WAN is only ESP/AH, tshark (an
// independent implementation) decrypts it and verifies every ICV, and traffic arrives intact both ways.
package bitw.appliance;

import static org.junit.jupiter.api.Assertions.*;

import bitw.lab.Capture;
import bitw.lab.EspDecryption;
import bitw.lab.NetnsLab;
import bitw.lab.NetnsLabExtension;
import bitw.lab.Result;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

@Tag("netns")
@ExtendWith(NetnsLabExtension.class)
class TwoSiteWireTest {
    static final java.util.List<SiteConfigs.Transform> TRANSFORMS = SiteConfigs.ALL;
    static TwoSites sites;

    @BeforeAll
    static void build(NetnsLab lab) { sites = new TwoSites(lab); }

    @AfterEach
    void stop() { sites.stop(); }

    private static void pingsBothFamilies(int count) {
        for (String dst : new String[] {"10.2.0.20", "2001:db8:2::20"}) {
            Result r = sites.hA.exec(Duration.ofSeconds(30), "ping", "-c", Integer.toString(count), "-i", "0.2", "-W", "2", dst);
            assertEquals(0, r.exitCode(), "ping " + dst + ":\n" + r.stdout() + "\nA:\n" + sites.statusA() + "\nB:\n" + sites.statusB());
        }
    }

    @ParameterizedTest(name = "{0}")
    @FieldSource("TRANSFORMS")
    void everyTransformCarriesIpv4AndIpv6AndTsharkVerifiesEveryIcv(SiteConfigs.Transform t) {
        SiteConfigs c = new SiteConfigs(t, "tunnel", "tunnel", false, t.label().hashCode());
        sites.start(c.siteA(), c.siteB());
        Capture wan = sites.captureWan();
        pingsBothFamilies(3);
        wan.stop();
        String wire = t.protocol().equals("ah") ? "ah" : "esp";
        int protectedFrames = wan.countMatching(wire);
        assertEquals(12, protectedFrames, () -> "3 echo requests and replies per family, each one " + wire + " frame; on the wire"
                + (wire.equals("esp") ? " (decrypted):\n" + wan.decryptedSummary(wire, c.tsharkSas().toArray(bitw.lab.EspSa[]::new)) : ":\n"
                + wan.fields(wire, "frame.time_relative", "ip.src", "ipv6.src", wire + ".spi", wire + ".sequence", "frame.len").stream()
                        .map(f -> String.join(" ", f)).collect(java.util.stream.Collectors.joining("\n"))));
        assertEquals(0, wan.countMatching("(icmp || icmpv6.type == 128 || icmpv6.type == 129) && !esp && !ah"), "no cleartext ping on the WAN");
        if (!c.tsharkSas().isEmpty()) {
            EspDecryption d = wan.decryptEsp(c.tsharkSas().toArray(bitw.lab.EspSa[]::new));
            assertEquals(12, d.goodIcv(), "tshark verified every ICV: " + d);
            assertEquals(0, d.notGood(), "tshark: " + d);
        }
    }

    @Test
    void tcpTransfersOf20MegabytesArriveIntactBothWaysOverIpv4AndIpv6() throws Exception {
        SiteConfigs c = new SiteConfigs(SiteConfigs.AES128GCM, "tunnel", "tunnel", false, 7);
        c.esn = true; // appliance to appliance: 64-bit sequence numbers on the wire
        sites.start(c.siteA(), c.siteB());
        Path data = sites.lab.directory().resolve("20MB.bin");
        byte[] bytes = new byte[20 << 20];
        new Random(20).nextBytes(bytes);
        Files.write(data, bytes);
        String sum = sha256(bytes);
        transfer(sites.hA, sites.hB, "10.2.0.20", data, sum);
        transfer(sites.hB, sites.hA, "10.1.0.10", data, sum);
        transfer(sites.hA, sites.hB, "2001:db8:2::20", data, sum);
        transfer(sites.hB, sites.hA, "2001:db8:1::10", data, sum);
        String json = sites.status(sites.controlA, "status json");
        assertTrue(saBytes(json, "to-b", "out") >= 20 << 20, "SA counters account the transfer: " + json);
        assertTrue(saBytes(json, "to-b6", "in") >= 20 << 20, json);
    }

    static long saBytes(String json, String tunnel, String dir) {
        Matcher m = Pattern.compile("\\{\"tunnel\":\"" + tunnel + "\",\"direction\":\"" + dir + "\"[^}]*?\"bytes\":(\\d+)").matcher(json);
        assertTrue(m.find(), "no SA " + tunnel + "/" + dir + " in " + json);
        return Long.parseLong(m.group(1));
    }

    private static void transfer(bitw.lab.Host from, bitw.lab.Host to, String dst, Path file, String sum) throws Exception {
        sites.transfer(from, to, dst, file, sum, () -> "");
    }

    static String sha256(byte[] b) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    }

    @Test
    void iiptranOnOneSideInteroperatesWithTunnelModeOnTheOther() {
        SiteConfigs c = new SiteConfigs(SiteConfigs.AES128GCM, "iiptran", "tunnel", false, 11);
        sites.start(c.siteA(), c.siteB());
        Capture wan = sites.captureWan();
        pingsBothFamilies(3);
        wan.stop();
        EspDecryption d = wan.decryptEsp(c.tsharkSas().toArray(bitw.lab.EspSa[]::new));
        assertEquals(12, d.goodIcv(), d.toString());
    }

    @Test
    void espInUdp4500CarriesTrafficAndKeepalivesFlow() throws Exception {
        SiteConfigs c = new SiteConfigs(SiteConfigs.AES128GCM, "tunnel", "tunnel", true, 13);
        c.extraA = "nat-keepalive 1\n";
        sites.start(c.siteA(), c.siteB());
        Capture wan = sites.captureWan();
        pingsBothFamilies(2);
        Thread.sleep(2500);
        wan.stop();
        assertEquals(0, wan.countMatching("esp && !udp"), "no plain ESP when encapsulating");
        assertEquals(8, wan.countMatching("udp.port == 4500 && esp"), "every ping in ESP-in-UDP");
        EspDecryption d = wan.decryptEsp(c.tsharkSas().toArray(bitw.lab.EspSa[]::new));
        assertEquals(8, d.goodIcv(), d.toString());
        assertTrue(wan.countMatching("udp.srcport == 4500 && udp.length == 9 && ip.src == 192.0.2.2") >= 1, "NAT-T keepalives from A");
    }

    @Test
    void denyDropsPermitPassesConfiguredNeverLeaksAndCountersMatch() throws Exception {
        SiteConfigs c = new SiteConfigs(SiteConfigs.AES128GCM, "tunnel", "tunnel", false, 17);
        c.extraA = "policy 5 from 10.1.0.10/32 to 10.2.0.20/32 proto udp dport 9 action deny\n";
        sites.start(c.siteA(), c.siteB());
        Capture wan = sites.captureWan();
        pingsBothFamilies(5);
        sites.hA.exec("sh", "-c", "for i in 1 2 3 4; do echo x | socat -u - UDP4:10.2.0.20:9; done");
        Thread.sleep(300);
        wan.stop();
        String a = sites.status(sites.controlA, "status json");
        assertTrue(a.contains("\"POLICY_DENY\":4"), "four denied datagrams counted: " + a);
        assertTrue(a.contains("\"name\":\"policy-10\",\"action\":\"CONFIGURED\",\"outPackets\":5,"), "5 echo requests out under policy 10: " + a);
        assertTrue(a.contains("\"name\":\"policy-10\",\"action\":\"CONFIGURED\",\"outPackets\":5,\"outBytes\":420,\"inPackets\":5,"), a);
        assertEquals(0, wan.countMatching("udp.dstport == 9"), "denied traffic never reached the WAN");

        // Kill B: A still encrypts (ESP to a dead peer), nothing leaks.
        sites.applianceB.stop();
        Capture wan2 = sites.captureWan();
        sites.hA.exec(Duration.ofSeconds(10), "ping", "-c", "3", "-i", "0.2", "-W", "1", "10.2.0.20");
        wan2.stop();
        assertEquals(3, wan2.countMatching("esp && ip.src == 192.0.2.2"));
        assertEquals(0, wan2.countMatching("icmp && !esp"), "no cleartext while the peer is gone");
    }

    @Test
    void expiredSasDropTrafficInsteadOfSendingItClear() throws Exception {
        SiteConfigs c = new SiteConfigs(SiteConfigs.AES128GCM, "tunnel", "tunnel", false, 19);
        c.tunnelOptions = " lifetime-seconds 1/2";
        sites.start(c.siteA(), c.siteB());
        Thread.sleep(3500); // past the hard lifetime: the SAs are gone
        Capture wan = sites.captureWan();
        Result r = sites.hA.exec(Duration.ofSeconds(10), "ping", "-c", "3", "-i", "0.2", "-W", "1", "10.2.0.20");
        wan.stop();
        assertNotEquals(0, r.exitCode(), "no SA, no traffic");
        assertEquals(0, wan.countMatching("ip.src == 10.1.0.10 || ip.src == 192.0.2.2"), "nothing left A at all: " + wan.packets());
        assertTrue(sites.status(sites.controlA, "status json").contains("\"NO_SA\":3"), sites.statusA());
        assertTrue(sites.applianceA.output().contains("expired and was removed"), sites.applianceA.output());
    }

    @Test
    void replayedCorruptedTruncatedUnknownAndMalformedFramesAreDroppedCountedAndLoggedOnce() throws Exception {
        SiteConfigs c = new SiteConfigs(SiteConfigs.AES128GCM, "tunnel", "tunnel", false, 23);
        sites.start(c.siteA(), c.siteB());
        Capture toB = sites.rB.capture("lan", "esp");
        pingsBothFamilies(1);
        Path pcap = toB.stop();
        String script = String.join("\n",
                "from scapy.all import *",
                "f = [p for p in rdpcap('" + pcap + "') if p.haslayer(IP) and p[IP].proto == 50][0]",
                "raw = bytes(f)",
                "frames = [raw] * 3",                                                  // replays
                "c = bytearray(raw); c[-5] ^= 1; c[14+24:14+28] = (10**6).to_bytes(4, 'big'); frames.append(bytes(c))",  // bad ICV, fresh seq
                "frames.append(raw[:14+20+6])",                                        // truncated ESP header
                "u = bytearray(raw); u[14+20:14+24] = b'\\x00\\x00\\x77\\x77'; frames.append(bytes(u))",  // unknown SPI
                "m = bytearray(raw); m[14] = 0x4f; frames.append(bytes(m))",           // IHL beyond the packet
                "frames.append(raw[:10])",                                             // runt frame
                "for x in frames: sendp(Raw(x), iface='lan', verbose=False)");
        Path py = sites.lab.directory().resolve("bad.py");
        Files.writeString(py, script);
        Result r = sites.rB.exec(Duration.ofSeconds(60), "/usr/bin/python3", py.toString());
        assertEquals(0, r.exitCode(), r.stderr());
        Thread.sleep(500);
        String b = sites.status(sites.controlB, "status json");
        assertTrue(b.matches("(?s).*\"MALFORMED\":[12],.*"), "the bad IP header (and the runt frame, if the kernel sends it) " + b);
        for (String reason : new String[] {"\"REPLAY\":3", "\"ICV_FAILED\":1", "\"TRUNCATED\":1", "\"UNKNOWN_SPI\":1"})
            assertTrue(b.contains(reason), reason + " in " + b);
        String log = sites.applianceB.output();
        assertEquals(1, count(log, "dropped a frame: REPLAY"), "the log names a reason once, not per packet:\n" + log);
        assertTrue(sites.applianceB.isAlive());
        pingsBothFamilies(1);
    }

    static int count(String s, String what) {
        int n = 0;
        for (int i = s.indexOf(what); i >= 0; i = s.indexOf(what, i + 1)) n++;
        return n;
    }

    @Test
    void oversizedDfPacketsGetIcmpBackAndOthersAreFragmentedAndArrive() {
        SiteConfigs c = new SiteConfigs(SiteConfigs.AES128GCM, "iiptran", "iiptran", false, 29);
        sites.start(c.siteA(), c.siteB());
        Result df = sites.hA.exec(Duration.ofSeconds(10), "ping", "-c", "1", "-M", "do", "-s", "1472", "-W", "2", "10.2.0.20");
        assertTrue(df.stdout().contains("Frag needed") && df.stdout().contains("mtu = "), "ICMP fragmentation-needed: " + df.stdout());
        Result big = sites.hA.exec(Duration.ofSeconds(10), "ping", "-c", "3", "-i", "0.2", "-M", "dont", "-s", "3000", "-W", "2", "10.2.0.20");
        // All three, not just one: B meets host B's MAC with these fragments and must deliver every one of them.
        assertTrue(big.stdout().contains("3 received"), "fragmented pings arrive: " + big.stdout() + sites.statusA() + sites.statusB());
        Result v6 = sites.hA.exec(Duration.ofSeconds(10), "ping", "-c", "1", "-M", "do", "-s", "1452", "-W", "2", "2001:db8:2::20");
        assertTrue(v6.stdout().contains("Packet too big") && v6.stdout().contains("mtu="), "ICMPv6 packet-too-big: " + v6.stdout());
        Result v6big = sites.hA.exec(Duration.ofSeconds(10), "ping", "-c", "3", "-i", "0.2", "-s", "3000", "-W", "2", "2001:db8:2::20");
        // Every request arrives whole. The first reply cannot: host B sends it in 1500-byte fragments, B answers with
        // Packet Too Big (IPv6 is never fragmented on the way), and host B's next replies fit.
        String reassembled = sites.hB.exec("sh", "-c", "grep Ip6ReasmOKs /proc/net/snmp6").stdout();
        assertTrue(reassembled.matches("Ip6ReasmOKs\\s+3\\s*"), "host B reassembled all three requests: " + reassembled + v6big.stdout() + sites.statusB());
        assertTrue(v6big.stdout().contains("icmp_seq=2") && v6big.stdout().contains("icmp_seq=3"),
                "IPv6 source fragments to the learned MTU: " + v6big.stdout() + sites.statusB());
    }

    @Test
    void nothingForwardsOnceTheApplianceDies() throws Exception {
        SiteConfigs c = new SiteConfigs(SiteConfigs.AES128GCM, "tunnel", "tunnel", false, 31);
        c.extraA = "policy 20 from 10.1.0.0/24 to 10.1.0.1/32 action permit\n";
        sites.start(c.siteA(), c.siteB());
        assertEquals(0, sites.hA.exec(Duration.ofSeconds(10), "ping", "-c", "1", "-W", "2", "10.1.0.1").exitCode(), "permitted: the router answers");
        sites.hA.exec("kill", "-9", Long.toString(sites.applianceA.pid()));
        Thread.sleep(300);
        Capture lan = sites.rA.capture("lan", "ip");
        Result r = sites.hA.exec(Duration.ofSeconds(10), "ping", "-c", "3", "-i", "0.2", "-W", "1", "10.1.0.1");
        lan.stop();
        assertNotEquals(0, r.exitCode());
        assertEquals(0, lan.packets().size(), "with the appliance dead, nothing crosses it");
    }
}
