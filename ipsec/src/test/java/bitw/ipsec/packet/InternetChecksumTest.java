// Specification of the RFC 1071 checksum against a plain reference and against checksums scapy computed.
package bitw.ipsec.packet;

import static org.junit.jupiter.api.Assertions.*;

import java.util.Random;
import org.junit.jupiter.api.Test;

class InternetChecksumTest {
    /** Textbook RFC 1071: add 16-bit words, fold the carries at every step, complement. */
    static int reference(byte[] b, int off, int len) {
        int s = 0;
        for (int i = 0; i < len; i += 2) {
            int hi = b[off + i] & 0xff, lo = i + 1 < len ? b[off + i + 1] & 0xff : 0;
            s += hi << 8 | lo;
            s = (s & 0xffff) + (s >>> 16);
        }
        return ~s & 0xffff;
    }

    @Test
    void matchesReferenceOnRandomDataOfEveryLengthAndOffset() {
        Random r = new Random(1);
        for (int i = 0; i < 3000; i++) {
            byte[] b = new byte[r.nextInt(2000) + 2];
            r.nextBytes(b);
            int off = r.nextInt(b.length), len = r.nextInt(b.length - off + 1);
            assertEquals(reference(b, off, len), InternetChecksum.fold(InternetChecksum.sum(b, off, len, 0)), "len " + len);
        }
    }

    @Test
    void handlesAllOnesDataWithoutLosingCarries() {
        byte[] b = new byte[65536 * 2 + 1];
        java.util.Arrays.fill(b, (byte) 0xff);
        assertEquals(reference(b, 0, b.length), InternetChecksum.fold(InternetChecksum.sum(b, 0, b.length, 0)));
    }

    @Test
    void chainsEvenLengthPieces() {
        Random r = new Random(2);
        byte[] b = new byte[1001];
        r.nextBytes(b);
        int s = InternetChecksum.sum(b, 0, 400, 0);
        s = InternetChecksum.sum(b, 400, 601, s);
        assertEquals(reference(b, 0, 1001), InternetChecksum.fold(s));
    }

    @Test
    void rfc1071ExampleSumsTo_ddf2() {
        // RFC 1071 §3 example: words 0001 f203 f4f5 f6f7 have the folded sum ddf2.
        byte[] b = Bytes.fromHex("0001f203f4f5f6f7");
        assertEquals(~0xddf2 & 0xffff, InternetChecksum.fold(InternetChecksum.sum(b, 0, 8, 0)));
    }

    @Test
    void ipv4HeaderFromScapyVerifies() {
        // scapy 2.5: IP(src='192.0.2.1', dst='198.51.100.2', tos=0x2a, ttl=63, id=0x1234, flags='DF')/TCP(...)
        byte[] p = Bytes.fromHex("452a0028123440003f063d3bc0000201c63364029c4001bb00000000000000005002200005b00000");
        assertEquals(0, InternetChecksum.fold(InternetChecksum.sum(p, 0, 20, 0)));
        Bytes.put16(p, 10, 0);
        assertEquals(0x3d3b, InternetChecksum.fold(InternetChecksum.sum(p, 0, 20, 0)));
    }

    @Test
    void pseudoHeaderSumReproducesScapyUdpChecksumsForBothFamilies() {
        // scapy 2.5: IPv6(src='2001:db8::1', dst='2001:db8::2')/UDP(sport=4500, dport=4500)/Raw(b'\0\0\0\x01payload!')
        byte[] v6 = Bytes.fromHex("600000000014114020010db800000000000000000000000120010db8000000000000000000000002"
                + "119411940014c3d7000000017061796c6f616421");
        assertEquals(0xc3d7, Bytes.u16(v6, 46));
        Bytes.put16(v6, 46, 0);
        int s = InternetChecksum.pseudoHeaderSum(IpAddress.V6, v6, 8, 24, 17, 20);
        assertEquals(0xc3d7, InternetChecksum.fold(InternetChecksum.sum(v6, 40, 20, s)));
        // scapy 2.5: IP(src='10.1.2.3', dst='10.4.5.6', ttl=5)/UDP(sport=5353, dport=53)/Raw(b'hello')
        byte[] v4 = Bytes.fromHex("450000210001000005119abe0a0102030a04050614e90035000d8bd668656c6c6f");
        Bytes.put16(v4, 26, 0);
        s = InternetChecksum.pseudoHeaderSum(IpAddress.V4, v4, 12, 16, 17, 13);
        assertEquals(0x8bd6, InternetChecksum.fold(InternetChecksum.sum(v4, 20, 13, s)));
    }
}
