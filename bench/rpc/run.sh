#!/bin/sh
# SPDX-License-Identifier: MIT
# make bench: JSON-RPC calls per second of zara's client against a local anvil, one call
# at a time on a keep-alive connection and in batches of 100, next to Python's
# http.client doing the same calls against the same anvil in the same run.
set -eu
root=$(cd "$(dirname "$0")/../.." && pwd)
build=${ZARA_BUILD:-$root/build/release}
bin=$build/bench/bench_rpc
[ -x "$bin" ] || { echo "bench/rpc: $bin not built" >&2; exit 1; }
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
log=$(mktemp /tmp/zara-bench-anvil-XXXXXX)
"$root/node_modules/.bin/anvil" --port "$port" --host 127.0.0.1 --silent >"$log" 2>&1 &
anvil=$!
trap 'kill $anvil 2>/dev/null; rm -f "$log"' EXIT INT TERM
i=0
until python3 -c "import socket; socket.create_connection(('127.0.0.1', $port), 1)" 2>/dev/null; do
  i=$((i + 1)); [ $i -lt 100 ] || { echo "bench/rpc: anvil did not start" >&2; cat "$log"; exit 1; }
  sleep 0.1
done
n=${BENCH_RPC_N:-3000}
z=$("$bin" "http://127.0.0.1:$port/" "$n")
p=$(python3 "$root/bench/rpc/peer_rpc.py" "$port" "$n")
echo "bench/rpc: eth_blockNumber calls/s against anvil (higher is better), $n calls"
printf "%-10s %12s %14s\n" mode "zara" "python http"
for m in single batch100; do
  printf "%-10s %12s %14s\n" "$m" "$(echo "$z" | awk -v m=$m '$1 == m {print $3}')" "$(echo "$p" | awk -v m=$m '$1 == m {print $3}')"
done
