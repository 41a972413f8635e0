#!/usr/bin/env bash
# Manual check of the arm64 image (not part of any test run: the arm64 build takes ~30-60 min under qemu-user
# emulation): boots an arm64-2nic image built by build-image.sh in qemu-system-aarch64 (TCG, `virt` machine,
# Cortex-A72, AAVMF UEFI) and waits until the appliance is up on the serial console, reporting the boot time.
#
#   image-build/boot-arm64.sh OUTDIR        (as root; OUTDIR holds bitw-arm64-2nic-*.img.zst and SHA256SUMS)
#
# qemu has no NanoPi R4S machine, so a copy of the image is adapted to the `virt` board, and only the copy:
#   - the loader entry's console=ttyS2,1500000n8 (the R4S UART) becomes console=ttyAMA0,115200 (virt's PL011);
#   - root A's /usr/lib/bitw/hw-profile gets the virt board's NICs: two virtio-net at PCI 00:02.0 (inside) and
#     00:03.0 (outside), and that console; everything else of arm64-2nic stays (memory budget, policy, ...);
#   - the config partition gets test/boot-test.conf (provision-config.sh).
# Both NICs are qemu user-mode networks with restrict=on: nothing reaches the host or beyond. The same kernel,
# initramfs, systemd-boot, root file system, Java runtime and appliance as on the board boot; the board's own
# device tree, UART, GMAC and PCIe NIC are not exercised (see docs/IMAGE.md).
# Environment: BITW_VENDOR_PUB (default OUTDIR/test-vendor-ed25519.pub.pem), BITW_BOOT_TIMEOUT (s, 1500),
# BITW_SMP (guest CPUs, 1). Needs qemu-system-arm, qemu-efi-aarch64, socat, mtools, e2fsprogs (installed if missing).
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
[ $# -eq 1 ] || { echo "usage: $0 OUTDIR" >&2; exit 2; }
OUTDIR=$(cd "$1" && pwd)
BOOT_TIMEOUT=${BITW_BOOT_TIMEOUT:-1500}
T=$(mktemp -d /var/tmp/bitw-boot-arm64.XXXXXX)
QEMU_PID='' SERIAL_PID=''
say() { echo "boot-arm64: $*" >&2; }
fail() { say "FAILED: $*"; [ -f "$T/serial.log" ] && { say "last serial output:"; tail -n 40 "$T/serial.log" >&2; }; exit 1; }
cleanup() {
  [ -n "$QEMU_PID" ] && kill "$QEMU_PID" 2> /dev/null || true
  [ -n "$SERIAL_PID" ] && kill "$SERIAL_PID" 2> /dev/null || true
  [ "${BITW_KEEP_BOOT_DIR:-0}" = 1 ] || rm -rf "$T"
}
trap cleanup EXIT
[ "$(id -u)" -eq 0 ] || fail "must run as root"
missing=""
for p in qemu-system-arm qemu-efi-aarch64 socat mtools e2fsprogs; do
  [ "$(dpkg-query -W -f='${Status}' "$p" 2> /dev/null)" = "install ok installed" ] || missing="$missing $p"
done
if [ -n "$missing" ]; then
  say "installing$missing"
  # shellcheck disable=SC2086
  apt-get update -q > /dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $missing > /dev/null
fi

img=$(ls "$OUTDIR"/bitw-arm64-2nic-*.img.zst 2> /dev/null | head -n 1)
[ -n "$img" ] || fail "no bitw-arm64-2nic-*.img.zst in $OUTDIR"
"$HERE/verify-manifest.sh" "$OUTDIR" "${BITW_VENDOR_PUB:-$OUTDIR/test-vendor-ed25519.pub.pem}" || fail "manifest does not verify"
zstd -q -dc "$img" > "$T/disk.img"

# part NAME -> "START_SECTOR SIZE_SECTORS" of the GPT partition with that name
part() {
  sfdisk -J "$T/disk.img" | python3 -c '
import json, sys
for p in json.load(sys.stdin)["partitiontable"]["partitions"]:
    if p.get("name") == sys.argv[1]:
        print(p["start"], p["size"]); break
else:
    sys.exit("no partition " + sys.argv[1])' "$1"
}
extract() { dd if="$T/disk.img" of="$2" bs=512 skip="$(echo "$1" | cut -d' ' -f1)" count="$(echo "$1" | cut -d' ' -f2)" status=none; }
put_back() { dd if="$2" of="$T/disk.img" bs=512 seek="$(echo "$1" | cut -d' ' -f1)" conv=notrunc status=none; }

# ---- the copy, adapted to qemu's virt board --------------------------------------------------------------------------
esp=$(part esp); extract "$esp" "$T/esp.vfat"
entry=$(MTOOLS_SKIP_CHECK=1 mdir -b -i "$T/esp.vfat" ::/loader/entries | grep '\.conf$' | head -n 1)
[ -n "$entry" ] || fail "no loader entry on the ESP"
MTOOLS_SKIP_CHECK=1 mcopy -n -i "$T/esp.vfat" "$entry" "$T/entry.conf"
grep -q 'console=ttyS2,1500000n8' "$T/entry.conf" || fail "loader entry without the R4S console: $(cat "$T/entry.conf")"
sed -i 's/console=ttyS2,1500000n8/console=ttyAMA0,115200/' "$T/entry.conf"
MTOOLS_SKIP_CHECK=1 mcopy -o -i "$T/esp.vfat" "$T/entry.conf" "$entry"
put_back "$esp" "$T/esp.vfat"
say "loader entry $(basename "$entry"): $(grep '^options' "$T/entry.conf")"

root_a=$(part root-a); extract "$root_a" "$T/root-a.ext4"
debugfs -R "cat /usr/lib/bitw/hw-profile" "$T/root-a.ext4" 2> /dev/null > "$T/hw-profile.board"
grep -q '^name arm64-2nic' "$T/hw-profile.board" || fail "root A does not hold the arm64-2nic profile"
{
  echo "# boot-arm64.sh: arm64-2nic adapted to qemu's virt board (virtio-net NICs, PL011 console); test copy only"
  sed -e 's/^inside-nic .*/inside-nic pci-0000:00:02.0/' -e 's/^outside-nic .*/outside-nic pci-0000:00:03.0/' \
      -e 's/^serial-console .*/serial-console ttyAMA0/' -e 's/^serial-speed .*/serial-speed 115200/' \
      -e 's/console=ttyS2,1500000n8/console=ttyAMA0,115200/' "$T/hw-profile.board"
} > "$T/hw-profile"
debugfs -w -f - "$T/root-a.ext4" > /dev/null 2>&1 <<EOF
rm /usr/lib/bitw/hw-profile
write $T/hw-profile /usr/lib/bitw/hw-profile
sif /usr/lib/bitw/hw-profile mode 0100644
EOF
debugfs -R "cat /usr/lib/bitw/hw-profile" "$T/root-a.ext4" 2> /dev/null | grep -q 'inside-nic pci-0000:00:02.0' || fail "could not write the virt profile"
put_back "$root_a" "$T/root-a.ext4"
rm -f "$T/root-a.ext4" "$T/esp.vfat"
"$HERE/provision-config.sh" "$T/disk.img" "$HERE/test/boot-test.conf"

# ---- boot ----------------------------------------------------------------------------------------------------------
cp /usr/share/AAVMF/AAVMF_VARS.fd "$T/vars.fd"
start=$(date +%s.%N)
qemu-system-aarch64 -machine virt,accel=tcg -cpu cortex-a72 -smp "${BITW_SMP:-1}" -m 1024 -nodefaults -display none \
  -drive if=pflash,format=raw,readonly=on,file=/usr/share/AAVMF/AAVMF_CODE.fd \
  -drive if=pflash,format=raw,file="$T/vars.fd" \
  -drive file="$T/disk.img",format=raw,if=none,id=disk -device virtio-blk-pci,drive=disk,addr=0x4 \
  -netdev user,id=nin,restrict=on -device virtio-net-pci,netdev=nin,addr=0x2,mac=52:54:00:b1:70:02 \
  -netdev user,id=nout,restrict=on -device virtio-net-pci,netdev=nout,addr=0x3,mac=52:54:00:b1:70:03 \
  -chardev socket,id=ser0,path="$T/serial.sock",server=on,wait=on -serial chardev:ser0 > "$T/qemu.log" 2>&1 &
QEMU_PID=$!
for _ in $(seq 1 50); do [ -S "$T/serial.sock" ] && break; sleep 0.2; done
socat -u UNIX-CONNECT:"$T/serial.sock" - > "$T/serial.log" 2>&1 &
SERIAL_PID=$!

elapsed() { awk -v a="$(date +%s.%N)" -v b="$start" 'BEGIN { printf "%.0f", a - b }'; }
wait_for() {  # wait_for PATTERN SECONDS: until the serial log shows PATTERN
  local deadline=$(( $(date +%s) + $2 ))
  until grep -a -q -- "$1" "$T/serial.log" 2> /dev/null; do
    kill -0 "$QEMU_PID" 2> /dev/null || fail "qemu exited: $(cat "$T/qemu.log")"
    grep -a -q -e "ports refused" -e "health check FAILED" "$T/serial.log" 2> /dev/null && fail "the appliance did not come up"
    [ "$(date +%s)" -lt "$deadline" ] || fail "no '$1' on the serial console within $2 s"
    sleep 1
  done
  say "$(elapsed) s: $(grep -a -m1 -- "$1" "$T/serial.log" | tr -d '\r')"
}
# The profile's command line has "quiet": systemd's own status lines do not appear, the bitw units' output does.
wait_for "bitw: port outside" "$BOOT_TIMEOUT"
ports_s=$(elapsed)
wait_for "bitw-boot-test up:" "$BOOT_TIMEOUT"
up_s=$(elapsed)
wait_for "bitw: health check passed: appliance up" 600
say "boot time (qemu start -> appliance up, TCG aarch64, $(nproc)-core host): $up_s s (ports named after $ports_s s)"
cp "$T/serial.log" "$OUTDIR/boot-arm64-serial.log"
say "PASSED (serial log: $OUTDIR/boot-arm64-serial.log)"
