#!/usr/bin/env bash
# Prepares the arm64 runtime check (image-build/src/test/.../Arm64RuntimeTest, regular test run): the arm64 Java
# runtime exactly as build-image.sh makes it for an arm64 profile (lib/arm64-runtime.sh: Debian trixie's JDK 25
# jmods, host jlink, private glibc, CDS), installed with the appliance's jars into a Debian 12 arm64 root (the
# packages the runtime and the appliance use on the image: libc6, libstdc++6, zlib1g, libpcap0.8, iproute2,
# iputils-ping; unpacked by mmdebstrap, ld.so.cache built by the arm64 ldconfig under qemu-user).
#
#   image-build/arm64-runtime-check.sh WORKDIR        (as root; Debian 12 host with qemu-user-static)
#
# Then WORKDIR/root is an arm64 Debian 12 root with the runtime at /usr/lib/bitw/runtime; run programs in it with
#   . image-build/lib/arm64-runtime.sh && arm64_chroot WORKDIR/root /usr/lib/bitw/runtime/bin/java -version
# WORKDIR/ready records which scripts built the root: a second call reuses it and only copies the jars again.
# Environment: BITW_MIRROR, BITW_SECURITY_MIRROR, JDK (host JDK 25, default Temurin).
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/.." && pwd)
[ $# -eq 1 ] || { echo "usage: $0 WORKDIR" >&2; exit 2; }
mkdir -p "$1"
W=$(cd "$1" && pwd)
[ "$(id -u)" -eq 0 ] || { echo "$0: must run as root (mmdebstrap, chroot)" >&2; exit 1; }

JDK=${JDK:-/usr/lib/jvm/temurin-25-jdk-amd64}
MIRROR=${BITW_MIRROR:-http://deb.debian.org/debian}
SECURITY_MIRROR=${BITW_SECURITY_MIRROR:-http://deb.debian.org/debian-security}
# JAVA_MODULES, log, die: the same as build-image.sh's.
# shellcheck source=image-build/lib/common.sh
. "$HERE/lib/common.sh"
# shellcheck source=image-build/lib/arm64-runtime.sh
. "$HERE/lib/arm64-runtime.sh"
JARS=$ROOT/appliance/target
[ -f "$JARS/appliance.jar" ] && [ -d "$JARS/lib" ] || arm64_die "no appliance jars: run mvn package first"
for t in mmdebstrap patchelf readelf python3 unshare; do command -v "$t" > /dev/null || arm64_die "missing $t"; done
[ -x "$JDK/bin/jlink" ] || arm64_die "no JDK 25 at $JDK"
arm64_binfmt

# The appliance as on the image: jars, JNA's arm64 native part, the board's profile (copied on every call).
install_appliance() {
  rm -rf "$W/root/usr/lib/bitw/lib" "$W/root/usr/lib/bitw/native"
  install -d "$W/root/usr/lib/bitw/lib" "$W/root/usr/lib/bitw/native"
  cp "$JARS/appliance.jar" "$JARS"/lib/*.jar "$W/root/usr/lib/bitw/lib/"
  unzip -q -j -o "$JARS"/lib/jna-*.jar com/sun/jna/linux-aarch64/libjnidispatch.so -d "$W/root/usr/lib/bitw/native"
  cp "$ROOT/hw-profiles/src/main/resources/bitw/hw/profiles/arm64-2nic" "$W/root/usr/lib/bitw/hw-profile"
}

# Reuse a root made by the same scripts (the runtime does not depend on the jars).
stamp=$(cat "$0" "$HERE/lib/arm64-runtime.sh" "$HERE/lib/elf-gnu-property.py" "$HERE/lib/common.sh" | sha256sum | cut -c1-16)
if [ -f "$W/ready" ] && [ "$(cat "$W/ready")" = "$stamp" ] && [ -x "$W/root/usr/lib/bitw/runtime/bin/java" ]; then
  install_appliance
  arm64_log "reusing $W/root"
  exit 0
fi
rm -rf "$W/root" "$W/ready"
t0=$(date +%s)
arm64_log "Debian 12 arm64 root (mmdebstrap, extract)"
mmdebstrap --mode=root --variant=extract --architectures=arm64 -q \
  --include=base-files,libc6,libc-bin,libstdc++6,libgcc-s1,zlib1g,libpcap0.8,iproute2,iputils-ping,coreutils,dash \
  --aptopt='Acquire::Retries "3"' --aptopt='Acquire::Check-Valid-Until "false"' \
  bookworm "$W/root" "deb $MIRROR bookworm main" "deb $MIRROR bookworm-updates main" "deb $SECURITY_MIRROR bookworm-security main" \
  || arm64_die "mmdebstrap failed"
install -d "$W/root/proc" "$W/root/sys" "$W/root/tmp"
ln -sf dash "$W/root/bin/sh"
arm64_chroot "$W/root" /sbin/ldconfig || arm64_die "ldconfig (arm64) failed"

ARM64_WORK=$W/runtime-work
install -d "$ARM64_WORK"
arm64_fetch "$ARM64_WORK"
arm64_install_runtime "$W/root"
rm -rf "$ARM64_WORK/jdk" "$ARM64_WORK/glibc"

install_appliance
arm64_log "ready in $(( $(date +%s) - t0 )) s: $W/root"
echo "$stamp" > "$W/ready"
