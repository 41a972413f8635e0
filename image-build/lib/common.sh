# Functions of build-image.sh (sourced): the profile, the Java runtime, the rootfs overlay, reproducible file
# systems, the ESP, the GPT disk and the RAUC bundle. Variables come from build-image.sh.
# shellcheck shell=bash
# shellcheck disable=SC2154,SC2034  # variables are shared with build-image.sh, which sets ROOT, HERE, WORK, ...

# Fixed GUIDs: every image of a board has the same partition and file-system identities, which keeps builds
# reproducible and lets loader entries and RAUC's system.conf name partitions without probing.
DISK_GUID=b17b0000-5e5f-4a1d-9c9b-000000000000
ESP_PARTUUID=b17b0001-5e5f-4a1d-9c9b-000000000001
PARTUUID_a=b17b0002-5e5f-4a1d-9c9b-000000000002
PARTUUID_b=b17b0003-5e5f-4a1d-9c9b-000000000003
CONFIG_PARTUUID=b17b0004-5e5f-4a1d-9c9b-000000000004
ROOTFS_UUID=b17b0010-5e5f-4a1d-9c9b-000000000010
CONFIG_UUID=b17b0011-5e5f-4a1d-9c9b-000000000011
ESP_VOLID=B17B0001
ESP_TYPE=C12A7328-F81F-11D2-BA4B-00A0C93EC93B
LINUX_TYPE=0FC63DAF-8483-4773-8E3D-6984DE5E1847

log() { echo "build-image: $*" >&2; }
die() { echo "build-image: ERROR: $*" >&2; exit 1; }

need_tools() {
  local missing="" t
  for t in mmdebstrap mke2fs debugfs mkfs.vfat mcopy sfdisk zstd openssl rauc mksquashfs unzip unshare python3; do
    command -v "$t" > /dev/null || missing="$missing $t"
  done
  [ -z "$missing" ] || die "missing tools:$missing (apt-get install mmdebstrap e2fsprogs dosfstools mtools fdisk zstd openssl rauc squashfs-tools unzip util-linux python3)"
  [ -x "$JDK/bin/jlink" ] || die "no JDK 25 at $JDK (set JDK=...)"
}

# The appliance's jars (appliance/target/appliance.jar + lib/*.jar); built when missing.
ensure_jars() {
  if [ ! -f "$ROOT/appliance/target/appliance.jar" ] || [ ! -d "$ROOT/appliance/target/lib" ]; then
    log "building the appliance jars (mvn package)"
    (cd "$ROOT" && JAVA_HOME=$JDK mvn -q -o -DskipTests package) || die "mvn package failed"
  fi
}

# bitw.hw.HardwareProfileTool on the build host: validates the profile and derives values from it.
profile_tool() {
  "$JDK/bin/java" -cp "$(ls "$ROOT"/appliance/target/lib/hw-profiles-*.jar)" bitw.hw.HardwareProfileTool "$@"
}

# One field of the profile (first occurrence), the rest of its line; fails if absent.
profile_field() {
  awk -v k="$1" '$1 == k { found = 1; $1 = ""; sub(/^ +/, ""); print; exit } END { exit !found }' "$PROFILE_FILE"
}

prune_rootfs() {
  "$HERE/lib/prune-rootfs.sh" "$1"
}

# jlink: java.base, java.logging, java.management, java.naming (jdeps of the appliance's code path) and
# jdk.unsupported (Netty, JNA). No java.desktop: JNA loads libpcap without it. A CDS archive makes the JVM start
# faster on small CPUs (only when the runtime's architecture is the host's).
JAVA_MODULES=java.base,java.logging,java.management,java.naming,jdk.unsupported
build_runtime() {
  local out=$1 modpath="" cds=""
  if [ "$ARCH" = amd64 ]; then
    cds=--generate-cds-archive
  else
    [ -n "${BITW_TARGET_JDK:-}" ] && [ -d "$BITW_TARGET_JDK/jmods" ] || \
      die "arm64 runtime: set BITW_TARGET_JDK to an arm64 JDK 25 with jmods (Temurin 25 ships its jmods separately); see docs/IMAGE.md"
    modpath="--module-path $BITW_TARGET_JDK/jmods"
  fi
  rm -rf "$out"
  log "jlink $JAVA_MODULES ($ARCH)"
  # shellcheck disable=SC2086
  "$JDK/bin/jlink" $modpath --add-modules "$JAVA_MODULES" --strip-debug --no-man-pages --no-header-files \
    --compress=zip-6 $cds --output "$out"
  log "runtime: $(du -sm "$out" | cut -f1) MiB"
}

# AOT cache of the appliance's start-up (JDK 25): a training run of the image's runtime and jars in a chroot of the
# rootfs (lib/aot-train.sh), then -XX:AOTCache in bitw.env. It replaces jlink's default CDS archives, which the
# appliance then never reads. Needs the host to run the target's binaries: other architectures go without.
train_aot_cache() {
  local r=$1 w=$WORK/aot
  if [ "$ARCH" != "$(dpkg --print-architecture)" ]; then
    log "AOT cache: skipped ($ARCH runtime cannot run on this host)"
    return 0
  fi
  # The cache records the jars' and the runtime's sizes and times: give them their final times first.
  normalize_tree "$r/usr/lib/bitw"
  rm -rf "$w"; install -d "$w"
  local t0; t0=$(date +%s)
  if ! unshare --mount --net --pid --fork "$HERE/lib/aot-train.sh" "$r" "$w" "$ARCH"; then
    echo "--- appliance output:" >&2; tail -n 30 "$w/training.log" >&2 || true
    echo "--- serial console:" >&2; tail -c 2000 "$w/serial.log" | tr -d '\r' >&2 || true
    die "AOT training run failed"
  fi
  rm -f "$r"/usr/lib/bitw/runtime/lib/server/classes*.jsa
  sed -i 's|^BITW_JVM_OPTIONS="|BITW_JVM_OPTIONS="-XX:AOTCache=/usr/lib/bitw/bitw.aot |' "$r/usr/lib/bitw/bitw.env"
  log "AOT cache: $(( $(stat -c %s "$r/usr/lib/bitw/bitw.aot") / 1048576 )) MiB from a training run of $(( $(date +%s) - t0 )) s"
  rm -rf "$w"
}

# The static overlay (image-build/rootfs), the generated files, and the unit wiring: the appliance and its health
# check enabled, every getty masked (the serial console belongs to the console CLI alone), a read-only root.
install_overlay() {
  local r=$1 classpath
  # Not cp -a: the work tree's file times depend on the checkout; new times are clamped by normalize_tree.
  cp -R --preserve=mode "$HERE/rootfs/." "$r/"
  install -d "$r/efi" "$r/var/lib/bitw" "$r/etc/rauc" "$r/media/update"
  cp "$PROFILE_FILE" "$r/usr/lib/bitw/hw-profile"
  # An explicit class path (the AOT cache records it; a wildcard's order would be the file system's).
  classpath=$(cd "$r/usr/lib/bitw/lib" && find . -name '*.jar' -printf '%P\n' | LC_ALL=C sort \
    | awk '{ printf "%s/usr/lib/bitw/lib/%s", (NR > 1 ? ":" : ""), $0 }')
  printf '%s\n' "$CMDLINE" > "$r/usr/lib/bitw/cmdline"
  printf 'PARTUUID_a=%s\nPARTUUID_b=%s\n' "$PARTUUID_a" "$PARTUUID_b" > "$r/usr/lib/bitw/slots.env"
  cat > "$r/usr/lib/bitw/bitw.env" <<EOF
# Generated by image-build/build-image.sh from hardware profile $PROFILE (HardwareProfile.jvmOptions()).
BITW_PROFILE=$PROFILE
BITW_FIRST_BOOT_POLICY=$FIRST_BOOT
BITW_CONSOLE=$SERIAL
BITW_CONSOLE_SPEED=$SPEED
BITW_CLASSPATH=$classpath
BITW_JVM_OPTIONS="$JVM_OPTIONS --enable-native-access=ALL-UNNAMED --add-opens=java.base/com.sun.crypto.provider=ALL-UNNAMED --add-exports=java.base/sun.security.util.math=ALL-UNNAMED -XX:PerMethodTrapLimit=0 -XX:PerBytecodeTrapLimit=0 -Djna.nounpack=true -Djna.nosys=true -Djna.boot.library.path=/usr/lib/bitw/native"
EOF
  # udev names the profile's ports inside/outside while it probes them (systemd .link files, ahead of
  # 99-default.link): no process spawns at start-up. A bus-path selector matches udev's ID_PATH exactly or as its
  # tail at a '-' (HardwareProfile's rule); a kernel-name selector is left to the appliance (Main --hw-profile),
  # which also checks the result and refuses a missing, ambiguous or doubly matched NIC on the console.
  install -d "$r/etc/systemd/network"
  local role selector
  for role in inside outside; do
    selector=$(profile_field "$role-nic")
    rm -f "$r/etc/systemd/network/10-bitw-$role.link"
    case $selector in
      pci-*|platform-*)
        printf '# Generated from hardware profile %s: the %s port.\n[Match]\nPath=%s *-%s\n\n[Link]\nName=%s\n' \
          "$PROFILE" "$role" "$selector" "$selector" "$role" > "$r/etc/systemd/network/10-bitw-$role.link" ;;
    esac
  done
  # The console needs its serial device; a USB adapter (ttyUSB0) may appear late.
  install -d "$r/etc/systemd/system/bitw.service.d"
  printf '# Generated from hardware profile %s: the serial console device.\n[Unit]\nWants=dev-%s.device\nAfter=dev-%s.device\n' \
    "$PROFILE" "$SERIAL" "$SERIAL" > "$r/etc/systemd/system/bitw.service.d/console.conf"
  printf '%s\n' "$VERSION" > "$r/usr/lib/bitw/version"
  cat > "$r/etc/fstab" <<EOF
# bitw image: read-only root (slot A or B), the ESP for systemd-boot and boot counting, the config partition.
PARTUUID=$ESP_PARTUUID  /efi           vfat   umask=0077,noexec,nosuid,nodev  0 0
PARTUUID=$CONFIG_PARTUUID  /var/lib/bitw  ext4   nosuid,nodev,noexec,data=journal  0 2
tmpfs  /tmp      tmpfs  nosuid,nodev,mode=1777,size=64M  0 0
tmpfs  /var/tmp  tmpfs  nosuid,nodev,mode=1777,size=16M  0 0
# Update media (a USB stick labelled BITW-UPDATE): mounted read-only when the console's upgrade command reads it.
LABEL=BITW-UPDATE  /media/update  auto  ro,nosuid,nodev,noexec,noauto,nofail,x-systemd.automount,x-systemd.idle-timeout=60,x-systemd.device-timeout=5s  0 0
EOF
  install -d "$r/etc/systemd/system.conf.d"
  if [ -n "$WATCHDOG" ]; then
    printf '[Manager]\nWatchdogDevice=%s\nRuntimeWatchdogSec=30s\nRebootWatchdogSec=2min\n' "$WATCHDOG" \
      > "$r/etc/systemd/system.conf.d/watchdog.conf"
  else
    # The profile names no watchdog: systemd must not arm one it happens to find (its default arms any
    # /dev/watchdog0 for 10 min across every reboot).
    printf '[Manager]\nRuntimeWatchdogSec=0\nRebootWatchdogSec=0\n' > "$r/etc/systemd/system.conf.d/watchdog.conf"
  fi
  # RAUC: A/B root slots, the custom backend over systemd-boot entries, verity bundles only (verified before a
  # single byte is written), status on the config partition (the root is read-only).
  cat > "$r/etc/rauc/system.conf" <<EOF
[system]
compatible=bitw-$PROFILE
bootloader=custom
mountprefix=/run/rauc
statusfile=/var/lib/bitw/rauc.status
bundle-formats=-plain

[keyring]
path=/etc/rauc/keyring.pem

[handlers]
bootloader-custom-backend=/usr/lib/bitw/bitw-slots
post-install=/usr/lib/bitw/rauc-post-install

[slot.rootfs.0]
device=/dev/disk/by-partuuid/$PARTUUID_a
type=ext4
bootname=a

[slot.rootfs.1]
device=/dev/disk/by-partuuid/$PARTUUID_b
type=ext4
bootname=b
EOF
  cp "$RAUC_KEYRING" "$r/etc/rauc/keyring.pem"
  # Transient machine id on a read-only root (systemd mounts one over the empty file).
  : > "$r/etc/machine-id"
  # /etc and /var are up to date with /usr (same file times): no ConditionNeedsUpdate= unit runs at every boot
  # trying to write to the read-only root.
  : > "$r/etc/.updated"; : > "$r/var/.updated"
  rm -f "$r/var/lib/dbus/machine-id"
  systemctl --root="$r" set-default multi-user.target > /dev/null
  systemctl --root="$r" enable bitw.service bitw-health.service > /dev/null 2>&1
  systemctl --root="$r" mask getty@.service serial-getty@.service console-getty.service container-getty@.service \
    autovt@.service getty.target debug-shell.service systemd-random-seed.service systemd-firstboot.service \
    systemd-logind.service e2scrub_reap.service \
    apt-daily.timer apt-daily-upgrade.timer e2scrub_all.timer fstrim.timer dpkg-db-backup.timer > /dev/null 2>&1
  # No login: root stays locked (Debian's minbase default); emergency mode then refuses a shell (sulogin).
  sed -i 's/^root:[^:]*:/root:*:/' "$r/etc/shadow"
}

# Every file's time = SOURCE_DATE_EPOCH, so file-system images depend on contents only.
normalize_tree() {
  find "$1" -depth -newermt "@$SOURCE_DATE_EPOCH" -print0 | xargs -0r touch -h -d "@$SOURCE_DATE_EPOCH"
}

# make_ext4 SRCDIR IMAGE MIB LABEL UUID journal|nojournal: mke2fs -d, fixed UUID and hash seed, fake clock.
make_ext4() {
  local src=$1 img=$2 mib=$3 label=$4 uuid=$5 features=""
  [ "$6" = nojournal ] && features="-O ^has_journal"
  rm -f "$img"
  # shellcheck disable=SC2086
  E2FSPROGS_FAKE_TIME=$SOURCE_DATE_EPOCH mke2fs -q -F -t ext4 -b 4096 -m 0 -L "$label" -U "$uuid" $features \
    -E "hash_seed=$uuid,root_owner=0:0,lazy_itable_init=0,nodiscard" -d "$src" "$img" "${mib}M" \
    || die "mke2fs $label (${mib} MiB) failed: too small? contents $(du -sm "$src" | cut -f1) MiB"
  # mke2fs -d copies each inode's ctime and atime from the source tree, where no tool can set the ctime and any
  # read during the build moves the atime: pin both afterwards.
  (cd "$src" && find . -mindepth 1 -printf '%P\n') | LC_ALL=C sort \
    | awk -v t="$SOURCE_DATE_EPOCH" 'BEGIN { print "sif / ctime @" t; print "sif / atime @" t }
        { gsub(/"/, "\\\""); print "sif \"/" $0 "\" ctime @" t; print "sif \"/" $0 "\" atime @" t }' \
    > "$WORK/ctime.debugfs"
  E2FSPROGS_FAKE_TIME=$SOURCE_DATE_EPOCH debugfs -w -f "$WORK/ctime.debugfs" "$img" > /dev/null 2>&1 || die "debugfs could not pin ctimes in $img"
  rm -f "$WORK/ctime.debugfs"
}

# The ESP: systemd-boot as the removable-media loader, slot A's kernel + initramfs, one boot-counted entry.
build_esp() {
  local dir=$1 img=$2
  rm -rf "$dir"; install -d "$dir/EFI/BOOT" "$dir/EFI/systemd" "$dir/EFI/bitw/a" "$dir/EFI/bitw/b" "$dir/loader/entries"
  cp "$ROOTFS/usr/lib/systemd/boot/efi/$SDBOOT" "$dir/EFI/BOOT/$EFI_NAME"
  cp "$ROOTFS/usr/lib/systemd/boot/efi/$SDBOOT" "$dir/EFI/systemd/$SDBOOT"
  cp "$ROOTFS/boot/vmlinuz-$KVER" "$dir/EFI/bitw/a/vmlinuz"
  cp "$ROOTFS/boot/initrd.img-$KVER" "$dir/EFI/bitw/a/initrd.img"
  # editor no: editing the kernel command line at the boot menu would be a login path (init=/bin/sh).
  printf 'timeout 0\neditor no\nauto-entries no\nauto-firmware no\nconsole-mode keep\n' > "$dir/loader/loader.conf"
  BITW_ESP=$dir BITW_LIB=$ROOTFS/usr/lib/bitw "$ROOTFS/usr/lib/bitw/bitw-slots" entry a 1 3 > /dev/null
  normalize_tree "$dir"
  rm -f "$img"
  mkfs.vfat -C -F 32 -n BITW-ESP -i "$ESP_VOLID" --invariant "$img" $((ESP_MIB * 1024)) > /dev/null
  # Sorted, one by one, so the FAT directory order is the same on every build.
  local f rel
  (cd "$dir" && find . -mindepth 1 -type d | LC_ALL=C sort) | while read -r rel; do
    MTOOLS_SKIP_CHECK=1 mmd -i "$img" "::/${rel#./}"
  done
  (cd "$dir" && find . -type f | LC_ALL=C sort) | while read -r rel; do
    f=${rel#./}
    MTOOLS_SKIP_CHECK=1 mcopy -m -i "$img" "$dir/$f" "::/$f"
  done
}

# GPT: 1 MiB | ESP | root A | root B | config | 1 MiB backup GPT. Root B starts empty; RAUC fills it.
assemble_disk() {
  local raw=$1 s_esp=1 s_a s_b s_cfg total
  s_a=$((s_esp + ESP_MIB)); s_b=$((s_a + ROOT_MIB)); s_cfg=$((s_b + ROOT_MIB)); total=$((s_cfg + CONFIG_MIB + 1))
  rm -f "$raw"
  truncate -s "${total}M" "$raw"
  sfdisk -q --no-reread --no-tell-kernel "$raw" <<EOF
label: gpt
label-id: $DISK_GUID
unit: sectors
first-lba: 2048
start=$((s_esp * 2048)), size=$((ESP_MIB * 2048)), type=$ESP_TYPE, uuid=$ESP_PARTUUID, name="esp"
start=$((s_a * 2048)), size=$((ROOT_MIB * 2048)), type=$LINUX_TYPE, uuid=$PARTUUID_a, name="root-a"
start=$((s_b * 2048)), size=$((ROOT_MIB * 2048)), type=$LINUX_TYPE, uuid=$PARTUUID_b, name="root-b"
start=$((s_cfg * 2048)), size=$((CONFIG_MIB * 2048)), type=$LINUX_TYPE, uuid=$CONFIG_PARTUUID, name="bitw-config"
EOF
  dd if="$WORK/esp.vfat" of="$raw" bs=1M seek=$s_esp conv=notrunc,sparse status=none
  dd if="$WORK/rootfs.ext4" of="$raw" bs=1M seek="$s_a" conv=notrunc,sparse status=none
  dd if="$WORK/config.ext4" of="$raw" bs=1M seek="$s_cfg" conv=notrunc,sparse status=none
  touch -d "@$SOURCE_DATE_EPOCH" "$raw"
}

# Test signing material when the vendor gives none: a self-signed EC certificate for RAUC (the image trusts it as
# its keyring). Production builds pass BITW_RAUC_CERT/KEY/KEYRING from the vendor's CA.
ensure_rauc_keys() {
  if [ -n "${BITW_RAUC_CERT:-}" ]; then
    RAUC_CERT=$BITW_RAUC_CERT; RAUC_KEY=${BITW_RAUC_KEY:?BITW_RAUC_KEY}; RAUC_KEYRING=${BITW_RAUC_KEYRING:-$BITW_RAUC_CERT}
    return
  fi
  RAUC_CERT=$OUTDIR/test-rauc.cert.pem; RAUC_KEY=$OUTDIR/test-rauc.key.pem; RAUC_KEYRING=$RAUC_CERT
  if [ ! -f "$RAUC_CERT" ]; then
    log "no BITW_RAUC_CERT: generating a TEST update-signing certificate ($RAUC_CERT)"
    openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 3650 \
      -subj "/O=bitw test vendor/CN=bitw test update signing" -keyout "$RAUC_KEY" -out "$RAUC_CERT" 2> /dev/null
  fi
}

# RAUC bundle (verity format) of the root file system: what `rauc install` on the box writes into the inactive slot.
make_rauc_bundle() {
  local rootfs=$1 out=$2 dir=$WORK/bundle
  rm -rf "$dir" "$out"; install -d "$dir"
  cp "$rootfs" "$dir/rootfs.ext4"
  cat > "$dir/manifest.raucm" <<EOF
[update]
compatible=bitw-$PROFILE
version=$VERSION
description=bitw firmware $VERSION for $PROFILE

[bundle]
format=verity

[image.rootfs]
filename=rootfs.ext4
EOF
  normalize_tree "$dir"
  rauc bundle --cert="$RAUC_CERT" --key="$RAUC_KEY" "$dir" "$out" > /dev/null
  rauc info --keyring="$RAUC_KEYRING" "$out" > /dev/null || die "the new bundle does not verify"
  rm -rf "$dir"
  log "RAUC bundle: $out ($(( $(stat -c %s "$out") / 1048576 )) MiB)"
}
