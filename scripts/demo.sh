#!/usr/bin/env bash
# The appliance's main job on its embedded default configuration: two sites in network namespaces, each LAN
# behind a bitw appliance; a ping crosses the WAN encrypted (IPv4 in ESP tunnel mode, IPv6 in IIPtran), tshark
# shows the WAN carries only ESP, and both appliances print their SA counters. Run as root on Debian 12.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
export JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64
mvn -B -q -ntp -DskipTests package
CP="appliance/target/appliance.jar:$(ls appliance/target/lib/*.jar | tr '\n' ':')"
. scripts/lib/two-sites.sh

P=bdemo-
WORK=$(mktemp -d /tmp/bitw-demo.XXXX)
PIDS=""
cleanup() {
    if [ -n "$PIDS" ]; then kill $PIDS 2>/dev/null || true; wait $PIDS 2>/dev/null || true; fi  # appliances stop cleanly on SIGTERM
    two_sites_down "$P"
    rm -rf "$WORK"
}
trap cleanup EXIT
two_sites_down "$P"
two_sites_up "$P"

start() { # site config
    ip netns exec "${P}ap$1" "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED --add-opens=java.base/com.sun.crypto.provider=ALL-UNNAMED --add-exports=java.base/sun.security.util.math=ALL-UNNAMED -XX:PerMethodTrapLimit=0 -XX:PerBytecodeTrapLimit=0 -cp "$CP" bitw.appliance.Main \
        --config "classpath:demo/$2" --control "$WORK/$1.sock" >"$WORK/$1.log" 2>&1 &
    PIDS="$PIDS $!"
}
start A site-a.conf
start B site-b.conf
for s in A B; do
    for i in $(seq 100); do grep -q "data plane running" "$WORK/$s.log" 2>/dev/null && break; sleep 0.2; done
    grep -q "data plane running" "$WORK/$s.log" || { echo "appliance $s did not start:"; cat "$WORK/$s.log"; exit 1; }
done

ip netns exec "${P}rA" tcpdump -i wan -n -w "$WORK/wan.pcap" --immediate-mode -U 2>/dev/null &
TCPDUMP=$!
sleep 1
echo "== ping over IPv4 (ESP tunnel mode, AES-128-GCM) from 10.1.0.10 to 10.2.0.20"
ip netns exec "${P}hA" ping -c 3 -i 0.3 10.2.0.20
echo "== ping over IPv6 (IIPtran, AES-256-GCM) from 2001:db8:1::10 to 2001:db8:2::20"
ip netns exec "${P}hA" ping -6 -c 3 -i 0.3 2001:db8:2::20
sleep 0.5
kill $TCPDUMP; wait $TCPDUMP 2>/dev/null || true
echo "== what the WAN carried (tshark):"
tshark -r "$WORK/wan.pcap" -n 2>/dev/null | sed 's/^/   /' | head -20
for s in A B; do
    echo "== appliance $s"
    echo status | socat - "UNIX-CONNECT:$WORK/$s.sock"
done
