// Specification of the OE record parser: TXT delegation records (split strings, whitespace variants, garbage),
// KEY RR flag/protocol/algorithm checks, IPSECKEY gateway types and key algorithms, RFC 3110 key conversion.
package bitw.ipsec.oe;

import static org.junit.jupiter.api.Assertions.*;

import bitw.ipsec.packet.IpAddress;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.DClass;
import org.xbill.DNS.IPSECKEYRecord;
import org.xbill.DNS.KEYRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.Type;

class OeRecordsTest {
    /** Key field of a KEY RR written by BIND's dnssec-keygen (RSA 2048) and the modulus from its private file. */
    static final String BIND_KEY_FIELD = "AwEAAaOPd28VTufCLocTsLmLXoCT/OEzkNwV+sujaD48hgr7gen5zcvo+a3zByG0mOclpwNbpuapgZl42mxPzaiotjcNvppkU2EMb9+UmjlGMSzVAeOPr+WVisLSd5XzxSGzJKrxPZmSGyvfyPztd5AiKCy3bBiG22hEr7Jdgloz70wrYWN5fLa6fkFY4pnp2ZVO4ZzY+mwUogBir5LACAH8Ex0V9sxDQpydQcqpED0eTJQ/OA6CCjIC45c7WHAeT91tFkIBeG5OejHdpDv91Vu0oMvONZtYpIt5LN/5CXlw6vqQjcqPs7f6JAx1ztwz+LRvAeRhh7gbWam9EQ92Z9q7hhs=";
    static final String BIND_MODULUS = "o493bxVO58IuhxOwuYtegJP84TOQ3BX6y6NoPjyGCvuB6fnNy+j5rfMHIbSY5yWnA1um5qmBmXjabE/NqKi2Nw2+mmRTYQxv35SaOUYxLNUB44+v5ZWKwtJ3lfPFIbMkqvE9mZIbK9/I/O13kCIoLLdsGIbbaESvsl2CWjPvTCthY3l8trp+QVjimenZlU7hnNj6bBSiAGKvksAIAfwTHRX2zENCnJ1ByqkQPR5MlD84DoIKMgLjlztYcB5P3W0WQgF4bk56Md2kO/3VW7Sgy841m1iki3ks3/kJeXDq+pCNyo+zt/okDHXO3DP4tG8B5GGHuBtZqb0RD3Zn2ruGGw==";
    static final Name OWNER = Name.fromConstantString("1.2.0.192.in-addr.arpa.");

    static OeRecords.Parsed txt(String... strings) {
        return OeRecords.parseTxt(Arrays.stream(strings).map(s -> s.getBytes(StandardCharsets.ISO_8859_1)).toList());
    }

    @Test
    void convertsRfc3110KeyWrittenByBind() throws Exception {
        RSAPublicKey k = (RSAPublicKey) OeKeys.rsaFromRfc3110(Base64.getDecoder().decode(BIND_KEY_FIELD));
        assertEquals(new BigInteger(1, Base64.getDecoder().decode(BIND_MODULUS)), k.getModulus());
        assertEquals(BigInteger.valueOf(65537), k.getPublicExponent());
        assertEquals(2048, k.getModulus().bitLength());
        assertArrayEquals(Base64.getDecoder().decode(BIND_KEY_FIELD), OeKeys.rfc3110(k), "encode is the inverse");
    }

    @Test
    void convertsLongExponentForm() throws Exception {
        RSAPublicKey k = OeTestKeys.rsa(0);
        byte[] n = k.getModulus().toByteArray();
        n = n[0] == 0 ? Arrays.copyOfRange(n, 1, n.length) : n;
        byte[] b = new byte[3 + 3 + n.length]; // 0, then 2-byte length 3, then 01 00 01
        b[2] = 3; b[3] = 1; b[4] = 0; b[5] = 1;
        System.arraycopy(n, 0, b, 6, n.length);
        assertEquals(k, OeKeys.rsaFromRfc3110(b));
    }

    @Test
    void refusesMalformedRsaKeys() {
        byte[] good = OeKeys.rfc3110(OeTestKeys.rsa(0));
        assertThrows(OeKeys.BadKeyException.class, () -> OeKeys.rsaFromRfc3110(new byte[] {3, 1, 0}));
        byte[] longExp = good.clone(); longExp[0] = (byte) 200; // exponent swallows the modulus
        assertThrows(OeKeys.BadKeyException.class, () -> OeKeys.rsaFromRfc3110(Arrays.copyOf(longExp, 150)));
        byte[] evenExp = good.clone(); evenExp[3] = 2;
        assertTrue(assertThrows(OeKeys.BadKeyException.class, () -> OeKeys.rsaFromRfc3110(evenExp)).getMessage().contains("exponent"));
        byte[] small = Arrays.copyOf(good, 4 + 64); // 512-bit modulus
        assertTrue(assertThrows(OeKeys.BadKeyException.class, () -> OeKeys.rsaFromRfc3110(small)).getMessage().contains("bits"));
    }

    @Test
    void parsesTxtWithAddressAndKey() {
        OeRecords.Parsed p = txt("X-IPsec-Server(10)=192.0.2.5 " + OeTestKeys.base64(0));
        assertTrue(p.isOk(), p.rejection());
        assertEquals(10, p.record().precedence());
        assertEquals(OeGateway.of(IpAddress.parse("192.0.2.5")), p.record().gateway());
        assertEquals(OeTestKeys.rsa(0), p.record().key());
        assertEquals(OeRecord.KeySource.TXT, p.record().source());
    }

    @Test
    void joinsSplitTxtStringsWithoutSeparator() {
        String whole = "X-IPsec-Server(20)=2001:db8::1 " + OeTestKeys.base64(1);
        OeRecords.Parsed p = txt(whole.substring(0, 40), whole.substring(40, 140), whole.substring(140));
        assertTrue(p.isOk(), p.rejection());
        assertEquals(OeTestKeys.rsa(1), p.record().key());
        assertEquals(IpAddress.parse("2001:db8::1"), p.record().gateway().address());
        // Through dnsjava's TXTRecord too.
        TXTRecord r = new TXTRecord(OWNER, DClass.IN, 60, List.of(whole.substring(0, 200), whole.substring(200)));
        assertEquals(OeTestKeys.rsa(1), OeRecords.parse(r).record().key());
    }

    @Test
    void toleratesWhitespaceVariants() {
        String key = OeTestKeys.base64(0);
        for (String s : List.of("x-ipsec-server(10)=192.0.2.5 " + key, "  X-IPsec-Server ( 10 ) = 192.0.2.5\t" + key + "  ",
                "X-IPsec-Server(10)=192.0.2.5 " + key.substring(0, 50) + " " + key.substring(50))) {
            OeRecords.Parsed p = txt(s);
            assertTrue(p.isOk(), s + ": " + p.rejection());
            assertEquals(OeTestKeys.rsa(0), p.record().key());
        }
    }

    @Test
    void parsesFqdnFormWithAndWithoutKey() {
        OeRecords.Parsed p = txt("X-IPsec-Server(5)=@GW.Example.NET.");
        assertTrue(p.isOk(), p.rejection());
        assertEquals("gw.example.net", p.record().gateway().fqdn());
        assertFalse(p.record().hasKey());
        assertEquals(OeTestKeys.rsa(0), txt("X-IPsec-Server(5)=@gw.example.net " + OeTestKeys.base64(0)).record().key());
    }

    @Test
    void ignoresOtherTxtApplications() {
        assertTrue(txt("v=spf1 -all").isUnrelated());
        assertTrue(txt("").isUnrelated());
    }

    @Test
    void rejectsGarbageWithReason() {
        assertTrue(txt("X-IPsec-Server(10)=192.0.2.5 AQ$$notbase64").rejection().contains("base64"));
        assertTrue(txt("X-IPsec-Server(10)=192.0.2.5 AQNJjkKl").rejection().contains("key"));
        assertTrue(txt("X-IPsec-Server(x)=192.0.2.5").isRejected());
        assertTrue(txt("X-IPsec-Server(10)").isRejected());
        assertTrue(txt("X-IPsec-Server(70000)=192.0.2.5").rejection().contains("precedence"));
        assertTrue(txt("X-IPsec-Server(10)=192.0.2.300").rejection().contains("gateway"));
        assertTrue(txt("X-IPsec-Server(10)=@bad..name").rejection().contains("FQDN"));
    }

    @Test
    void parsesKeyRecordAsPublished() throws Exception {
        byte[] key = OeKeys.rfc3110(OeTestKeys.rsa(0));
        KEYRecord r = new KEYRecord(OWNER, DClass.IN, 60, 0x4200, 4, 1, key);
        OeRecords.Parsed p = OeRecords.parse(r);
        assertTrue(p.isOk(), p.rejection());
        assertEquals(OeRecord.KeySource.KEY, p.record().source());
        assertEquals(OeTestKeys.rsa(0), p.record().key());
        // Same bytes as raw rdata.
        assertEquals(OeTestKeys.rsa(0), OeRecords.parseRdata(Type.KEY, r.rdataToWireCanonical()).record().key());
    }

    @Test
    void rejectsKeyRecordWithWrongFlagsProtocolOrAlgorithm() {
        byte[] key = OeKeys.rfc3110(OeTestKeys.rsa(0));
        assertTrue(OeRecords.parseKey(0xC200, 4, 1, key).rejection().contains("authentication"));
        assertTrue(OeRecords.parseKey(0x4100, 4, 1, key).rejection().contains("host"), "zone key");
        assertTrue(OeRecords.parseKey(0x4200, 3, 1, key).rejection().contains("protocol"), "DNSSEC protocol");
        assertTrue(OeRecords.parseKey(0x4200, 4, 3, key).rejection().contains("algorithm"), "DSA");
        assertTrue(OeRecords.parseKey(0x4200, 4, 1, new byte[] {1, 3}).isRejected());
        assertTrue(OeRecords.parseKey(0x0200, 4, 1, key).isOk(), "confidentiality bit is not required");
    }

    @Test
    void parsesIpseckeyGatewayTypes() throws Exception {
        byte[] key = OeKeys.rfc3110(OeTestKeys.rsa(0));
        OeRecord v4 = OeRecords.parse(new IPSECKEYRecord(OWNER, DClass.IN, 60, 10, IPSECKEYRecord.Gateway.IPv4, 2,
                InetAddress.getByName("192.0.2.7"), key)).record();
        assertEquals(OeGateway.of(IpAddress.parse("192.0.2.7")), v4.gateway());
        assertEquals(10, v4.precedence());
        assertEquals(OeTestKeys.rsa(0), v4.key());
        OeRecord v6 = OeRecords.parse(new IPSECKEYRecord(OWNER, DClass.IN, 60, 20, IPSECKEYRecord.Gateway.IPv6, 2,
                InetAddress.getByName("2001:db8::7"), key)).record();
        assertEquals(IpAddress.parse("2001:db8::7"), v6.gateway().address());
        OeRecord name = OeRecords.parse(new IPSECKEYRecord(OWNER, DClass.IN, 60, 30, IPSECKEYRecord.Gateway.Name, 0,
                Name.fromConstantString("gw.example.net."), null)).record();
        assertEquals("gw.example.net", name.gateway().fqdn());
        assertFalse(name.hasKey());
        OeRecord self = OeRecords.parse(new IPSECKEYRecord(OWNER, DClass.IN, 60, 10, IPSECKEYRecord.Gateway.None, 2, null, key)).record();
        assertTrue(self.gateway().isNone());
        // Round trip through wire rdata.
        Record r = new IPSECKEYRecord(OWNER, DClass.IN, 60, 10, IPSECKEYRecord.Gateway.IPv4, 2, InetAddress.getByName("192.0.2.7"), key);
        assertEquals(v4, OeRecords.parseRdata(Type.IPSECKEY, r.rdataToWireCanonical()).record());
    }

    @Test
    void parsesIpseckeyDsaAndEcdsaKeysAndRefusesBadOnes() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        ECPublicKey ec = (ECPublicKey) g.generateKeyPair().getPublic();
        byte[] point = new byte[64];
        byte[] x = ec.getW().getAffineX().toByteArray(), y = ec.getW().getAffineY().toByteArray();
        System.arraycopy(x, Math.max(0, x.length - 32), point, 32 - Math.min(32, x.length), Math.min(32, x.length));
        System.arraycopy(y, Math.max(0, y.length - 32), point, 64 - Math.min(32, y.length), Math.min(32, y.length));
        PublicKey parsed = OeRecords.parse(new IPSECKEYRecord(OWNER, DClass.IN, 60, 10, IPSECKEYRecord.Gateway.None, 3, null, point)).record().key();
        assertEquals(ec.getW(), ((ECPublicKey) parsed).getW());

        KeyPairGenerator d = KeyPairGenerator.getInstance("DSA");
        d.initialize(1024);
        var dsa = (java.security.interfaces.DSAPublicKey) d.generateKeyPair().getPublic();
        byte[] b = new byte[1 + 20 + 3 * 128];
        b[0] = 8;
        put(b, 1, 20, dsa.getParams().getQ()); put(b, 21, 128, dsa.getParams().getP());
        put(b, 149, 128, dsa.getParams().getG()); put(b, 277, 128, dsa.getY());
        assertEquals(dsa.getY(), ((java.security.interfaces.DSAPublicKey) OeRecords.parse(
                new IPSECKEYRecord(OWNER, DClass.IN, 60, 10, IPSECKEYRecord.Gateway.None, 1, null, b)).record().key()).getY());

        assertTrue(OeRecords.parse(new IPSECKEYRecord(OWNER, DClass.IN, 60, 10, IPSECKEYRecord.Gateway.None, 3, null, new byte[50]))
                .rejection().contains("ECDSA"));
        assertTrue(OeRecords.parse(new IPSECKEYRecord(OWNER, DClass.IN, 60, 10, IPSECKEYRecord.Gateway.None, 9, null, new byte[50]))
                .rejection().contains("algorithm 9"));
        assertTrue(OeRecords.parse(new IPSECKEYRecord(OWNER, DClass.IN, 60, 10, IPSECKEYRecord.Gateway.None, 0, null, null)).isRejected(),
                "no gateway and no key says nothing");
        assertTrue(OeRecords.parseRdata(Type.IPSECKEY, new byte[] {10, 1}).isRejected(), "truncated rdata");
    }

    private static void put(byte[] b, int off, int len, BigInteger v) {
        byte[] raw = v.toByteArray();
        int n = Math.min(len, raw.length);
        System.arraycopy(raw, raw.length - n, b, off + len - n, n);
    }
}
