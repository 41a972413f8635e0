# Generates the independent ESP/AH packet vectors embedded in ScapyEspVectorsTest and AhTransformTest.
# Run once, offline:  /usr/bin/python3 scapy_vectors.py   (Debian python3-scapy 2.5.0, python3-cryptography)
# Every packet is built by scapy's SecurityAssociation and then decrypted/verified again by scapy, so each
# vector has survived one full round trip through an implementation that shares no code with ours.
# scapy 2.5 leaves the ESN high bits out of the ESP (non-AEAD) ICV, so the ESN variants of the CBC vectors
# append the RFC 4303 §2.2.1 high-order sequence bits to an HMAC computed here with Python's hmac module.
import hmac, hashlib, struct
from scapy.all import IP, IPv6, ICMP, UDP, Raw, ESP, AH, SecurityAssociation, raw

inner = IP(src="10.1.0.5", dst="10.2.0.9", id=0x1234, ttl=63) / UDP(sport=5353, dport=4242) / Raw(b"bump-in-the-wire " * 3)
inner = IP(raw(inner))
outer4 = IP(src="192.0.2.1", dst="198.51.100.2", id=0x4242, tos=0x28, ttl=57, flags="DF")
outer6 = IPv6(src="2001:db8::1", dst="2001:db8:1::2", tc=0xb8, fl=0x12345, hlim=61)

def h(b): return bytes(b).hex()

def esp_case(name, crypt, ckey, auth, akey, iv, seq):
    sa = SecurityAssociation(ESP, spi=0x0badcafe, crypt_algo=crypt, crypt_key=ckey,
                             auth_algo=auth, auth_key=akey, tunnel_header=outer4)
    pkt = sa.encrypt(inner, seq_num=seq, iv=iv)
    back = sa.decrypt(IP(raw(pkt)))            # scapy verifies its own ICV and padding
    assert raw(back) == raw(inner)
    esp = raw(pkt)[20:]
    print(f"{name}: crypt={crypt} ckey={h(ckey)} auth={auth} akey={h(akey)} iv={h(iv)} seq={seq}")
    print(f"  esp={h(esp)}")
    return esp

def esn_variant(name, esp, icv_len, digest, akey, seq_hi):
    body = esp[:-icv_len]
    icv = hmac.new(akey, body + struct.pack("!L", seq_hi), digest).digest()[:icv_len]
    print(f"{name} (ESN, seq high {seq_hi:#x}): esp={h(body + icv)}")

print(f"inner={h(raw(inner))}")
k3des = bytes(range(0x10, 0x10 + 24)); ksha1 = bytes(range(0x40, 0x40 + 20))
e = esp_case("3des-sha1", "3DES", k3des, "HMAC-SHA1-96", ksha1, bytes.fromhex("1122334455667788"), 7)
esn_variant("3des-sha1", e, 12, hashlib.sha1, ksha1, 0x1)
kaes256 = bytes(range(0x80, 0x80 + 32)); ksha256 = bytes(range(0xc0, 0xc0 + 32))
e = esp_case("aes256cbc-sha256", "AES-CBC", kaes256, "SHA2-256-128", ksha256,
             bytes.fromhex("000102030405060708090a0b0c0d0e0f"), 1000)
esn_variant("aes256cbc-sha256", e, 16, hashlib.sha256, ksha256, 0x2a)
kaes128 = bytes(range(0x20, 0x20 + 16)); ksha384 = bytes(range(0x50, 0x50 + 48))
esp_case("aes128cbc-sha384", "AES-CBC", kaes128, "SHA2-384-192", ksha384,
         bytes.fromhex("f0e0d0c0b0a090807060504030201000"), 3)
ksha512 = bytes(range(0x60, 0x60 + 64))
esp_case("null-sha512", "NULL", b"", "SHA2-512-256", ksha512, b"", 9)
kmd5 = bytes(range(0x70, 0x70 + 16))
esp_case("aes128cbc-md5", "AES-CBC", kaes128, "HMAC-MD5-96", kmd5, bytes(16), 2)
# AES-GCM through scapy as well (key material = key + salt); the explicit IV is the sequence number, as we send.
kgcm = bytes(range(0xa0, 0xa0 + 20))
esp_case("aes128gcm", "AES-GCM", kgcm, "NULL", b"", struct.pack("!Q", 5), 5)

def ah_case(name, outer, auth, akey, seq, esn=None):
    kw = dict(esn_en=True, esn=esn) if esn is not None else {}
    sa = SecurityAssociation(AH, spi=0x00a4a4a4, auth_algo=auth, auth_key=akey, tunnel_header=outer, **kw)
    pkt = sa.encrypt(inner, seq_num=seq)
    wire = raw(pkt)
    reparsed = (IP if outer.version == 4 else IPv6)(wire)
    sa.auth_algo.verify(reparsed, akey, **kw)
    print(f"{name}: auth={auth} akey={h(akey)} seq={seq} esnHigh={esn}")
    print(f"  packet={h(wire)}")

ah_case("ah4-sha256", outer4, "SHA2-256-128", ksha256, 11)
ah_case("ah4-sha1", outer4, "HMAC-SHA1-96", ksha1, 12)
ah_case("ah6-sha256", outer6, "SHA2-256-128", ksha256, 13)
ah_case("ah6-sha1", outer6, "HMAC-SHA1-96", ksha1, 14)
ah_case("ah4-sha256-esn", outer4, "SHA2-256-128", ksha256, 15, esn=0x3)
ah_case("ah6-sha512-esn", outer6, "SHA2-512-256", ksha512, 16, esn=0x7)
