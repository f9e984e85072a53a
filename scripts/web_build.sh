#!/usr/bin/env bash
# Builds the web app (the phone app for the browser) into build-web/platform/web/site and prints
# that folder: installs what is missing, builds the WebAssembly libraries once (scripts/web_deps.sh,
# cached outside the checkout), then the app; incremental after the first run.
# With --werror (the test command's way), warnings are errors.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
prefix=$(scripts/web_deps.sh)
# Debian's emscripten on Node 20 (../shared/PLATFORM.md): its JavaScript modules, and no fetch.
export NODE_PATH=/usr/share/nodejs NODE_OPTIONS=--no-experimental-fetch
werror=OFF
[ "${1:-}" = --werror ] && werror=ON
if [ ! -f build-web/build.ninja ] || ! grep -q "^AFTERCARE_WEB_PREFIX:PATH=$prefix\$" build-web/CMakeCache.txt ||
  ! grep -q "^AFTERCARE_WERROR:BOOL=$werror\$" build-web/CMakeCache.txt; then
  emcmake cmake -S . -B build-web -G Ninja -DCMAKE_BUILD_TYPE=MinSizeRel -DBUILD_TESTING=OFF \
    -DAFTERCARE_WEB_PREFIX="$prefix" -DAFTERCARE_WERROR=$werror >/dev/null
fi
cmake --build build-web >&2
echo "$PWD/build-web/platform/web/site"
