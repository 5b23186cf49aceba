#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Evaluation benchmark: `zara train` on examples/square end to end (Lua sample() batches,
# Adam steps, validation through evaluate(); the issue asks for R² ≥ 0.999 in under 10 s)
# next to the same training in PyTorch (float32, one thread) measured in the same run, and
# `zara eval` of every example (two sandboxes, challenger and incumbent).
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
build="${ZARA_BUILD:-$root/build/release}"
zara="$build/zara"
if [ ! -x "$zara" ]; then
  echo "bench/eval: $zara not built (cmake --preset release && cmake --build build/release)" >&2
  exit 1
fi
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
cd "$root"
sq=examples/square
out="$("$zara" train --arch $sq/arch.json --eval $sq/eval.lua --init $sq/init.safetensors \
        --out "$tmp/sq.safetensors" --threads 1 --json)"
secs="$(echo "$out" | python3 -c 'import json,sys; print("%.3f" % json.load(sys.stdin)["seconds"])')"
r2="$("$zara" eval --arch $sq/arch.json --params "$tmp/sq.safetensors" --eval $sq/eval.lua --random --json |
      python3 -c 'import json,sys; print("%.6f" % json.load(sys.stdin)["challenger_score"])')"
echo "train examples/square (2000 Adam steps, batch 256, 1 thread, end to end)"
printf "%-10s %10s %12s\n" "" "seconds" "R2"
printf "%-10s %10s %12s\n" "zara" "$secs" "$r2"
if peer="$(/usr/bin/python3 bench/eval/peer_train_square.py $sq/init.safetensors 2>/dev/null)"; then
  set -- $peer
  printf "%-10s %10s %12s   (PyTorch %s)\n" "torch" "$3" "$4" "$2"
else
  echo "torch: not available"
fi
echo
echo "zara eval (challenger + incumbent, random seed)"
for ex in square spirals surface; do
  d=examples/$ex
  start=$(date +%s.%N)
  "$zara" eval --arch $d/arch.json --params $d/trained.safetensors --incumbent $d/init.safetensors \
         --eval $d/eval.lua --random > /dev/null
  end=$(date +%s.%N)
  printf "%-10s %8.1f ms\n" "$ex" "$(echo "($end - $start) * 1000" | bc -l)"
done
