#!/usr/bin/env bash
# Checks a release before flashing (image-build): the Ed25519 signature of SHA256SUMS with the vendor's public
# key first, then every listed file's SHA-256. Exit 0 only if both hold; a changed byte or another key -> exit 1.
#
#   image-build/verify-manifest.sh DIR VENDOR_ED25519_PUBLIC_KEY.pem
set -euo pipefail
[ $# -eq 2 ] || { echo "usage: $0 DIR VENDOR_ED25519_PUBLIC_KEY.pem" >&2; exit 2; }
dir=$1 pub=$2
for f in SHA256SUMS SHA256SUMS.sig; do
  [ -f "$dir/$f" ] || { echo "verify-manifest: $dir/$f missing" >&2; exit 1; }
done
if ! openssl pkeyutl -verify -rawin -pubin -inkey "$pub" -in "$dir/SHA256SUMS" -sigfile "$dir/SHA256SUMS.sig" > /dev/null 2>&1; then
  echo "verify-manifest: REFUSED: SHA256SUMS is not signed by $pub" >&2
  exit 1
fi
if ! (cd "$dir" && sha256sum --quiet --strict -c SHA256SUMS); then
  echo "verify-manifest: REFUSED: a file does not match SHA256SUMS" >&2
  exit 1
fi
echo "verify-manifest: ok: signature and $(wc -l < "$dir/SHA256SUMS") checksums"
