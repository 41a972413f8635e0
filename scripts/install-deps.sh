#!/bin/sh
# Installs, on a fresh Debian 12 as root, every system package the bitw tests and demo need: the build (maven),
# capture and decoding (libpcap0.8, tcpdump, tshark), the namespace test lab (iproute2, ethtool, iputils-ping,
# iperf3, socat, python3-scapy and python3-cryptography for scapy's ESP), the strongSwan interop peer, gnuplot, nftables (NAT between gateways), bind9 (DNS for opportunistic encryption) and gcc + libpcap headers (the benchmark's C reference).
# The image-build tests use rauc, squashfs-tools (RAUC bundles) and shellcheck; the arm64 runtime check
# qemu-user-static, binfmt-support, mmdebstrap and patchelf; the image build and boot test the rest (see below).
# Idempotent: when every package is already installed it does not run apt at all.
# Usage: scripts/install-deps.sh            install what is missing
#        scripts/install-deps.sh --check    only report; exit 1 if something is missing
set -eu

JDK=/usr/lib/jvm/temurin-25-jdk-amd64
PACKAGES="maven libpcap0.8 tcpdump tshark iperf3 iputils-ping iproute2 ethtool socat python3-scapy python3-cryptography
  rauc squashfs-tools shellcheck
  strongswan-charon strongswan-swanctl libcharon-extra-plugins libstrongswan-extra-plugins
  libstrongswan-standard-plugins gnuplot-nox nftables bind9 bind9-dnsutils libpcap0.8-dev gcc iputils-tracepath jq"
# The arm64 runtime check (image-build Arm64RuntimeTest): qemu-user through binfmt_misc, a Debian 12 arm64 root, patchelf.
PACKAGES="$PACKAGES qemu-user-static binfmt-support mmdebstrap patchelf"
# The firmware image build and its boot test (image-build/build-image.sh, boot-test.sh): file systems and the disk
# image without loop devices, compression, signing, and qemu with UEFI.
PACKAGES="$PACKAGES e2fsprogs dosfstools mtools fdisk zstd openssl unzip util-linux python3 qemu-system-x86 ovmf"
CHECK_ONLY=no
[ "${1:-}" = "--check" ] && CHECK_ONLY=yes

missing=""
for p in $PACKAGES; do
  # "install ok installed" is the only state in which a package is really usable.
  status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
  [ "$status" = "install ok installed" ] || missing="$missing $p"
done

jdk_ok=yes
[ -x "$JDK/bin/java" ] || jdk_ok=no

if [ -z "$missing" ]; then
  echo "install-deps: all $(echo $PACKAGES | wc -w) packages already installed; apt not run"
elif [ "$CHECK_ONLY" = yes ]; then
  echo "install-deps: missing:$missing"
else
  if [ "$(id -u)" -ne 0 ]; then
    echo "install-deps: missing packages:$missing" >&2
    echo "install-deps: run as root to install them" >&2
    exit 1
  fi
  export DEBIAN_FRONTEND=noninteractive
  # tshark's wireshark-common asks whether non-root users may capture; answer "no" so the install never prompts.
  echo "wireshark-common wireshark-common/install-setuid boolean false" | debconf-set-selections
  echo "install-deps: missing:$missing"
  echo "install-deps: apt-get update"
  apt-get update -q
  echo "install-deps: apt-get install$missing"
  # shellcheck disable=SC2086
  apt-get install -y -q $missing
  echo "install-deps: installed:$missing"
  missing=""
fi

if [ "$jdk_ok" = yes ]; then
  echo "install-deps: JDK present: $JDK ($("$JDK/bin/java" -version 2>&1 | head -n 1))"
else
  echo "install-deps: ERROR: Temurin 25 JDK not found at $JDK; the build needs it (release 25)." >&2
  echo "install-deps: install temurin-25-jdk (Adoptium apt repository) and re-run." >&2
  exit 2
fi
[ -z "$missing" ] || exit 1
