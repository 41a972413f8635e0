# Two-site namespace topology shared by the demo and the benchmark (source this file; root only).
#
#   hA ──eth0/in── apA ──out/lan── rA ──wan/wan── rB ──lan/out── apB ──in/eth0── hB
#   10.1.0.10          192.0.2.2       203.0.113.1/.2      198.51.100.2          10.2.0.20
#   2001:db8:1::10     2001:db8:a::2   2001:db8:ff::1/::2  2001:db8:b::2         2001:db8:2::20
#
# apA/apB are where a bump-in-the-wire sits (our appliance, or a kernel bridge for reference); rA/rB are the
# sites' routers. Routers route the LAN prefixes too, so a cleartext leak would cross the WAN and be seen.
# Usage: two_sites_up PREFIX; two_sites_down PREFIX. Namespaces are ${PREFIX}hA, ${PREFIX}apA, ...

_ns() { ip netns exec "$@"; }

_link() { # nsA ifA nsB ifB
    ip link add "$2" netns "$1" type veth peer name "$4" netns "$3"
    for x in "$1 $2" "$3 $4"; do
        set -- $x
        _ns "$1" ip link set "$2" up
        _ns "$1" ethtool -K "$2" tx off tso off gso off gro off >/dev/null 2>&1 || true
    done
}

two_sites_up() {
    local p=$1
    for n in hA apA rA rB apB hB; do ip netns add "${p}$n"; _ns "${p}$n" ip link set lo up; done
    _link "${p}hA" eth0 "${p}apA" in
    _link "${p}apA" out "${p}rA" lan
    _link "${p}rA" wan "${p}rB" wan
    _link "${p}rB" lan "${p}apB" out
    _link "${p}apB" in "${p}hB" eth0
    for side in A:1:a:192.0.2:198.51.100:b:1:2 B:2:b:198.51.100:192.0.2:a:2:1; do
        IFS=: read -r S lan own ownnet peernet peerown wanme wanpeer <<<"$side"
        local h="${p}h$S" r="${p}r$S"
        _ns "$h" ip addr add "10.$lan.0.$([ $S = A ] && echo 10 || echo 20)/24" dev eth0
        _ns "$h" ip -6 addr add "2001:db8:$lan::$([ $S = A ] && echo 10 || echo 20)/64" dev eth0 nodad
        _ns "$h" ip route add default via "10.$lan.0.1"
        _ns "$h" ip -6 route add default via "2001:db8:$lan::1"
        _ns "$r" sysctl -qw net.ipv4.ip_forward=1 net.ipv6.conf.all.forwarding=1
        _ns "$r" ip addr add "10.$lan.0.1/24" dev lan
        _ns "$r" ip addr add "$ownnet.1/29" dev lan
        _ns "$r" ip -6 addr add "2001:db8:$lan::1/64" dev lan nodad
        _ns "$r" ip -6 addr add "2001:db8:$own::1/64" dev lan nodad
        _ns "$r" ip addr add "203.0.113.$wanme/30" dev wan
        _ns "$r" ip -6 addr add "2001:db8:ff::$wanme/64" dev wan nodad
        _ns "$r" ip route add "10.$([ $S = A ] && echo 2 || echo 1).0.0/24" via "203.0.113.$wanpeer"
        _ns "$r" ip route add "$peernet.0/29" via "203.0.113.$wanpeer"
        _ns "$r" ip -6 route add "2001:db8:$([ $S = A ] && echo 2 || echo 1)::/64" via "2001:db8:ff::$wanpeer"
        _ns "$r" ip -6 route add "2001:db8:$peerown::/64" via "2001:db8:ff::$wanpeer"
    done
}

two_sites_down() {
    local p=$1
    for n in hA apA rA rB apB hB; do
        ip netns pids "${p}$n" 2>/dev/null | xargs -r kill -9 2>/dev/null || true
        ip netns del "${p}$n" 2>/dev/null || true
    done
}
