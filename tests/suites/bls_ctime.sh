#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Constant-time check of BN254/BLS secret-key code: builds tests/suites/bls_ctime.c with the
# crypto sources (-DZARA_CTIME_CHECK, no sanitizers) and runs it under valgrind memcheck,
# where a branch or table index on the secret is an error. Prints "N passed, N failed".
set -uo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"
if ! command -v valgrind >/dev/null || [ ! -f /usr/include/valgrind/memcheck.h ]; then
  echo "bls_ctime: valgrind (Debian package valgrind) is not installed"
  echo "0 passed, 1 failed"
  exit 1
fi
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
# -O1 keeps the compiler from turning masked selects into branches less often than -O0
# would hide them; the point is to check the code the release build runs, so use -O2.
if ! gcc -std=c11 -O2 -g -D_GNU_SOURCE -DZARA_CTIME_CHECK -Iinclude -Isrc/crypto \
  tests/suites/bls_ctime.c src/crypto/bn254_*.c src/crypto/bls.c src/crypto/keccak.c \
  src/common/secret.c -o "$tmp/bls_ctime" 2> "$tmp/cc.log"; then
  cat "$tmp/cc.log"
  echo "0 passed, 1 failed"
  exit 1
fi
# the negative control must be caught
if valgrind --error-exitcode=42 -q "$tmp/bls_ctime" leak > "$tmp/leak.log" 2>&1; then
  echo "bls_ctime: valgrind did not flag a variable-time multiply on a secret: harness broken"
  echo "0 passed, 1 failed"
  exit 1
fi
if valgrind --error-exitcode=42 --track-origins=yes -q "$tmp/bls_ctime" > "$tmp/out.log" 2>&1 &&
  grep -q '^done$' "$tmp/out.log" && ! grep -q 'does not verify\|bad key' "$tmp/out.log"; then
  echo "bls_ctime: no secret-dependent branches or memory indices (valgrind memcheck)"
  echo "1 passed, 0 failed"
else
  head -60 "$tmp/out.log"
  echo "bls_ctime: secret-dependent behaviour found (see above)"
  echo "0 passed, 1 failed"
  exit 1
fi
