// Hostile input never escapes as anything but IkeParseException: random bytes, bit flips, byte overwrites and
// truncations of the real strongSwan messages and of random valid messages, 100k iterations from a fixed seed.
// Whatever does decode must re-encode and decode to the same message.
package bitw.ipsec.ike.message;

import static org.junit.jupiter.api.Assertions.*;

import bitw.ipsec.packet.Bytes;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class CodecFuzzTest {
    static final int ITERATIONS = 100_000;

    @Test
    void mutatedMessagesOnlyEverRaiseIkeParseException() {
        Random r = new Random(0x1ce);
        List<byte[]> seeds = new ArrayList<>(StrongSwanCaptureTest.ALL);
        for (int i = 0; i < 50; i++) seeds.add(IkeMessageCodec.encode(RandomPayloads.message(r)));
        int decoded = 0, rejected = 0;
        for (int i = 0; i < ITERATIONS; i++) {
            byte[] b = mutate(r, seeds.get(r.nextInt(seeds.size())));
            try {
                IkeMessage m = IkeMessageCodec.decode(b, 0, b.length);
                byte[] again = IkeMessageCodec.encode(m);
                assertEquals(m, IkeMessageCodec.decode(again, 0, again.length), "stable after one round trip");
                decoded++;
            } catch (IkeParseException e) {
                assertNotNull(e.reason());
                rejected++;
            } catch (Throwable t) {
                fail("input " + Bytes.hex(b) + " raised " + t, t);
            }
        }
        // Both outcomes must be exercised, or the mutations are not reaching the payload parsers.
        assertTrue(decoded > ITERATIONS / 50, "decoded " + decoded);
        assertTrue(rejected > ITERATIONS / 2, "rejected " + rejected);
    }

    @Test
    void randomInnerChainsOnlyEverRaiseIkeParseException() {
        Random r = new Random(0x5eed);
        int decoded = 0;
        for (int i = 0; i < ITERATIONS / 4; i++) {
            List<Payload> chain = new ArrayList<>();
            for (int n = r.nextInt(5); n > 0; n--) chain.add(RandomPayloads.plain(r));
            byte[] b = IkeMessageCodec.encodeChain(chain);
            int first = IkeMessageCodec.firstType(chain);
            if (r.nextBoolean() && b.length > 0) b[r.nextInt(b.length)] ^= (byte) (1 << r.nextInt(8));
            if (r.nextInt(4) == 0) first = r.nextInt(256);
            int len = r.nextInt(3) == 0 ? r.nextInt(b.length + 1) : b.length;
            try {
                IkeMessageCodec.decodeChain(first, b, 0, len);
                decoded++;
            } catch (IkeParseException e) {
                assertNotNull(e.reason());
            } catch (Throwable t) {
                fail("chain " + first + " " + Bytes.hex(b, 0, len) + " raised " + t, t);
            }
        }
        assertTrue(decoded > 0);
    }

    static byte[] mutate(Random r, byte[] seed) {
        byte[] b;
        switch (r.nextInt(6)) {
            case 0 -> { b = new byte[r.nextInt(400)]; r.nextBytes(b); }
            case 1 -> { b = seed.clone(); for (int n = 1 + r.nextInt(8); n > 0; n--) b[r.nextInt(b.length)] ^= (byte) (1 << r.nextInt(8)); }
            case 2 -> { b = seed.clone(); for (int n = 1 + r.nextInt(4); n > 0; n--) b[r.nextInt(b.length)] = (byte) r.nextInt(); }
            case 3 -> b = Arrays.copyOf(seed, r.nextInt(seed.length + 1));
            case 4 -> { b = seed.clone(); int at = 28 + r.nextInt(Math.max(1, b.length - 29)); if (at + 1 < b.length) Bytes.put16(b, at, r.nextInt(0x10000)); }
            default -> { b = Arrays.copyOf(seed, seed.length + r.nextInt(40)); for (int i = seed.length; i < b.length; i++) b[i] = (byte) r.nextInt(); }
        }
        // Usually keep the header plausible so the mutation reaches the payload parsers.
        if (b.length >= 28 && r.nextInt(4) != 0) {
            b[17] = 0x20;
            Bytes.put32(b, 24, b.length);
        }
        return b;
    }
}
