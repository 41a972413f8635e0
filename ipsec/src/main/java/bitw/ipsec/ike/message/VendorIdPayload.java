// Vendor ID payload (RFC 7296 §3.12): an opaque constant a peer may recognise.
package bitw.ipsec.ike.message;

import bitw.ipsec.packet.Bytes;
import java.util.Arrays;

public record VendorIdPayload(byte[] vendorId) implements Payload {
    public VendorIdPayload { vendorId = vendorId.clone(); }

    @Override public byte[] vendorId() { return vendorId.clone(); }
    byte[] raw() { return vendorId; }
    @Override public int type() { return PayloadType.VENDOR_ID; }
    @Override public boolean equals(Object o) { return o instanceof VendorIdPayload p && Arrays.equals(p.vendorId, vendorId); }
    @Override public int hashCode() { return Arrays.hashCode(vendorId); }
    @Override public String toString() { return "V[" + Bytes.hex(vendorId) + "]"; }
}
