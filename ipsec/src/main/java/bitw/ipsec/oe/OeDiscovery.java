// The DNS side of opportunistic encryption as a sans-I/O state machine: it says which lookups it needs, is fed
// their results in any order, and ends in a Result. Three uses, one machine:
//   forDestination  (initiator)  TXT + IPSECKEY at D's reverse name -> pick the gateway -> keys (from the
//                                records, else KEY + IPSECKEY at the gateway's reverse name or FQDN) -> address
//                                of an FQDN gateway (A/AAAA).
//   forPeerKeys     (responder)  KEY + IPSECKEY at the initiator's reverse name, or at its FQDN identity.
//   forAuthorization(responder)  may gateway G speak for inner source S? TXT + IPSECKEY at S's reverse name must
//                                name G (or S == G: a host acting for itself), then G's keys as forPeerKeys.
// Gateway choice among equal lowest precedence: the first in OeGateway.ORDER (addresses numerically, then FQDNs).
// Deterministic on purpose: every flow to the same destination reaches the same gateway, so one IKE SA serves
// them all; keys of that gateway from every record are candidates, so a key rollover (old and new key both
// published) never breaks authentication.
package bitw.ipsec.oe;

import bitw.ipsec.packet.IpAddress;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

public final class OeDiscovery {

    /** requireValidated: records from answers that DNSSEC did not validate are ignored (local policy, OE design 7). */
    public record Policy(boolean requireValidated) {
        public static final Policy DEFAULT = new Policy(false);
        public static final Policy VALIDATED_ONLY = new Policy(true);
    }

    public enum Reason {
        /** No OE record at the name asked (or no key / address for the chosen gateway). */
        NO_RECORDS,
        DNS_FAILURE,
        TIMEOUT,
        /** Records exist but none parses (bad base64, wrong KEY flags, ...): the notes say why. */
        BAD_RECORDS,
        /** Answers were bogus, or not validated while the policy requires validation. */
        NOT_VALIDATED,
        /** forAuthorization only: the inner source's reverse map does not name the initiator's gateway. */
        NOT_AUTHORIZED
    }

    public sealed interface Result {
        /** gatewayFqdn is the identity to expect (ID_FQDN) when the delegation named "@FQDN", else null. */
        record Found(IpAddress gateway, String gatewayFqdn, List<PublicKey> keys, OeRecord.KeySource source,
                     boolean dnssecValidated) implements Result {
            public Found { keys = List.copyOf(keys); }
        }

        record NotFound(Reason reason, String detail) implements Result {}

        static Result notFound(Reason reason, String detail) { return new NotFound(reason, detail); }
    }

    private enum Mode { DESTINATION, PEER_KEYS, AUTHORIZATION }
    private enum Phase { DELEGATION, KEYS, ADDRESS, DONE }

    private final Mode mode;
    private final Policy policy;
    /** DESTINATION: the destination; PEER_KEYS / AUTHORIZATION: the initiator gateway's address. */
    private final IpAddress target;
    private final String identityFqdn;
    private final IpAddress innerSource;

    private Phase phase;
    private final Map<Lookup, LookupResult> round = new LinkedHashMap<>();
    private final List<String> notes = new ArrayList<>();
    private boolean allValidated = true;
    private OeGateway chosen;
    private IpAddress chosenAddress;
    private List<PublicKey> keys = List.of();
    private OeRecord.KeySource keySource;
    private Result result;

    private OeDiscovery(Mode mode, Policy policy, IpAddress target, String identityFqdn, IpAddress innerSource) {
        this.mode = mode;
        this.policy = policy;
        this.target = target;
        this.identityFqdn = identityFqdn == null ? null : OeGateway.ofName(identityFqdn).fqdn();
        this.innerSource = innerSource;
    }

    /** Initiator: who encrypts for {@code destination}, and with which keys? */
    public static OeDiscovery forDestination(IpAddress destination, Policy policy) {
        return new OeDiscovery(Mode.DESTINATION, policy, destination, null, null);
    }

    /** Responder: the keys of an initiator at {@code gateway}, identified by its address or by {@code fqdnIdentity}. */
    public static OeDiscovery forPeerKeys(IpAddress gateway, String fqdnIdentity, Policy policy) {
        return new OeDiscovery(Mode.PEER_KEYS, policy, gateway, fqdnIdentity, null);
    }

    /** Responder: may the initiator at {@code gateway} (identity address or FQDN) speak for {@code innerSource}? Found carries its keys. */
    public static OeDiscovery forAuthorization(IpAddress gateway, String fqdnIdentity, IpAddress innerSource, Policy policy) {
        return new OeDiscovery(Mode.AUTHORIZATION, policy, gateway, fqdnIdentity, innerSource);
    }

    /** The first lookups (call once). */
    public List<Lookup> start() {
        if (phase != null) throw new IllegalStateException("already started");
        return switch (mode) {
            case DESTINATION -> ask(Phase.DELEGATION, Lookup.reverse(target, Type.TXT), Lookup.reverse(target, Type.IPSECKEY));
            case AUTHORIZATION -> innerSource.equals(target) && identityFqdn == null
                    ? keyLookups(OeGateway.of(target))  // an appliance acting for itself needs no delegation
                    : ask(Phase.DELEGATION, Lookup.reverse(innerSource, Type.TXT), Lookup.reverse(innerSource, Type.IPSECKEY));
            case PEER_KEYS -> keyLookups(identityFqdn != null ? OeGateway.ofName(identityFqdn) : OeGateway.of(target));
        };
    }

    /**
     * Feeds the result of one lookup this machine asked for; returns the next lookups (empty while other answers
     * are outstanding or when done). Results for lookups not outstanding are ignored (late or duplicate answers).
     */
    public List<Lookup> accept(Lookup lookup, LookupResult answer) {
        if (phase == Phase.DONE || !round.containsKey(lookup) || round.get(lookup) != null) return List.of();
        round.put(lookup, answer);
        if (round.containsValue(null)) return List.of();
        return switch (phase) {
            case DELEGATION -> afterDelegation();
            case KEYS -> afterKeys();
            case ADDRESS -> afterAddress();
            case DONE -> List.of();
        };
    }

    /** The lookups still unanswered. */
    public List<Lookup> outstanding() {
        return round.entrySet().stream().filter(e -> e.getValue() == null).map(Map.Entry::getKey).toList();
    }

    public boolean isDone() { return phase == Phase.DONE; }

    /** The result once done, else null. */
    public Result result() { return result; }

    /** Why individual records were ignored (rejected records, unvalidated answers): for the log. */
    public List<String> notes() { return List.copyOf(notes); }

    // ---- phases ----

    private List<Lookup> afterDelegation() {
        RoundRecords rr = collect(OeRecord.class);
        List<OeRecord> candidates = new ArrayList<>();
        for (OeRecord r : rr.records) if (r.source() != OeRecord.KeySource.KEY) candidates.add(r);
        if (mode == Mode.AUTHORIZATION) {
            OeGateway asIdentity = identityFqdn != null ? OeGateway.ofName(identityFqdn) : OeGateway.of(target);
            boolean named = candidates.stream().anyMatch(r -> r.gateway().equals(asIdentity)
                    || (r.gateway().isNone() && innerSource.equals(target)));
            if (!named) {
                return finish(candidates.isEmpty() && rr.failure() != null ? rr.failure()
                        : Result.notFound(Reason.NOT_AUTHORIZED, "reverse map of " + innerSource + " does not name " + asIdentity
                        + (candidates.isEmpty() ? " (no OE records)" : " (names " + candidates.stream().map(r -> r.gateway().toString()).distinct().toList() + ")")));
            }
            return keyLookups(asIdentity);
        }
        if (candidates.isEmpty()) return finish(rr.failureOr(Reason.NO_RECORDS, "no OE records at " + Lookup.reverseName(target)));
        int best = candidates.stream().mapToInt(OeRecord::precedence).min().orElseThrow();
        // IPSECKEY gateway type 0: the destination itself is the gateway.
        chosen = candidates.stream().filter(r -> r.precedence() == best).map(this::gatewayOf).min(OeGateway.ORDER).orElseThrow();
        List<OeRecord> forChosen = candidates.stream().filter(r -> gatewayOf(r).equals(chosen))
                .sorted(Comparator.comparingInt(OeRecord::precedence)).toList();
        keys = distinctKeys(forChosen);
        keySource = forChosen.stream().filter(OeRecord::hasKey).map(OeRecord::source).findFirst().orElse(null);
        if (keys.isEmpty()) return keyLookups(chosen);
        return chosen.fqdn() != null ? addressLookups() : finish(found(chosen.address()));
    }

    private List<Lookup> keyLookups(OeGateway gateway) {
        chosen = gateway;
        String name = gateway.fqdn() != null ? gateway.fqdn() + "." : Lookup.reverseName(gateway.address());
        return ask(Phase.KEYS, new Lookup(name, Type.KEY), new Lookup(name, Type.IPSECKEY));
    }

    private List<Lookup> afterKeys() {
        RoundRecords rr = collect(OeRecord.class);
        // KEY records at the gateway's own name are its keys; an IPSECKEY there counts if it names the gateway
        // itself (or no gateway): one naming another gateway delegates, it does not identify.
        List<OeRecord> own = rr.records.stream().filter(OeRecord::hasKey)
                .filter(r -> r.source() == OeRecord.KeySource.KEY || r.gateway().isNone() || r.gateway().equals(chosen))
                .sorted(Comparator.comparing((OeRecord r) -> r.source() != OeRecord.KeySource.KEY)).toList();
        if (own.isEmpty()) return finish(rr.failureOr(Reason.NO_RECORDS, "no key for gateway " + chosen));
        keys = distinctKeys(own);
        keySource = own.getFirst().source();
        if (mode != Mode.DESTINATION) return finish(found(target));
        return chosen.fqdn() != null ? addressLookups() : finish(found(chosen.address()));
    }

    private List<Lookup> addressLookups() {
        return ask(Phase.ADDRESS, new Lookup(chosen.fqdn() + ".", Type.A), new Lookup(chosen.fqdn() + ".", Type.AAAA));
    }

    private List<Lookup> afterAddress() {
        RoundRecords rr = collect(IpAddress.class);
        // Same family as the destination first: that is the family the flow (and so the tunnel) uses.
        IpAddress pick = rr.addresses.stream()
                .min(Comparator.comparing((IpAddress a) -> a.family() != target.family()).thenComparing(a -> OeGateway.of(a), OeGateway.ORDER))
                .orElse(null);
        if (pick == null) return finish(rr.failureOr(Reason.NO_RECORDS, "gateway @" + chosen.fqdn() + " has no address"));
        return finish(found(pick));
    }

    // ---- plumbing ----

    private OeGateway gatewayOf(OeRecord r) {
        return r.gateway().isNone() ? OeGateway.of(target) : r.gateway();
    }

    private Result found(IpAddress gatewayAddress) {
        return new Result.Found(gatewayAddress, chosen.fqdn(), keys, keySource, allValidated);
    }

    private List<Lookup> ask(Phase next, Lookup... lookups) {
        phase = next;
        round.clear();
        for (Lookup l : lookups) round.put(l, null);
        return List.of(lookups);
    }

    private List<Lookup> finish(Result r) {
        phase = Phase.DONE;
        result = r;
        return List.of();
    }

    private static List<PublicKey> distinctKeys(List<OeRecord> records) {
        List<PublicKey> out = new ArrayList<>();
        for (OeRecord r : records) if (r.hasKey() && !out.contains(r.key())) out.add(r.key());
        return out;
    }

    /** What one round of answers yielded: OE records or addresses, and the worst thing that went wrong. */
    private final class RoundRecords {
        final List<OeRecord> records = new ArrayList<>();
        final List<IpAddress> addresses = new ArrayList<>();
        boolean bogus, unvalidated, timeout, failed;
        int rejected;

        Result failure() {
            if (bogus || unvalidated) return Result.notFound(Reason.NOT_VALIDATED, String.join("; ", notes));
            if (timeout) return Result.notFound(Reason.TIMEOUT, "no answer for " + round.keySet());
            if (failed) return Result.notFound(Reason.DNS_FAILURE, String.join("; ", notes));
            if (rejected > 0) return Result.notFound(Reason.BAD_RECORDS, String.join("; ", notes));
            return null;
        }

        Result failureOr(Reason reason, String detail) {
            Result f = failure();
            return f != null ? f : Result.notFound(reason, detail);
        }
    }

    private RoundRecords collect(Class<?> want) {
        RoundRecords rr = new RoundRecords();
        for (Map.Entry<Lookup, LookupResult> e : round.entrySet()) {
            LookupResult a = e.getValue();
            switch (a.outcome()) {
                case BOGUS -> { rr.bogus = true; notes.add(e.getKey() + ": DNSSEC bogus " + a.detail()); continue; }
                case TIMEOUT -> { rr.timeout = true; notes.add(e.getKey() + ": timeout"); continue; }
                case FAILURE -> { rr.failed = true; notes.add(e.getKey() + ": " + a.detail()); continue; }
                case ANSWER -> { }
            }
            if (a.records().isEmpty()) continue;
            if (policy.requireValidated() && !a.validated()) {
                rr.unvalidated = true;
                notes.add(e.getKey() + ": answer not DNSSEC-validated, ignored by policy");
                continue;
            }
            boolean used = false;
            for (Record r : a.records()) {
                if (want == IpAddress.class) {
                    if (r instanceof ARecord ar) { rr.addresses.add(IpAddress.read(IpAddress.V4, ar.getAddress().getAddress(), 0)); used = true; }
                    else if (r instanceof AAAARecord ar) { rr.addresses.add(IpAddress.read(IpAddress.V6, ar.getAddress().getAddress(), 0)); used = true; }
                    continue;
                }
                if (r.getType() != e.getKey().type()) continue; // CNAMEs, signatures and strays
                OeRecords.Parsed p = OeRecords.parse(r);
                if (p.isOk()) { rr.records.add(p.record()); used = true; }
                else if (p.isRejected()) { rr.rejected++; notes.add(e.getKey() + ": " + p.rejection()); }
            }
            if (used) allValidated &= a.validated();
        }
        return rr;
    }
}
