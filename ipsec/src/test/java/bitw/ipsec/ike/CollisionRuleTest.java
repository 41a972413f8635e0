// The §2.8.1/§2.8.2 tie-break in isolation: the exchange holding the lowest of the four nonces made the redundant SA.
package bitw.ipsec.ike;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;

class CollisionRuleTest {
    private static byte[] n(int first) {
        byte[] b = new byte[16];
        b[0] = (byte) first;
        return b;
    }

    @Test
    void exchangeWithTheLowestNonceIsRedundant() {
        assertTrue(ChildRekeyTask.redundant(n(0x10), n(0x90), n(0x20), n(0x30)));
        assertTrue(ChildRekeyTask.redundant(n(0x90), n(0x10), n(0x20), n(0x30)), "the responder's nonce counts as well");
        assertFalse(ChildRekeyTask.redundant(n(0x20), n(0x30), n(0x10), n(0x90)));
        assertFalse(ChildRekeyTask.redundant(n(0x20), n(0x30), n(0x90), n(0x11)));
    }

    @Test
    void noncesCompareAsUnsignedBytes() {
        assertFalse(ChildRekeyTask.redundant(n(0x80), n(0xff), n(0x7f), n(0xff)), "0x80 is above 0x7f, not negative");
        assertTrue(ChildRekeyTask.redundant(n(0x7f), n(0xff), n(0x80), n(0xff)));
    }
}
