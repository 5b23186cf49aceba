#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Lets forge compile with solc-js (npm `solc`) on machines that cannot download a native
# solc: answers --version the way native solc does, and turns forge's command line into
# `solcjs --standard-json --base-path <base>`, dropping the path options solcjs lacks and
# the ">>>" notices solcjs prints on stdout. solcjs's input and output go through temporary
# files: on pipes node reads only part of a large input and truncates a large output
# (seen at 144 KiB in and 64 KiB out).
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
solcjs="$here/node_modules/.bin/solcjs"

if [ "${1:-}" = "--version" ]; then
  echo "solc, the solidity compiler commandline interface"
  echo "Version: $("$solcjs" --version)"
  exit 0
fi

base="."
while [ $# -gt 0 ]; do
  case "$1" in
    --base-path) base="$2"; shift 2 ;;
    --base-path=*) base="${1#*=}"; shift ;;
    --allow-paths|--include-path) shift 2 ;;
    --allow-paths=*|--include-path=*) shift ;;
    *) shift ;;
  esac
done
in="$(mktemp)"
out="$(mktemp)"
trap 'rm -f "$in" "$out"' EXIT
cat >"$in"
"$solcjs" --standard-json --base-path "$base" <"$in" >"$out"
grep -v '^>>>' "$out"
