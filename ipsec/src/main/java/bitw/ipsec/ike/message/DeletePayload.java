// Delete payload (RFC 7296 §3.11): SPIs of SAs being deleted. For the IKE SA itself protocol 1, SPI size 0, no SPIs.
package bitw.ipsec.ike.message;

import bitw.ipsec.packet.Bytes;
import java.util.ArrayList;
import java.util.List;

public record DeletePayload(int protocolId, int spiSize, List<byte[]> spis) implements Payload {
    public DeletePayload {
        if (protocolId < 0 || protocolId > 255 || spiSize < 0 || spiSize > 255 || spis.size() > 0xffff) throw new IllegalArgumentException("delete field out of range");
        if (spiSize == 0 && !spis.isEmpty()) throw new IllegalArgumentException("SPIs of size 0");
        List<byte[]> copy = new ArrayList<>(spis.size());
        for (byte[] s : spis) {
            if (s.length != spiSize) throw new IllegalArgumentException("SPI length " + s.length + " != SPI size " + spiSize);
            copy.add(s.clone());
        }
        spis = List.copyOf(copy);
    }

    /** Deleting the IKE SA that protects the message. */
    public static DeletePayload ikeSa() { return new DeletePayload(Proposal.IKE, 0, List.of()); }

    /** Copies, so callers cannot change the payload through the arrays. */
    @Override public List<byte[]> spis() {
        List<byte[]> out = new ArrayList<>(spis.size());
        for (byte[] s : spis) out.add(s.clone());
        return out;
    }

    List<byte[]> rawSpis() { return spis; }

    @Override public int type() { return PayloadType.DELETE; }

    @Override public boolean equals(Object o) {
        if (!(o instanceof DeletePayload p) || p.protocolId != protocolId || p.spiSize != spiSize || p.spis.size() != spis.size()) return false;
        for (int i = 0; i < spis.size(); i++) if (!java.util.Arrays.equals(p.spis.get(i), spis.get(i))) return false;
        return true;
    }

    @Override public int hashCode() {
        int h = protocolId * 31 + spiSize;
        for (byte[] s : spis) h = h * 31 + java.util.Arrays.hashCode(s);
        return h;
    }

    @Override public String toString() {
        StringBuilder sb = new StringBuilder("D[protocol=" + protocolId);
        for (byte[] s : spis) sb.append(", ").append(Bytes.hex(s));
        return sb.append(']').toString();
    }
}
