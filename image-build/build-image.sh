#!/usr/bin/env bash
# Builds the flashable bitw firmware image for one board profile (hw-profiles/.../profiles/PROFILE): a GPT disk
# with an ESP (systemd-boot, boot-counted entries), root slots A and B, and the persistent config partition; then
# compresses it, writes SHA256SUMS and its Ed25519 signature, and a RAUC update bundle of the same root.
# No loop devices, no mounts (see docs/IMAGE.md and /work/shared/LAB.md): mmdebstrap into a directory,
# mke2fs -d, mkfs.vfat + mtools, sfdisk on the image file, dd conv=notrunc.
#
#   image-build/build-image.sh PROFILE OUTDIR          (as root; Debian 12 host)
#
# Environment (all optional):
#   BITW_ZSTD_LEVEL     zstd level of the compressed image (default 3; releases use 19)
#   BITW_VENDOR_KEY     Ed25519 private key (PEM) signing SHA256SUMS; default: a test key generated in OUTDIR
#   BITW_RAUC_CERT/KEY  X.509 certificate + key signing the RAUC bundle; default: a test CA generated in OUTDIR
#   BITW_RAUC_KEYRING   CA certificate the image trusts for updates (default: BITW_RAUC_CERT)
#   BITW_CONFIG         initial bitw.conf placed on the config partition (default: none -> first-boot policy)
#   BITW_MIRROR         Debian mirror (default http://deb.debian.org/debian); BITW_SECURITY_MIRROR likewise
#   BITW_SNAPSHOT       snapshot.debian.org timestamp (e.g. 20250520T000000Z): pins every package version
#   SOURCE_DATE_EPOCH   timestamps of every file (default: the last git commit's time)
#   BITW_ROOT_MIB       size of each root slot (default 640), BITW_ESP_MIB (128), BITW_CONFIG_MIB (64)
#   BITW_WORK           scratch directory (default OUTDIR/work; removed on success unless BITW_KEEP_WORK=1)
#   BITW_REUSE_ROOTFS=1 keep OUTDIR/work/rootfs from an earlier build (development only)
#   BITW_ARM64_JDK_VERSION / BITW_ARM64_LIBC_VERSION   arm64 only: the pinned Debian trixie versions (lib/arm64-runtime.sh)
# shellcheck disable=SC2034  # variables are read by the functions in lib/common.sh
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/.." && pwd)
# shellcheck source=image-build/lib/common.sh
. "$HERE/lib/common.sh"

[ $# -eq 2 ] || { echo "usage: $0 PROFILE OUTDIR" >&2; exit 2; }
PROFILE=$1
mkdir -p "$2"
OUTDIR=$(cd "$2" && pwd)
[ "$(id -u)" -eq 0 ] || die "must run as root (mmdebstrap --mode=root, device nodes in the rootfs)"

PROFILE_FILE=$ROOT/hw-profiles/src/main/resources/bitw/hw/profiles/$PROFILE
[ -f "$PROFILE_FILE" ] || die "no such profile: $PROFILE (have: $(ls "$(dirname "$PROFILE_FILE")" | tr '\n' ' '))"

JDK=${JDK:-/usr/lib/jvm/temurin-25-jdk-amd64}
export SOURCE_DATE_EPOCH=${SOURCE_DATE_EPOCH:-$(git -C "$ROOT" log -1 --format=%ct 2>/dev/null || date +%s)}
ZSTD_LEVEL=${BITW_ZSTD_LEVEL:-3}
ROOT_MIB=${BITW_ROOT_MIB:-640}
ESP_MIB=${BITW_ESP_MIB:-128}
CONFIG_MIB=${BITW_CONFIG_MIB:-64}
WORK=${BITW_WORK:-$OUTDIR/work}
MIRROR=${BITW_MIRROR:-http://deb.debian.org/debian}
SECURITY_MIRROR=${BITW_SECURITY_MIRROR:-http://deb.debian.org/debian-security}
if [ -n "${BITW_SNAPSHOT:-}" ]; then
  MIRROR=http://snapshot.debian.org/archive/debian/$BITW_SNAPSHOT
  SECURITY_MIRROR=http://snapshot.debian.org/archive/debian-security/$BITW_SNAPSHOT
fi

# The profile is validated by the same Java code the appliance uses (HardwareProfiles.parse) before anything is
# built; the fields the build needs are then read line-wise.
need_tools
ensure_jars
ensure_rauc_keys
JVM_OPTIONS=$(profile_tool jvm-options "$PROFILE_FILE") || die "profile $PROFILE is invalid"
ARCH=$(profile_field architecture)
SERIAL=$(profile_field serial-console)
SPEED=$(profile_field serial-speed)
CMDLINE=$(profile_field kernel-cmdline)
WATCHDOG=$(profile_field watchdog || true)
FIRST_BOOT=$(profile_field first-boot-policy || echo fail-closed)
case $ARCH in
  amd64) EFI_NAME=BOOTX64.EFI; SDBOOT=systemd-bootx64.efi; KERNEL_PKG=linux-image-amd64 ;;
  arm64) EFI_NAME=BOOTAA64.EFI; SDBOOT=systemd-bootaa64.efi; KERNEL_PKG=linux-image-arm64 ;;
  *) die "architecture $ARCH not supported" ;;
esac

VERSION=$(git -C "$ROOT" describe --always --dirty 2>/dev/null || echo unknown)
log "profile $PROFILE ($ARCH), version $VERSION, SOURCE_DATE_EPOCH=$SOURCE_DATE_EPOCH, zstd -$ZSTD_LEVEL"
ROOTFS=$WORK/rootfs
if [ "${BITW_REUSE_ROOTFS:-0}" = 1 ] && [ -d "$ROOTFS/usr/lib/systemd" ]; then
  log "BITW_REUSE_ROOTFS=1: reusing $ROOTFS (development only; release builds start from scratch)"
else
  rm -rf "$WORK"
fi
mkdir -p "$WORK"
ESPDIR=$WORK/esp

# ---- arm64 hook (lib/arm64-runtime.sh) ---------------------------------------------------------------------------
# Checks qemu-user/binfmt and fetches Debian's arm64 JDK 25 + private glibc before the long rootfs build; replaces
# build_runtime for this architecture.
ARCH_MMDEBSTRAP_OPTS=()
if [ "$ARCH" = arm64 ]; then
  # shellcheck source=image-build/lib/arm64-runtime.sh
  . "$HERE/lib/arm64-runtime.sh"
  arm64_prepare
  # The arm64 boards' storage drivers join the initramfs module list (after the hook that installs the list).
  ARCH_MMDEBSTRAP_OPTS=(--essential-hook="cat '$HERE/lib/initramfs-modules.arm64' >> \"\$1/etc/initramfs-tools/modules\"")
fi
# ---- end of arm64 hook --------------------------------------------------------------------------------------------

# ---- 1. Debian rootfs ----------------------------------------------------------------------------------------
# minbase + exactly what the appliance needs. Recommends are off (mmdebstrap's default), so the kernel comes
# without firmware blobs and initramfs-tools must be named. MODULES=list keeps the initramfs to the storage
# drivers the supported boards boot from (see lib/initramfs-modules). mmdebstrap's merged-usr hooks set up merged
# /usr with usr-is-merged, so apt never picks usrmerge (which pulls in perl); iputils serve the console's ping and
# traceroute.
log "mmdebstrap bookworm ($ARCH) into $ROOTFS"
PACKAGES="$KERNEL_PKG,systemd,systemd-sysv,systemd-boot,systemd-boot-efi,udev,kmod,initramfs-tools,zstd,libpcap0.8,iproute2,ethtool,rauc,rauc-service,e2fsprogs,util-linux,iputils-ping,iputils-tracepath"
t0=$(date +%s)
[ -d "$ROOTFS/usr/lib/systemd" ] || mmdebstrap --mode=root --variant=minbase --architectures="$ARCH" --include="$PACKAGES" \
  --aptopt='Acquire::Check-Valid-Until "false"' --aptopt='Acquire::Retries "3"' \
  --dpkgopt='path-exclude=*.mo' --hook-dir=/usr/share/mmdebstrap/hooks/merged-usr \
  --essential-hook="mkdir -p \"\$1/etc/initramfs-tools/conf.d\" && cp '$HERE/lib/initramfs.conf' \"\$1/etc/initramfs-tools/conf.d/bitw.conf\" && cp '$HERE/lib/initramfs-modules' \"\$1/etc/initramfs-tools/modules\"" \
  "${ARCH_MMDEBSTRAP_OPTS[@]}" \
  bookworm "$ROOTFS" \
  "deb $MIRROR bookworm main" "deb $MIRROR bookworm-updates main" "deb $SECURITY_MIRROR bookworm-security main"
log "rootfs built in $(( $(date +%s) - t0 )) s ($(du -sm "$ROOTFS" | cut -f1) MiB before pruning)"

KVER=$(basename "$(ls -d "$ROOTFS"/lib/modules/*)")
prune_rootfs "$ROOTFS" "$KVER"

# ---- 2. Java runtime and the appliance ---------------------------------------------------------------------
# jlink: the modules jdeps reports for the appliance's own code path (JNA without java.desktop, see LAB.md).
install -d "$ROOTFS/usr/lib/bitw/lib" "$ROOTFS/usr/lib/bitw/native"
build_runtime "$ROOTFS/usr/lib/bitw/runtime"
cp "$ROOT/appliance/target/appliance.jar" "$ROOTFS/usr/lib/bitw/lib/"
cp "$ROOT"/appliance/target/lib/*.jar "$ROOTFS/usr/lib/bitw/lib/"
# With a read-only root JNA cannot unpack its native library; ship it (target architecture) and forbid unpacking.
case $ARCH in amd64) JNA_DIR=linux-x86-64 ;; arm64) JNA_DIR=linux-aarch64 ;; esac
unzip -q -j -o "$ROOT"/appliance/target/lib/jna-*.jar "com/sun/jna/$JNA_DIR/libjnidispatch.so" -d "$ROOTFS/usr/lib/bitw/native"

install_overlay "$ROOTFS"
train_aot_cache "$ROOTFS"
log "rootfs after pruning and the appliance: $(du -sm "$ROOTFS" | cut -f1) MiB"

# ---- 3. file systems -------------------------------------------------------------------------------------------
normalize_tree "$ROOTFS"
make_ext4 "$ROOTFS" "$WORK/rootfs.ext4" "$ROOT_MIB" bitw-root "$ROOTFS_UUID" nojournal

install -d "$WORK/config"
if [ -n "${BITW_CONFIG:-}" ]; then
  install -m 0600 "$BITW_CONFIG" "$WORK/config/bitw.conf"
  log "config partition: $BITW_CONFIG"
else
  log "config partition: empty (first-boot policy $FIRST_BOOT)"
fi
normalize_tree "$WORK/config"
make_ext4 "$WORK/config" "$WORK/config.ext4" "$CONFIG_MIB" bitw-config "$CONFIG_UUID" journal

build_esp "$ESPDIR" "$WORK/esp.vfat"

# ---- 4. the disk -----------------------------------------------------------------------------------------------
RAW=$WORK/bitw-$PROFILE.img
assemble_disk "$RAW"

# ---- 5. output: compressed image, RAUC bundle, manifest, signature ---------------------------------------------
IMG=bitw-$PROFILE-$VERSION.img.zst
# Only this build's deliverables may end up in SHA256SUMS.
rm -f "$OUTDIR"/bitw-"$PROFILE"-*.img.zst "$OUTDIR"/bitw-"$PROFILE"-*.raucb "$OUTDIR"/SHA256SUMS "$OUTDIR"/SHA256SUMS.sig
log "zstd -$ZSTD_LEVEL"
zstd -q -T0 -"$ZSTD_LEVEL" -f "$RAW" -o "$OUTDIR/$IMG"
touch -d "@$SOURCE_DATE_EPOCH" "$OUTDIR/$IMG"
make_rauc_bundle "$WORK/rootfs.ext4" "$OUTDIR/bitw-$PROFILE-$VERSION.raucb"

"$HERE/sign-manifest.sh" "$OUTDIR" "${BITW_VENDOR_KEY:-}"
RAW_BYTES=$(stat -c %s "$RAW")
ZST_BYTES=$(stat -c %s "$OUTDIR/$IMG")
log "image: raw $((RAW_BYTES / 1048576)) MiB, compressed $((ZST_BYTES / 1048576)) MiB ($IMG)"
printf 'raw_bytes=%s\ncompressed_bytes=%s\nimage=%s\nraw=%s\n' "$RAW_BYTES" "$ZST_BYTES" "$IMG" "$RAW" > "$OUTDIR/build-info"
if [ "${BITW_KEEP_WORK:-0}" != 1 ]; then
  rm -rf "$ROOTFS" "$ESPDIR" "$WORK/config"
fi
log "done: $OUTDIR"
