#!/usr/bin/env bash
# Writes a bitw configuration onto the config partition (GPT name "bitw-config") of a raw bitw disk image, as a
# factory or a test provisions a box before shipping: a fresh ext4 holding only bitw.conf, dd-ed in place. No
# loop devices or mounts. The appliance reads it at boot from /var/lib/bitw/bitw.conf; updates never touch it.
#
#   image-build/provision-config.sh IMAGE.img CONFIG
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=image-build/lib/common.sh
. "$HERE/lib/common.sh"
[ $# -eq 2 ] || { echo "usage: $0 IMAGE.img CONFIG" >&2; exit 2; }
img=$1 conf=$2
read -r start size < <(sfdisk -J "$img" | python3 -c '
import json, sys
for p in json.load(sys.stdin)["partitiontable"]["partitions"]:
    if p.get("name") == "bitw-config":
        print(p["start"], p["size"])
        break
else:
    sys.exit("no bitw-config partition")')
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
install -d "$dir/root"
install -m 0600 "$conf" "$dir/root/bitw.conf"
SOURCE_DATE_EPOCH=${SOURCE_DATE_EPOCH:-$(date +%s)}
E2FSPROGS_FAKE_TIME=$SOURCE_DATE_EPOCH mke2fs -q -F -t ext4 -b 4096 -m 0 -L bitw-config -U "$CONFIG_UUID" \
  -E "root_owner=0:0,nodiscard" -d "$dir/root" "$dir/config.ext4" "$((size / 2))K"
dd if="$dir/config.ext4" of="$img" bs=1M seek=$((start * 512)) oflag=seek_bytes conv=notrunc,sparse status=none
echo "provision-config: $conf -> $img (config partition at sector $start)" >&2
