// The network-namespace test lab that every system test builds on (data plane, IKEv2 against strongSwan,
// opportunistic encryption with bind9, console). Needs root; tests using it carry @Tag("netns").
/**
 * Network-namespace test lab.
 *
 * <pre>{@code
 * @Tag("netns")
 * @ExtendWith(NetnsLabExtension.class)
 * class BumpForwardsTest {
 *     @Test
 *     void forwardsPing(NetnsLab lab) {
 *         Host a = lab.host("a"), bump = lab.host("bump"), b = lab.host("b");
 *         lab.link(a, "eth0", bump, "inside");            // veth, up, offloads off
 *         lab.link(bump, "outside", b, "eth0", 1400);     // optional MTU
 *         a.addr("eth0", "10.1.0.1/24");
 *         b.addr("eth0", "10.1.0.2/24");
 *         LabProcess appliance = lab.startJava(bump, "bitw.appliance.Main", List.of("--config", "..."));
 *         appliance.waitForOutput("ready", Duration.ofSeconds(30));
 *         Capture wire = b.capture("eth0", "esp or udp port 4500");
 *         assertTrue(a.exec("ping", "-c", "3", "10.1.0.2").succeeded());
 *         assertEquals(3, wire.decryptEsp(EspSa.aesGcm16("192.0.2.1", "192.0.2.2", spi, keyAndSalt)).goodIcv());
 *     }
 * }
 * }</pre>
 *
 * Everything a lab creates (namespaces "bl{pid}x{n}-{host}", processes, the temp directory with logs and pcaps) is
 * removed by {@link bitw.lab.NetnsLab#close()}: the extension calls it after each test (pass or fail), a JVM
 * shutdown hook calls it for labs still open, and {@link bitw.lab.NetnsLab#open()} deletes leftovers of JVMs that
 * died without either. {@code -Dbitw.lab.keep=true} keeps the temp directories for post-mortems.
 */
package bitw.lab;
