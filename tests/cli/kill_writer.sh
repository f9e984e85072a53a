#!/usr/bin/env bash
# Kills writers (`aftercare log`, `checkin`, `log edit`) with SIGKILL at random moments across
# their whole run, many times, and checks that every write the CLI acknowledged (printed its JSON
# and exited 0) is still there, that the chain verifies, and that SQLite's integrity check passes.
# The suite runs 60 trials; the long form is `kill_writer.sh path/to/aftercare 200`.
# Usage: kill_writer.sh path/to/aftercare [TRIALS]
set -euo pipefail
aftercare=$1
trials=${2:-60}
data=$(mktemp -d)
out=$(mktemp -d)
trap 'rm -rf "$data" "$out"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
run() { "$aftercare" --data-dir "$data" --zone Europe/London "$@"; }

run plan start --treated 2027-06-10T09:00 --at 2027-06-10T09:30 >/dev/null

# How long one write takes here: kills are spread over 0 to 1.5 times that, so that some land
# before the write, some during it and some after.
start=$(date +%s%N)
for _ in 1 2 3 4 5; do run --at 2027-06-11T12:00 log itching 1 >/dev/null; done
span_us=$((($(date +%s%N) - start) / 5000 * 3 / 2))

acknowledged=()
killed=0
entry=0
for i in $(seq 1 "$trials"); do
  note="trial-$i"
  case $((RANDOM % 3)) in
    0) command=(log redness 2 --note "$note") ;;
    1) command=(checkin redness=1 swelling=0 --note "$note") ;;
    2) command=(log edit "$((entry > 0 ? entry : 1))" --note "$note") ;;
  esac
  # The program itself in the background: a shell function's subshell would take the kill
  # while the program ran on.
  "$aftercare" --data-dir "$data" --zone Europe/London --at 2027-06-11T12:00 "${command[@]}" \
    --json >"$out/$i" 2>/dev/null &
  pid=$!
  sleep "$(awk -v us=$((RANDOM * span_us / 32768)) 'BEGIN {printf "%.6f", us / 1e6}')"
  kill -KILL "$pid" 2>/dev/null || true
  if wait "$pid" 2>/dev/null; then
    grep -q "\"note\": \"$note\"" "$out/$i" || fail "trial $i exited 0 without printing its write"
    acknowledged+=("$note")
    entry=$(sed -n 's/.*"entry": \([0-9]*\).*/\1/p' "$out/$i" | head -1)
  else
    killed=$((killed + 1))
  fi
done

history=$(run history --json)
for note in "${acknowledged[@]}"; do
  grep -q "\"note\": \"$note\"" <<<"$history" || fail "acknowledged write $note was lost"
done
run verify >/dev/null || fail "the chain does not verify"
if command -v sqlite3 >/dev/null; then
  [ "$(sqlite3 "$data/aftercare.db" 'PRAGMA integrity_check')" = ok ] || fail "integrity_check"
fi
echo "kill test: $trials trials (log, checkin, log edit), ${#acknowledged[@]} acknowledged and all" \
  "present, $killed killed mid-run; chain and integrity ok"
