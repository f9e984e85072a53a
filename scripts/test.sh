#!/usr/bin/env bash
# Installs what is missing, builds, and runs the whole test suite; ends with ctest's summary.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
scripts/build.sh --werror
# The web app, which tests/web drives in Chromium (its libraries are cached outside the checkout).
scripts/web_build.sh --werror >/dev/null
# The independent checkers' npm packages, pinned in the lock file: installed once, before the
# tests run in parallel (npm ci replaces node_modules whole).
interop=tests/interop
if [[ ! -d $interop/node_modules || $interop/package-lock.json -nt $interop/node_modules ]]; then
  (cd "$interop" && npm ci --no-audit --no-fund --prefer-offline --loglevel=error >/dev/null)
  touch "$interop/node_modules"
fi
# The suite under ASan + UBSan, and the fuzz targets briefly (their own builds).
scripts/test_sanitizers.sh
ctest --test-dir build --output-on-failure -j "$(nproc)"
