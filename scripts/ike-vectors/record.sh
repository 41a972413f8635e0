#!/usr/bin/env bash
# Records the strongSwan interop vectors in ipsec/src/test/java/bitw/ipsec/ike/crypto/StrongSwanInteropVectorsTest
# and StrongSwanSignatureVectorsTest: two strongSwan 5.9.8 charons in namespaces (kernel-libipsec) run IKE_SA_INIT
# + IKE_AUTH once with key material logged at level 4; vectors.py turns both logs into the Java map literals. Run
# as root; the namespaces and charons are removed on exit, the logs stay in /tmp/ike-vectors.*. Usage: record.sh "aes256-sha256-ecp256" "aes128-sha256" > out.txt
# With AUTH=certs, openssl makes a CA, an ECDSA P-256 certificate for a and an RSA-2048 one for b, and the peers
# sign with A_AUTH / B_AUTH (default pubkey / rsa/pss-sha256); LEGACY=1 turns RFC 7427 off (methods 1/9).
set -euo pipefail
IKE_PROPOSAL=${1:-aes256-sha256-ecp256}
ESP_PROPOSAL=${2:-aes128-sha256}
DIR=$(mktemp -d /tmp/ike-vectors.XXXXXX)
HERE=$(cd "$(dirname "$0")" && pwd)
PIDS=()
AUTH=${AUTH:-psk}
SIGNATURE_AUTHENTICATION=yes
[ -n "${LEGACY:-}" ] && SIGNATURE_AUTHENTICATION=no
cleanup() {
    for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
    ip netns del ikv-a 2>/dev/null || true
    ip netns del ikv-b 2>/dev/null || true
}
trap cleanup EXIT

side() {   # name local remote local-net remote-net local-auth local-extra remote-auth remote-extra extra-secrets
    mkdir -p "$DIR/$1/run"
    cat > "$DIR/$1/strongswan.conf" <<CONF
charon {
  signature_authentication = $SIGNATURE_AUTHENTICATION
  load = random nonce openssl aes sha1 sha2 hmac gcm gmp curve25519 kdf pem pkcs1 pkcs8 x509 pubkey kernel-libipsec kernel-netlink socket-default vici updown
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
                  fragmentation = no
                  local { auth = $6
                          id = gw-$1.example
                          $7 }
                  remote { auth = $8
                           $9 }
                  children { c { esp_proposals = $ESP_PROPOSAL
                                 local_ts = $4
                                 remote_ts = $5 } } } }
secrets { ike-1 { secret = "ikc test psk" }
          ${10} }
CONF
}
if [ "$AUTH" = certs ]; then
    C=$DIR/certs
    mkdir -p "$C"
    openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$C/ca.key" -out "$C/ca.pem" \
        -subj "/CN=ike vectors CA" -days 3650 2> /dev/null
    openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$C/a.key" -out "$C/a.csr" -subj "/CN=gw-a.example" 2> /dev/null
    openssl req -newkey rsa:2048 -nodes -keyout "$C/b.key" -out "$C/b.csr" -subj "/CN=gw-b.example" 2> /dev/null
    for s in a b; do
        openssl x509 -req -in "$C/$s.csr" -CA "$C/ca.pem" -CAkey "$C/ca.key" -CAcreateserial -days 3650 \
            -extfile <(printf 'subjectAltName=DNS:gw-%s.example\nkeyUsage=digitalSignature' $s) -out "$C/$s.pem" 2> /dev/null
    done
    side a 10.99.0.1 10.99.0.2 10.98.1.0/24 10.98.2.0/24 "${A_AUTH:-pubkey}" "certs = $C/a.pem" pubkey "id = gw-b.example
        cacerts = $C/ca.pem" ""
    side b 10.99.0.2 10.99.0.1 10.98.2.0/24 10.98.1.0/24 "${B_AUTH:-rsa/pss-sha256}" "certs = $C/b.pem" pubkey "id = gw-a.example
        cacerts = $C/ca.pem" ""
    # swanctl loads private keys from the private/ directory beside swanctl.conf.
    for s in a b; do mkdir -p "$DIR/$s/private"; cp "$C/$s.key" "$DIR/$s/private/"; done
    for f in ca a b; do echo "// $f.pem $(openssl x509 -in "$C/$f.pem" -outform DER | od -An -v -tx1 | tr -d ' \n')"; done
else
    side a 10.99.0.1 10.99.0.2 10.98.1.0/24 10.98.2.0/24 psk "" psk "" ""
    side b 10.99.0.2 10.99.0.1 10.98.2.0/24 10.98.1.0/24 psk "" psk "" ""
fi
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
for s in a b; do swanctl --load-all -u "unix://$DIR/$s/vici.sock" -f "$DIR/$s/swanctl.conf" 2>\&1 | grep -v "opening directory" >\&2; done
# The Child SA may fail to install (kernel-libipsec routes); its keys are logged before that.
timeout 30 swanctl --initiate --child c -u "unix://$DIR/a/vici.sock" > /dev/null || true
sleep 1
python3 "$HERE/vectors.py" "$DIR/a/charon.log" "$DIR/b/charon.log"
