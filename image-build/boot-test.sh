#!/usr/bin/env bash
# The slow end-to-end proof of the firmware image (not part of the regular test run; ~10-20 min on 2 cores):
# builds the qemu-x86_64 image (or reuses one), checks its signed manifest, writes the boot-test configuration
# onto its config partition, boots it in qemu-system-x86_64 (TCG, q35, OVMF UEFI) with two virtio NICs on TAP
# devices inside two network namespaces and the serial port on a unix socket, waits for the appliance's start-up
# line on the serial console and reports the boot time, then sends traffic between the namespaces to show that
# forwarding follows the config partition's configuration. Then (BITW_UPDATE_TEST=1, the default) it updates the
# running box twice from slot A, through a boot-test-only unit written onto this copy's root A with debugfs (never
# part of an image or a bundle) that runs `rauc install` from a second virtual disk and reboots:
#   1. a BROKEN bundle (the build's root with an appliance that refuses its configuration, re-signed with the
#      build's test update key): slot B's trial boots fail the health check three times, then systemd-boot falls
#      back to slot A, which comes up and forwards again;
#   2. the build's own bundle: slot B's trial boot passes the health check, is blessed, and forwards with the
#      untouched config partition.
# After stopping the guest it reads the ESP's loader entries: A good, B good at the newest generation.
#
#   image-build/boot-test.sh [OUTDIR]            build into OUTDIR (default /var/tmp/bitw-boot-test), then boot
#   BITW_REUSE=1 image-build/boot-test.sh OUTDIR boot the image already in OUTDIR
#   BITW_FIRST_BOOT_TEST=1 ...                   boot with an empty config partition: fail-closed, no forwarding
#   BITW_VENDOR_PUB=FILE                         the vendor public key (default: the build's test key in OUTDIR)
#   BITW_RAUC_CERT/KEY=FILE                      update signing key the image trusts (default: OUTDIR's test key)
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
"$HERE/verify-manifest.sh" "$OUTDIR" "${BITW_VENDOR_PUB:-$OUTDIR/test-vendor-ed25519.pub.pem}" || fail "the image's signed manifest does not verify"
img=$(ls "$OUTDIR"/bitw-qemu-x86_64-*.img.zst | head -n 1)
zstd -q -d "$img" -o "$T/disk.img"
say "image $(basename "$img"): compressed $(( $(stat -c %s "$img") / 1048576 )) MiB, raw $(( $(stat -c %s "$T/disk.img") / 1048576 )) MiB"

# The boot-test configuration onto the config partition (as a factory would provision it), no mounts needed.
# BITW_FIRST_BOOT_TEST=1 instead leaves it empty, as shipped: the fail-closed first boot must forward nothing.
FIRST_BOOT=${BITW_FIRST_BOOT_TEST:-0}
if [ "$FIRST_BOOT" = 1 ]; then
  BITW_UPDATE_TEST=0
  say "first-boot test: config partition left empty"
else
  "$HERE/provision-config.sh" "$T/disk.img" "$HERE/test/boot-test.conf"
fi

# ---- boot-test-only update trigger ---------------------------------------------------------------------------------
partition() {  # partition IMAGE NAME -> "start_sector size_sectors"
  sfdisk -J "$1" | python3 -c '
import json, sys
for p in json.load(sys.stdin)["partitiontable"]["partitions"]:
    if p.get("name") == sys.argv[1]:
        print(p["start"], p["size"]); break
else:
    sys.exit("no partition " + sys.argv[1])' "$2"
}
RAUC_CERT=${BITW_RAUC_CERT:-$OUTDIR/test-rauc.cert.pem} RAUC_KEY=${BITW_RAUC_KEY:-$OUTDIR/test-rauc.key.pem}
# The build's root file system with an appliance that refuses its configuration (exit 2, as a firmware that no
# longer accepts the box's configuration would), signed with the build's test update key so the box accepts it.
make_broken_bundle() {
  local good=$1 out=$2 d=$T/broken
  rm -rf "$d"; install -d "$d"
  rauc extract --keyring="$RAUC_CERT" "$good" "$d/x" > /dev/null 2>&1 || fail "cannot extract $good"
  mv "$d/x/rootfs.ext4" "$d/rootfs.ext4"; rm -rf "$d/x"
  cat > "$d/bitw-start" <<'BROKEN'
#!/bin/sh
slot=$(sed -n 's/.*rauc\.slot=\([a-z]*\).*/\1/p' /proc/cmdline)
echo "bitw: firmware broken-test on slot $slot"
echo "bitw: configuration refused by this firmware (boot test)"
exit 2
BROKEN
  chmod 755 "$d/bitw-start"
  debugfs -w -R "rm /usr/lib/bitw/bitw-start" "$d/rootfs.ext4" > /dev/null 2>&1
  debugfs -w -R "write $d/bitw-start /usr/lib/bitw/bitw-start" "$d/rootfs.ext4" > /dev/null 2>&1
  debugfs -w -R "sif /usr/lib/bitw/bitw-start mode 0100755" "$d/rootfs.ext4" > /dev/null 2>&1
  printf '[update]\ncompatible=bitw-qemu-x86_64\nversion=broken-test\n\n[bundle]\nformat=verity\n\n[image.rootfs]\nfilename=rootfs.ext4\n' > "$d/manifest.raucm"
  rm -f "$d/bitw-start"
  rauc bundle --cert="$RAUC_CERT" --key="$RAUC_KEY" --mksquashfs-args="-comp lz4" \
    "$d" "$out" > /dev/null 2>&1 || fail "cannot make the broken bundle"
  rm -rf "$d"
}
UPDATE_DRIVE=()
if [ "${BITW_UPDATE_TEST:-1}" = 1 ]; then
  bundle=$(ls "$OUTDIR"/bitw-qemu-x86_64-*.raucb | head -n 1)
  install -d "$T/update"
  cp "$bundle" "$T/update/update.raucb"
  make_broken_bundle "$bundle" "$T/update/broken.raucb"
  mke2fs -q -F -t ext4 -L bitw-update -d "$T/update" "$T/update.img" "$(( $(du -sm "$T/update" | cut -f1) * 11 / 10 + 32 ))M"
  rm -rf "$T/update"
  UPDATE_DRIVE=(-drive "file=$T/update.img,format=raw,if=virtio,readonly=on")
  cat > "$T/bitw-test-update.service" <<'UNIT'
# boot-test.sh only: installs the bundle on the second disk into the inactive slot once this boot is blessed.
[Unit]
Description=boot test: rauc install from the update disk, then reboot
After=systemd-bless-boot.service bitw-health.service
Requires=bitw-health.service
[Service]
Type=oneshot
ExecStart=/bin/sh -c 'mkdir -p /run/bitw-update && mount -o ro,noload /dev/disk/by-label/bitw-update /run/bitw-update && if [ ! -e /efi/bitw-test-stage1 ]; then touch /efi/bitw-test-stage1 && rauc install /run/bitw-update/broken.raucb && echo "bitw-test: broken update installed"; else rauc install /run/bitw-update/update.raucb && echo "bitw-test: rauc install done"; fi && rauc status && sync && systemctl reboot'
StandardOutput=journal+console
StandardError=journal+console
[Install]
WantedBy=multi-user.target
UNIT
  read -r a_start a_size < <(partition "$T/disk.img" root-a)
  dd if="$T/disk.img" of="$T/root-a.ext4" bs=1M skip=$((a_start * 512)) count=$((a_size * 512)) iflag=skip_bytes,count_bytes status=none
  debugfs -w -R "write $T/bitw-test-update.service /etc/systemd/system/bitw-test-update.service" "$T/root-a.ext4" > /dev/null
  debugfs -w -R "symlink /etc/systemd/system/multi-user.target.wants/bitw-test-update.service /etc/systemd/system/bitw-test-update.service" "$T/root-a.ext4" > /dev/null
  dd if="$T/root-a.ext4" of="$T/disk.img" bs=1M seek=$((a_start * 512)) oflag=seek_bytes conv=notrunc status=none
  rm -f "$T/root-a.ext4"
  say "update test armed: bundle $(basename "$bundle") on a second disk, trigger unit on this copy's root A"
fi

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
  -drive file="$T/disk.img",format=raw,if=virtio "${UPDATE_DRIVE[@]}" \
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
wait_for() {  # wait_for PATTERN SECONDS [COUNT]: until the serial log shows PATTERN (COUNT times)
  local deadline=$(( $(date +%s) + $2 ))
  while [ "$(grep -a -c -- "$1" "$T/serial.log" 2> /dev/null)" -lt "${3:-1}" ]; do
    kill -0 "$QEMU_PID" 2> /dev/null || fail "qemu exited: $(cat "$T/qemu.log")"
    [ "$(date +%s)" -lt "$deadline" ] || fail "no '$1' on the serial console within $2 s"
    sleep 1
  done
}
wait_for "Welcome to" 300
kernel_s=$(awk -v a="$(date +%s.%N)" -v b="$start" 'BEGIN { printf "%.0f", a - b }')
up_line="bitw-boot-test up:"
[ "$FIRST_BOOT" = 1 ] && up_line="first-boot policy fail-closed: nothing forwards"
wait_for "$up_line" "$BOOT_TIMEOUT"
up_s=$(awk -v a="$(date +%s.%N)" -v b="$start" 'BEGIN { printf "%.0f", a - b }')
say "serial console: $(grep -a -m1 "$up_line" "$T/serial.log" | tr -d '\r')"
say "boot time (qemu start -> '$up_line', TCG): $up_s s (systemd started after $kernel_s s)"
grep -a "bitw: port" "$T/serial.log" | tr -d '\r' >&2 || true

# ---- forwarding follows the configuration -------------------------------------------------------------------------
ok=1
check_forwarding() {
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
}
if [ "$FIRST_BOOT" = 1 ]; then
  sleep 5
  if ip netns exec "$NS_IN" ping -c 3 -W 3 -i 0.5 10.9.0.2 > "$T/ping-first-boot.log" 2>&1; then
    say "WRONG: with no configuration (fail-closed) a ping crossed the box"; ok=0
  else
    say "fail-closed: with no configuration nothing crosses the box (ping 10.9.0.1 -> 10.9.0.2 unanswered)"
  fi
else
  check_forwarding
fi

# ---- health check, boot counting, power cut -------------------------------------------------------------------------
# The image has no power-button handler (no logind) and no login to shut it down: like a box losing power, qemu
# is stopped after the guest's dirty-page writeback (30 s) has put the blessed entry name on the ESP.
wait_for "health check passed" 300
wait_for "Finished.*systemd-bless-boo" 120
expected="bitw-1-a.conf"
if [ "${BITW_UPDATE_TEST:-1}" = 1 ]; then
  version=$(basename "$(ls "$OUTDIR"/bitw-qemu-x86_64-*.img.zst | head -n 1)" .img.zst); version=${version#bitw-qemu-x86_64-}
  t_update=$(date +%s)
  wait_for "bitw-test: broken update installed" 900
  say "fallback: broken bundle installed into slot b in $(( $(date +%s) - t_update )) s"
  t_fallback=$(date +%s)
  wait_for "firmware broken-test on slot b" 900 3
  wait_for "health check FAILED" 300 3
  say "fallback: slot b failed its health check 3 times (counter ran down)"
  wait_for "firmware $version on slot a" 600 2
  wait_for "bitw-boot-test up:" 600 2
  say "fallback: slot a booted again and is up, $(( $(date +%s) - t_fallback )) s after the broken install"
  check_forwarding
  t_update=$(date +%s)
  wait_for "bitw-test: rauc install done" 900
  say "update: rauc install into the inactive slot took $(( $(date +%s) - t_update )) s"
  grep -a -A12 "bitw-test: rauc install done" "$T/serial.log" | tr -d '\r' | grep -a -E "Booted from|Activated|boot status|\[rootfs" >&2 || true
  t_reboot=$(date +%s)
  wait_for "firmware $version on slot b" 600
  wait_for "bitw-boot-test up:" 600 3
  say "update: slot b up $(( $(date +%s) - t_reboot )) s after the install: $(grep -a -m1 "firmware $version on slot b" "$T/serial.log" | tr -d '\r' | sed 's/.*bitw: //')"
  check_forwarding
  wait_for "health check passed" 300 3
  wait_for "Finished.*systemd-bless-boo" 120 2
  expected="bitw-1-a.conf bitw-3-b.conf"
fi
sleep 40
kill "$QEMU_PID"
wait "$QEMU_PID" 2> /dev/null || true
QEMU_PID=
entries=$(MTOOLS_SKIP_CHECK=1 mdir -b -i "$T/disk.img@@1M" ::/loader/entries/ 2> /dev/null | xargs -n1 basename 2> /dev/null | LC_ALL=C sort | tr '\n' ' ')
if [ "$(echo "$entries" | xargs)" = "$expected" ]; then
  say "boot counting: every booted entry blessed after its health check: $entries"
else
  say "WRONG: boot-counted entry not blessed: $entries"; ok=0
fi
cp "$T/serial.log" "$OUTDIR/boot-test-serial.log"
printf 'boot_seconds=%s\nkernel_seconds=%s\n' "$up_s" "$kernel_s" > "$OUTDIR/boot-test-result"
[ "$ok" = 1 ] || fail "see above"
say "PASSED (serial log: $OUTDIR/boot-test-serial.log)"
