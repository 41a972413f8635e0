#!/usr/bin/env bash
# Records the strongSwan interop vectors in ipsec/src/test/java/bitw/ipsec/ike/crypto/StrongSwanInteropVectorsTest:
# two strongSwan 5.9.8 charons in namespaces (PSK, kernel-libipsec) run IKE_SA_INIT + IKE_AUTH once per proposal
# with key material logged at level 4; vectors.py turns both logs into the Java map literals. Run as root; the
# namespaces and charons are removed on exit. Usage: record.sh "aes256-sha256-ecp256" "aes128-sha256" > out.txt
set -euo pipefail
IKE_PROPOSAL=${1:-aes256-sha256-ecp256}
ESP_PROPOSAL=${2:-aes128-sha256}
DIR=$(mktemp -d /tmp/ike-vectors.XXXXXX)
HERE=$(cd "$(dirname "$0")" && pwd)
PIDS=()
cleanup() {
    for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
    ip netns del ikv-a 2>/dev/null || true
    ip netns del ikv-b 2>/dev/null || true
}
trap cleanup EXIT

side() {   # name local remote local-net remote-net
    mkdir -p "$DIR/$1/run"
    cat > "$DIR/$1/strongswan.conf" <<CONF
charon {
  load = random nonce openssl aes sha1 sha2 hmac gcm gmp curve25519 kdf pem pkcs1 x509 pubkey kernel-libipsec kernel-netlink socket-default vici updown
  plugins { vici { socket = unix://$DIR/$1/vici.sock } }
  filelog { ikv { path = $DIR/$1/charon.log
                  default = 1
                  ike = 4
                  enc = 4
                  net = 3
                  chd = 4 } }
}
CONF
    cat > "$DIR/$1/swanctl.conf" <<CONF
connections { t { version = 2
                  mobike = no
                  local_addrs = $2
                  remote_addrs = $3
                  proposals = $IKE_PROPOSAL
                  local { auth = psk
                          id = gw-$1.example }
                  remote { auth = psk }
                  children { c { esp_proposals = $ESP_PROPOSAL
                                 local_ts = $4
                                 remote_ts = $5 } } } }
secrets { ike-1 { secret = "ikc test psk" } }
CONF
}
side a 10.99.0.1 10.99.0.2 10.98.1.0/24 10.98.2.0/24
side b 10.99.0.2 10.99.0.1 10.98.2.0/24 10.98.1.0/24
ip netns add ikv-a
ip netns add ikv-b
ip link add ikv-va type veth peer name ikv-vb
ip link set ikv-va netns ikv-a
ip link set ikv-vb netns ikv-b
ip -n ikv-a addr add 10.99.0.1/24 dev ikv-va
ip -n ikv-b addr add 10.99.0.2/24 dev ikv-vb
for s in a b; do
    ip -n ikv-$s link set lo up
    ip -n ikv-$s link set ikv-v$s up
    ip netns exec ikv-$s unshare -m sh -c "mount --bind $DIR/$s/run /run && STRONGSWAN_CONF=$DIR/$s/strongswan.conf exec /usr/lib/ipsec/charon" \
        > "$DIR/$s/stdout" 2>&1 &
    PIDS+=($!)
done
sleep 3
for s in a b; do swanctl --load-all -u "unix://$DIR/$s/vici.sock" -f "$DIR/$s/swanctl.conf" > /dev/null; done
# The Child SA may fail to install (kernel-libipsec routes); its keys are logged before that.
timeout 30 swanctl --initiate --child c -u "unix://$DIR/a/vici.sock" > /dev/null || true
sleep 1
python3 "$HERE/vectors.py" "$DIR/a/charon.log" "$DIR/b/charon.log"
