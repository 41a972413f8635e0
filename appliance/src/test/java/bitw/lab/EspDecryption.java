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

    /** Frames an SA matched but without a verdict (see {@link EspPacket.Icv#UNREPORTED}); never proof of a good ICV. */
    public long unreported() {
        return count(EspPacket.Icv.UNREPORTED);
    }

    /** Frames no SA matched. */
    public long noSa() {
        return count(EspPacket.Icv.NO_SA);
    }

    /** Frames not proven authentic: bad, unreported or without SA. */
    public long notGood() {
        return packets.size() - goodIcv();
    }

    private long count(EspPacket.Icv icv) {
        return packets.stream().filter(p -> p.icv() == icv).count();
    }
}
