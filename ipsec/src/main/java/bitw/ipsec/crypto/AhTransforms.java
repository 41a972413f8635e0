// Builds the AhTransform for one direction of one AH SA (RFC 4302). Called at SA installation, never per packet.
package bitw.ipsec.crypto;

public final class AhTransforms {
    private AhTransforms() {}

    /**
     * @throws IllegalArgumentException for integrity NONE or a key of the wrong length
     */
    public static AhTransform create(IntegrityAlgorithm integ, byte[] key) {
        if (integ == null || integ == IntegrityAlgorithm.NONE)
            throw new IllegalArgumentException("AH needs an integrity algorithm, not " + integ);
        return new HmacAhTransform(new IcvMac(integ, key));
    }
}
