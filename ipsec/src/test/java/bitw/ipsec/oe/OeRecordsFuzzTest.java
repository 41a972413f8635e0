// Fuzzing what DNS answers feed into opportunistic encryption: random and mutated rdata of TXT, KEY and IPSECKEY,
// random and mutated TXT strings, random key blobs for every key format, whole DNS response messages mutated at
// the byte level (parsed by dnsjava, then by us), and discovery machines fed random records and outcomes. Nothing
// may escape but a Parsed result (ok, rejected or unrelated), a BadKeyException or dnsjava's own wire-format
// IOException; a discovery must still end with a result.
package bitw.ipsec.oe;

import static org.junit.jupiter.api.Assertions.*;

import bitw.ipsec.packet.IpAddress;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.DClass;
import org.xbill.DNS.IPSECKEYRecord;
import org.xbill.DNS.KEYRecord;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.Type;

class OeRecordsFuzzTest {
    private static final int[] TYPES = {Type.TXT, Type.KEY, Type.IPSECKEY};

    /** Valid records of every kind the parser accepts, as seeds for mutation. */
    private static List<Record> seeds() throws Exception {
        byte[] key = OeKeys.rfc3110(OeTestKeys.rsa(0));
        String b64 = Base64.getEncoder().encodeToString(key);
        Name o = OeRecordsTest.OWNER;
        return List.of(
                new TXTRecord(o, DClass.IN, 60, "X-IPsec-Server(10)=192.0.2.5 " + b64),
                new TXTRecord(o, DClass.IN, 60, List.of("X-IPsec-Server(20)=@gw.example.net " + b64.substring(0, 100), b64.substring(100))),
                new TXTRecord(o, DClass.IN, 60, "X-IPsec-Server(5)=2001:db8::5"),
                new KEYRecord(o, DClass.IN, 60, 0x4200, 4, 1, key),
                new IPSECKEYRecord(o, DClass.IN, 60, 10, IPSECKEYRecord.Gateway.IPv4, 2, InetAddress.getByName("192.0.2.7"), key),
                new IPSECKEYRecord(o, DClass.IN, 60, 10, IPSECKEYRecord.Gateway.IPv6, 2, InetAddress.getByName("2001:db8::7"), key),
                new IPSECKEYRecord(o, DClass.IN, 60, 30, IPSECKEYRecord.Gateway.Name, 0, Name.fromConstantString("gw.example.net."), null),
                new IPSECKEYRecord(o, DClass.IN, 60, 10, IPSECKEYRecord.Gateway.None, 2, null, key));
    }

    private static void check(OeRecords.Parsed p) {
        assertNotNull(p);
        assertFalse(p.isOk() && p.isRejected(), "both a record and a rejection");
        if (p.isRejected()) assertFalse(p.rejection().isBlank(), "a rejection says why");
    }

    private static byte[] mutate(SplittableRandom rnd, byte[] in) {
        byte[] b = in.clone();
        switch (rnd.nextInt(4)) {
            case 0 -> { for (int i = 1 + rnd.nextInt(4); i > 0 && b.length > 0; i--) b[rnd.nextInt(b.length)] ^= (byte) (1 << rnd.nextInt(8)); }
            case 1 -> { if (b.length > 0) b[rnd.nextInt(b.length)] = (byte) rnd.nextInt(256); }
            case 2 -> b = java.util.Arrays.copyOf(b, rnd.nextInt(b.length + 1));                // truncated
            default -> { b = java.util.Arrays.copyOf(b, b.length + 1 + rnd.nextInt(16)); }       // trailing bytes
        }
        return b;
    }

    @Test
    void randomAndMutatedRdataOnlyEverParseOrAreRejected() throws Exception {
        SplittableRandom rnd = new SplittableRandom(20261204);
        List<Record> seeds = seeds();
        for (int i = 0; i < 20_000; i++) {
            byte[] junk = new byte[rnd.nextInt(300)];
            rnd.nextBytes(junk);
            check(OeRecords.parseRdata(TYPES[rnd.nextInt(TYPES.length)], junk));
            Record seed = seeds.get(rnd.nextInt(seeds.size()));
            check(OeRecords.parseRdata(seed.getType(), mutate(rnd, seed.rdataToWireCanonical())));
        }
    }

    @Test
    void randomAndMutatedTxtStringsOnlyEverParseOrAreRejected() {
        SplittableRandom rnd = new SplittableRandom(7);
        String b64 = Base64.getEncoder().encodeToString(OeKeys.rfc3110(OeTestKeys.rsa(1)));
        String[] valid = {"X-IPsec-Server(10)=192.0.2.5 " + b64, "X-IPsec-Server(10)=@gw.example.net", "X-IPsec-Server(1)=2001:db8::1 " + b64};
        String alphabet = "X-IPsec-Server()=@.: 0123456789abcdefABCDEF+/=\t\\\u00ff";
        for (int i = 0; i < 20_000; i++) {
            String v = valid[rnd.nextInt(valid.length)];
            StringBuilder sb = new StringBuilder(v);
            for (int k = 1 + rnd.nextInt(3); k > 0; k--) {
                int at = rnd.nextInt(sb.length() + 1);
                switch (rnd.nextInt(3)) {
                    case 0 -> sb.insert(at, alphabet.charAt(rnd.nextInt(alphabet.length())));
                    case 1 -> { if (at < sb.length()) sb.deleteCharAt(at); }
                    default -> { if (at < sb.length()) sb.setCharAt(at, alphabet.charAt(rnd.nextInt(alphabet.length()))); }
                }
            }
            List<byte[]> strings = new ArrayList<>();
            String s = sb.toString();
            int cut = rnd.nextInt(s.length() + 1);   // split where a zone file might
            strings.add(s.substring(0, cut).getBytes(StandardCharsets.ISO_8859_1));
            strings.add(s.substring(cut).getBytes(StandardCharsets.ISO_8859_1));
            check(OeRecords.parseTxt(strings));
            byte[] junk = new byte[rnd.nextInt(600)];
            rnd.nextBytes(junk);
            check(OeRecords.parseTxt(List.of("X-IPsec-Server(".getBytes(StandardCharsets.ISO_8859_1), junk)));
        }
    }

    @Test
    void randomKeyBlobsAreRefusedWithAReasonNeverAnotherException() {
        SplittableRandom rnd = new SplittableRandom(3);
        byte[] rsa = OeKeys.rfc3110(OeTestKeys.rsa(0));
        for (int i = 0; i < 5_000; i++) {
            byte[] junk = new byte[rnd.nextInt(700)];
            rnd.nextBytes(junk);
            byte[] mutated = mutate(rnd, rsa);
            for (byte[] b : new byte[][] {junk, mutated}) {
                for (int kind = 0; kind < 3; kind++) {
                    try {
                        switch (kind) {
                            case 0 -> OeKeys.rsaFromRfc3110(b);
                            case 1 -> OeKeys.dsaFromRfc2536(b);
                            default -> OeKeys.ecdsaFromPoint(b);
                        }
                    } catch (OeKeys.BadKeyException e) {
                        assertNotNull(e.getMessage());
                    }
                }
            }
        }
    }

    /** A whole answer as it comes off the wire, mutated: dnsjava refuses it or hands us records we judge. */
    @Test
    void mutatedDnsResponsesAreRefusedByDnsjavaOrJudgedRecordByRecord() throws Exception {
        Message m = Message.newQuery(Record.newRecord(OeRecordsTest.OWNER, Type.TXT, DClass.IN));
        m.getHeader().setFlag(org.xbill.DNS.Flags.QR);
        for (Record r : seeds()) m.addRecord(r, Section.ANSWER);
        byte[] wire = m.toWire();
        SplittableRandom rnd = new SplittableRandom(11);
        int parsed = 0;
        for (int i = 0; i < 20_000; i++) {
            Message in;
            try {
                in = new Message(mutate(rnd, wire));
            } catch (IOException e) {
                continue;   // dnsjava's WireParseException: DnsClient reports it as a failed lookup
            }
            parsed++;
            for (Record r : in.getSection(Section.ANSWER)) check(OeRecords.parse(r));
        }
        assertTrue(parsed > 1_000, "most single mutations still parse, so the record parsers saw them: " + parsed);
    }

    /** Discovery machines fed random outcomes and random (often bad) records always finish with a result. */
    @Test
    void discoveryFedRandomAnswersAlwaysEnds() throws Exception {
        SplittableRandom rnd = new SplittableRandom(5);
        List<Record> seeds = seeds();
        IpAddress dest = IpAddress.parse("192.0.2.1"), gw = IpAddress.parse("192.0.2.7");
        for (int i = 0; i < 2_000; i++) {
            OeDiscovery d = switch (rnd.nextInt(3)) {
                case 0 -> OeDiscovery.forDestination(dest, OeDiscovery.Policy.DEFAULT);
                case 1 -> OeDiscovery.forPeerKeys(gw, rnd.nextBoolean() ? "gw.example.net" : null, OeDiscovery.Policy.DEFAULT);
                default -> OeDiscovery.forAuthorization(gw, null, dest, OeDiscovery.Policy.VALIDATED_ONLY);
            };
            List<Lookup> queue = new ArrayList<>(d.start());
            int steps = 0;
            while (!queue.isEmpty()) {
                assertTrue(++steps < 100, "discovery keeps asking");
                Lookup l = queue.remove(rnd.nextInt(queue.size()));
                LookupResult answer = switch (rnd.nextInt(6)) {
                    case 0 -> LookupResult.timeout();
                    case 1 -> LookupResult.failure("SERVFAIL");
                    case 2 -> LookupResult.bogus("tampered");
                    default -> {
                        List<Record> records = new ArrayList<>();
                        for (int k = rnd.nextInt(4); k > 0; k--) {
                            Record s = seeds.get(rnd.nextInt(seeds.size()));
                            Record r = Record.newRecord(Name.fromString(l.name()), s.getType(), DClass.IN, 60,
                                    rnd.nextBoolean() ? s.rdataToWireCanonical() : mutate(rnd, s.rdataToWireCanonical()));
                            if (r != null) records.add(r);
                        }
                        yield LookupResult.answer(records, rnd.nextBoolean());
                    }
                };
                queue.addAll(d.accept(l, answer));
            }
            assertTrue(d.isDone(), "no lookups left, so the discovery must have ended");
            assertNotNull(d.result());
        }
    }
}
