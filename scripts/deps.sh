#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Installs everything Zarathustra needs on a fresh Debian 12 machine: the Debian packages
# (compilers, libraries, test and benchmark peers) and the pinned npm toolchain (anvil,
# forge, cast, solc-js, @noble/curves, mcl-wasm, IPFS). Idempotent: when everything is
# already present it only checks, which takes a few seconds.
set -euo pipefail
cd "$(dirname "$0")/.."

APT_PACKAGES=(
  build-essential cmake pkg-config clang llvm lld libclang-rt-14-dev valgrind
  libcmocka-dev libjansson-dev libsecp256k1-dev libcurl4-openssl-dev libssl-dev
  libsqlite3-dev liblua5.4-dev libmicrohttpd-dev libmpfr-dev libgmp-dev
  python3-torch python3-numpy libopenblas0-pthread qemu-user gcc-aarch64-linux-gnu libc6-dev-arm64-cross
  nodejs npm curl ca-certificates git hyperfine chromium
)

missing=()
for p in "${APT_PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
# Node and npm may come from outside Debian on some machines; accept a working one.
if command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1; then
  tmp=()
  for p in "${missing[@]}"; do [[ "$p" == nodejs || "$p" == npm ]] || tmp+=("$p"); done
  missing=("${tmp[@]+"${tmp[@]}"}")
fi
if ((${#missing[@]})); then
  echo "deps: installing Debian packages: ${missing[*]}"
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# npm toolchain, pinned by package-lock.json. Re-run `npm ci` only when the lock changed.
stamp=node_modules/.zara-lock-sha256
want=$(sha256sum package-lock.json | cut -d' ' -f1)
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
  echo "deps: npm ci"
  npm ci --no-audit --no-fund --loglevel=error
  echo "$want" > "$stamp"
fi

# Dashboard toolchain, if the web/ package exists.
if [ -f web/package-lock.json ]; then
  wstamp=web/node_modules/.zara-lock-sha256
  wwant=$(sha256sum web/package-lock.json | cut -d' ' -f1)
  if [ ! -f "$wstamp" ] || [ "$(cat "$wstamp")" != "$wwant" ]; then
    (cd web && npm ci --no-audit --no-fund --loglevel=error)
    echo "$wwant" > "$wstamp"
  fi
fi

for b in anvil forge cast solcjs; do
  [ -x "node_modules/.bin/$b" ] || { echo "deps: node_modules/.bin/$b missing" >&2; exit 1; }
done
chmod +x scripts/solc-adapter.sh
echo "deps: ok"
