#!/usr/bin/env bash
# Release manifest of a build (image-build, last step of build-image.sh): SHA256SUMS over the deliverables in DIR
# (every regular file at its top level except the manifest, its signature, keys and build notes), then an Ed25519
# detached signature SHA256SUMS.sig over it with the vendor key (openssl pkeyutl -sign -rawin). With no key given,
# a TEST key is generated in DIR (test-vendor-ed25519.key.pem / .pub.pem) and the build says so.
#
#   image-build/sign-manifest.sh DIR [VENDOR_ED25519_KEY.pem]
# Check with image-build/verify-manifest.sh DIR PUBLIC_KEY.pem.
set -euo pipefail
[ $# -ge 1 ] && [ $# -le 2 ] || { echo "usage: $0 DIR [VENDOR_ED25519_KEY.pem]" >&2; exit 2; }
dir=$1
key=${2:-}
if [ -z "$key" ]; then
  key=$dir/test-vendor-ed25519.key.pem
  if [ ! -f "$key" ]; then
    echo "sign-manifest: no vendor key given: generating a TEST Ed25519 key $key" >&2
    (umask 077 && openssl genpkey -algorithm ed25519 -out "$key")
  fi
  openssl pkey -in "$key" -pubout -out "$dir/test-vendor-ed25519.pub.pem"
fi
[ "$(openssl pkey -in "$key" -noout -text 2>/dev/null | head -n 1)" = "ED25519 Private-Key:" ] \
  || { echo "sign-manifest: $key is not an Ed25519 private key" >&2; exit 1; }
(
  cd "$dir"
  find . -maxdepth 1 -type f ! -name SHA256SUMS ! -name SHA256SUMS.sig ! -name SHA256SUMS.tmp ! -name '*.pem' ! -name build-info \
    -printf '%f\n' | LC_ALL=C sort | while read -r f; do sha256sum -- "$f"; done > SHA256SUMS.tmp
  [ -s SHA256SUMS.tmp ] || { echo "sign-manifest: nothing to sign in $dir" >&2; exit 1; }
  mv SHA256SUMS.tmp SHA256SUMS
)
openssl pkeyutl -sign -rawin -inkey "$key" -in "$dir/SHA256SUMS" -out "$dir/SHA256SUMS.sig"
echo "sign-manifest: $(wc -l < "$dir/SHA256SUMS") files in $dir/SHA256SUMS, signature SHA256SUMS.sig" >&2
