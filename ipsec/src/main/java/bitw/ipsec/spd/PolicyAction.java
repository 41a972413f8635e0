// The four SPD categories of the opportunistic-encryption design (and RFC 4301's DISCARD/BYPASS/PROTECT).
package bitw.ipsec.spd;

public enum PolicyAction {
    /** Drop. */
    DENY,
    /** Forward in the clear. */
    PERMIT,
    /** Encrypt if an SA exists, else the entry's fallback (clear or drop). */
    OPPORTUNISTIC,
    /** Encrypt; without an SA hold or drop, never clear. */
    CONFIGURED
}
