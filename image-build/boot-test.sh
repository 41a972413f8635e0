#!/usr/bin/env bash
# The end-to-end proof of the firmware image (run by scripts/test.sh after mvn verify; ~15-20 min on 2 cores):
# builds the qemu-x86_64 image (or reuses one), checks its signed manifest and boots it as shipped — empty config
# partition, fail-closed profile — in qemu-system-x86_64 (TCG, q35, OVMF UEFI) with two virtio NICs on TAP devices
# inside two network namespaces and the serial port on a pty, where an operator (lib/operator.sh) does everything
# over the serial console:
#   first boot: the console asks for the admin password (boot time to this prompt is reported); the password is
#   set, the operator logs in; once the appliance is up (its first `show` answers) nothing crosses the box; the
#   operator commits a configuration, and traffic between the two NICs follows it (permitted passes, denied not);
#   the console's `reboot`: the same password, no first-boot question, the configuration still in force;
# then (BITW_UPDATE_TEST=1, the default) two updates with the console's `upgrade` from a second disk labelled
# BITW-UPDATE (a USB stick to the box), each followed by the console's `reboot`:
#   1. a BROKEN bundle (the build's root with an appliance that refuses to start, re-signed with the build's test
#      update key): slot B's trial boots fail the health check three times, systemd-boot falls back to slot A;
#   2. the build's own bundle: slot B's trial boot comes up, is blessed, and runs the new firmware;
# after each, the operator logs in with the same password (no first-boot question) and the committed configuration
# still decides the traffic: users, configuration and history survive rollback and update. After stopping the
# guest it reads the ESP's loader entries: A good, B good at the newest generation. A guest reboot is a power
# cycle of qemu with the same disk and UEFI variables (see "the wire and the box" below).
#
#   image-build/boot-test.sh [OUTDIR]            build into OUTDIR (default /var/tmp/bitw-boot-test), then boot
#   BITW_REUSE=1 image-build/boot-test.sh OUTDIR boot the image already in OUTDIR
#   BITW_UPDATE_TEST=0 ...                       first boot, console configuration and traffic only (~4 min)
#   BITW_PROVISION_TEST=1 ...                    a factory-provisioned bitw.conf on the config partition instead
#                                                of the empty one: it forwards by it before anything is committed
#   BITW_DEBUG_CONSOLE=1 ...                     diagnostics: the appliance's log (and -Xlog:aot) on the serial line too
#   BITW_VENDOR_PUB=FILE                         the vendor public key (default: the build's test key in OUTDIR)
#   BITW_RAUC_CERT/KEY=FILE                      update signing key the image trusts (default: OUTDIR's test key)
# Needs root, qemu-system-x86, ovmf, socat, iputils-ping, mtools, dosfstools, python3 (installed when missing).
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
OUTDIR=${1:-/var/tmp/bitw-boot-test}
BOOT_TIMEOUT=${BITW_BOOT_TIMEOUT:-600}
T=$(mktemp -d /var/tmp/bitw-boot.XXXXXX)
NS_IN=bitwbt-in NS_OUT=bitwbt-out TAP_IN=bitwbt-tin TAP_OUT=bitwbt-tout
QEMU_PID=''
PW=Bump-in-the-wire-7
# shellcheck source=image-build/lib/operator.sh
. "$HERE/lib/operator.sh"

say() { echo "boot-test: $*" >&2; }
fail() {
  say "FAILED: $*"
  [ -f "$T/serial.log" ] && { say "last serial output:"; tail -c 3000 "$T/serial.log" | tr -d '\r' >&2; echo >&2; }
  if [ -n "$QEMU_PID" ] && [ -S "$T/monitor.sock" ]; then   # where the guest is, when it says nothing
    say "guest state:"; printf 'info status\ninfo registers\n' | socat - UNIX-CONNECT:"$T/monitor.sock" 2>&1 \
      | grep -a -E "VM status|RIP|CR0|EFER" >&2 || true
  fi
  exit 1
}

cleanup() {
  con_stop
  [ -n "$QEMU_PID" ] && kill "$QEMU_PID" 2> /dev/null || true
  ip netns del "$NS_IN" 2> /dev/null || true
  ip netns del "$NS_OUT" 2> /dev/null || true
  ip link del "$TAP_IN" 2> /dev/null || true
  ip link del "$TAP_OUT" 2> /dev/null || true
  [ "${BITW_KEEP_BOOT_DIR:-0}" = 1 ] || rm -rf "$T"
}
trap cleanup EXIT

[ "$(id -u)" -eq 0 ] || fail "must run as root"
missing=""
for p in qemu-system-x86 ovmf socat iputils-ping mtools dosfstools python3; do
  [ "$(dpkg-query -W -f='${Status}' "$p" 2> /dev/null)" = "install ok installed" ] || missing="$missing $p"
done
if [ -n "$missing" ]; then
  say "installing$missing"
  # shellcheck disable=SC2086
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
version=$(basename "$img" .img.zst); version=${version#bitw-qemu-x86_64-}
zstd -q -d "$img" -o "$T/disk.img"
say "image $(basename "$img"): compressed $(( $(stat -c %s "$img") / 1048576 )) MiB, raw $(( $(stat -c %s "$T/disk.img") / 1048576 )) MiB"

PROVISION=${BITW_PROVISION_TEST:-0}
if [ "$PROVISION" = 1 ]; then
  "$HERE/provision-config.sh" "$T/disk.img" "$HERE/test/boot-test.conf"
else
  say "config partition as shipped: empty (first-boot policy fail-closed)"
fi

# Diagnostics only (BITW_DEBUG_CONSOLE=1): this copy's appliance also logs onto the serial line, with the JVM's AOT
# cache and start-up logging, through a drop-in written onto root A with debugfs (never part of an image).
if [ "${BITW_DEBUG_CONSOLE:-0}" = 1 ]; then
  read -r a_start a_size < <(sfdisk -J "$T/disk.img" | python3 -c '
import json, sys
for p in json.load(sys.stdin)["partitiontable"]["partitions"]:
    if p.get("name") == "root-a": print(p["start"], p["size"])')
  dd if="$T/disk.img" of="$T/root-a.ext4" bs=1M skip=$((a_start * 512)) count=$((a_size * 512)) iflag=skip_bytes,count_bytes status=none
  cat > "$T/debug.conf" <<'DEBUG'
[Service]
StandardOutput=journal+console
StandardError=journal+console
Environment="JAVA_TOOL_OPTIONS=-Xlog:aot=info -Xlog:startuptime"
ExecStartPre=-/bin/sh -c 't0=$$(date +%%s%%N); for i in 1 2 3 4 5; do ip link show lo > /dev/null; done; echo "debug: 5 runs of ip link took $$(( ($$(date +%%s%%N) - t0) / 1000000 )) ms"'
DEBUG
  cat > "$T/debug-health.conf" <<'DEBUG'
[Service]
ExecStartPost=-/usr/bin/systemd-run --on-active=15 /bin/sh -c '(systemd-analyze; systemd-analyze critical-chain bitw.service; systemd-analyze blame | head -25) > /dev/console 2>&1'
DEBUG
  debugfs -w -R "mkdir /etc/systemd/system/bitw-health.service.d" "$T/root-a.ext4" > /dev/null 2>&1
  debugfs -w -R "write $T/debug-health.conf /etc/systemd/system/bitw-health.service.d/debug.conf" "$T/root-a.ext4" > /dev/null 2>&1
  debugfs -w -R "write $T/debug.conf /etc/systemd/system/bitw.service.d/debug.conf" "$T/root-a.ext4" > /dev/null 2>&1
  dd if="$T/root-a.ext4" of="$T/disk.img" bs=1M seek=$((a_start * 512)) oflag=seek_bytes conv=notrunc status=none
  rm -f "$T/root-a.ext4"
  say "BITW_DEBUG_CONSOLE=1: the appliance's log goes onto the serial line too (diagnostics only)"
fi

# ---- update media: a FAT disk labelled BITW-UPDATE with the bundles (what an operator plugs in) -------------------
RAUC_CERT=${BITW_RAUC_CERT:-$OUTDIR/test-rauc.cert.pem} RAUC_KEY=${BITW_RAUC_KEY:-$OUTDIR/test-rauc.key.pem}
# The build's root file system with an appliance that refuses to start (exit 2, as a firmware that no longer
# accepts the box's configuration would), signed with the build's test update key so the box accepts it.
make_broken_bundle() {
  local good=$1 out=$2 d=$T/broken
  rm -rf "$d"; install -d "$d"
  rauc extract --keyring="$RAUC_CERT" "$good" "$d/x" > /dev/null 2>&1 || fail "cannot extract $good"
  mv "$d/x/rootfs.ext4" "$d/rootfs.ext4"; rm -rf "$d/x"
  cat > "$d/bitw-start" <<'BROKEN'
#!/bin/sh
slot=$(sed -n 's/.*rauc\.slot=\([a-z]*\).*/\1/p' /proc/cmdline)
echo "bitw: firmware broken-test on slot $slot" | tee -a /dev/console
echo "bitw: configuration refused by this firmware (boot test)" | tee -a /dev/console
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
UPDATE=${BITW_UPDATE_TEST:-1}
UPDATE_DRIVE=()
if [ "$UPDATE" = 1 ]; then
  bundle=$(ls "$OUTDIR"/bitw-qemu-x86_64-*.raucb | head -n 1)
  make_broken_bundle "$bundle" "$T/broken.raucb"
  mib=$(( ( $(stat -c %s "$bundle") + $(stat -c %s "$T/broken.raucb") ) / 1048576 * 11 / 10 + 40 ))
  mkfs.vfat -C -F 32 -n BITW-UPDATE "$T/update.img" $((mib * 1024)) > /dev/null
  MTOOLS_SKIP_CHECK=1 mcopy -i "$T/update.img" "$bundle" ::/update.raucb
  MTOOLS_SKIP_CHECK=1 mcopy -i "$T/update.img" "$T/broken.raucb" ::/broken.raucb
  rm -f "$T/broken.raucb"
  UPDATE_DRIVE=(-drive "file=$T/update.img,format=raw,if=virtio,readonly=on")
  say "update media: $(basename "$bundle") and a broken bundle on a FAT disk labelled BITW-UPDATE"
fi

# ---- the wire and the box ----------------------------------------------------------------------------------------
# Two namespaces with one TAP each: qemu opens the TAPs in the root namespace; once attached they are moved into
# the namespaces (the open file descriptors stay valid), so host A (inside) and host B (outside) can only talk
# through the appliance. A guest reboot is a power cycle here (-no-reboot: qemu exits, power_on starts it again with
# the same disk and UEFI variables): warm resets of OVMF under TCG on this machine sometimes spun in the firmware for
# many minutes with no output at all (see docs/IMAGE.md); boot counting and the slot switch live on the disk and in
# the variables, which a power cycle keeps.
cleanup_wire_leftovers() {   # a run killed before its trap ran leaves these behind
  ip netns del "$NS_IN" 2> /dev/null || true; ip netns del "$NS_OUT" 2> /dev/null || true
  ip link del "$TAP_IN" 2> /dev/null || true; ip link del "$TAP_OUT" 2> /dev/null || true
}
cleanup_wire_leftovers
ip netns add "$NS_IN"; ip netns add "$NS_OUT"
ip -n "$NS_IN" link set lo up; ip -n "$NS_OUT" link set lo up
cp /usr/share/OVMF/OVMF_VARS_4M.fd "$T/vars.fd"
POWER_ONS=0
power_on() {
  local tap pts=''
  for tap in "$TAP_IN" "$TAP_OUT"; do
    ip -n "$NS_IN" link del "$tap" 2> /dev/null || true
    ip -n "$NS_OUT" link del "$tap" 2> /dev/null || true
    ip link del "$tap" 2> /dev/null || true
    ip tuntap add dev "$tap" mode tap
  done
  rm -f "$T/monitor.sock"
  # -S: the guest stays stopped until the operator is at the serial line, so nothing it prints is lost.
  qemu-system-x86_64 -S -no-reboot -machine q35,accel=tcg -cpu max -smp 1 -m 1024 -nodefaults -display none \
    -drive if=pflash,format=raw,readonly=on,file=/usr/share/OVMF/OVMF_CODE_4M.fd \
    -drive if=pflash,format=raw,file="$T/vars.fd" \
    -drive file="$T/disk.img",format=raw,if=virtio "${UPDATE_DRIVE[@]}" \
    -netdev tap,id=nin,ifname="$TAP_IN",script=no,downscript=no \
    -device virtio-net-pci,netdev=nin,addr=0x3,mac=52:54:00:b1:70:03 \
    -netdev tap,id=nout,ifname="$TAP_OUT",script=no,downscript=no \
    -device virtio-net-pci,netdev=nout,addr=0x4,mac=52:54:00:b1:70:04 \
    -chardev pty,id=ser0 -serial chardev:ser0 \
    -monitor unix:"$T/monitor.sock",server=on,wait=off > "$T/qemu.log" 2>&1 &
  QEMU_PID=$!
  for _ in $(seq 1 100); do
    pts=$(sed -n 's|.*char device redirected to \(/dev/pts/[0-9]*\).*|\1|p' "$T/qemu.log")
    [ -n "$pts" ] && [ -S "$T/monitor.sock" ] && break
    sleep 0.2
  done
  [ -n "$pts" ] || fail "qemu gave no serial pty: $(cat "$T/qemu.log")"
  if [ "$POWER_ONS" = 0 ]; then
    con_start attach "$pts" "$T" || fail "no operator on $pts"
    say "serial console: $pts (qemu's pty)"
  else
    con_attach "$pts"
  fi
  POWER_ONS=$((POWER_ONS + 1))
  # Move each TAP only once qemu holds it (carrier on): moved earlier, qemu would create a fresh TAP of that name.
  for tap in "$TAP_IN" "$TAP_OUT"; do
    ip link set "$tap" up
    for _ in $(seq 1 300); do [ "$(cat "/sys/class/net/$tap/carrier" 2> /dev/null)" = 1 ] && break; sleep 0.2; done
    [ "$(cat "/sys/class/net/$tap/carrier" 2> /dev/null)" = 1 ] || fail "qemu did not attach $tap"
  done
  ip link set "$TAP_IN" netns "$NS_IN"
  ip link set "$TAP_OUT" netns "$NS_OUT"
  ip -n "$NS_IN" addr add 10.9.0.1/24 dev "$TAP_IN"
  ip -n "$NS_OUT" addr add 10.9.0.2/24 dev "$TAP_OUT"
  ip -n "$NS_OUT" addr add 10.9.0.3/24 dev "$TAP_OUT"
  ip -n "$NS_IN" link set "$TAP_IN" up
  ip -n "$NS_OUT" link set "$TAP_OUT" up
  echo cont | socat - UNIX-CONNECT:"$T/monitor.sock" > /dev/null
}
# The guest rebooted (qemu exited 0 under -no-reboot): power it on again; anything else is a failure.
still_on() {
  kill -0 "$QEMU_PID" 2> /dev/null && return 0
  local rc=0
  wait "$QEMU_PID" || rc=$?
  QEMU_PID=
  [ "$rc" = 0 ] || fail "qemu exited ($rc): $(cat "$T/qemu.log")"
  power_on
}

# ---- the operator's steps --------------------------------------------------------------------------------------
expect() {  # expect REGEX SECONDS: what the console must print next (across guest reboots)
  local deadline=$(( $(date +%s) + $2 ))
  while ! con_expect "$1" 2; do
    still_on
    [ "$(date +%s)" -lt "$deadline" ] || fail "no '$1' on the serial console within $2 s"
  done
}
step() {  # step TEXT REGEX [SECONDS]: type a line, wait for the answer
  con_send "$1"
  expect "$2" "${3:-120}"
}
since() { awk -v a="$(date +%s.%N)" -v b="$1" 'BEGIN { printf "%.0f", a - b }'; }
HOST=bitw
prompt() { echo "admin@$HOST> "; }
login() {  # at the login prompt: the same password as set on first boot
  expect "$HOST login: " 120
  step admin "Password: "
  step "$PW" "$(prompt)" 60
}
show_version_says() {  # show_version_says TEXT: `show version` names the running firmware and slot
  local from=$CON_MARK
  step "show version" "$(prompt)"
  con_text "$from" | grep -a -q -- "$1" || fail "show version does not say '$1': $(con_text "$from")"
}
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

# ---- first boot ------------------------------------------------------------------------------------------------
power_on
start=$(date +%s.%N)
expect "bitw: firmware $version on slot a" "$BOOT_TIMEOUT"
started_s=$(since "$start")
expect "new password for admin: " "$BOOT_TIMEOUT"
prompt_s=$(since "$start")
say "boot time (qemu start -> console asks for the admin password, TCG): $prompt_s s (appliance started by systemd after $started_s s)"
[ "$PROVISION" = 1 ] && HOST=bitw-boot-test
step "$PW" "again: "
step "$PW" "user admin created"
login
say "first boot: admin password set on the console, logged in"
# The console comes up before the data plane; its show commands answer once the appliance is up.
step "show interfaces" "$(prompt)" "$BOOT_TIMEOUT"
up_s=$(since "$start")
say "appliance up (the console's first show answered) $up_s s after qemu start"
if [ "$PROVISION" = 1 ]; then
  check_forwarding
  say "provisioned configuration in force before anything was committed"
elif ip netns exec "$NS_IN" ping -c 3 -W 3 -i 0.5 10.9.0.2 > "$T/ping-first-boot.log" 2>&1; then
  say "WRONG: with no configuration (fail-closed) a ping crossed the box"; ok=0
else
  say "fail-closed: with no configuration nothing crosses the box (ping 10.9.0.1 -> 10.9.0.2 unanswered)"
fi
show_version_says "firmware $version on slot a"
if [ "$PROVISION" != 1 ]; then
  step configure "admin@$HOST# "
  while read -r statement; do
    case $statement in ''|'#'*|interface*) continue ;; esac   # the ports come from the hardware profile
    step "set $statement" "admin@$HOST# "
  done < "$HERE/test/boot-test.conf"
  step commit "commit complete" 60
  HOST=bitw-boot-test
  expect "admin@$HOST# " 30
  step exit "$(prompt)"
  say "configuration committed on the console"
  check_forwarding
fi

# A plain reboot from the console: same password, no first-boot question, the committed configuration in force.
step reboot "type yes to confirm: "
step yes "rebooting"
t_reboot=$(date +%s)
expect "bitw: firmware $version on slot a" "$BOOT_TIMEOUT"
from=$CON_MARK
login
con_text "$from" | grep -a -q "First boot" && fail "the users were lost in a reboot"
say "reboot: slot a up again after $(( $(date +%s) - t_reboot )) s; same password, no first-boot question"
check_forwarding

if [ "$UPDATE" = 1 ]; then
  upgrade() {  # upgrade BUNDLE: the console's upgrade, then its reboot
    local t0 from=$CON_MARK
    t0=$(date +%s)
    step "upgrade /media/update/$1" "type yes to confirm: "
    step yes "installed; the next reboot|upgrade refused" 900
    con_text "$from" | grep -a -q "upgrade refused" && fail "upgrade $1 refused: $(con_text "$from")"
    expect "$(prompt)" 30
    say "upgrade $1: rauc installed it into the inactive slot in $(( $(date +%s) - t0 )) s"
    step reboot "type yes to confirm: "
    step yes "rebooting"
  }
  # 1. A broken firmware: three failed trial boots of B, then A again with everything as it was.
  upgrade broken.raucb
  t_fallback=$(date +%s)
  for i in 1 2 3; do
    expect "firmware broken-test on slot b" "$BOOT_TIMEOUT"
    expect "health check FAILED" 300
    say "fallback: trial boot $i of slot b failed its health check"
  done
  expect "bitw: firmware $version on slot a" "$BOOT_TIMEOUT"
  from=$CON_MARK
  login
  con_text "$from" | grep -a -q "First boot" && fail "the users were lost in the fallback"
  say "fallback: slot a up again $(( $(date +%s) - t_fallback )) s after the reboot; same password, no first-boot question"
  show_version_says "firmware $version on slot a"
  check_forwarding
  # 2. The build's own bundle: B's trial boot comes up and is blessed.
  upgrade update.raucb
  t_reboot=$(date +%s)
  expect "bitw: firmware $version on slot b" "$BOOT_TIMEOUT"
  from=$CON_MARK
  login
  con_text "$from" | grep -a -q "First boot" && fail "the users were lost in the update"
  say "update: slot b up $(( $(date +%s) - t_reboot )) s after the reboot; same password, no first-boot question"
  show_version_says "firmware $version on slot b"
  check_forwarding
  from=$CON_MARK
  step "show configuration" "$(prompt)"
  con_text "$from" | grep -a -q "policy 20" || fail "the committed configuration is not shown after the update"
fi
step "show log" "$(prompt)"

# ---- boot counting, power cut ------------------------------------------------------------------------------------
# No power-button handler (no logind) and no shell: like a box losing power, qemu is stopped once the guest's
# dirty-page writeback (30 s) has put the blessed entry name (health check passed, systemd-bless-boot) on the ESP.
sleep 45
kill "$QEMU_PID"
wait "$QEMU_PID" 2> /dev/null || true
QEMU_PID=
expected="bitw-1-a.conf"
[ "$UPDATE" = 1 ] && expected="bitw-1-a.conf bitw-3-b.conf"
entries=$(MTOOLS_SKIP_CHECK=1 mdir -b -i "$T/disk.img@@1M" ::/loader/entries/ 2> /dev/null | xargs -n1 basename 2> /dev/null | LC_ALL=C sort | tr '\n' ' ')
if [ "$(echo "$entries" | xargs)" = "$expected" ]; then
  say "boot counting: every booted entry blessed after its health check: $entries"
else
  say "WRONG: boot-counted entries: $entries (expected $expected)"; ok=0
fi
con_stop
# Results in a subdirectory: the manifest signs only the build's top-level files.
install -d "$OUTDIR/boot-test"
tr -d '\r' < "$T/serial.log" > "$OUTDIR/boot-test/serial.log"
printf 'boot_to_prompt_seconds=%s\nappliance_started_seconds=%s\nappliance_up_seconds=%s\n' "$prompt_s" "$started_s" "$up_s" \
  > "$OUTDIR/boot-test/result"
[ "$ok" = 1 ] || fail "see above"
say "PASSED (serial log: $OUTDIR/boot-test/serial.log)"
