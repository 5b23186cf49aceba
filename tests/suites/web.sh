#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The dashboard end to end: builds web/ (TypeScript), starts a real network with
# `zara devnet up --operators 2`, lets an owner create the x² task and an optimizer submit
# a better model until it is settled, then loads the dashboard from an operator's node in
# headless chromium (playwright-core) and checks that tasks, pools, best scores, the
# leaderboard, operators and earnings on the page are the ones the node's REST API
# reports. Screenshots go to $WEB_SHOTS (default build/web-shots). Last line:
# "N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")/../.."
root=$(pwd)
export ZARA_ROOT="$root"
export PATH="$root/node_modules/.bin:$PATH"
zara=${ZARA_BIN:-$root/build/asan/zara}
shots=${WEB_SHOTS:-$root/build/web-shots}
chromium=${CHROMIUM:-/usr/bin/chromium}
passed=0
failed=0
ok() { passed=$((passed + 1)); echo "ok - $*"; }
bad() { failed=$((failed + 1)); echo "not ok - $*"; }
finish() { echo "$passed passed, $failed failed"; [ "$failed" -eq 0 ]; exit; }

# runs a node script that prints "N passed, N failed" last and adds its counts
count() {
  local log
  log=$(mktemp)
  node "$@" | tee "$log"
  local line
  line=$(grep -E '^[0-9]+ passed, [0-9]+ failed$' "$log" | tail -1)
  rm -f "$log"
  if [ -n "$line" ]; then
    passed=$((passed + $(cut -d' ' -f1 <<<"$line")))
    failed=$((failed + $(cut -d' ' -f3 <<<"$line")))
  else
    bad "$1 reported a summary"
  fi
}

if scripts/build-web.sh; then ok "the dashboard compiles (tsc)"; else bad "the dashboard compiles (tsc)"; finish; fi
count web/test/format.test.mjs
[ -x "$zara" ] || { bad "zara binary at $zara (build it or set ZARA_BIN)"; finish; }
[ -x "$chromium" ] || { bad "chromium at $chromium (make deps installs it)"; finish; }

dir=$(mktemp -d "${TMPDIR:-/tmp}/zara-web.XXXXXX")
cleanup() {
  "$zara" devnet down --dir "$dir" >/dev/null 2>&1
  rm -rf "$dir"
}
trap cleanup EXIT

if "$zara" devnet up --dir "$dir" --operators 2 >"$dir/up.log" 2>&1; then
  ok "devnet up"
else
  tail -20 "$dir/up.log"; bad "devnet up"; finish
fi
st="$dir/devnet.json"
js() { node -e "const s=require(process.argv[1]); console.log($1)" "$st"; }
pwfile=$(js 's.passwordFile')
owner_ks=$(js 's.accounts.owner.keystore')
opt_ks=$(js 's.accounts.optimizerA.keystore')
url=$(js 's.nodes[0].url')
ex="$root/examples/square"

if ZARA_DEVNET_DIR="$dir" ZARA_KEYSTORE="$owner_ks" ZARA_PASSWORD_FILE="$pwfile" "$zara" task create \
    --arch "$ex/arch.json" --params "$ex/init.safetensors" --eval "$ex/eval.lua" --pool 10ether \
    --reward 2ether --fee 0.01ether --bond 1ether --slash-bps 2000 --min-improvement 0.001 \
    --deadline 1d --json >"$dir/task.json" 2>"$dir/task.err"; then
  ok "task created"
else
  cat "$dir/task.err"; bad "task created"
fi
task=$(node -e "console.log(JSON.parse(require('fs').readFileSync(process.argv[1],'utf8').trim().split('\n').pop()).taskId)" "$dir/task.json" 2>/dev/null || echo 1)
if ZARA_DEVNET_DIR="$dir" ZARA_KEYSTORE="$opt_ks" ZARA_PASSWORD_FILE="$pwfile" "$zara" submit "$task" \
    --params "$ex/trained.safetensors" --timeout 180 --json >"$dir/submit.json" 2>"$dir/submit.err"; then
  ok "a better model submitted and settled"
else
  tail -5 "$dir/submit.err"; bad "a better model submitted and settled"
fi

# a copy of the best model by another optimizer: valid, not better, 20% of its bond kept
opt_b_ks=$(js 's.accounts.optimizerB.keystore')
if ZARA_DEVNET_DIR="$dir" ZARA_KEYSTORE="$opt_b_ks" ZARA_PASSWORD_FILE="$pwfile" "$zara" submit "$task" \
    --params "$ex/trained.safetensors" --timeout 180 --json >"$dir/submit2.json" 2>"$dir/submit2.err"; then
  ok "a copy submitted and settled"
else
  tail -5 "$dir/submit2.err"; bad "a copy submitted and settled"
fi

# the dashboard's API must be served by the node
code=$(curl -s -o "$dir/summary.json" -w '%{http_code}' "$url/api/summary")
if [ "$code" = 200 ]; then ok "the node serves /api/summary"; else bad "the node serves /api/summary (HTTP $code: $(cat "$dir/summary.json"))"; finish; fi

# an operator withdraws its rewards: what it earned stays on the dashboard, as withdrawn
op_addr=$(js 's.nodes[0].address')
opinfo() {
  node -e 'fetch(process.argv[1] + "/api/operators").then((r) => r.json()).then((j) => {
      const o = j.operators.find((x) => x.address.toLowerCase() === process.argv[2].toLowerCase());
      console.log(o ? [o.rewardsWithdrawable, o.rewardsWithdrawn, o.rewardsEarned].join(" ") : "none");
    })' "$url" "$op_addr"
}
read -r w0 d0 e0 <<<"$(opinfo)"
if [ "${w0:-0}" != 0 ] && [ "${w0:-none}" != none ] &&
   ZARA_DEVNET_DIR="$dir" "$zara" rewards withdraw --keystore "$dir/keys/operator1" --password-file "$pwfile" \
     --json >"$dir/withdraw.json" 2>&1; then
  sleep 1
  read -r w1 d1 e1 <<<"$(opinfo)"
  if [ "$w1" = 0 ] && [ "$d1" = "$w0" ] && [ "$e1" = "$e0" ] && [ "$d0" = 0 ]; then
    ok "an operator's withdrawal moves its rewards from withdrawable to withdrawn ($w0 wei)"
  else
    bad "after a withdrawal: withdrawable $w0 -> $w1, withdrawn $d0 -> $d1, earned $e0 -> $e1"
  fi
else
  cat "$dir/withdraw.json" 2>/dev/null | tail -3
  bad "operator 1 has rewards to withdraw and withdraws them (withdrawable: ${w0:-none})"
fi

rm -rf "$shots"
count web/test/dashboard.mjs --url "$url" --shots "$shots" --chromium "$chromium"
finish
