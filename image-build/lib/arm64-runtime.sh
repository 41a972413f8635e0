# The arm64 Java runtime (sourced by build-image.sh for an arm64 profile, and by arm64-runtime-check.sh): Debian's
# own OpenJDK 25 for arm64 (trixie, the oldest Debian release with JDK 25 jmods), cross-linked with the host's jlink,
# with trixie's glibc shipped privately inside the runtime, because trixie's libjvm/libjava/libjli/libnet need
# GLIBC_2.38 and the image is Debian 12 (glibc 2.36). Only the runtime's own executables are pointed at that glibc
# (patchelf: program interpreter + DT_RPATH); every other program on the image, and every process the appliance
# starts (ip, ping, rauc), keeps Debian 12's loader and libc. See docs/IMAGE.md, "ARM64".
# shellcheck shell=bash
# shellcheck disable=SC2154,SC2034  # variables are shared with build-image.sh (ROOT, HERE, WORK, JDK, MIRROR, ...)

# Exact versions from Debian trixie (apt verifies each .deb against the Release file signed by Debian's archive
# key). When a point release or security update replaces one, the build refuses and names what is there now;
# BITW_SNAPSHOT (snapshot.debian.org) keeps old versions reachable.
ARM64_JDK_PACKAGE=openjdk-25-jdk-headless
ARM64_JDK_VERSION=${BITW_ARM64_JDK_VERSION:-25.0.5.1+2-1~deb13u1}
ARM64_LIBC_VERSION=${BITW_ARM64_LIBC_VERSION:-2.41-12+deb13u5}
# Where the runtime lives on the image: the private loader's path is absolute (PT_INTERP cannot be relative).
ARM64_RUNTIME_PREFIX=/usr/lib/bitw/runtime
# The private glibc: loader, libc and the libraries a dlopen() could pull in by soname (they must all come from
# the same glibc build as the loader). Not the debugging/profiling ones.
ARM64_GLIBC_LIBS="ld-linux-aarch64.so.1 libc.so.6 libm.so.6 libmvec.so.1 libdl.so.2 libpthread.so.0 librt.so.1
  libresolv.so.2 libanl.so.1 libutil.so.1 libnsl.so.1 libnss_files.so.2 libnss_dns.so.2 libnss_compat.so.2
  libnss_hesiod.so.2 libBrokenLocale.so.1"
# The runtime's executables: each gets the private loader and the private glibc directory in its DT_RPATH. The
# executable's DT_RPATH is searched for the dependencies of every library loaded into the process that has no
# DT_RUNPATH (all of the JDK's libraries, JNA, libpcap), so glibc's sonames resolve to the private copies.
ARM64_EXECUTABLES="bin/java:\$ORIGIN:\$ORIGIN/../lib:\$ORIGIN/../lib/glibc bin/keytool:\$ORIGIN:\$ORIGIN/../lib:\$ORIGIN/../lib/glibc
  lib/jspawnhelper:\$ORIGIN/glibc lib/jexec:\$ORIGIN/glibc"

arm64_log() { if declare -F log > /dev/null; then log "$@"; else echo "arm64-runtime: $*" >&2; fi; }
arm64_die() { if declare -F die > /dev/null; then die "$@"; else echo "arm64-runtime: ERROR: $*" >&2; exit 1; fi; }

# qemu-user through binfmt_misc: mmdebstrap runs the arm64 maintainer scripts with it, and the build and the check
# run the arm64 JVM with it. Without systemd (build containers) binfmt_misc is not mounted and the format is
# registered but disabled: mount and enable it (qemu-user-static registers it with the F flag, so it works in a
# chroot that has no qemu of its own).
arm64_binfmt() {
  command -v update-binfmts > /dev/null && [ -e /usr/libexec/qemu-binfmt/aarch64-binfmt-P ] \
    || arm64_die "arm64 needs qemu-user-static and binfmt-support (apt-get install qemu-user-static binfmt-support)"
  [ -e /proc/sys/fs/binfmt_misc/register ] || mount -t binfmt_misc binfmt_misc /proc/sys/fs/binfmt_misc \
    || arm64_die "cannot mount binfmt_misc"
  grep -qx enabled /proc/sys/fs/binfmt_misc/qemu-aarch64 2> /dev/null || update-binfmts --enable qemu-aarch64 \
    || arm64_die "cannot enable the qemu-aarch64 binfmt"
  grep -q '^flags: .*F' /proc/sys/fs/binfmt_misc/qemu-aarch64 || arm64_die "qemu-aarch64 binfmt lacks the F flag"
}

# arm64_fetch DIR: download the pinned trixie packages into DIR/debs with apt-get and a private apt state (the
# host's apt configuration and package lists are not touched), then unpack them into DIR/jdk and DIR/glibc.
arm64_fetch() {
  local dir=$1 mirror=${MIRROR:-http://deb.debian.org/debian} sec=${SECURITY_MIRROR:-http://deb.debian.org/debian-security}
  local keyring=/usr/share/keyrings/debian-archive-keyring.gpg apt=$dir/apt
  [ -f "$keyring" ] || arm64_die "no $keyring (apt-get install debian-archive-keyring)"
  rm -rf "$apt" "$dir/debs" "$dir/jdk" "$dir/glibc"
  install -d "$apt/lists/partial" "$apt/cache/archives/partial" "$apt/state" "$dir/debs"
  : > "$apt/state/status"
  cat > "$apt/sources.list" <<EOF
deb [arch=arm64 signed-by=$keyring] $mirror trixie main
deb [arch=arm64 signed-by=$keyring] $mirror trixie-updates main
deb [arch=arm64 signed-by=$keyring] $sec trixie-security main
EOF
  local -a opts=(-q -o "Dir::Etc::SourceList=$apt/sources.list" -o Dir::Etc::SourceParts=/dev/null
    -o "Dir::State=$apt/state" -o "Dir::State::Lists=$apt/lists" -o "Dir::State::status=$apt/state/status"
    -o "Dir::Cache=$apt/cache" -o Dir::Etc::Preferences=/dev/null -o Dir::Etc::PreferencesParts=/dev/null
    -o APT::Architecture=arm64 -o APT::Architectures::=arm64 -o 'Acquire::Retries=3'
    -o 'Acquire::Check-Valid-Until=false' -o APT::Sandbox::User=root)
  arm64_log "apt: trixie (arm64) package lists"
  apt-get "${opts[@]}" update > "$apt/update.log" 2>&1 || { cat "$apt/update.log" >&2; arm64_die "apt-get update (trixie, arm64) failed"; }
  local want p v
  for want in "$ARM64_JDK_PACKAGE=$ARM64_JDK_VERSION" "libc6=$ARM64_LIBC_VERSION"; do
    p=${want%%=*}; v=${want#*=}
    apt-cache "${opts[@]}" show "$p:arm64=$v" > /dev/null 2>&1 || arm64_die "$p $v (arm64) is no longer in trixie; \
available: $(apt-cache "${opts[@]}" madison "$p:arm64" | awk -F'|' '{gsub(/ /, "", $2); printf "%s ", $2}')\
— set BITW_ARM64_JDK_VERSION / BITW_ARM64_LIBC_VERSION, or BITW_SNAPSHOT"
  done
  arm64_log "apt: download $ARM64_JDK_PACKAGE $ARM64_JDK_VERSION, libc6 $ARM64_LIBC_VERSION (arm64)"
  (cd "$dir/debs" && apt-get "${opts[@]}" download "$ARM64_JDK_PACKAGE:arm64=$ARM64_JDK_VERSION" "libc6:arm64=$ARM64_LIBC_VERSION") \
    > "$apt/download.log" 2>&1 || { cat "$apt/download.log" >&2; arm64_die "apt-get download failed"; }
  (cd "$dir/debs" && sha256sum ./*.deb) > "$dir/debs.sha256"
  dpkg-deb -x "$dir"/debs/"${ARM64_JDK_PACKAGE}"_*_arm64.deb "$dir/jdk"
  dpkg-deb -x "$dir"/debs/libc6_*_arm64.deb "$dir/glibc"
  ARM64_JMODS=$(ls -d "$dir"/jdk/usr/lib/jvm/java-25-openjdk-arm64/jmods)
  [ -f "$ARM64_JMODS/java.base.jmod" ] || arm64_die "no jmods in $ARM64_JDK_PACKAGE"
}

# arm64_link OUT: jlink the appliance's modules from the fetched jmods into OUT (the runtime's files, to be placed
# at ARM64_RUNTIME_PREFIX), add the private glibc and patch the executables.
arm64_link() {
  local out=$1 gl=$2 f exe rpath interp=$ARM64_RUNTIME_PREFIX/lib/glibc/ld-linux-aarch64.so.1
  rm -rf "$out"
  arm64_log "jlink $JAVA_MODULES (arm64, from Debian's jmods)"
  # --strip-java-debug-attributes, not --strip-debug: that also runs the host's objcopy over the arm64 libraries
  # (it cannot read them; Debian's are stripped already).
  "$JDK/bin/jlink" --module-path "$ARM64_JMODS" --add-modules "$JAVA_MODULES" --strip-java-debug-attributes \
    --no-man-pages --no-header-files --compress=zip-6 --output "$out" || arm64_die "jlink (arm64) failed"
  install -d "$out/lib/glibc" "$out/legal/glibc"
  for f in $ARM64_GLIBC_LIBS; do
    cp -L "$gl/usr/lib/aarch64-linux-gnu/$f" "$out/lib/glibc/$f"
  done
  cp "$gl/usr/share/doc/libc6/copyright" "$out/legal/glibc/copyright"
  printf 'glibc %s (Debian trixie libc6), the private C library of this runtime only; source: Debian source package glibc %s\n' \
    "$ARM64_LIBC_VERSION" "$ARM64_LIBC_VERSION" > "$out/legal/glibc/README"
  for exe in $ARM64_EXECUTABLES; do
    f=${exe%%:*}; rpath=${exe#*:}
    [ -f "$out/$f" ] || continue
    patchelf --set-interpreter "$interp" --force-rpath --set-rpath "$rpath" "$out/$f" || arm64_die "patchelf $f failed"
    [ "$(patchelf --print-interpreter "$out/$f")" = "$interp" ] || arm64_die "$f: interpreter not set"
    # patchelf 0.14 leaves PT_GNU_PROPERTY behind when it moves the note (the kernel would refuse the file).
    python3 "$HERE/lib/elf-gnu-property.py" "$out/$f" > /dev/null || arm64_die "$f: PT_GNU_PROPERTY could not be fixed"
  done
  arm64_check_glibc "$out"
}

# Every ELF file of the runtime must be satisfied by the private glibc: no GLIBC_x.y newer than it provides.
arm64_check_glibc() {
  local out=$1 have need
  have=$(readelf -V -W "$out/lib/glibc/libc.so.6" | grep -oE 'Name: GLIBC_[0-9.]+' | sed 's/Name: GLIBC_//' | sort -V | tail -1)
  need=$(find "$out" -type f \( -name '*.so' -o -path '*/bin/*' -o -name jspawnhelper -o -name jexec \) -print0 \
    | xargs -0 readelf -V -W 2> /dev/null | grep -oE 'Name: GLIBC_[0-9.]+' | sed 's/Name: GLIBC_//' | sort -V | tail -1)
  [ "$(printf '%s\n%s\n' "$need" "$have" | sort -V | tail -1)" = "$have" ] \
    || arm64_die "the runtime needs GLIBC_$need, the private glibc has only GLIBC_$have"
  arm64_log "runtime needs GLIBC_$need; private glibc provides up to GLIBC_$have"
}

# arm64_chroot ROOT CMD...: run an arm64 program inside ROOT under qemu-user, with /proc and /dev, in a private
# mount and PID namespace (nothing to unmount afterwards, nothing left running).
arm64_chroot() {
  local r=$1; shift
  unshare --mount --pid --fork --propagation private --mount-proc="$r/proc" -- \
    sh -c 'r=$1; shift; mount --rbind /dev "$r/dev" && exec chroot "$r" "$@"' sh "$r" "$@"
}

# arm64_install_runtime ROOTFS: the runtime in ROOTFS/usr/lib/bitw/runtime, then its CDS archive, dumped by the
# arm64 JVM itself under qemu-user inside ROOTFS (jlink's --generate-cds-archive works only for the host's own
# architecture). The archive only speeds up start-up: a JVM that finds it unusable ignores it.
arm64_install_runtime() {
  local r=$1 f
  for f in libstdc++.so.6 libgcc_s.so.1 libz.so.1; do
    [ -e "$r/usr/lib/aarch64-linux-gnu/$f" ] || [ -e "$r/lib/aarch64-linux-gnu/$f" ] \
      || arm64_die "the arm64 root lacks $f (the JDK's libraries need Debian 12's libstdc++6, libgcc-s1, zlib1g)"
  done
  arm64_link "$r$ARM64_RUNTIME_PREFIX" "$ARM64_WORK/glibc"
  arm64_log "CDS archive (arm64 JVM under qemu-user)"
  arm64_chroot "$r" "$ARM64_RUNTIME_PREFIX/bin/java" -Xshare:dump -XX:-UsePerfData > "$ARM64_WORK/cds.log" 2>&1 \
    || { cat "$ARM64_WORK/cds.log" >&2; arm64_die "CDS dump failed"; }
  arm64_log "runtime: $(du -sm "$r$ARM64_RUNTIME_PREFIX" | cut -f1) MiB (private glibc $(du -sm "$r$ARM64_RUNTIME_PREFIX/lib/glibc" | cut -f1) MiB)"
}

# The hook of build-image.sh: checks and downloads before the long rootfs build; build_runtime (lib/common.sh)
# is replaced for this architecture.
arm64_prepare() {
  command -v patchelf > /dev/null && command -v readelf > /dev/null && command -v python3 > /dev/null \
    || arm64_die "arm64 needs patchelf, binutils and python3 (apt-get install patchelf binutils python3)"
  arm64_binfmt
  ARM64_WORK=$WORK/arm64-runtime
  install -d "$ARM64_WORK"
  arm64_fetch "$ARM64_WORK"
}

build_runtime() {
  [ "$1" = "$ROOTFS$ARM64_RUNTIME_PREFIX" ] || arm64_die "the arm64 runtime must go to $ARM64_RUNTIME_PREFIX (its loader path is absolute)"
  arm64_install_runtime "$ROOTFS"
  rm -rf "$ARM64_WORK/jdk" "$ARM64_WORK/glibc"
}
