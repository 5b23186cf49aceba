#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Builds the dashboard: compiles web/src/*.ts with the pinned TypeScript into web/dist/ and
# copies the page and its style sheet next to the scripts, so web/dist/ is everything the
# node serves (web_dir = web/dist; web/index.html also redirects there).
set -euo pipefail
cd "$(dirname "$0")/../web"
if [ ! -x node_modules/.bin/tsc ]; then
  npm ci --no-audit --no-fund --loglevel=error
fi
rm -rf dist.tmp
node_modules/.bin/tsc -p tsconfig.json --outDir dist.tmp
cp src/index.html src/style.css dist.tmp/
rm -rf dist
mv dist.tmp dist
