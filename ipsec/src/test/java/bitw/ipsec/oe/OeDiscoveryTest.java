// Specification of OE discovery with scripted lookup results (no DNS): precedence, gateway choice and key
// rollover, FQDN gateways, keys at the gateway's name, failures, DNSSEC policy, and the responder's checks.
package bitw.ipsec.oe;

import static org.junit.jupiter.api.Assertions.*;

import bitw.ipsec.packet.IpAddress;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.IPSECKEYRecord;
import org.xbill.DNS.KEYRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.Type;

class OeDiscoveryTest {
    static final IpAddress DEST = IpAddress.parse("192.0.2.10");
    static final String DEST_REV = "10.2.0.192.in-addr.arpa.";
    static final Name N = Name.fromConstantString("x.");

    /** A scripted DNS: answers by (name, type); unknown questions get an empty answer. Records every question. */
    static final class ScriptedDns {
        final Map<Lookup, LookupResult> answers = new HashMap<>();
        final List<Lookup> asked = new ArrayList<>();
        boolean validated;

        ScriptedDns put(String name, int type, Record... records) {
            answers.put(new Lookup(name, type), LookupResult.answer(List.of(records), validated));
            return this;
        }

        ScriptedDns put(String name, int type, LookupResult r) {
            answers.put(new Lookup(name, type), r);
            return this;
        }

        OeDiscovery.Result run(OeDiscovery d) {
            List<Lookup> queue = new ArrayList<>(d.start());
            // Answer the later question of each round first: the machine must not depend on order.
            while (!queue.isEmpty()) {
                Lookup l = queue.removeLast();
                asked.add(l);
                queue.addAll(d.accept(l, answers.getOrDefault(l, LookupResult.answer(List.of(), validated))));
            }
            assertTrue(d.isDone(), "machine finished: outstanding " + d.outstanding());
            return d.result();
        }
    }

    static TXTRecord txt(String text) { return new TXTRecord(N, DClass.IN, 60, text); }

    static KEYRecord key(int k) { return new KEYRecord(N, DClass.IN, 60, 0x4200, 4, 1, OeKeys.rfc3110(OeTestKeys.rsa(k))); }

    static IPSECKEYRecord ipseckey(int precedence, String gw, int k) throws Exception {
        byte[] key = k < 0 ? null : OeKeys.rfc3110(OeTestKeys.rsa(k));
        int alg = k < 0 ? 0 : 2;
        if (gw == null) return new IPSECKEYRecord(N, DClass.IN, 60, precedence, IPSECKEYRecord.Gateway.None, alg, null, key);
        if (gw.startsWith("@")) return new IPSECKEYRecord(N, DClass.IN, 60, precedence, IPSECKEYRecord.Gateway.Name, alg, Name.fromString(gw.substring(1) + "."), key);
        return new IPSECKEYRecord(N, DClass.IN, 60, precedence, gw.contains(":") ? IPSECKEYRecord.Gateway.IPv6 : IPSECKEYRecord.Gateway.IPv4, alg, InetAddress.getByName(gw), key);
    }

    static OeDiscovery.Result.Found found(OeDiscovery.Result r) {
        return assertInstanceOf(OeDiscovery.Result.Found.class, r, () -> r.toString());
    }

    static OeDiscovery.Reason reason(OeDiscovery.Result r) {
        return assertInstanceOf(OeDiscovery.Result.NotFound.class, r, () -> r.toString()).reason();
    }

    static OeDiscovery dest() { return OeDiscovery.forDestination(DEST, OeDiscovery.Policy.DEFAULT); }

    @Test
    void asksTxtAndIpseckeyAtTheReverseName() {
        assertEquals(List.of(new Lookup(DEST_REV, Type.TXT), new Lookup(DEST_REV, Type.IPSECKEY)), dest().start());
        assertEquals("a.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa.",
                Lookup.reverseName(IpAddress.parse("2001:db8::a")));
    }

    @Test
    void lowestPrecedenceWins() throws Exception {
        ScriptedDns dns = new ScriptedDns()
                .put(DEST_REV, Type.TXT, txt("X-IPsec-Server(20)=192.0.2.1 " + OeTestKeys.base64(0)))
                .put(DEST_REV, Type.IPSECKEY, ipseckey(10, "198.51.100.9", 1));
        var f = found(dns.run(dest()));
        assertEquals(IpAddress.parse("198.51.100.9"), f.gateway());
        assertEquals(List.of(OeTestKeys.rsa(1)), f.keys());
        assertEquals(OeRecord.KeySource.IPSECKEY, f.source());
        assertFalse(f.dnssecValidated());
        assertEquals(2, dns.asked.size(), "keys came with the records: no second lookup");
    }

    @Test
    void equalPrecedencePicksOneGatewayAndAllItsKeys() {
        ScriptedDns dns = new ScriptedDns().put(DEST_REV, Type.TXT,
                txt("X-IPsec-Server(10)=192.0.2.6 " + OeTestKeys.base64(0)),
                txt("X-IPsec-Server(10)=192.0.2.5 " + OeTestKeys.base64(1)),
                txt("X-IPsec-Server(10)=192.0.2.5 " + OeTestKeys.base64(2)),   // rollover: new key beside old
                txt("X-IPsec-Server(30)=192.0.2.5 " + OeTestKeys.base64(3)),
                txt("v=spf1 -all"));
        var f = found(dns.run(dest()));
        assertEquals(IpAddress.parse("192.0.2.5"), f.gateway(), "lowest address among equal precedence");
        assertEquals(List.of(OeTestKeys.rsa(1), OeTestKeys.rsa(2), OeTestKeys.rsa(3)), f.keys());
        assertEquals(OeRecord.KeySource.TXT, f.source());
    }

    @Test
    void txtWithoutKeyLooksUpKeyAtTheGatewaysReverseName() {
        ScriptedDns dns = new ScriptedDns()
                .put(DEST_REV, Type.TXT, txt("X-IPsec-Server(10)=192.0.2.5"))
                .put("5.2.0.192.in-addr.arpa.", Type.KEY, key(4), key(5));
        var f = found(dns.run(dest()));
        assertEquals(IpAddress.parse("192.0.2.5"), f.gateway());
        assertEquals(List.of(OeTestKeys.rsa(4), OeTestKeys.rsa(5)), f.keys());
        assertEquals(OeRecord.KeySource.KEY, f.source());
        assertTrue(dns.asked.contains(new Lookup("5.2.0.192.in-addr.arpa.", Type.KEY)));
    }

    @Test
    void fqdnFormTakesKeyAtTheFqdnAndResolvesItsAddress() throws Exception {
        ScriptedDns dns = new ScriptedDns()
                .put(DEST_REV, Type.TXT, txt("X-IPsec-Server(10)=@gw.example.net"))
                .put("gw.example.net.", Type.KEY, key(6))
                .put("gw.example.net.", Type.AAAA, new AAAARecord(N, DClass.IN, 60, InetAddress.getByName("2001:db8::5")))
                .put("gw.example.net.", Type.A, new ARecord(N, DClass.IN, 60, InetAddress.getByName("203.0.113.5")));
        var f = found(dns.run(dest()));
        assertEquals("gw.example.net", f.gatewayFqdn());
        assertEquals(IpAddress.parse("203.0.113.5"), f.gateway(), "same family as the destination");
        assertEquals(List.of(OeTestKeys.rsa(6)), f.keys());
        assertEquals(OeRecord.KeySource.KEY, f.source());
    }

    @Test
    void fqdnWithoutAddressIsNotFound() {
        ScriptedDns dns = new ScriptedDns()
                .put(DEST_REV, Type.TXT, txt("X-IPsec-Server(10)=@gw.example.net " + OeTestKeys.base64(0)));
        assertEquals(OeDiscovery.Reason.NO_RECORDS, reason(dns.run(dest())));
    }

    @Test
    void ipseckeyWithoutGatewayMeansTheDestinationItself() throws Exception {
        ScriptedDns dns = new ScriptedDns().put(DEST_REV, Type.IPSECKEY, ipseckey(10, null, 7));
        var f = found(dns.run(dest()));
        assertEquals(DEST, f.gateway());
        assertEquals(List.of(OeTestKeys.rsa(7)), f.keys());
    }

    @Test
    void noRecordsDnsFailureTimeoutAndBadRecords() {
        assertEquals(OeDiscovery.Reason.NO_RECORDS, reason(new ScriptedDns().put(DEST_REV, Type.TXT, txt("hello")).run(dest())));
        assertEquals(OeDiscovery.Reason.DNS_FAILURE, reason(new ScriptedDns().put(DEST_REV, Type.TXT, LookupResult.failure("SERVFAIL")).run(dest())));
        assertEquals(OeDiscovery.Reason.TIMEOUT, reason(new ScriptedDns().put(DEST_REV, Type.IPSECKEY, LookupResult.timeout()).run(dest())));
        OeDiscovery d = dest();
        assertEquals(OeDiscovery.Reason.BAD_RECORDS, reason(new ScriptedDns().put(DEST_REV, Type.TXT, txt("X-IPsec-Server(10)=192.0.2.5 !!!")).run(d)));
        assertTrue(d.notes().getFirst().contains("base64"), d.notes().toString());
        // A gateway without a key anywhere.
        assertEquals(OeDiscovery.Reason.NO_RECORDS, reason(new ScriptedDns().put(DEST_REV, Type.TXT, txt("X-IPsec-Server(10)=192.0.2.5")).run(dest())));
    }

    @Test
    void usableRecordsWinOverAFailedSecondQuery() {
        var f = found(new ScriptedDns()
                .put(DEST_REV, Type.TXT, txt("X-IPsec-Server(10)=192.0.2.5 " + OeTestKeys.base64(0)))
                .put(DEST_REV, Type.IPSECKEY, LookupResult.timeout()).run(dest()));
        assertEquals(IpAddress.parse("192.0.2.5"), f.gateway());
    }

    @Test
    void validationPolicy() {
        ScriptedDns unsigned = new ScriptedDns().put(DEST_REV, Type.TXT, txt("X-IPsec-Server(10)=192.0.2.5 " + OeTestKeys.base64(0)));
        assertEquals(OeDiscovery.Reason.NOT_VALIDATED, reason(unsigned.run(OeDiscovery.forDestination(DEST, OeDiscovery.Policy.VALIDATED_ONLY))));
        assertFalse(found(unsigned.run(dest())).dnssecValidated());
        ScriptedDns signed = new ScriptedDns();
        signed.validated = true;
        signed.put(DEST_REV, Type.TXT, txt("X-IPsec-Server(10)=192.0.2.5 " + OeTestKeys.base64(0)));
        assertTrue(found(signed.run(OeDiscovery.forDestination(DEST, OeDiscovery.Policy.VALIDATED_ONLY))).dnssecValidated());
        assertEquals(OeDiscovery.Reason.NOT_VALIDATED, reason(new ScriptedDns().put(DEST_REV, Type.TXT, LookupResult.bogus("RRSIG mismatch")).run(dest())));
    }

    @Test
    void ignoresAnswersToQuestionsNotAsked() {
        OeDiscovery d = dest();
        d.start();
        assertEquals(List.of(), d.accept(new Lookup("evil.example.", Type.TXT), LookupResult.timeout()));
        assertFalse(d.isDone());
        assertEquals(2, d.outstanding().size());
    }

    // ---- responder side ----

    static final IpAddress GW = IpAddress.parse("198.51.100.4");
    static final IpAddress INNER = IpAddress.parse("192.0.2.77");
    static final String INNER_REV = "77.2.0.192.in-addr.arpa.", GW_REV = "4.100.51.198.in-addr.arpa.";

    @Test
    void authorizesGatewayNamedInTheInnerSourcesReverseMap() {
        ScriptedDns dns = new ScriptedDns()
                .put(INNER_REV, Type.TXT, txt("X-IPsec-Server(10)=198.51.100.4"))
                .put(GW_REV, Type.KEY, key(0));
        var f = found(dns.run(OeDiscovery.forAuthorization(GW, null, INNER, OeDiscovery.Policy.DEFAULT)));
        assertEquals(GW, f.gateway());
        assertEquals(List.of(OeTestKeys.rsa(0)), f.keys());
    }

    @Test
    void refusesGatewayNotNamed() throws Exception {
        ScriptedDns dns = new ScriptedDns()
                .put(INNER_REV, Type.IPSECKEY, ipseckey(10, "198.51.100.99", 1))
                .put(GW_REV, Type.KEY, key(0));
        OeDiscovery.Result r = dns.run(OeDiscovery.forAuthorization(GW, null, INNER, OeDiscovery.Policy.DEFAULT));
        assertEquals(OeDiscovery.Reason.NOT_AUTHORIZED, reason(r));
        assertTrue(((OeDiscovery.Result.NotFound) r).detail().contains("198.51.100.99"));
        assertFalse(dns.asked.contains(new Lookup(GW_REV, Type.KEY)), "no key lookup for an unauthorized gateway");
        assertEquals(OeDiscovery.Reason.NOT_AUTHORIZED, reason(new ScriptedDns().run(OeDiscovery.forAuthorization(GW, null, INNER, OeDiscovery.Policy.DEFAULT))));
    }

    @Test
    void selfActingApplianceNeedsNoDelegation() {
        ScriptedDns dns = new ScriptedDns().put(GW_REV, Type.KEY, key(2));
        var f = found(dns.run(OeDiscovery.forAuthorization(GW, null, GW, OeDiscovery.Policy.DEFAULT)));
        assertEquals(List.of(OeTestKeys.rsa(2)), f.keys());
        assertEquals(List.of(new Lookup(GW_REV, Type.KEY), new Lookup(GW_REV, Type.IPSECKEY)).reversed(), dns.asked);
    }

    @Test
    void fqdnIdentityIsAuthorizedByAtFqdnAndKeyedByForwardLookup() throws Exception {
        ScriptedDns dns = new ScriptedDns()
                .put(INNER_REV, Type.TXT, txt("X-IPsec-Server(10)=@Mobile.Example.NET"))
                .put("mobile.example.net.", Type.IPSECKEY, ipseckey(10, null, 3));
        var f = found(dns.run(OeDiscovery.forAuthorization(GW, "mobile.example.net", INNER, OeDiscovery.Policy.DEFAULT)));
        assertEquals(List.of(OeTestKeys.rsa(3)), f.keys());
        assertEquals(OeRecord.KeySource.IPSECKEY, f.source());
        assertEquals("mobile.example.net", f.gatewayFqdn());
    }

    @Test
    void peerKeysIgnoreIpseckeyDelegatingElsewhere() throws Exception {
        ScriptedDns dns = new ScriptedDns().put(GW_REV, Type.IPSECKEY, ipseckey(10, "203.0.113.1", 1));
        assertEquals(OeDiscovery.Reason.NO_RECORDS, reason(dns.run(OeDiscovery.forPeerKeys(GW, null, OeDiscovery.Policy.DEFAULT))));
        ScriptedDns bad = new ScriptedDns().put(GW_REV, Type.KEY, new KEYRecord(N, DClass.IN, 60, 0x4100, 4, 1, OeKeys.rfc3110(OeTestKeys.rsa(0))));
        assertEquals(OeDiscovery.Reason.BAD_RECORDS, reason(bad.run(OeDiscovery.forPeerKeys(GW, null, OeDiscovery.Policy.DEFAULT))));
    }
}
