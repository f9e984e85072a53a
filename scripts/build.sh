#!/usr/bin/env bash
# Configures (once) and builds aftercare in ./build with Ninja; incremental after the first run.
# With --werror (the test command's way), warnings are errors; otherwise the build keeps
# whatever the build folder was configured with (warnings are not errors by default).
set -euo pipefail
cd "$(dirname "$0")/.."
werror=()
[ "${1:-}" = --werror ] && werror=(-DAFTERCARE_WERROR=ON)
if [ ! -f build/build.ninja ]; then
  cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo "${werror[@]}" >/dev/null
elif [ ${#werror[@]} -gt 0 ] && ! grep -q '^AFTERCARE_WERROR:BOOL=ON$' build/CMakeCache.txt; then
  cmake build "${werror[@]}" >/dev/null
fi
cmake --build build
