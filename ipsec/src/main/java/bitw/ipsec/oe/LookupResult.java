// The answer to one Lookup as the DNS shell reports it to the OE logic: records (possibly none: NODATA or
// NXDOMAIN), a server failure, a timeout, or a DNSSEC-bogus answer; plus whether the answer was validated.
package bitw.ipsec.oe;

import java.util.List;
import org.xbill.DNS.Record;

public record LookupResult(Outcome outcome, List<Record> records, boolean validated, String detail) {
    public enum Outcome {
        /** The server answered; records may be empty (no such name or no data of the type). */
        ANSWER,
        /** SERVFAIL, REFUSED, network error, unreadable reply. */
        FAILURE,
        /** No reply within the per-query timeout (after retries and TCP fallback). */
        TIMEOUT,
        /** DNSSEC validation failed: the answer was forged, tampered with or stripped of its signatures. */
        BOGUS
    }

    public LookupResult {
        records = List.copyOf(records);
        detail = detail == null ? "" : detail;
    }

    public static LookupResult answer(List<Record> records, boolean validated) { return new LookupResult(Outcome.ANSWER, records, validated, ""); }
    public static LookupResult failure(String detail) { return new LookupResult(Outcome.FAILURE, List.of(), false, detail); }
    public static LookupResult timeout() { return new LookupResult(Outcome.TIMEOUT, List.of(), false, "timeout"); }
    public static LookupResult bogus(String detail) { return new LookupResult(Outcome.BOGUS, List.of(), false, detail); }
}
