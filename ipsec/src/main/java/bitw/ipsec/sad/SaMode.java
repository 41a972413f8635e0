// How an SA carries the protected packet.
package bitw.ipsec.sad;

public enum SaMode {
    /** RFC 4301 tunnel mode: outer IP, ESP, inner IP packet (next header 4 or 41). */
    TUNNEL,
    /** RFC 3884 IIPtran: IPIP (RFC 2003) first, then transport-mode ESP over the IPIP packet.
     *  Identical on the wire to tunnel mode; differs in processing (inner header is a selector, DF/TOS/TTL rules). */
    IIPTRAN
}
