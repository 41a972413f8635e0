// Key Exchange payload (RFC 7296 §3.4): the group number and our public value for it.
package bitw.ipsec.ike.message;

import bitw.ipsec.packet.Bytes;
import java.util.Arrays;

public record KePayload(int group, byte[] data) implements Payload {
    public KePayload {
        if (group < 0 || group > 0xffff) throw new IllegalArgumentException("group out of range");
        data = data.clone();
    }

    @Override public byte[] data() { return data.clone(); }
    byte[] raw() { return data; }
    @Override public int type() { return PayloadType.KE; }
    @Override public boolean equals(Object o) { return o instanceof KePayload p && p.group == group && Arrays.equals(p.data, data); }
    @Override public int hashCode() { return group * 31 + Arrays.hashCode(data); }
    @Override public String toString() { return "KE[group=" + group + ", " + Bytes.hex(data) + "]"; }
}
