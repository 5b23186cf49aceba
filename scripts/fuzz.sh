#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# `make fuzz`: builds the libFuzzer targets with clang (fuzz preset) and runs each one for
# FUZZ_TIME seconds (default 60) on its corpus; new interesting inputs are kept in
# tests/fuzz/corpus/<target>, which `make test` replays.
set -euo pipefail
cd "$(dirname "$0")/.."
t=${FUZZ_TIME:-60}
cmake --preset fuzz >/dev/null
cmake --build --preset fuzz -j"$(nproc)"
for src in tests/fuzz/fuzz_*.c; do
  name=$(basename "$src" .c)
  target=${name#fuzz_}
  mkdir -p "tests/fuzz/corpus/$target"
  echo "==== $name for ${t}s"
  "build/fuzz/tests/$name" -max_total_time="$t" -max_len=65536 -timeout=10 \
    -rss_limit_mb=2048 "tests/fuzz/corpus/$target"
done
