#!/usr/bin/env bash
# The bitw benchmark: builds the two-site namespace lab (scripts/lib/two-sites.sh) once per configuration and
# measures, side by side in one run, what crosses hA -> hB through
#   kernel       Linux bridges in apA/apB (the ceiling)
#   strongswan   bridges in apA/apB, strongSwan 5.9.8 (kernel-libipsec, ESP-in-UDP, AES-128-GCM, PSK) in rA/rB
#   bitw-permit  the bitw appliance in apA/apB, permit everything
#   bitw-gcm     the bitw appliance in apA/apB, ESP tunnel 10.1.0.0/24 <-> 10.2.0.0/24, AES-128-GCM
#   bitw-cbc     the same tunnel with AES-256-CBC + HMAC-SHA-256-128
#   pcap-fwd     the C libpcap forwarder bench/ref/pcap_fwd.c in apA/apB (the yardstick for the permit path)
#   base-permit, base-gcm, base-cbc   as bitw-*, but running the build on BASE_CP (before/after a change, one run)
# Metrics: TCP throughput (iperf3, one stream), delivered frames/s at several frame sizes (bench/ref/udpblast.c
# in hA, counted as rx packets on hB's eth0 over a steady-state interval), median ping RTT (-> added latency
# per appliance = (median_config - median_kernel) / 4, since every echo crosses both bumps twice), and for the
# encrypted configurations a capture on rA's WAN port proving that the WAN carries ESP and no cleartext.
# Prints a markdown table and the issue's target ratios, and draws docs/benchmark.png (gnuplot).
#
# Usage (root, Debian 12, from anywhere):   bash bench/run.sh
# Environment (defaults in brackets):
#   CONFIGS     which configurations, in order         [kernel strongswan bitw-permit bitw-gcm bitw-cbc pcap-fwd]
#   ROUNDS      rounds over all configurations; each figure is the best round's (max throughput, min RTT) [2]
#   TCP_SECONDS iperf3 duration                        [10]
#   FPS_SECONDS counted interval per frame size        [3]   (after FPS_WARMUP seconds of blasting)
#   FPS_WARMUP  seconds of blasting before counting    [1]
#   SIZES       frame sizes in bytes (no FCS)          [64 512 1400]
#   PING_COUNT  pings at 10 ms intervals               [300]
#   WARMUP_SECONDS unmeasured TCP after each set-up (JIT warm-up; all configurations alike) [3]
#   PROFILE     1: after measuring each bitw config, profile appliance A under a 1400-byte blast and under TCP
#               (perf, JFR hot methods and allocation sites, per-thread CPU); PROFILE_SECONDS each [8]
#   SKIP_BUILD  1: use the existing appliance/target jars
#   JAVA_OPTS   extra JVM options for the appliance    []
#   BASE_CP     class path of another build for the base-* configurations, e.g. of an earlier commit:
#               git archive COMMIT | tar -x -C /tmp/base && (cd /tmp/base && mvn -q -o -DskipTests package)
#               BASE_CP="/tmp/base/appliance/target/appliance.jar:$(ls /tmp/base/appliance/target/lib/*.jar | tr '\n' :)"
#   BASE_JAVA_OPTS  all JVM options for the base-* configurations [the appliance's flags and $JAVA_OPTS]; with
#               BASE_CP = this build's class path, base-* compare JVM options within one run
#   MEASURE     which measurements, in order           [wan tcp fps latency]
#   RESULTS     where the markdown results go          [bench/results/last-run.md]
#   PLOT        where the PNG goes                     [docs/benchmark.png]
# Takes ~8 minutes with the defaults (~9.5 with PROFILE=1). Everything it creates (namespaces bench-*, processes) is removed on exit.
set -euo pipefail
[ "$(id -u)" = 0 ] || { echo "run as root" >&2; exit 1; }
cd "$(dirname "$0")/.."
ROOT=$PWD

CONFIGS=${CONFIGS:-"kernel strongswan bitw-permit bitw-gcm bitw-cbc pcap-fwd"}
ROUNDS=${ROUNDS:-2}
TCP_SECONDS=${TCP_SECONDS:-10}
FPS_SECONDS=${FPS_SECONDS:-3}
FPS_WARMUP=${FPS_WARMUP:-1}
SIZES=${SIZES:-"64 512 1400"}
PING_COUNT=${PING_COUNT:-300}
WARMUP_SECONDS=${WARMUP_SECONDS:-3}
PROFILE=${PROFILE:-0}
SKIP_BUILD=${SKIP_BUILD:-0}
JAVA_OPTS=${JAVA_OPTS:-}
# As every launcher of the appliance (scripts/demo.sh, NetnsLab, the image's bitw.env): no speculative
# branch pruning, so a change of traffic mix (TCP, then pings) does not drop the per-frame path into the interpreter
APPLIANCE_JVM_FLAGS="-XX:PerMethodTrapLimit=0 -XX:PerBytecodeTrapLimit=0"
BASE_CP=${BASE_CP:-}
BASE_JAVA_OPTS=${BASE_JAVA_OPTS-"$APPLIANCE_JVM_FLAGS $JAVA_OPTS"}
MEASURE=${MEASURE:-"wan tcp fps latency"}
RESULTS=${RESULTS:-$ROOT/bench/results/last-run.md}
PLOT=${PLOT:-$ROOT/docs/benchmark.png}
export JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64

. scripts/lib/two-sites.sh
P=bench-
WORK=$(mktemp -d /tmp/bitw-bench.XXXX)
log() { echo "[$(date -u +%H:%M:%S)] $*" >&2; }
cleanup() {
    local rc=$?
    two_sites_down "$P"
    if [ "$rc" != 0 ]; then echo "run failed (exit $rc); logs kept in $WORK" >&2
    elif [ "$PROFILE" = 1 ]; then echo "profiles (*.jfr, *.perf) and logs kept in $WORK" >&2
    else rm -rf "$WORK"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# ------------------------------------------------------------------------------------------------ build
for tool in iperf3 tcpdump gnuplot socat jq ethtool gcc; do
    command -v $tool >/dev/null || { echo "missing $tool (bash scripts/install-deps.sh)" >&2; exit 1; }
done
[ -f /usr/include/pcap/pcap.h ] || { echo "missing libpcap headers (apt-get install libpcap-dev)" >&2; exit 1; }
if [ "$SKIP_BUILD" != 1 ] || [ ! -f appliance/target/appliance.jar ]; then
    log "building the appliance"
    mvn -B -q -ntp -DskipTests package 2>&1 | grep -v -e '^WARNING' -e 'Unsafe' || true
fi
[ -f appliance/target/appliance.jar ] || { echo "build failed" >&2; exit 1; }
CP="appliance/target/appliance.jar:$(ls appliance/target/lib/*.jar | tr '\n' ':')"
gcc -O2 -Wall -pthread -o "$WORK/pcap_fwd" bench/ref/pcap_fwd.c -lpcap
gcc -O2 -Wall -o "$WORK/udpblast" bench/ref/udpblast.c

ns() { ip netns exec "$P$1" "${@:2}"; }

# ------------------------------------------------------------------------------------------------ set-ups
bridge_ap() { # make apA/apB plain Linux bridges
    for s in A B; do
        ns ap$s ip link add br0 type bridge
        ns ap$s ip link set in master br0
        ns ap$s ip link set out master br0
        ns ap$s ip link set br0 up
    done
}

start_appliances() { # config-name [class path] [JVM options]: bench/configs/NAME-a.conf and -b.conf
    local cp=${2:-$CP} opts=${3-"$APPLIANCE_JVM_FLAGS $JAVA_OPTS"}
    for s in A B; do
        local lower=$(echo $s | tr AB ab)
        # shellcheck disable=SC2086
        ns ap$s "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED --add-opens=java.base/com.sun.crypto.provider=ALL-UNNAMED --add-exports=java.base/sun.security.util.math=ALL-UNNAMED $opts -cp "$cp" bitw.appliance.Main \
            --config "bench/configs/$1-$lower.conf" --control "$WORK/$s.sock" >"$WORK/$CFG-appliance-$s.log" 2>&1 &
    done
    for s in A B; do
        for _ in $(seq 300); do grep -q "data plane running" "$WORK/$CFG-appliance-$s.log" 2>/dev/null && break; sleep 0.2; done
        grep -q "data plane running" "$WORK/$CFG-appliance-$s.log" || { echo "appliance $s did not start:"; cat "$WORK/$CFG-appliance-$s.log"; exit 1; }
    done
}

start_pcap_fwd() {
    for s in A B; do ns ap$s "$WORK/pcap_fwd" in out 2>"$WORK/pcap-fwd-$s.log" & done
    for s in A B; do
        for _ in $(seq 50); do grep -q forwarding "$WORK/pcap-fwd-$s.log" 2>/dev/null && break; sleep 0.1; done
    done
}

start_strongswan() { # charon in rA and rB, each in its own namespace with a private /run
    local psk=0sYmVuY2htYXJrLXByZS1zaGFyZWQta2V5LWJpdHctdnMtc3Ryb25nc3dhbg==
    for side in A:1:2:1:2 B:2:1:2:1; do
        IFS=: read -r S me peer lan rlan <<<"$side"
        local d="$WORK/ss-$S"
        mkdir -p "$d/run"
        cat >"$d/strongswan.conf" <<EOF
charon {
    # userland ESP (no in-kernel ESP here); openssl early so GCM uses AES-NI (LAB.md)
    load = random nonce openssl aesni aes sha1 sha2 md5 hmac gcm gmp curve25519 kdf pem pkcs1 x509 pubkey kernel-libipsec kernel-netlink socket-default vici updown
    install_routes = yes
    plugins {
        vici { socket = unix://$d/charon.vici }
    }
    filelog {
        bench { path = $d/charon.log
                default = 1
                time_format = %H:%M:%S }
    }
}
EOF
        cat >"$d/swanctl.conf" <<EOF
connections {
    bench {
        version = 2
        local_addrs = 203.0.113.$me
        remote_addrs = 203.0.113.$peer
        proposals = aes128gcm16-prfsha256-ecp256
        mobike = no
        local { auth = psk
                id = 203.0.113.$me }
        remote { auth = psk
                 id = 203.0.113.$peer }
        children {
            lan {
                local_ts = 10.$lan.0.0/24
                remote_ts = 10.$rlan.0.0/24
                esp_proposals = aes128gcm16
                mode = tunnel
            }
        }
    }
}
secrets {
    ike-bench { id-1 = 203.0.113.1
                id-2 = 203.0.113.2
                secret = $psk }
}
EOF
        ns r$S sh -c "mount --bind '$d/run' /run && exec env STRONGSWAN_CONF='$d/strongswan.conf' /usr/lib/ipsec/charon" \
            >"$d/charon.out" 2>&1 &
    done
    for S in A B; do
        for _ in $(seq 100); do [ -S "$WORK/ss-$S/charon.vici" ] && break; sleep 0.1; done
        ns r$S swanctl --load-all --file "$WORK/ss-$S/swanctl.conf" --uri "unix://$WORK/ss-$S/charon.vici" >"$WORK/ss-$S/load.out" 2>&1 \
            || { cat "$WORK/ss-$S/load.out"; exit 1; }
    done
    ns rA swanctl --initiate --child lan --uri "unix://$WORK/ss-A/charon.vici" >"$WORK/ss-A/initiate.out" 2>&1 \
        || { cat "$WORK/ss-A/initiate.out" "$WORK/ss-A/charon.log"; exit 1; }
    ns rA swanctl --list-sas --uri "unix://$WORK/ss-A/charon.vici" | sed 's/^/    /' >&2
}

setup() { # configuration
    two_sites_down "$P"
    two_sites_up "$P"
    case $1 in
        kernel) bridge_ap ;;
        strongswan) bridge_ap; start_strongswan ;;
        bitw-permit) start_appliances permit ;;
        bitw-gcm) start_appliances gcm ;;
        bitw-cbc) start_appliances cbc ;;
        base-permit|base-gcm|base-cbc)
            [ -n "$BASE_CP" ] || { echo "$1 needs BASE_CP" >&2; exit 1; }
            start_appliances "${1#base-}" "$BASE_CP" "$BASE_JAVA_OPTS" ;;
        pcap-fwd) start_pcap_fwd ;;
        *) echo "unknown configuration $1" >&2; exit 1 ;;
    esac
    # first packets resolve ARP (and for the appliance, warm its path); wait until hB answers
    for _ in $(seq 40); do ns hA ping -c 1 -W 1 10.2.0.20 >/dev/null 2>&1 && return 0; sleep 0.5; done
    echo "$1: hA cannot reach hB" >&2
    exit 1
}

# ------------------------------------------------------------------------------------------------ measurements
declare -A R
# keep KEY VALUE max|min: remember every round's value (KEY,all) and the best one (KEY)
keep() {
    R[$1,all]="${R[$1,all]:+${R[$1,all]} }$2"
    if [ -z "${R[$1]:-}" ] || { [ "$3" = max ] && [ "$2" -gt "${R[$1]}" ]; } || { [ "$3" = min ] && [ "$2" -lt "${R[$1]}" ]; }; then
        R[$1]=$2
    fi
}
# CPU accounting (clock ticks, utime+stime) so that each figure can be read against what else ran on the
# machine: the benchmark shares 2 cores with whatever else runs there.
TICK=$(getconf CLK_TCK)
ticks() { [ $# -gt 0 ] || { echo 0; return; }; cat "$@" 2>/dev/null | awk '{ sub(/^.*\) /, ""); s += $12 + $13 } END { print s + 0 }'; }
pid_stats() { for n in "$@"; do for p in $(ip netns pids "$P$n"); do echo "/proc/$p/stat"; done; done; }
cpu_snap() { # -> "machine-busy ours forwarders" in ticks. Softirq work is charged to the task it interrupted (or
    # to ksoftirqd, counted as ours: during a measurement it is mostly the benchmark's packets).
    local fwd ours
    fwd=$(pid_stats apA apB rA rB)
    ours="$(pid_stats hA apA rA rB apB hB) $(for p in $(pgrep -x 'ksoftirqd/[0-9]*'); do echo /proc/$p/stat; done)"
    echo "$(awk '/^cpu / { print $2 + $3 + $4 + $6 + $7 + $8 }' /proc/stat) $(ticks $ours) $(ticks $fwd)"
}
cpu_others() { # snap0 snap1 seconds -> % of a core used by everything outside the benchmark (approximate)
    local a0 o0 a1 o1 x
    read -r a0 o0 _ <<<"$1"; read -r a1 o1 _ <<<"$2"
    x=$(echo "((($a1 - $a0) - ($o1 - $o0)) * 100 / $TICK) / $3" | bc)
    [ "$x" -lt 0 ] && x=0
    echo "$x"
}
note_others() { # percent-of-a-core
    R[$CFG,others_sum]=$(( ${R[$CFG,others_sum]:-0} + $1 )); R[$CFG,others_n]=$(( ${R[$CFG,others_n]:-0} + 1 ))
}
rx_packets() { ns hB cat /sys/class/net/eth0/statistics/rx_packets; }
# The blast goes to a closed UDP port: hB's UDP NoPorts counter proves the frames reached its IP layer, not just
# its NIC (ICMP port-unreachable replies are rate-limited by the kernel to ~1000/s, negligible).
ip_input_count() { ns hB awk '/^Udp: [0-9]/ { print $3 }' /proc/net/snmp; }

warm_up() { # unmeasured TCP so the JIT has compiled the appliance's path before anything is counted (all configs alike)
    [ "$WARMUP_SECONDS" -gt 0 ] || return 0
    ns hB iperf3 -s -1 -D --pidfile "$WORK/iperf3.pid" >/dev/null; sleep 0.3
    ns hA iperf3 -c 10.2.0.20 -t "$WARMUP_SECONDS" >/dev/null 2>&1 || true
}

measure_wan() { # capture on rA's WAN port during 20 pings: ESP (proto 50 or UDP 4500) vs. cleartext LAN traffic
    ip netns exec "${P}rA" tcpdump -i wan -n -w "$WORK/$CFG-wan.pcap" --immediate-mode -U 2>"$WORK/$CFG-tcpdump.err" &
    local td=$!
    for _ in $(seq 50); do grep -q listening "$WORK/$CFG-tcpdump.err" 2>/dev/null && break; sleep 0.1; done
    ns hA ping -c 20 -i 0.05 -q 10.2.0.20 >/dev/null || true
    sleep 0.3
    kill $td; wait $td 2>/dev/null || true
    local esp clear
    esp=$(tcpdump -r "$WORK/$CFG-wan.pcap" -n 'esp or udp port 4500' 2>/dev/null | wc -l)
    clear=$(tcpdump -r "$WORK/$CFG-wan.pcap" -n 'host 10.1.0.10 or host 10.2.0.20' 2>/dev/null | wc -l)
    keep $CFG,esp "$esp" min; keep $CFG,clear "$clear" max
    log "$CFG WAN check (40 echo packets sent): $esp ESP/UDP-4500 packets, $clear cleartext LAN packets"
}

measure_tcp() {
    ns hB iperf3 -s -1 -D --pidfile "$WORK/iperf3.pid" >/dev/null
    sleep 0.3
    local mbps c0 c1 others
    c0=$(cpu_snap)
    mbps=$(ns hA iperf3 -c 10.2.0.20 -t "$TCP_SECONDS" -J | jq '.end.sum_received.bits_per_second / 1e6 | floor')
    c1=$(cpu_snap)
    others=$(cpu_others "$c0" "$c1" "$TCP_SECONDS"); note_others "$others"
    keep $CFG,tcp "$mbps" max
    # Mbit/s per core of the forwarding processes: what the throughput would be if they had a whole core
    local fwd=$(( ${c1##* } - ${c0##* } )) per=n/a
    if [ "$fwd" -gt 0 ]; then per=$(( mbps * TCP_SECONDS * TICK / fwd )); keep $CFG,tcpcore "$per" max; fi
    log "$CFG TCP: $mbps Mbit/s, $per Mbit/s per core of the forwarders (other processes on the machine used ${others}% of a core)"
}

measure_fps() { # size
    local size=$1 mac
    mac=$(ns rA cat /sys/class/net/lan/address)
    ns hA "$WORK/udpblast" -i eth0 -m "$mac" -s 10.1.0.10 -d 10.2.0.20 -l "$size" \
        -t "$(echo "$FPS_WARMUP + $FPS_SECONDS + 0.5" | bc)" >"$WORK/$CFG-blast-$size.out" &
    local gen=$!
    sleep "$FPS_WARMUP"
    local t0 rx0 in0 t1 rx1 in1 tx0 tx1
    local c0 c1
    tx0=$(ns hA cat /sys/class/net/eth0/statistics/tx_packets); rx0=$(rx_packets); in0=$(ip_input_count); c0=$(cpu_snap); t0=$(date +%s.%N)
    sleep "$FPS_SECONDS"
    tx1=$(ns hA cat /sys/class/net/eth0/statistics/tx_packets); rx1=$(rx_packets); in1=$(ip_input_count); c1=$(cpu_snap); t1=$(date +%s.%N)
    wait $gen
    local fps sent ipin others fwd0 fwd1 cpf=n/a
    fps=$(echo "($rx1 - $rx0) / ($t1 - $t0)" | bc)
    sent=$(echo "($tx1 - $tx0) / ($t1 - $t0)" | bc)
    ipin=$(echo "($in1 - $in0) / ($t1 - $t0)" | bc)
    others=$(cpu_others "$c0" "$c1" "$(echo "$t1 - $t0" | bc)"); note_others "$others"
    fwd0=${c0##* } fwd1=${c1##* }
    # CPU of the forwarding processes (appliances, pcap_fwd or charon; including the kernel work their send
    # calls do for the next hops) per delivered frame, in ns: less sensitive to the machine's other load
    if [ "$fwd1" -gt "$fwd0" ] && [ "$rx1" -gt "$rx0" ]; then
        cpf=$(( (fwd1 - fwd0) * 1000000000 / TICK / (rx1 - rx0) ))
        keep $CFG,cpf$size "$cpf" min
    fi
    keep $CFG,fps$size "$fps" max; keep $CFG,sent$size "$sent" max
    log "$CFG $size-byte frames: offered $sent/s, delivered $fps/s at hB's eth0 ($ipin/s reached hB's IP input); forwarders' CPU ${cpf} ns/frame; others used ${others}% of a core"
    sleep 0.5 # let the queues drain before the next measurement
}

measure_latency() {
    local median
    median=$(ns hA ping -i 0.01 -c "$PING_COUNT" 10.2.0.20 | sed -n 's/.*time=\([0-9.]*\) ms.*/\1/p' | sort -g |
        awk '{ v[NR] = $1 } END { if (NR == 0) exit 1; m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2; printf "%d", m * 1000 }')
    keep $CFG,rtt "$median" min
    log "$CFG ping: median RTT $median us"
}

profile_appliance() { # load: "blast1400" or "tcp". perf (kernel + JIT, flat), JFR hot methods/allocations, per-thread CPU of appliance A
    local load=$1 pid secs=${PROFILE_SECONDS:-8} mac out="$WORK/$CFG-$1"
    for pid in $(ip netns pids "${P}apA"); do [ "$(cat /proc/$pid/comm)" = java ] && break; done
    mac=$(ns rA cat /sys/class/net/lan/address)
    if [ "$load" = tcp ]; then
        ns hB iperf3 -s -1 -D --pidfile "$WORK/iperf3.pid" >/dev/null; sleep 0.3
        ns hA iperf3 -c 10.2.0.20 -t $((secs + 3)) -J >"$out-iperf3.json" &
    else
        ns hA "$WORK/udpblast" -i eth0 -m "$mac" -s 10.1.0.10 -d 10.2.0.20 -l 1400 -t $((secs + 3)) >"$out-blast.txt" &
    fi
    local gen=$!
    sleep 1
    "$JAVA_HOME/bin/jcmd" "$pid" JFR.start name=bench settings=profile duration=${secs}s filename="$out.jfr" >/dev/null
    perf record -q -F 499 -p "$pid" -o "$out.perf" -- sleep "$secs" >/dev/null 2>&1 &
    local perfpid=$!
    thread_ticks() { for t in /proc/"$pid"/task/*; do echo "${t##*/} $(tr ' ' _ <"$t/comm") $(cut -d' ' -f14,15 "$t/stat" | tr ' ' +)"; done | sort; }
    thread_ticks >"$out-t0"; sleep 3; thread_ticks >"$out-t1"
    join "$out-t0" "$out-t1" | awk -v hz="$TICK" '{ d = ($5 - $3) * 100 / hz / 3; if (d >= 1) printf "  %-16s %5.0f %% of a core\n", $2, d }' | sort -k2 -n -r >"$out-threads.txt" || true
    "$JAVA_HOME/bin/jcmd" "$pid" Compiler.perfmap >/dev/null 2>&1 || true # JIT symbols for perf report
    wait $perfpid || true
    wait $gen || true
    for _ in $(seq 20); do [ -s "$out.jfr" ] && break; sleep 0.5; done
    {
        echo "### $CFG, appliance A, under $([ "$load" = tcp ] && echo "one iperf3 TCP stream" || echo "a 1400-byte UDP blast")"
        [ "$load" = tcp ] && echo "(TCP during profiling: $(jq '.end.sum_received.bits_per_second / 1e6 | floor' "$out-iperf3.json" 2>/dev/null) Mbit/s)"
        echo '```'
        echo "threads using >= 1 % of a core over 3 s (/proc/PID/task/*/stat):"; cat "$out-threads.txt"
        echo; echo "perf, $secs s, self time by thread and symbol (kernel and JIT code; >= 1.5 %):"
        perf report -i "$out.perf" --no-children --sort comm,sym --stdio --percent-limit 1.5 2>/dev/null | grep -v '^#' | grep -v '^$' | head -30
        "$JAVA_HOME/bin/jfr" view --width 140 hot-methods "$out.jfr" 2>&1 | sed -n '3,20p'
        "$JAVA_HOME/bin/jfr" view --width 140 allocation-by-site "$out.jfr" 2>&1 | sed -n '3,12p'
        echo '```'
    } >>"$WORK/profile.md"
}

# ------------------------------------------------------------------------------------------------ the run
START=$(date -u +%s)
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
log "work directory $WORK; configurations: $CONFIGS"
for ROUND in $(seq "$ROUNDS"); do
    for CFG in $CONFIGS; do
        log "=== $CFG (round $ROUND of $ROUNDS; load average $(cut -d' ' -f1 /proc/loadavg))"
        setup "$CFG"
        warm_up
        for m in $MEASURE; do
            case $m in
                wan) measure_wan ;;
                tcp) measure_tcp ;;
                fps) for s in $SIZES; do measure_fps "$s"; done ;;
                latency) measure_latency ;;
                *) echo "unknown measurement $m" >&2; exit 1 ;;
            esac
        done
        case $CFG in bitw-*|base-*)
            for s in A B; do echo status | socat - "UNIX-CONNECT:$WORK/$s.sock" >"$WORK/$CFG-status-$s.txt" 2>&1 || true; done
            if [ "$PROFILE" = 1 ] && [ "$ROUND" = "$ROUNDS" ]; then profile_appliance blast1400; profile_appliance tcp; fi ;;
        esac
    done
done
two_sites_down "$P"
ELAPSED=$(( $(date -u +%s) - START ))

# ------------------------------------------------------------------------------------------------ report
v() { echo "${R[$1]:-n/a}"; }
added() { # per-appliance added latency vs. kernel, in us
    [ -n "${R[$1,rtt]:-}" ] && [ -n "${R[kernel,rtt]:-}" ] && echo "$(( (${R[$1,rtt]} - ${R[kernel,rtt]}) / 4 ))" || echo n/a
}
wan() {
    case $1 in
        strongswan|bitw-gcm|bitw-cbc|base-gcm|base-cbc) [ "${R[$1,esp]:-0}" -ge 36 ] && [ "${R[$1,clear]:-1}" = 0 ] && echo "ESP only (${R[$1,esp]} ESP, 0 clear)" || echo "FAIL (${R[$1,esp]:-?} ESP, ${R[$1,clear]:-?} clear)" ;;
        *) echo "clear (${R[$1,clear]:-?} LAN packets)" ;;
    esac
}
ratio() { # name numerator denominator target(as a factor) -> line
    local num=$2 den=$3 tgt=$4
    if [[ "$num" =~ ^[0-9]+$ && "$den" =~ ^[0-9]+$ && "$den" != 0 ]]; then
        local r; r=$(echo "scale=3; $num / $den" | bc | sed "s/^\./0./")
        if [ "$(echo "$r >= $tgt" | bc)" = 1 ]; then echo "| $1 | $r | ≥ $tgt | met |"
        else echo "| $1 | $r | ≥ $tgt | **missed** by $(echo "scale=6; (1 - $num / ($den * $tgt)) * 100" | bc | xargs printf '%.1f')% |"; fi
    else echo "| $1 | n/a | ≥ $tgt | not measured |"; fi
}
latency_target() { # config
    local a; a=$(added "$1")
    if [[ "$a" =~ ^-?[0-9]+$ ]]; then
        [ "$a" -le 50 ] && echo "| added latency per appliance, $1 | $a µs | ≤ 50 µs | met |" \
            || echo "| added latency per appliance, $1 | $a µs | ≤ 50 µs | **missed** by $((a - 50)) µs |"
    else echo "| added latency per appliance, $1 | n/a | ≤ 50 µs | not measured |"; fi
}
{
    echo "Run $(date -u +'%Y-%m-%d %H:%M UTC') on $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')),"
    echo "kernel $(uname -r), load average before/after: $LOAD_BEFORE / $(cut -d' ' -f1-3 /proc/loadavg); ${ELAPSED} s."
    echo "$ROUNDS rounds; each figure is the best round's. TCP ${TCP_SECONDS} s, one stream; frames/s counted over"
    echo "${FPS_SECONDS} s after ${FPS_WARMUP} s of blasting; $PING_COUNT pings at 10 ms."
    echo
    printf '| configuration | TCP Mbit/s | TCP Mbit/s per forwarder core |'; for s in $SIZES; do printf ' %s B frames/s (offered) |' "$s"; done
    echo ' median RTT µs | added per appliance µs | forwarders ns/frame at 64 B | other load, % of a core | WAN |'
    printf '|---|---:|---:|'; for s in $SIZES; do printf -- '---:|'; done; printf -- '---:|---:|---:|---:|---|\n'
    for c in $CONFIGS; do
        printf '| %s | %s | %s |' "$c" "$(v $c,tcp)" "$(v $c,tcpcore)"
        for s in $SIZES; do printf ' %s (%s) |' "$(v $c,fps$s)" "$(v $c,sent$s)"; done
        local_others=n/a; [ -n "${R[$c,others_n]:-}" ] && local_others=$(( ${R[$c,others_sum]} / ${R[$c,others_n]} ))
        echo " $(v $c,rtt) | $(added $c) | $(v $c,cpf64) | $local_others | $(wan $c) |"
    done
    echo
    echo '| target | measured | goal | verdict |'
    echo '|---|---:|---:|---|'
    ratio "TCP bitw-gcm / strongswan" "${R[bitw-gcm,tcp]:-}" "${R[strongswan,tcp]:-}" 2
    ratio "64 B frames/s bitw-permit / pcap-fwd" "${R[bitw-permit,fps64]:-}" "${R[pcap-fwd,fps64]:-}" 1
    ratio "1400 B frames/s bitw-gcm / bitw-permit" "${R[bitw-gcm,fps1400]:-}" "${R[bitw-permit,fps1400]:-}" 0.8
    for c in bitw-permit bitw-gcm bitw-cbc base-permit base-gcm base-cbc; do [[ " $CONFIGS " == *" $c "* ]] && latency_target $c; done
    echo "| *same targets normalised by the forwarders' CPU (robust to other load on the machine):* | | | |"
    ratio "TCP per forwarder core, bitw-gcm / strongswan" "${R[bitw-gcm,tcpcore]:-}" "${R[strongswan,tcpcore]:-}" 2
    ratio "64 B CPU per frame, pcap-fwd / bitw-permit" "${R[pcap-fwd,cpf64]:-}" "${R[bitw-permit,cpf64]:-}" 1
    ratio "1400 B CPU per frame, bitw-permit / bitw-gcm" "${R[bitw-permit,cpf1400]:-}" "${R[bitw-gcm,cpf1400]:-}" 0.8
    echo
    echo "Every round (in order):"
    echo
    printf '| configuration | TCP Mbit/s |'; for s in $SIZES; do printf ' %s B frames/s | %s B ns/frame |' "$s" "$s"; done; echo ' median RTT µs |'
    printf '|---|---|'; for s in $SIZES; do printf -- '---|---|'; done; printf -- '---|\n'
    for c in $CONFIGS; do
        printf '| %s | %s |' "$c" "$(v $c,tcp,all)"
        for s in $SIZES; do printf ' %s | %s |' "$(v $c,fps$s,all)" "$(v $c,cpf$s,all)"; done
        echo " $(v $c,rtt,all) |"
    done
    if [ -s "$WORK/profile.md" ]; then echo; echo "## Profiles"; echo; cat "$WORK/profile.md"; fi
} >"$WORK/results.md"
mkdir -p "$(dirname "$RESULTS")" "$(dirname "$PLOT")"
cp "$WORK/results.md" "$RESULTS"

# grouped bars: TCP Mbit/s (left axis) and 64-byte kframes/s (right axis) per configuration
for c in $CONFIGS; do
    echo "$c $(v $c,tcp | sed 's/n\/a/0/') $(echo "$(v $c,fps64 | sed 's/n\/a/0/') / 1000" | bc -l)"
done >"$WORK/plot.dat"
gnuplot <<EOF
set terminal pngcairo size 1000,520 font ",10" noenhanced
set output "$PLOT"
set title "bitw benchmark: hA -> hB through two bumps ($(nproc) cores, $(date -u +%Y-%m-%d))"
set style data histograms
set style histogram clustered gap 1.5
set style fill solid 0.85 border -1
set boxwidth 0.9
set ylabel "TCP throughput, Mbit/s (iperf3, 1 stream)"
set y2label "64-byte frames delivered, kframes/s"
set ytics nomirror
set y2tics
set yrange [0:*]
set y2range [0:*]
set key top right
set grid ytics
plot "$WORK/plot.dat" using 2:xtic(1) title "TCP Mbit/s" lc rgb "#3465a4" axes x1y1, \
     "" using 3 title "64 B kframes/s" lc rgb "#f57900" axes x1y2
EOF
cat "$RESULTS"
log "results in $RESULTS, plot in $PLOT"
