// NAT_DETECTION_SOURCE_IP / NAT_DETECTION_DESTINATION_IP notify data (RFC 7296 §2.23):
// SHA-1(SPIi | SPIr | IP address | port). The engine compares the received hashes with ones computed from the
// addresses it saw; a mismatch means a NAT rewrote that side and the SA must float to UDP 4500.
package bitw.ipsec.ike.crypto;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

import bitw.ipsec.packet.IpAddress;

public final class NatDetection {
    private NatDetection() {}

    /** @param address 4 or 16 bytes, network order; @param port UDP port. SPIr is 0 in the IKE_SA_INIT request. */
    public static byte[] hash(long spiI, long spiR, byte[] address, int port) {
        if (address.length != 4 && address.length != 16) throw new IllegalArgumentException("IP address length " + address.length);
        byte[] input = ByteBuffer.allocate(16 + address.length + 2).putLong(spiI).putLong(spiR).put(address)
                .putShort((short) port).array();
        try {
            return MessageDigest.getInstance("SHA-1").digest(input);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public static byte[] hash(long spiI, long spiR, IpAddress address, int port) {
        return hash(spiI, spiR, address.toBytes(), port);
    }

    /** Constant-time comparison of received notify data with the expected hash. */
    public static boolean matches(byte[] notifyData, long spiI, long spiR, IpAddress address, int port) {
        return MessageDigest.isEqual(notifyData, hash(spiI, spiR, address, port));
    }
}
