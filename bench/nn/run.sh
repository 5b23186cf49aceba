#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# nn benchmark: the engine's bit-exact forward pass and Adam trainer next to PyTorch float32
# (one thread each), measured in the same run. ZARA_BUILD points at a release build.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
build=${ZARA_BUILD:-$here/../../build/release}
secs=${NN_BENCH_SECONDS:-0.5}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$build/bench/bench_nn" --threads 1 --seconds "$secs" | tee "$tmp/zara"
/usr/bin/python3 "$here/bench_torch.py" "$secs" | tee "$tmp/torch"
echo
printf '%-26s %14s %14s %8s\n' case zara torch ratio
while read -r _ key val; do
  t=$(awk -v k="$key" '$1=="torch" && $2==k {print $3}' "$tmp/torch")
  [ -n "$t" ] || continue
  printf '%-26s %14s %14s %7.2fx\n' "$key" "$val" "$t" "$(awk -v a="$val" -v b="$t" 'BEGIN{print a/b}')"
done < <(grep '^zara ' "$tmp/zara")
if [ "$(nproc)" -gt 1 ]; then
  echo
  echo "# with 2 threads (bit-identical results):"
  "$build/bench/bench_nn" --threads 2 --seconds "$secs" | grep -E 'b4096|adam'
fi
