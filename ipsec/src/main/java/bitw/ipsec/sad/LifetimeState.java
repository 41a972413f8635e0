// Where an SA stands against its soft and hard lifetimes (RFC 4301 §4.4.2.1): the result of per-packet byte
// accounting and of the control thread's time check.
package bitw.ipsec.sad;

public enum LifetimeState {
    /** Within its lifetimes (or already reported soft). */
    OK,
    /** The soft limit was crossed just now: time to rekey. Reported once per cause. */
    SOFT_EXPIRED,
    /** The hard limit is reached: the SA must no longer carry traffic. Reported on every call from then on. */
    HARD_EXPIRED
}
