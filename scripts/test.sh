#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# `make test`: builds under ASan+UBSan and runs every suite the project has — the C tests
# through ctest (unit, fuzz-corpus replay, integration), the contracts' `forge fmt --check`
# and `forge test`, and the dashboard's tests when web/ has them — then prints one line
# `N passed, N failed` over all of them and exits non-zero if anything failed.
set -uo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
export PATH="$root/node_modules/.bin:$PATH"
jobs=$(nproc)
passed=0
failed=0
log=$(mktemp -d)
trap 'rm -rf "$log"' EXIT

note() { printf '== %s\n' "$*"; }

# ---- C: configure, build, ctest ---------------------------------------------------------
note "C build (asan+ubsan)"
if cmake --preset asan >"$log/cfg" 2>&1 && cmake --build --preset asan -j"$jobs" >"$log/build" 2>&1; then
  note "ctest"
  ctest --test-dir build/asan --output-on-failure -j"$jobs" 2>&1 | tee "$log/ctest"
  line=$(grep -E 'tests passed, [0-9]+ tests failed out of [0-9]+' "$log/ctest" | tail -1)
  if [ -n "$line" ]; then
    f=$(sed -E 's/.* ([0-9]+) tests failed out of ([0-9]+).*/\1/' <<<"$line")
    t=$(sed -E 's/.* ([0-9]+) tests failed out of ([0-9]+).*/\2/' <<<"$line")
    passed=$((passed + t - f)); failed=$((failed + f))
  elif grep -q 'No tests were found' "$log/ctest"; then
    :
  else
    echo "ctest did not report a summary"; failed=$((failed + 1))
  fi
else
  cat "$log/cfg" "$log/build" 2>/dev/null | grep -E -A3 'error|Error' | head -60
  echo "C build failed"; failed=$((failed + 1))
fi

# ---- contracts -------------------------------------------------------------------------
if [ -f contracts/foundry.toml ]; then
  note "forge fmt --check"
  if (cd contracts && forge fmt --check >"$log/fmt" 2>&1); then
    passed=$((passed + 1))
  else
    head -40 "$log/fmt"; echo "forge fmt --check failed"; failed=$((failed + 1))
  fi
  note "forge test"
  (cd contracts && forge test 2>&1) | tee "$log/forge"
  line=$(grep -E '[0-9]+ tests passed, [0-9]+ failed' "$log/forge" | tail -1)
  if [ -n "$line" ]; then
    p=$(sed -E 's/.* ([0-9]+) tests passed, ([0-9]+) failed.*/\1/' <<<"$line")
    f=$(sed -E 's/.* ([0-9]+) tests passed, ([0-9]+) failed.*/\2/' <<<"$line")
    passed=$((passed + p)); failed=$((failed + f))
  else
    echo "forge test did not report a summary"; failed=$((failed + 1))
  fi
fi

# ---- other suites: every executable tests/suites/*.sh prints "N passed, N failed" last --
for s in tests/suites/*.sh; do
  [ -x "$s" ] || continue
  note "$s"
  "$s" 2>&1 | tee "$log/suite"
  rc=${PIPESTATUS[0]}
  line=$(grep -E '^[0-9]+ passed, [0-9]+ failed$' "$log/suite" | tail -1)
  if [ -n "$line" ]; then
    passed=$((passed + $(cut -d' ' -f1 <<<"$line")))
    failed=$((failed + $(cut -d' ' -f3 <<<"$line")))
    [ "$rc" -ne 0 ] && [ "$(cut -d' ' -f3 <<<"$line")" -eq 0 ] && failed=$((failed + 1))
  else
    echo "$s did not report a summary"; failed=$((failed + 1))
  fi
done

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
