// What an encrypting SPD entry does with a packet while it has no SA.
package bitw.ipsec.spd;

public enum Fallback {
    /** Forward in the clear (opportunistic entries only). */
    CLEAR,
    /** Drop. */
    DROP,
    /** Hold the packet until the SA is up (configured entries only). */
    HOLD
}
