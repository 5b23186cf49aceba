#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# BN254/BLS benchmark: bench_bls (this library, $ZARA_BUILD, default build/release) next to
# @noble/curves and mcl-wasm timed by bls_peers.mjs in the same run. Prints ms/op (CPU
# time, so other load on the machine does not distort the figures) and the ratios
# peer / zara (higher is better for zara). Usage: bench/bls/run.sh [seconds per operation]
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
build="${ZARA_BUILD:-$root/build/release}"
secs="${1:-0.5}"
bin="$build/bench/bench_bls"
if [ ! -x "$bin" ]; then
  echo "bench/bls: $bin not built (cmake --preset release && cmake --build build/release)" >&2
  exit 1
fi
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
"$bin" "$secs" > "$tmp/zara.txt"
(cd "$root" && node bench/bls/bls_peers.mjs "$secs") > "$tmp/peers.txt"
echo "BN254 / BLS  ($(head -1 "$tmp/zara.txt"); ms per operation, CPU time)"
awk '
  FNR == NR { if ($1 != "core") zara[$1] = $2; order[++n] = $1; next }
  { peer[$1 " " $2] = $3 }
  END {
    printf "%-16s %12s %12s %12s %10s %10s\n", "operation", "zara", "noble", "mcl-wasm", "noble/zara", "mcl/zara"
    for (i = 1; i <= n; i++) {
      op = order[i]
      if (op == "core") continue
      z = zara[op]; nb = peer["noble " op]; mc = peer["mcl " op]
      rn = (nb != "" && z > 0) ? sprintf("%.1fx", nb / z) : "-"
      rm = (mc != "" && z > 0) ? sprintf("%.1fx", mc / z) : "-"
      printf "%-16s %12.6f %12s %12s %10s %10s\n", op, z, (nb == "" ? "-" : sprintf("%.6f", nb)), (mc == "" ? "-" : sprintf("%.6f", mc)), rn, rm
    }
  }' "$tmp/zara.txt" "$tmp/peers.txt"
