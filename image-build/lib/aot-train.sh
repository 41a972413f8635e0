#!/usr/bin/env bash
# The AOT training run of build-image.sh (JDK 25 AOT cache, JEPs 483/514/515): runs the image's own runtime and
# jars in a chroot of the root file system — the paths the cache records are then the box's — inside the private
# mount, network and PID namespaces `unshare --mount --net --pid --fork` gave it: every mount, link and process
# here vanishes with them, even when the run fails.
# The appliance starts as the box starts it (hardware profile naming two veth ports, state directory, serial
# console on a pty), and an operator goes through first boot, login, show commands, a commit and `reboot`, which
# outside systemd ends the appliance with status 0; the JVM then writes ROOTFS/usr/lib/bitw/bitw.aot. A check run
# with -XX:AOTMode=on proves the runtime accepts the cache.
#   unshare --mount --net --pid --fork lib/aot-train.sh ROOTFS WORKDIR ARCH
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
R=$1 W=$2 ARCH=$3
AOT=/usr/lib/bitw/bitw.aot
# shellcheck source=image-build/lib/operator.sh
. "$HERE/operator.sh"
# shellcheck source=/dev/null
. "$R/usr/lib/bitw/bitw.env"
java_pid=''
trap 'con_stop; [ -z "$java_pid" ] || kill "$java_pid" 2> /dev/null || true' EXIT

mount -t proc proc "$R/proc"
mount -t sysfs sysfs "$R/sys"                # this namespace's interfaces only
mount -t tmpfs -o mode=0755 tmpfs "$R/run"
mount -t tmpfs -o mode=1777 tmpfs "$R/tmp"
mount --rbind /dev "$R/dev"                  # /dev/net/tun for the TAP, /dev/pts for the console's pty
install -d "$R/run/bitw"
ip link set lo up
ip link add train-in type veth peer name peer-in
ip link add train-out type veth peer name peer-out
for l in train-in peer-in train-out peer-out; do ip link set "$l" up; done
cat > "$R/tmp/profile" <<PROFILE
name aot-training
architecture $ARCH
inside-nic train-in
outside-nic train-out
serial-console ttyS0
serial-speed 115200
memory-budget-mib 512
kernel-cmdline console=ttyS0,115200n8
PROFILE

con_start create "$W/pty" "$W"
console=$(cat "$W/pty")
rm -f "$R$AOT"
# shellcheck disable=SC2086  # BITW_JVM_OPTIONS is a word list by design
chroot "$R" /usr/lib/bitw/runtime/bin/java $BITW_JVM_OPTIONS -XX:AOTCacheOutput="$AOT" -Dbitw.firmware=training \
  -cp "$BITW_CLASSPATH" bitw.appliance.Main --state-dir /tmp/state --control /run/bitw/control.sock \
  --hw-profile /tmp/profile --console "$console" --console-speed 115200 > "$W/training.log" 2>&1 &
java_pid=$!
pw=training-run-password
step() {  # step SEND EXPECT: type a line, wait for the answer
  con_send "$1"
  con_expect "$2" 120 || { echo "aot-train: no '$2' after '$1'" >&2; exit 1; }
}
con_expect "new password for admin: " 180 || { echo "aot-train: no first-boot prompt" >&2; exit 1; }
step "$pw" "again: "
step "$pw" "bitw login: "
step admin "Password: "
step "$pw" "admin@bitw> "
for c in "show version" "show interfaces" "show policies" "show sas" "show drops | json" "help"; do step "$c" "admin@bitw> "; done
step configure "admin@bitw# "
step "set policy 10 from 10.0.0.0/8 to 10.0.0.0/8 action permit" "admin@bitw# "
step "show configuration diff" "admin@bitw# "
step commit "commit complete"
con_expect "admin@bitw# " 60
step exit "admin@bitw> "
step "show log" "admin@bitw> "
step reboot "type yes to confirm: "
con_send yes
rc=0; wait "$java_pid" || rc=$?
[ "$rc" = 0 ] && [ -s "$R$AOT" ] || { echo "aot-train: the training run ended with $rc and no cache" >&2; exit 1; }
# The box's JVM must accept the cache: -XX:AOTMode=on refuses to start otherwise.
# shellcheck disable=SC2086
chroot "$R" /usr/lib/bitw/runtime/bin/java $BITW_JVM_OPTIONS -XX:AOTCache="$AOT" -XX:AOTMode=on -cp "$BITW_CLASSPATH" \
  bitw.appliance.Main --check /usr/lib/bitw/permit-all.conf > "$W/check.log" 2>&1 \
  || { echo "aot-train: the runtime refuses the cache:" >&2; cat "$W/check.log" >&2; exit 1; }
