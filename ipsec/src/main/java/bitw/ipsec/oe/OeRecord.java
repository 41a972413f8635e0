// One usable record of opportunistic encryption, whatever its DNS type: a TXT "X-IPsec-Server" delegation, an
// IPSECKEY (RFC 4025) or a KEY RR (RFC 2535, flags 0x4200 protocol 4). Produced by OeRecords, consumed by
// OeDiscovery. KEY records carry only a key (no precedence, no gateway).
package bitw.ipsec.oe;

import java.security.PublicKey;

public record OeRecord(KeySource source, int precedence, OeGateway gateway, PublicKey key) {
    /** Where a record (and so a key) came from; reported in OeDiscovery.Result.Found. */
    public enum KeySource { TXT, IPSECKEY, KEY }

    /** KEY records have no precedence. */
    public static final int NO_PRECEDENCE = -1;

    public boolean hasKey() { return key != null; }
}
