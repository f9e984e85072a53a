#!/usr/bin/env bash
# Runs one libFuzzer target for SECONDS from its seed corpus (the seeds are read, never written:
# new inputs go to a temporary corpus), and keeps any crashing input in build/fuzz-crashes/.
#   run_fuzz.sh TARGET SEED_DIR SECONDS
set -euo pipefail
target=$1 seeds=$2 seconds=$3
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
crashes="$(dirname "$target")/fuzz-crashes"
mkdir -p "$crashes" "$work/corpus"
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
"$target" "$work/corpus" "$seeds" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
  -artifact_prefix="$crashes/$(basename "$target")-" -print_final_stats=1 2>"$work/log" || {
  tail -40 "$work/log" >&2
  exit 1
}
grep -E "stat::number_of_executed_units|stat::peak_rss_mb" "$work/log" || true
