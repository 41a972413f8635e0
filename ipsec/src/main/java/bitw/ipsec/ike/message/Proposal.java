// A proposal substructure of an SA payload (RFC 7296 §3.3.1): one protocol's SPI and the transforms offered with it.
package bitw.ipsec.ike.message;

import bitw.ipsec.packet.Bytes;
import java.util.Arrays;
import java.util.List;

/** @param protocolId 1 IKE, 2 AH, 3 ESP; @param spi empty for the first IKE_SA_INIT, 8 bytes for IKE rekeys, 4 for AH/ESP */
public record Proposal(int number, int protocolId, byte[] spi, List<Transform> transforms) {
    public static final int IKE = 1, AH = 2, ESP = 3;

    public Proposal {
        if (number < 0 || number > 255 || protocolId < 0 || protocolId > 255) throw new IllegalArgumentException("proposal number/protocol out of range");
        if (spi.length > 255) throw new IllegalArgumentException("SPI too long");
        if (transforms.isEmpty() || transforms.size() > 255) throw new IllegalArgumentException("a proposal carries 1..255 transforms");
        spi = spi.clone();
        transforms = List.copyOf(transforms);
    }

    @Override public byte[] spi() { return spi.clone(); }

    byte[] rawSpi() { return spi; }

    /** The first transform of the given type, or null. */
    public Transform first(int transformType) {
        for (Transform t : transforms) if (t.type() == transformType) return t;
        return null;
    }

    @Override public boolean equals(Object o) {
        return o instanceof Proposal p && p.number == number && p.protocolId == protocolId && Arrays.equals(p.spi, spi) && p.transforms.equals(transforms);
    }

    @Override public int hashCode() { return ((number * 31 + protocolId) * 31 + Arrays.hashCode(spi)) * 31 + transforms.hashCode(); }

    @Override public String toString() { return "Proposal[#" + number + ", protocol=" + protocolId + ", spi=" + Bytes.hex(spi) + ", " + transforms + "]"; }
}
