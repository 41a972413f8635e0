#!/usr/bin/env bash
# Runs every test: unit tests, fuzz tests, the network-namespace labs against real peers (needs root), then the
# firmware image: built from this tree's jars and booted under qemu, operated over its serial console, updated and
# rolled back (image-build/boot-test.sh, docs/IMAGE.md). Installs what it needs first. .ci/run runs exactly this.
# BITW_SKIP_IMAGE_TEST=1 leaves the image out (a developer's quicker run; CI never sets it).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
export JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64
mvn -B -ntp verify

if [ "${BITW_SKIP_IMAGE_TEST:-0}" != 1 ]; then
  out=$(mktemp -d /var/tmp/bitw-image-test.XXXXXX)
  # On failure the directory stays for diagnosis (image, serial log); on success only the figures are printed.
  bash image-build/boot-test.sh "$out"
  cat "$out/boot-test/result"
  rm -rf "$out"
fi
