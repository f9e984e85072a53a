#!/usr/bin/env bash
# The whole test suite again under AddressSanitizer and UndefinedBehaviorSanitizer (build-sanitize,
# g++), then each libFuzzer target for a short run from its seed corpus (build-fuzz, clang).
# scripts/test.sh runs this before its final ctest; it also runs on its own. Run the fuzz targets
# longer with: tests/fuzz/run_fuzz.sh build-fuzz/tests/fuzz/TARGET tests/fuzz/corpus/TARGET SECONDS
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
# -O1 -g1 (line tables, enough for symbolized reports): what the sanitizers' authors advise, and
# the compile takes less than half the time of -O2 -g, which is most of a cold run's own work here.
# Configured every time (a no-op when nothing changed), so that an existing tree takes new flags.
cmake -S . -B build-sanitize -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DAFTERCARE_WERROR=ON \
  -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -g1 -DNDEBUG" \
  -DCMAKE_CXX_FLAGS="-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined" \
  -DCMAKE_EXE_LINKER_FLAGS="-fsanitize=address,undefined" >/dev/null
cmake --build build-sanitize >/dev/null
# Leaks inside system libraries (fontconfig, SDL's drivers) are suppressed by name; ours are not.
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
export LSAN_OPTIONS="suppressions=$root/tests/sanitizers/lsan.supp:print_suppressions=0"
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
# Each run's full output goes to a log; on a failure the end of it is shown.
run_ctest() {  # title, log, ctest arguments...
  local title=$1 log=$2
  shift 2
  echo "== $title" >&2
  if ! ctest "$@" >"$log" 2>&1; then
    tail -200 "$log" >&2
    return 1
  fi
  grep -E "tests passed" "$log" >&2
}
run_ctest "the test suite under AddressSanitizer + UndefinedBehaviorSanitizer" \
  build-sanitize/ctest.log --test-dir build-sanitize --output-on-failure -j "$(nproc)" -LE "packaging|build_independent|memory" \
  --timeout 900

CXX=clang++-14 cmake -S . -B build-fuzz -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DAFTERCARE_FUZZ=ON \
  -DAFTERCARE_WERROR=ON -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -g1 -DNDEBUG" \
  -DCMAKE_CXX_FLAGS="-fsanitize=fuzzer-no-link,address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined" \
  >/dev/null
cmake --build build-fuzz --target fuzz_all >/dev/null
run_ctest "each fuzz target for a short run from its seed corpus" build-fuzz/ctest.log \
  --test-dir build-fuzz --output-on-failure -L fuzz
