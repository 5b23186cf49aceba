#!/bin/sh
# SPDX-License-Identifier: MIT
# make bench: the whole network end to end — a devnet (4 operators, 1-second blocks), several
# `square` tasks and many optimizer keys committing and revealing in parallel — printing
# settlements per minute, reveal-to-settlement latency, gas per settled submission and the
# nodes' CPU and memory next to the targets of issue 8. Fails only when something breaks.
# BENCH_E2E_TASKS, BENCH_E2E_LANES, BENCH_E2E_LATENCY_S, BENCH_E2E_LOAD_S tune the run.
set -eu
root=$(cd "$(dirname "$0")/../.." && pwd)
build=${ZARA_BUILD:-$root/build/release}
bin=$build/bench/bench_e2e
zara=$build/zara
[ -x "$bin" ] || { echo "bench/e2e: $bin not built" >&2; exit 1; }
[ -x "$zara" ] || { echo "bench/e2e: $zara not built" >&2; exit 1; }
export PATH="$root/node_modules/.bin:$PATH"
tmp=$(mktemp -d /tmp/zara-bench-e2e-XXXXXX)
# the devnet is stopped however the run ends (the program also stops it itself)
# (BENCH_E2E_KEEP=1 keeps its folder, with the nodes' logs, for a look afterwards)
trap '"$zara" devnet down --dir "$tmp/devnet" >/dev/null 2>&1 || true; [ -n "${BENCH_E2E_KEEP:-}" ] && echo "bench/e2e: kept $tmp" >&2 || rm -rf "$tmp"' EXIT INT TERM
"$bin" "$zara" "$root" "$tmp/devnet"
