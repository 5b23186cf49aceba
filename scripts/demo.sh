#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# `make demo`: runs `zara demo` from the release build — it starts a devnet in
# $ZARA_DEVNET_DIR (default ~/.zara/devnet) if none is running and tells the x² story.
# The devnet keeps running afterwards; stop it with `build/release/zara devnet down`.
set -euo pipefail
cd "$(dirname "$0")/.."
export ZARA_ROOT="$(pwd)"
exec build/release/zara demo "$@"
