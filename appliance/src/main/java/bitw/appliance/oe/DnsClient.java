// The I/O shell of opportunistic encryption's DNS side: answers the Lookups that bitw.ipsec.oe.OeDiscovery (via
// OpportunisticTunnels' Lookup actions) asks, with dnsjava against the configured servers, and reports each as a
// bitw.ipsec.oe.LookupResult. Everything is asynchronous: lookup() returns at once with a CompletableFuture that
// completes on dnsjava's executor, so a slow or dead DNS server never blocks the caller.
// EDNS0 with a 4096-byte payload (an OE TXT answer with two gateways and RSA keys exceeds 512 bytes); a truncated
// UDP reply is retried over TCP by dnsjava's SimpleResolver. With validation on, dnsjava's ValidatingResolver
// checks answers against the configured trust anchors: AD set = validated, SERVFAIL with a validation reason =
// bogus, an answer without AD = insecure (not validated).
package bitw.appliance.oe;

import bitw.ipsec.oe.Lookup;
import bitw.ipsec.oe.LookupResult;
import bitw.ipsec.oe.OeDiscovery;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.xbill.DNS.DClass;
import org.xbill.DNS.ExtendedResolver;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Resolver;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.dnssec.ValidatingResolver;

public final class DnsClient {
    public static final int EDNS_PAYLOAD = 4096;

    /**
     * servers: tried in order (dnsjava's ExtendedResolver when more than one); timeout: per query, including the
     * TCP retry; trustAnchors: DS or DNSKEY records in zone-file text, null or blank for no validation.
     */
    public record Settings(List<InetSocketAddress> servers, Duration timeout, String trustAnchors) {
        public Settings {
            servers = List.copyOf(servers);
            if (servers.isEmpty()) throw new IllegalArgumentException("no DNS server configured");
            if (timeout.isNegative() || timeout.isZero()) throw new IllegalArgumentException("DNS timeout must be positive");
        }

        public boolean validates() { return trustAnchors != null && !trustAnchors.isBlank(); }
    }

    private final Settings settings;
    private final Resolver resolver;

    public DnsClient(Settings settings) {
        this.settings = settings;
        List<Resolver> simple = new ArrayList<>();
        for (InetSocketAddress server : settings.servers()) {
            SimpleResolver r = new SimpleResolver(server);
            r.setEDNS(0, EDNS_PAYLOAD, 0, List.of());
            r.setTimeout(settings.timeout());
            simple.add(r);
        }
        Resolver head;
        if (simple.size() == 1) {
            head = simple.getFirst();
        } else {
            ExtendedResolver ext = new ExtendedResolver(simple);
            ext.setTimeout(settings.timeout());
            ext.setRetries(1);
            head = ext;
        }
        if (settings.validates()) {
            ValidatingResolver v = new ValidatingResolver(head);
            try {
                v.loadTrustAnchors(new ByteArrayInputStream(settings.trustAnchors().getBytes(StandardCharsets.US_ASCII)));
            } catch (IOException e) {
                throw new UncheckedIOException("DNSSEC trust anchors unreadable", e);
            }
            if (v.getTrustAnchors().items().isEmpty()) throw new IllegalArgumentException("no DS/DNSKEY in the DNSSEC trust anchors");
            v.setAddReasonToAdditional(true);
            v.setTimeout(settings.timeout());
            head = v;
        }
        this.resolver = head;
    }

    public Settings settings() { return settings; }

    /**
     * Asks one question. Never throws and never blocks: every failure becomes a LookupResult (FAILURE, TIMEOUT,
     * BOGUS). The future completes at the latest a little after the timeout, even if dnsjava itself does not.
     */
    public CompletableFuture<LookupResult> lookup(Lookup lookup) {
        Message query;
        try {
            query = Message.newQuery(Record.newRecord(Name.fromString(lookup.name()), lookup.type(), DClass.IN));
        } catch (TextParseException e) {
            return CompletableFuture.completedFuture(LookupResult.failure("bad name " + lookup.name() + ": " + e.getMessage()));
        }
        CompletableFuture<Message> sent;
        try {
            sent = resolver.sendAsync(query).toCompletableFuture();
        } catch (RuntimeException e) {
            return CompletableFuture.completedFuture(LookupResult.failure(lookup + ": " + e));
        }
        // Backstop for a resolver that never completes: TCP fallback and validation chains can outlive one timeout.
        long backstopMs = settings.timeout().toMillis() * 3 + 1000;
        return sent.orTimeout(backstopMs, TimeUnit.MILLISECONDS)
                .handle((reply, error) -> error != null ? fromError(lookup, error) : fromReply(lookup, reply));
    }

    /**
     * Drives a discovery machine (bitw.ipsec.oe.OeDiscovery, not started yet) to its result: asks each round's
     * lookups in parallel and feeds the answers back as they come. For the responder's checks (forPeerKeys,
     * forAuthorization), which need no per-pair state; the initiator's lookups go through OpportunisticTunnels.
     */
    public CompletableFuture<OeDiscovery.Result> discover(OeDiscovery discovery) {
        CompletableFuture<OeDiscovery.Result> done = new CompletableFuture<>();
        List<Lookup> first;
        synchronized (discovery) {
            first = discovery.start();
        }
        ask(discovery, first, done);
        return done;
    }

    private void ask(OeDiscovery discovery, List<Lookup> lookups, CompletableFuture<OeDiscovery.Result> done) {
        if (lookups.isEmpty()) {
            // Answers arrive on dnsjava's threads; the machine is not thread-safe, hence the lock.
            synchronized (discovery) {
                if (discovery.isDone()) done.complete(discovery.result());
            }
            return;
        }
        for (Lookup l : lookups) {
            lookup(l).thenAccept(answer -> {
                List<Lookup> next;
                synchronized (discovery) {
                    next = discovery.accept(l, answer);
                }
                ask(discovery, next, done);
            });
        }
    }

    private LookupResult fromReply(Lookup lookup, Message reply) {
        int rcode = reply.getRcode();
        boolean validated = settings.validates() && reply.getHeader().getFlag(Flags.AD);
        if (rcode == Rcode.NOERROR || rcode == Rcode.NXDOMAIN) {
            List<Record> records = new ArrayList<>();
            for (Record r : reply.getSection(Section.ANSWER)) if (r.getType() == lookup.type()) records.add(r);
            return LookupResult.answer(records, validated);
        }
        if (rcode == Rcode.SERVFAIL && settings.validates()) {
            String reason = validationReason(reply);
            if (reason != null) return LookupResult.bogus(reason);
        }
        return LookupResult.failure(lookup + ": " + Rcode.string(rcode));
    }

    /** ValidatingResolver puts its reason as a TXT of a private class in the additional section. */
    private static String validationReason(Message reply) {
        for (Record r : reply.getSection(Section.ADDITIONAL)) {
            if (r instanceof TXTRecord t && r.getDClass() == ValidatingResolver.VALIDATION_REASON_QCLASS) return String.join("", t.getStrings());
        }
        return null;
    }

    private static LookupResult fromError(Lookup lookup, Throwable error) {
        Throwable e = error;
        while ((e instanceof CompletionException || e instanceof ExecutionException) && e.getCause() != null) e = e.getCause();
        if (e instanceof TimeoutException || e instanceof SocketTimeoutException
                || (e instanceof IOException && e.getMessage() != null && e.getMessage().toLowerCase().contains("timed out"))) {
            return LookupResult.timeout();
        }
        return LookupResult.failure(lookup + ": " + e);
    }
}
