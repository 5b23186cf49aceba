#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# `make bench`: runs every bench/<area>/run.sh in turn. Each prints its figures next to a
# peer implementation measured in the same run. Benchmarks never fail the build on speed.
set -uo pipefail
cd "$(dirname "$0")/.."
export PATH="$(pwd)/node_modules/.bin:$PATH"
export ZARA_BUILD="$(pwd)/build/release"
status=0
for b in bench/*/run.sh; do
  [ -x "$b" ] || continue
  echo "==== $b"
  "$b" || { echo "benchmark $b failed"; status=1; }
done
exit $status
