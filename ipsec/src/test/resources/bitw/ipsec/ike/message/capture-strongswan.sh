#!/bin/bash
# How StrongSwanCaptureTest's messages were made (strongSwan 5.9.8, Debian 12): two charon instances in
# namespaces, PSK auth, IKE captured on the veth in ikc-a. UDP payloads were taken from ike.pcap (non-ESP marker
# of port 4500 stripped); Sk_ei/Sk_er come from a/charon.log (ike = 4). Run as root; cleans up on exit.
# Two charon instances in namespaces ikc-a / ikc-b, PSK, capture IKE on the veth in ikc-a.
set -x
D=/tmp/ikecap
cleanup() {
  for n in a b; do [ -f $D/$n/run/charon.pid ] && kill $(cat $D/$n/run/charon.pid) 2>/dev/null; done
  [ -f $D/tcpdump.pid ] && kill $(cat $D/tcpdump.pid) 2>/dev/null
  sleep 1
  ip netns del ikc-a 2>/dev/null; ip netns del ikc-b 2>/dev/null
}
trap cleanup EXIT
ip netns add ikc-a; ip netns add ikc-b
ip link add ikca0 type veth peer name ikcb0
ip link set ikca0 netns ikc-a; ip link set ikcb0 netns ikc-b
ip -n ikc-a addr add 192.0.2.1/24 dev ikca0; ip -n ikc-a link set ikca0 up; ip -n ikc-a link set lo up
ip -n ikc-b addr add 192.0.2.2/24 dev ikcb0; ip -n ikc-b link set ikcb0 up; ip -n ikc-b link set lo up
for n in a b; do
  mkdir -p $D/$n/run $D/$n/conf
  if [ $n = a ]; then me=192.0.2.1; peer=192.0.2.2; lts=10.1.0.0/16; rts=10.2.0.0/16; else me=192.0.2.2; peer=192.0.2.1; lts=10.2.0.0/16; rts=10.1.0.0/16; fi
  cat > $D/$n/strongswan.conf <<EOC
charon {
  load = random nonce openssl aes sha1 sha2 hmac gcm gmp curve25519 kdf pem pkcs1 x509 pubkey kernel-libipsec kernel-netlink socket-default vici updown
  install_routes = no
  filelog {
    log {
      path = $D/$n/charon.log
      default = 1
      ike = 4
      enc = 4
      net = 2
    }
  }
  plugins {
    vici {
      socket = unix://$D/$n/vici
    }
  }
}
EOC
  cat > $D/$n/conf/swanctl.conf <<EOC
connections {
  c {
    version = 2
    local_addrs = $me
    remote_addrs = $peer
    mobike = no
    proposals = aes128gcm16-prfsha256-ecp256,aes256-sha256-modp2048
    local {
      auth = psk
      id = $me
    }
    remote {
      auth = psk
      id = $peer
    }
    children {
      ch {
        local_ts = $lts
        remote_ts = $rts
        esp_proposals = aes128gcm16,aes256-sha256
        start_action = none
      }
    }
  }
}
secrets {
  ike-1 {
    id-1 = 192.0.2.1
    id-2 = 192.0.2.2
    secret = "bitw-capture-psk"
  }
}
EOC
  mkdir -p $D/$n/swanctl; cp $D/$n/conf/swanctl.conf $D/$n/swanctl/
  ip netns exec ikc-$n unshare -m sh -c "mount --bind $D/$n/run /run; STRONGSWAN_CONF=$D/$n/strongswan.conf exec /usr/lib/ipsec/charon" > $D/$n/stdout 2>&1 &
done
ip netns exec ikc-a tcpdump -i ikca0 -U --immediate-mode -w $D/ike.pcap udp > $D/tcpdump.out 2>&1 &
echo $! > $D/tcpdump.pid
sleep 2
for n in a b; do swanctl --load-all --uri unix://$D/$n/vici --file $D/$n/swanctl/swanctl.conf; done
swanctl --initiate --child ch --uri unix://$D/a/vici --timeout 10
sleep 2
