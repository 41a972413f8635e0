#!/usr/bin/python3
# Sends ICMP echo requests protected by one ESP SA made with scapy: an ESP source independent of our own code, for
# checking tshark's decoding (NetnsLabTest) and later the appliance's inbound path. Run inside a lab namespace:
#   send_esp.py --iface eth0 --src 10.9.0.1 --dst 10.9.0.2 --spi 0x1001 --crypt AES-GCM --crypt-key HEX
#               [--auth SHA2-256-128 --auth-key HEX] [--tunnel-src A --tunnel-dst B] [--udp-encap]
#               [--count N] [--seq 1]
# --udp-encap wraps ESP in UDP 4500 (RFC 3948, IPv4 only) as strongSwan's kernel-libipsec sends it.
# scapy names: crypt AES-GCM (key+4-byte salt), AES-CBC, NULL; auth SHA2-256-128, HMAC-SHA1-96, NULL.
# Frames go out with sendp to the broadcast MAC unless --dst-mac is given; prints "sent N".
import argparse
import logging

logging.getLogger("scapy.runtime").setLevel(logging.ERROR)
from scapy.all import Ether, IP, IPv6, UDP, ICMP, ICMPv6EchoRequest, Raw, sendp, conf  # noqa: E402
from scapy.layers.ipsec import SecurityAssociation, ESP  # noqa: E402

conf.verb = 0
ap = argparse.ArgumentParser()
ap.add_argument("--iface", required=True)
ap.add_argument("--src", required=True)
ap.add_argument("--dst", required=True)
ap.add_argument("--spi", required=True, type=lambda s: int(s, 0))
ap.add_argument("--crypt", required=True)
ap.add_argument("--crypt-key", default="")
ap.add_argument("--auth", default="NULL")
ap.add_argument("--auth-key", default="")
ap.add_argument("--tunnel-src")
ap.add_argument("--tunnel-dst")
ap.add_argument("--udp-encap", action="store_true")
ap.add_argument("--count", type=int, default=3)
ap.add_argument("--seq", type=int, default=1)
ap.add_argument("--dst-mac", default="ff:ff:ff:ff:ff:ff")
ap.add_argument("--payload", default="bitw-lab-esp")
a = ap.parse_args()

v6 = ":" in a.src
ip = IPv6 if v6 else IP
tunnel = None
if a.tunnel_src:
    tunnel = (IPv6 if ":" in a.tunnel_src else IP)(src=a.tunnel_src, dst=a.tunnel_dst)
sa = SecurityAssociation(ESP, spi=a.spi, seq_num=a.seq,
                         crypt_algo=a.crypt, crypt_key=bytes.fromhex(a.crypt_key) if a.crypt_key else None,
                         auth_algo=None if a.auth == "NULL" else a.auth,
                         auth_key=bytes.fromhex(a.auth_key) if a.auth_key else None,
                         tunnel_header=tunnel,
                         nat_t_header=UDP(sport=4500, dport=4500) if a.udp_encap else None)


def udp_length_fixed(esp_in_udp):
    # scapy 2.5 writes UDP length 8 (header only) for ESP in UDP; patch it and send checksum 0 (RFC 3948 3.1.2).
    raw = bytearray(bytes(esp_in_udp))
    udp = (raw[0] & 0x0F) * 4
    length = len(raw) - udp
    raw[udp + 4:udp + 6] = length.to_bytes(2, "big")
    raw[udp + 6:udp + 8] = b"\x00\x00"
    return IP(bytes(raw))


for i in range(a.count):
    echo = ICMPv6EchoRequest(id=7, seq=i) if v6 else ICMP(id=7, seq=i)
    inner = ip(src=a.src, dst=a.dst) / echo / Raw(a.payload.encode())
    protected = sa.encrypt(inner)
    if a.udp_encap:
        protected = udp_length_fixed(protected)
    sendp(Ether(dst=a.dst_mac) / protected, iface=a.iface)
print("sent %d" % a.count)
