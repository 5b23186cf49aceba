#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Gas of the contracts' hot paths (submitResult with 10 and 100 operators, per non-signer,
# commit, reveal), each call measured as its own transaction (`forge test --isolate`), next
# to the targets of issue 3; then forge's per-function gas report of the unit tests.
set -euo pipefail
cd "$(dirname "$0")/../../contracts"
export PATH="$(cd .. && pwd)/node_modules/.bin:$PATH"
echo "contracts gas (each call as its own transaction: 21000 + calldata + execution, unless marked)"
forge test --isolate --match-contract GasBenchTest -vv 2>&1 |
  sed -n 's/^  \(.*[a-z].*\) \([0-9][0-9]*\)$/  \2  \1/p'
echo
echo "forge test --gas-report (unit tests, all calls of each function):"
forge test --isolate --gas-report --match-contract 'AttestationCenterTest|ModelSubmissionTest' 2>&1 |
  grep -E '^\| (submitResult|commit|reveal|createTask|register|withdraw|settle|reportEquivocation|fixSeed|expire) ' || true
