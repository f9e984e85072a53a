#!/usr/bin/env bash
# One year of the default plan's reminders (every routine for 366 d, outdoors re-application on
# every day, restriction ends, the next session; America/Toronto from 2027-01-10T21:00), expanded
# by our C++ core and by the rrule + luxon reference, in one run. Prints both and the ratio.
# Usage: tests/bench/run_reminders.sh [BUILD_DIR]   (after ./scripts/test.sh has built it)
set -euo pipefail
cd "$(dirname "$0")/../.."
build=${1:-build}
[ -d tests/interop/node_modules ] || (cd tests/interop && npm ci --no-audit --no-fund --prefer-offline >/dev/null)
cpp_ns=$("$build/tests/bench/reminders_bench" --benchmark_filter=BM_ExpandYearOfReminders \
  --benchmark_repetitions=5 --benchmark_report_aggregates_only=true --benchmark_format=json |
  node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{const b=JSON.parse(s).benchmarks.find(x=>x.aggregate_name==="median");const f={ns:1,us:1e3,ms:1e6}[b.time_unit];console.log(Math.round(b.real_time*f));});')
read -r _ ref_ns _ ref_count < <(node tests/bench/reference_expand.mjs)
echo "C++ core:        $((cpp_ns / 1000)) us per year of reminders (median of 5)"
echo "rrule + luxon:   $((ref_ns / 1000)) us per year of reminders ($ref_count occurrences)"
echo "ratio:           $((ref_ns / cpp_ns)) x faster"
