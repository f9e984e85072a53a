#!/usr/bin/env bash
# The apps' start-up, memory and idle figures, with the real executables on a real X server
# (Xvfb; SDL's offscreen driver polls for events every millisecond and loads Mesa for EGL, which
# says nothing about the apps):
#  - launch to first frame: the wall time of `--screenshot` (start, open the database, build the
#    fonts, lay out, render, write the PNG), median of 5;
#  - peak memory: the peak resident set (VmHWM) of the desktop app after 13 s open;
#  - idle CPU: that app left open 10 s with nothing happening, CPU seconds used (target: the
#    process sleeps, so close to 0).
# Then the per-frame CPU of each screen with a year of data (build/tests/bench/ui_bench).
#   tests/bench/run_ui.sh [BUILD_DIR]        (needs xvfb-run: package xvfb)
set -euo pipefail
build=$(realpath "${1:-build}")
if [ -z "${AFTERCARE_UNDER_XVFB:-}" ]; then
  AFTERCARE_UNDER_XVFB=1 SDL_VIDEODRIVER=x11 exec xvfb-run -a bash "$0" "$build"
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export XDG_RUNTIME_DIR="$work"
"$build/platform/cli/aftercare" --data-dir "$work/data" --zone America/Toronto \
  --at 2027-03-10T11:00 plan start --treated 2027-03-10T10:00 >/dev/null
for app in phone desktop; do
  for _ in 1 2 3 4 5; do
    /usr/bin/time -f "%e" -a -o "$work/$app.times" "$build/platform/$app/aftercare-$app" \
      --data-dir "$work/data" --zone America/Toronto --at 2027-03-14T19:50 \
      --screenshot "$work/shot.png" 2>/dev/null
  done
  sort -n "$work/$app.times" | sed -n 3p |
    awk -v app="$app" '{printf "%-8s launch to first frame (median of 5): %.0f ms\n", app, $1 * 1000}'
done
"$build/platform/desktop/aftercare-desktop" --data-dir "$work/data" --zone America/Toronto \
  2>/dev/null &
pid=$!
sleep 3
ticks() { awk '{print $14 + $15}' "/proc/$pid/stat"; }
before=$(ticks)
sleep 10
after=$(ticks)
peak=$(awk '/VmHWM/ {print $2}' "/proc/$pid/status")
kill "$pid"
wait "$pid" 2>/dev/null || true
awk -v t=$((after - before)) -v hz="$(getconf CLK_TCK)" -v peak="$peak" 'BEGIN {
  printf "desktop  idle for 10 s: %.2f s of CPU (%.1f %% of one core)\n", t / hz, t / hz * 10
  printf "desktop  peak memory (VmHWM): %.1f MiB\n", peak / 1024 }'
"$build/tests/bench/ui_bench" --benchmark_min_time=0.2
