#!/usr/bin/env bash
# The slow end-to-end proof of the firmware image (not part of the regular test run; ~10-20 min on 2 cores):
# builds the qemu-x86_64 image (or reuses one), checks its signed manifest, writes the boot-test configuration
# onto its config partition, boots it in qemu-system-x86_64 (TCG, q35, OVMF UEFI) with two virtio NICs on TAP
# devices inside two network namespaces and the serial port on a unix socket, waits for the appliance's start-up
# line on the serial console and reports the boot time, then sends traffic between the namespaces to show that
# forwarding follows the config partition's configuration. After stopping the guest it checks on the ESP that
# systemd-bless-boot marked the boot-counted entry good (health check -> boot-complete.target).
#
#   image-build/boot-test.sh [OUTDIR]            build into OUTDIR (default /var/tmp/bitw-boot-test), then boot
#   BITW_REUSE=1 image-build/boot-test.sh OUTDIR boot the image already in OUTDIR
# Needs root, qemu-system-x86, ovmf, socat, iputils-ping, mtools (installed when missing).
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
OUTDIR=${1:-/var/tmp/bitw-boot-test}
BOOT_TIMEOUT=${BITW_BOOT_TIMEOUT:-900}
T=$(mktemp -d /var/tmp/bitw-boot.XXXXXX)
NS_IN=bitwbt-in NS_OUT=bitwbt-out TAP_IN=bitwbt-tin TAP_OUT=bitwbt-tout
QEMU_PID='' SERIAL_PID=''

say() { echo "boot-test: $*" >&2; }
fail() { say "FAILED: $*"; [ -f "$T/serial.log" ] && { say "last serial output:"; tail -n 40 "$T/serial.log" >&2; }; exit 1; }

cleanup() {
  [ -n "$QEMU_PID" ] && kill "$QEMU_PID" 2> /dev/null || true
  [ -n "$SERIAL_PID" ] && kill "$SERIAL_PID" 2> /dev/null || true
  ip netns del "$NS_IN" 2> /dev/null || true
  ip netns del "$NS_OUT" 2> /dev/null || true
  ip link del "$TAP_IN" 2> /dev/null || true
  ip link del "$TAP_OUT" 2> /dev/null || true
  [ "${BITW_KEEP_BOOT_DIR:-0}" = 1 ] || rm -rf "$T"
}
trap cleanup EXIT

[ "$(id -u)" -eq 0 ] || fail "must run as root"
missing=""
for p in qemu-system-x86 ovmf socat iputils-ping mtools; do
  [ "$(dpkg-query -W -f='${Status}' "$p" 2> /dev/null)" = "install ok installed" ] || missing="$missing $p"
done
if [ -n "$missing" ]; then
  say "installing$missing"
  apt-get update -q > /dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $missing > /dev/null
fi

# ---- the image -------------------------------------------------------------------------------------------------
if [ "${BITW_REUSE:-0}" != 1 ]; then
  t0=$(date +%s)
  BITW_ZSTD_LEVEL=${BITW_ZSTD_LEVEL:-3} "$HERE/build-image.sh" qemu-x86_64 "$OUTDIR"
  say "image built in $(( $(date +%s) - t0 )) s"
fi
"$HERE/verify-manifest.sh" "$OUTDIR" "$OUTDIR/test-vendor-ed25519.pub.pem" || fail "the image's signed manifest does not verify"
img=$(ls "$OUTDIR"/bitw-qemu-x86_64-*.img.zst | head -n 1)
zstd -q -d "$img" -o "$T/disk.img"
say "image $(basename "$img"): compressed $(( $(stat -c %s "$img") / 1048576 )) MiB, raw $(( $(stat -c %s "$T/disk.img") / 1048576 )) MiB"

# The boot-test configuration onto the config partition (as a factory would provision it), no mounts needed.
"$HERE/provision-config.sh" "$T/disk.img" "$HERE/test/boot-test.conf"

# ---- the wire: two namespaces, one TAP each ---------------------------------------------------------------------
# qemu opens the TAPs in the root namespace; once attached they are moved into the namespaces (the open file
# descriptors stay valid), so host A (inside) and host B (outside) can only talk through the appliance.
ip netns add "$NS_IN"; ip netns add "$NS_OUT"
ip tuntap add dev "$TAP_IN" mode tap
ip tuntap add dev "$TAP_OUT" mode tap
cp /usr/share/OVMF/OVMF_VARS_4M.fd "$T/vars.fd"
start=$(date +%s.%N)
qemu-system-x86_64 -machine q35,accel=tcg -cpu max -smp 1 -m 1024 -nodefaults -display none \
  -drive if=pflash,format=raw,readonly=on,file=/usr/share/OVMF/OVMF_CODE_4M.fd \
  -drive if=pflash,format=raw,file="$T/vars.fd" \
  -drive file="$T/disk.img",format=raw,if=virtio \
  -netdev tap,id=nin,ifname="$TAP_IN",script=no,downscript=no \
  -device virtio-net-pci,netdev=nin,addr=0x3,mac=52:54:00:b1:70:03 \
  -netdev tap,id=nout,ifname="$TAP_OUT",script=no,downscript=no \
  -device virtio-net-pci,netdev=nout,addr=0x4,mac=52:54:00:b1:70:04 \
  -chardev socket,id=ser0,path="$T/serial.sock",server=on,wait=on -serial chardev:ser0 > "$T/qemu.log" 2>&1 &
QEMU_PID=$!
for _ in $(seq 1 50); do [ -S "$T/serial.sock" ] && break; sleep 0.2; done
socat -u UNIX-CONNECT:"$T/serial.sock" - > "$T/serial.log" 2>&1 &
SERIAL_PID=$!

# Move each TAP only once qemu holds it (carrier on): moved earlier, qemu would create a fresh TAP of that name.
ip link set "$TAP_IN" up; ip link set "$TAP_OUT" up
for tap in "$TAP_IN" "$TAP_OUT"; do
  for _ in $(seq 1 300); do [ "$(cat "/sys/class/net/$tap/carrier" 2> /dev/null)" = 1 ] && break; sleep 0.2; done
  [ "$(cat "/sys/class/net/$tap/carrier" 2> /dev/null)" = 1 ] || fail "qemu did not attach $tap"
done
ip link set "$TAP_IN" netns "$NS_IN"
ip link set "$TAP_OUT" netns "$NS_OUT"
ip -n "$NS_IN" link set lo up; ip -n "$NS_OUT" link set lo up
ip -n "$NS_IN" addr add 10.9.0.1/24 dev "$TAP_IN"
ip -n "$NS_OUT" addr add 10.9.0.2/24 dev "$TAP_OUT"
ip -n "$NS_OUT" addr add 10.9.0.3/24 dev "$TAP_OUT"
ip -n "$NS_IN" link set "$TAP_IN" up
ip -n "$NS_OUT" link set "$TAP_OUT" up

# ---- boot ------------------------------------------------------------------------------------------------------
wait_for() {  # wait_for PATTERN SECONDS: until the serial log shows PATTERN
  local deadline=$(( $(date +%s) + $2 ))
  while ! grep -q -- "$1" "$T/serial.log" 2> /dev/null; do
    kill -0 "$QEMU_PID" 2> /dev/null || fail "qemu exited: $(cat "$T/qemu.log")"
    [ "$(date +%s)" -lt "$deadline" ] || fail "no '$1' on the serial console within $2 s"
    sleep 1
  done
}
wait_for "Welcome to" 300
kernel_s=$(awk -v a="$(date +%s.%N)" -v b="$start" 'BEGIN { printf "%.0f", a - b }')
wait_for "bitw-boot-test up:" "$BOOT_TIMEOUT"
up_s=$(awk -v a="$(date +%s.%N)" -v b="$start" 'BEGIN { printf "%.0f", a - b }')
say "serial console: $(grep -a -m1 'bitw-boot-test up:' "$T/serial.log" | tr -d '\r')"
say "boot time (qemu start -> appliance up, TCG): $up_s s (systemd started after $kernel_s s)"
grep -a "bitw: port" "$T/serial.log" | tr -d '\r' >&2 || true

# ---- forwarding follows the configuration -------------------------------------------------------------------------
ok=1
if ip netns exec "$NS_IN" ping -c 3 -W 3 -i 0.5 10.9.0.2 > "$T/ping-permitted.log" 2>&1; then
  say "permitted: 10.9.0.1 -> 10.9.0.2 ping answered (policies 10/11 permit)"
else
  say "WRONG: ping to 10.9.0.2 (permitted by the configuration) got no answer"; ok=0
fi
if ip netns exec "$NS_IN" ping -c 3 -W 3 -i 0.5 10.9.0.3 > "$T/ping-denied.log" 2>&1; then
  say "WRONG: ping to 10.9.0.3 (denied by policy 20) was answered"; ok=0
else
  say "denied: 10.9.0.1 -> 10.9.0.3 ping not forwarded (policy 20 deny)"
fi

# ---- health check, boot counting, power cut -------------------------------------------------------------------------
# The image has no power-button handler (no logind) and no login to shut it down: like a box losing power, qemu
# is stopped after the guest's dirty-page writeback (30 s) has put the blessed entry name on the ESP.
wait_for "health check passed" 300
wait_for "Finished.*systemd-bless-boo" 120
sleep 40
kill "$QEMU_PID"
wait "$QEMU_PID" 2> /dev/null || true
QEMU_PID=
entries=$(MTOOLS_SKIP_CHECK=1 mdir -b -i "$T/disk.img@@1M" ::/loader/entries/ 2> /dev/null | xargs -n1 basename 2> /dev/null | tr '\n' ' ')
if echo "$entries" | grep -q "bitw-1-a.conf"; then
  say "boot counting: entry blessed after the health check: $entries"
else
  say "WRONG: boot-counted entry not blessed: $entries"; ok=0
fi
cp "$T/serial.log" "$OUTDIR/boot-test-serial.log"
printf 'boot_seconds=%s\nkernel_seconds=%s\n' "$up_s" "$kernel_s" > "$OUTDIR/boot-test-result"
[ "$ok" = 1 ] || fail "see above"
say "PASSED (serial log: $OUTDIR/boot-test-serial.log)"
