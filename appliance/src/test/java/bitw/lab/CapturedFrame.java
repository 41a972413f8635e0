// One frame of a Capture as tshark summarises it (Capture.packets()).
package bitw.lab;

/** {@code protocols} is tshark's frame.protocols, e.g. "eth:ethertype:ip:icmp:data". */
public record CapturedFrame(int number, String protocols, String source, String destination, String protocol,
        String info) {

    /** True if {@code name} is one layer of the frame's protocol stack ("icmp", "esp", "ipv6"). */
    public boolean has(String name) {
        return (":" + protocols + ":").contains(":" + name + ":");
    }
}
