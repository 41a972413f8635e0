// Specification of the stored password hashes and the password quality rules.
package bitw.mgmt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class PasswordHashTest {

    @Test
    void verifiesTheRightPasswordOnly() {
        String h = PasswordHash.hash("Correct-horse-9".toCharArray());
        assertTrue(PasswordHash.verify("Correct-horse-9".toCharArray(), h));
        assertFalse(PasswordHash.verify("Correct-horse-8".toCharArray(), h));
        assertFalse(PasswordHash.verify("".toCharArray(), h));
    }

    @Test
    void isSaltedAndSlow() {
        String a = PasswordHash.hash("Same-password-1".toCharArray()), b = PasswordHash.hash("Same-password-1".toCharArray());
        assertNotEquals(a, b, "a fresh salt each time");
        String[] parts = a.split("\\$");
        assertEquals("pbkdf2-sha256", parts[0]);
        assertTrue(Integer.parseInt(parts[1]) >= 200_000, "at least 200k iterations: " + parts[1]);
        assertEquals(16, java.util.Base64.getDecoder().decode(parts[2]).length);
        long t = System.nanoTime();
        PasswordHash.verify("x".toCharArray(), a);
        assertTrue(System.nanoTime() - t > 20_000_000L, "one verification takes well over 20 ms");
    }

    @Test
    void damagedOrWeakenedHashesNeverMatch() {
        String h = PasswordHash.hash("Correct-horse-9".toCharArray());
        String[] p = h.split("\\$");
        assertFalse(PasswordHash.verify("Correct-horse-9".toCharArray(), "garbage"));
        assertFalse(PasswordHash.verify("Correct-horse-9".toCharArray(), null));
        assertFalse(PasswordHash.verify("Correct-horse-9".toCharArray(), p[0] + "$" + p[1] + "$" + p[2] + "$" + p[2]));
        // An attacker who can write the users file must not be able to make a cheap hash accepted.
        String cheap = PasswordHash.hash("Correct-horse-9".toCharArray(), 1000);
        assertFalse(PasswordHash.verify("Correct-horse-9".toCharArray(), cheap));
    }

    @Test
    void refusesWeakPasswords() {
        assertTrue(PasswordHash.weakness("admin", "Short-1".toCharArray()).contains("too short"));
        assertTrue(PasswordHash.weakness("admin", "aaaaaaaaaaaa".toCharArray()).contains("repetitive"));
        assertTrue(PasswordHash.weakness("admin", "abcdefghijkl".toCharArray()).contains("two of"));
        assertTrue(PasswordHash.weakness("admin", "my-Admin-pass".toCharArray()).contains("user name"));
        assertTrue(PasswordHash.weakness("admin", "tab\there-long-1".toCharArray()).contains("control"));
        assertNull(PasswordHash.weakness("admin", "Serial-line-42".toCharArray()));
    }
}
