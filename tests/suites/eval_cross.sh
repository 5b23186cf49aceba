#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Cross-build determinism of the evaluation sandbox's own math and rng (DESIGN.md §5): the
# driver eval_cross.c is built with gcc -O0, gcc -O3 -march=native, clang -O2 and, when the
# cross toolchain and qemu-user are installed, aarch64 gcc -O2 run under qemu-aarch64; every
# build must print the same bytes, and the grid digest must equal tests/vectors/eval_math.txt.
# Prints "N passed, N failed".
set -uo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
srcs="tests/suites/eval_cross.c src/eval/eval_math.c src/eval/eval_rng.c src/crypto/keccak.c src/common/secret.c"
# jansson's headers (pulled in by zara/common.h) are plain C: the cross build finds them here
mkdir -p "$tmp/inc" && ln -s /usr/include/jansson.h /usr/include/jansson_config.h "$tmp/inc/"
flags="-std=c11 -D_GNU_SOURCE -ffp-contract=off -fno-fast-math -Iinclude -Isrc/eval -idirafter $tmp/inc"
passed=0
failed=0
ref=""
run_build() { # name, command to compile into $tmp/$name, runner prefix
  local name="$1" cc="$2" runner="$3"
  if ! $cc $flags $srcs -o "$tmp/$name" -lm 2> "$tmp/$name.log"; then
    echo "eval_cross: $name does not build:"; head -20 "$tmp/$name.log"
    failed=$((failed + 1)); return
  fi
  if ! $runner "$tmp/$name" > "$tmp/$name.out" 2>&1; then
    echo "eval_cross: $name does not run"; failed=$((failed + 1)); return
  fi
  if [ -z "$ref" ]; then
    ref="$name"
    want="$(grep '^grid ' tests/vectors/eval_math.txt)"
    if [ "$(head -1 "$tmp/$name.out")" = "$want" ]; then
      echo "eval_cross: $name matches the golden grid digest"; passed=$((passed + 1))
    else
      echo "eval_cross: $name grid $(head -1 "$tmp/$name.out") differs from the golden $want"; failed=$((failed + 1))
    fi
  elif cmp -s "$tmp/$ref.out" "$tmp/$name.out"; then
    echo "eval_cross: $name prints the same bytes as $ref"; passed=$((passed + 1))
  else
    echo "eval_cross: $name differs from $ref:"; diff "$tmp/$ref.out" "$tmp/$name.out" | head; failed=$((failed + 1))
  fi
}
run_build gcc-O0 "gcc -O0" ""
run_build gcc-O3-native "gcc -O3 -march=native" ""
if command -v clang > /dev/null; then run_build clang-O2 "clang -O2" ""; fi
if command -v aarch64-linux-gnu-gcc > /dev/null && command -v qemu-aarch64 > /dev/null; then
  run_build aarch64-gcc-O2 "aarch64-linux-gnu-gcc -O2 -static" "qemu-aarch64"
else
  echo "eval_cross: aarch64 cross toolchain or qemu-user missing: skipped"
fi
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
