// The ESP frames of a capture as tshark decoded them with given SAs (Capture.decryptEsp), with counts by ICV verdict.
package bitw.lab;

import java.util.List;

public record EspDecryption(List<EspPacket> packets) {

    public EspDecryption {
        packets = List.copyOf(packets);
    }

    /** Frames whose ICV tshark recomputed and found correct: decrypted and authentic. */
    public long goodIcv() {
        return count(EspPacket.Icv.GOOD);
    }

    /** Frames whose ICV did not verify: wrong key, corrupted or forged. */
    public long badIcv() {
        return count(EspPacket.Icv.BAD);
    }

    /** Frames tshark could not check, mostly because no SA matched their addresses and SPI. */
    public long unchecked() {
        return count(EspPacket.Icv.UNCHECKED);
    }

    private long count(EspPacket.Icv icv) {
        return packets.stream().filter(p -> p.icv() == icv).count();
    }
}
