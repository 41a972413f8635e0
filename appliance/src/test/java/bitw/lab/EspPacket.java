// tshark's verdict on one ESP frame of a Capture (Capture.decryptEsp): did the ICV check pass, what was inside.
package bitw.lab;

/**
 * {@code sequence} is -1 if absent. {@code decrypted} means tshark decrypted the payload and found a trailer (pad
 * length, next header); with a wrong cipher key but right ICV key (CBC+HMAC) that trailer is garbage, so trust
 * {@code icv} first. {@code protocols} shows what tshark dissected inside, e.g. "eth:ethertype:ip:esp:ip:icmp:data".
 */
public record EspPacket(int frame, long spi, long sequence, Icv icv, boolean decrypted, String protocols) {

    public enum Icv {
        /** tshark recomputed the ICV and it matched: decrypted and authentic. */
        GOOD,
        /** tshark recomputed the ICV and it did not match: wrong key, corrupted or forged. */
        BAD,
        /** An SA matched but tshark printed no verdict: dissecting the decrypted payload threw first. */
        UNREPORTED,
        /** No SA matched the frame's addresses and SPI: nothing was checked. */
        NO_SA
    }

    /** The layers after "esp", e.g. "ip:icmp:data" for a tunnel-mode ping; empty if nothing was dissected. */
    public String innerProtocols() {
        int i = protocols.indexOf(":esp:");
        return i < 0 ? "" : protocols.substring(i + 5);
    }
}
