// Raised when a profile's inside/outside NIC selectors do not name exactly two distinct ports on the running
// board: a NIC is missing, a selector is ambiguous, or both selectors find the same port. The message names the
// expected NIC and every interface that exists, because bridging the wrong ports must never happen silently.
package bitw.hw;

public final class PortResolutionException extends Exception {
    PortResolutionException(String message) { super(message); }
}
