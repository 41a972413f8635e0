// A transform substructure of a proposal (RFC 7296 §3.3.2). The only attribute RFC 7296 defines is Key Length
// (type 14, TV). Any other attribute is kept raw in unknownAttributes so a round trip is exact; RFC 7296 §3.3.6
// makes a transform with an attribute the responder does not recognise unacceptable, so the engine must not select
// a transform for which hasUnknownAttributes() is true (it skips it; the proposal then fails as usual).
package bitw.ipsec.ike.message;

import java.util.Arrays;

/** @param keyLength key length in bits, or {@link #NO_KEY_LENGTH} when the attribute is absent */
public record Transform(int type, int id, int keyLength, byte[] unknownAttributes) {
    public static final int ENCR = 1, PRF = 2, INTEG = 3, KE = 4, ESN = 5, ADDKE1 = 6, ADDKE7 = 12;
    public static final int NO_KEY_LENGTH = -1;
    static final int ATTR_KEY_LENGTH = 14;

    public Transform {
        if (type < 0 || type > 255 || id < 0 || id > 0xffff) throw new IllegalArgumentException("transform type/id out of range");
        if (keyLength < -1 || keyLength > 0xffff) throw new IllegalArgumentException("key length out of range");
        unknownAttributes = unknownAttributes == null ? new byte[0] : unknownAttributes.clone();
        // The raw attributes are written as they are, so they must be well-framed attributes themselves.
        for (int a = 0; a < unknownAttributes.length; ) {
            if (unknownAttributes.length - a < 4) throw new IllegalArgumentException("truncated transform attribute");
            boolean tv = (unknownAttributes[a] & 0x80) != 0;
            a += tv ? 4 : 4 + (((unknownAttributes[a + 2] & 0xff) << 8) | (unknownAttributes[a + 3] & 0xff));
            if (a > unknownAttributes.length) throw new IllegalArgumentException("transform attribute overruns");
        }
    }

    public Transform(int type, int id, int keyLength) { this(type, id, keyLength, null); }

    public Transform(int type, int id) { this(type, id, NO_KEY_LENGTH, null); }

    @Override public byte[] unknownAttributes() { return unknownAttributes.clone(); }

    public boolean hasUnknownAttributes() { return unknownAttributes.length > 0; }

    int encodedLength() { return 8 + (keyLength >= 0 ? 4 : 0) + unknownAttributes.length; }

    byte[] rawUnknownAttributes() { return unknownAttributes; }

    @Override public boolean equals(Object o) {
        return o instanceof Transform t && t.type == type && t.id == id && t.keyLength == keyLength && Arrays.equals(t.unknownAttributes, unknownAttributes);
    }

    @Override public int hashCode() { return ((type * 31 + id) * 31 + keyLength) * 31 + Arrays.hashCode(unknownAttributes); }

    @Override public String toString() {
        return "Transform[type=" + type + ", id=" + id + (keyLength >= 0 ? ", keyLength=" + keyLength : "")
                + (unknownAttributes.length > 0 ? ", unknownAttributes=" + unknownAttributes.length + "B" : "") + "]";
    }
}
