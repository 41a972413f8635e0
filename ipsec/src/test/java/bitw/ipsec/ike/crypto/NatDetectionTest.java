// NAT_DETECTION_*_IP hashes (RFC 7296 §2.23) against SHA-1 over hand-laid-out bytes.
package bitw.ipsec.ike.crypto;

import static org.junit.jupiter.api.Assertions.*;

import java.security.MessageDigest;
import org.junit.jupiter.api.Test;

import bitw.ipsec.packet.Bytes;
import bitw.ipsec.packet.IpAddress;

class NatDetectionTest {
    @Test
    void hashIsSha1OfSpisAddressAndPortInNetworkOrder() throws Exception {
        byte[] input = Bytes.fromHex("0102030405060708" + "0000000000000000" + "c0000201" + "01f4");
        byte[] expected = MessageDigest.getInstance("SHA-1").digest(input);
        assertArrayEquals(expected, NatDetection.hash(0x0102030405060708L, 0, IpAddress.parse("192.0.2.1"), 500));
        assertTrue(NatDetection.matches(expected, 0x0102030405060708L, 0, IpAddress.parse("192.0.2.1"), 500));
        assertFalse(NatDetection.matches(expected, 0x0102030405060708L, 0, IpAddress.parse("192.0.2.1"), 4500));
        assertFalse(NatDetection.matches(expected, 0x0102030405060708L, 0, IpAddress.parse("192.0.2.2"), 500));
    }

    @Test
    void ipv6AddressesContributeAllSixteenBytes() throws Exception {
        byte[] input = Bytes.fromHex("a1a2a3a4a5a6a7a8" + "b1b2b3b4b5b6b7b8" + "20010db8000000000000000000000001" + "1194");
        assertArrayEquals(MessageDigest.getInstance("SHA-1").digest(input),
                NatDetection.hash(0xa1a2a3a4a5a6a7a8L, 0xb1b2b3b4b5b6b7b8L, IpAddress.parse("2001:db8::1"), 4500));
    }
}
