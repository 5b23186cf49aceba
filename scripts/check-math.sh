#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# `make check-math`: builds tests/math/nn_check_math.c against the nn math sources and runs
# it over all 2^32 float32 inputs of every function on both cores, printing per function how
# many results are not correctly rounded (against MPFR), the largest error in ulps, and any
# difference between the vector activation paths and the scalar functions. Fails when a
# result is off by more than one ulp or a vector path differs.
# Environment: CHECK_MATH_STRIDE (default 1 = exhaustive), CHECK_MATH_FUNC (one function),
# CHECK_MATH_THREADS (default: nproc).
set -euo pipefail
cd "$(dirname "$0")/.."
out=build/check-math
mkdir -p "$out"
cc=${CC:-cc}
$cc -std=c11 -O2 -Wall -Wextra -Werror -ffp-contract=off -D_GNU_SOURCE -Iinclude -Isrc/nn -Itests/unit/nn \
  tests/math/nn_check_math.c src/nn/nnmath.c src/nn/nnmath_tab.c src/nn/kern.c src/nn/kern_x86.c \
  src/nn/kern_arm.c src/nn/fpenv.c -o "$out/nn_check_math" -lpthread -ldl -lm
args=(--stride "${CHECK_MATH_STRIDE:-1}" --threads "${CHECK_MATH_THREADS:-$(nproc)}")
[ -n "${CHECK_MATH_FUNC:-}" ] && args+=(--func "$CHECK_MATH_FUNC")
echo "nn float32 math over $([ "${CHECK_MATH_STRIDE:-1}" = 1 ] && echo 'all 2^32 inputs' || echo "every ${CHECK_MATH_STRIDE}th input")"
exec "$out/nn_check_math" "${args[@]}"
