#!/bin/sh
# SPDX-License-Identifier: MIT
# make bench: CID computation and local put/get round trip of zara's store, next to the
# npm IPFS importer (ipfs-unixfs-importer 17.1.1) and sha256sum on the same files, in the
# same run. Target: zara's CID at least 80% of sha256sum's MB/s.
set -eu
root=$(cd "$(dirname "$0")/../.." && pwd)
build=${ZARA_BUILD:-$root/build/release}
bin=$build/bench/bench_store
[ -x "$bin" ] || { echo "bench/store: $bin not built" >&2; exit 1; }
tmp=$(mktemp -d /tmp/zara-bench-files-XXXXXX)
trap 'rm -rf "$tmp"' EXIT INT TERM
head -c 1048576 /dev/urandom >"$tmp/f1m"
head -c 67108864 /dev/urandom >"$tmp/f64m"

# best-of-N wall time of a command, in MB/s for a file of $2 bytes
mbps() {
  runs=$1 bytes=$2; shift 2
  best=""
  i=0
  while [ $i -lt "$runs" ]; do
    t0=$(date +%s%N); "$@" >/dev/null; t1=$(date +%s%N)
    d=$((t1 - t0))
    if [ -z "$best" ] || [ $d -lt "$best" ]; then best=$d; fi
    i=$((i + 1))
  done
  awk -v b="$bytes" -v ns="$best" 'BEGIN { printf "%.1f", b / 1e6 / (ns / 1e9) }'
}

echo "bench/store: MB/s, best of several runs (higher is better)"
printf "%-10s %12s %12s %14s %12s %10s\n" file "zara cid" "sha256sum" "npm importer" "zara put+get" "cid/sha256"
for f in f1m f64m; do
  size=$(stat -c %s "$tmp/$f")
  z=$("$bin" "$tmp/$f" 5)
  zcid=$(echo "$z" | awk '/^cid/ {print $3}')
  zrt=$(echo "$z" | awk '/^roundtrip/ {print $3}')
  zc=$(echo "$z" | awk '/^cid/ {print $4}')
  sha=$(mbps 5 "$size" sha256sum "$tmp/$f")
  npm=$(node "$root/bench/store/importer-bench.mjs" "$tmp/$f" 3)
  ncid=$(echo "$npm" | awk '{print $2}')
  [ "$zc" = "$ncid" ] || { echo "bench/store: CID mismatch on $f: zara $zc, npm $ncid" >&2; exit 1; }
  ratio=$(awk -v a="$zcid" -v b="$sha" 'BEGIN { printf "%.0f%%", 100 * a / b }')
  printf "%-10s %12s %12s %14s %12s %10s\n" "$f" "$zcid" "$sha" "$(echo "$npm" | awk '{print $1}')" "$zrt" "$ratio"
done
echo "(sha256sum of 1 MiB is dominated by process start-up; compare the 64 MiB row)"
