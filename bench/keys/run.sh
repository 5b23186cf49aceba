#!/bin/sh
# SPDX-License-Identifier: MIT
# make bench: zara's ECDSA, transaction, EIP-712 and keystore speed next to @noble/curves +
# @noble/hashes (pure JS, same operations in the same run) and cast (decrypting the same
# standard keystore, process start included).
set -eu
root=$(cd "$(dirname "$0")/../.." && pwd)
build=${ZARA_BUILD:-$root/build/release}
bin=$build/bench/bench_keys
[ -x "$bin" ] || { echo "bench/keys: $bin not built" >&2; exit 1; }
tmp=$(mktemp -d /tmp/zara-bench-keys-XXXXXX)
trap 'rm -rf "$tmp"' EXIT INT TERM

z=$("$bin" 1 "$tmp/ks.json")
n=$(node "$root/bench/keys/peer_noble.mjs" 1)
t0=$(date +%s%N)
"$root/node_modules/.bin/cast" wallet address --keystore "$tmp/ks.json" --password bench >/dev/null
t1=$(date +%s%N)
cast_ms=$(( (t1 - t0) / 1000000 ))

get() { echo "$1" | awk -v k="$2" '$1 == k { print $2 }'; }
echo "bench/keys (ops/s unless noted; higher is better except ms)"
printf "%-30s %14s %14s\n" operation zara peer
printf "%-30s %14s %14s\n" "ecdsa sign (digest)" "$(get "$z" ecdsa_sign)" "$(get "$n" ecdsa_sign) noble"
printf "%-30s %14s %14s\n" "ecdsa recover" "$(get "$z" ecdsa_recover)" "$(get "$n" ecdsa_recover) noble"
printf "%-30s %14s %14s\n" "EIP-1559 sign+encode" "$(get "$z" tx1559_sign_encode)" "-"
printf "%-30s %14s %14s\n" "raw tx decode+sender" "$(get "$z" tx_decode_sender)" "-"
printf "%-30s %14s %14s\n" "EIP-712 digest (direct API)" "$(get "$z" eip712_direct_digest)" "-"
printf "%-30s %14s %14s\n" "EIP-712 digest (JSON engine)" "$(get "$z" eip712_json_digest)" "-"
printf "%-30s %14s %14s\n" "keystore n=262144 decrypt ms" "$(get "$z" keystore_decrypt_n262144_ms)" "$(get "$n" scrypt_n262144_ms) noble scrypt"
printf "%-30s %14s %14s\n" "" "" "$cast_ms cast (whole process)"
