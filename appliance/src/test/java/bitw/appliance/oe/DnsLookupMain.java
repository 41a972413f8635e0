// Runs DnsClient inside a lab host (the test JVM lives in the root namespace and cannot reach the lab's name
// server): asks the questions given on the command line and prints one parsable line per answer.
// Usage: DnsLookupMain SERVER TIMEOUT_MS ANCHORS_FILE|- QUESTION...   QUESTION = TYPE:NAME | discover:IP | discover-validated:IP
//        | authorize:GATEWAY:INNER
// Output: "CALL <micros>" (how long lookup() took to return), "RESULT <question> <outcome> validated=<b> n=<records>
// ms=<elapsed> detail=<text>", "OE <record parse>" per record, "DISCOVERY <question> <result>".
package bitw.appliance.oe;

import bitw.ipsec.oe.Lookup;
import bitw.ipsec.oe.LookupResult;
import bitw.ipsec.oe.OeDiscovery;
import bitw.ipsec.oe.OeKeys;
import bitw.ipsec.oe.OeRecords;
import bitw.ipsec.packet.IpAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

public final class DnsLookupMain {
    public static void main(String[] args) throws Exception {
        String anchors = args[2].equals("-") ? null : Files.readString(Path.of(args[2]));
        DnsClient dns = new DnsClient(new DnsClient.Settings(List.of(new InetSocketAddress(args[0], 53)),
                Duration.ofMillis(Long.parseLong(args[1])), anchors));
        for (int i = 3; i < args.length; i++) {
            String q = args[i];
            if (q.startsWith("authorize:")) { // authorize:GATEWAY:INNER_SOURCE
                String[] gi = q.split(":");
                OeDiscovery d = OeDiscovery.forAuthorization(IpAddress.parse(gi[1]), null, IpAddress.parse(gi[2]), OeDiscovery.Policy.DEFAULT);
                System.out.println("DISCOVERY " + q + " " + describe(dns.discover(d).get(30, TimeUnit.SECONDS)));
                continue;
            }
            if (q.startsWith("discover")) {
                OeDiscovery.Policy policy = q.startsWith("discover-validated:") ? OeDiscovery.Policy.VALIDATED_ONLY : OeDiscovery.Policy.DEFAULT;
                OeDiscovery d = OeDiscovery.forDestination(IpAddress.parse(q.substring(q.indexOf(':') + 1)), policy);
                System.out.println("DISCOVERY " + q + " " + describe(dns.discover(d).get(30, TimeUnit.SECONDS)));
                continue;
            }
            String[] tn = q.split(":", 2);
            Lookup lookup = new Lookup(tn[1], Type.value(tn[0]));
            long t0 = System.nanoTime();
            CompletableFuture<LookupResult> f = dns.lookup(lookup);
            System.out.println("CALL " + (System.nanoTime() - t0) / 1000);
            LookupResult r = f.join();
            System.out.println("RESULT " + q + " " + r.outcome() + " validated=" + r.validated() + " n=" + r.records().size()
                    + " ms=" + (System.nanoTime() - t0) / 1_000_000 + " detail=" + r.detail().replace('\n', ' '));
            for (Record rec : r.records()) {
                OeRecords.Parsed p = OeRecords.parse(rec);
                System.out.println("OE " + (p.isOk() ? "ok " + p.record().source() + " prec=" + p.record().precedence() + " gw=" + p.record().gateway()
                        + " key=" + (p.record().hasKey() ? Base64.getEncoder().encodeToString(OeKeys.rfc3110((RSAPublicKey) p.record().key())) : "-")
                        : p.isRejected() ? "rejected " + p.rejection() : "unrelated"));
            }
        }
        System.out.println("DONE");
    }

    private static String describe(OeDiscovery.Result r) {
        return switch (r) {
            case OeDiscovery.Result.Found f -> "Found gateway=" + f.gateway() + " keys=" + f.keys().size() + " source=" + f.source()
                    + " validated=" + f.dnssecValidated();
            case OeDiscovery.Result.NotFound nf -> "NotFound " + nf.reason() + " " + nf.detail().replace('\n', ' ');
        };
    }
}
