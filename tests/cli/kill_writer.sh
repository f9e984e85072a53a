#!/usr/bin/env bash
# Kills `aftercare log` with SIGKILL at random moments, many times, and checks that every entry
# the CLI acknowledged (printed its JSON and exited 0) is still there, that the chain verifies,
# and that SQLite's integrity check passes.
# Usage: kill_writer.sh path/to/aftercare [TRIALS]
set -euo pipefail
aftercare=$1
trials=${2:-60}
data=$(mktemp -d)
out=$(mktemp -d)
trap 'rm -rf "$data" "$out"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

"$aftercare" --data-dir "$data" --zone Europe/London plan start --treated 2027-06-10T09:00 \
  --at 2027-06-10T09:30 >/dev/null

acknowledged=()
killed=0
for i in $(seq 1 "$trials"); do
  note="trial-$i"
  "$aftercare" --data-dir "$data" --zone Europe/London --at 2027-06-11T12:00 \
    log redness 2 --note "$note" --json >"$out/$i" 2>/dev/null &
  pid=$!
  sleep "0.$(printf '%03d' $((RANDOM % 12)))"
  kill -KILL "$pid" 2>/dev/null || true
  if wait "$pid" 2>/dev/null; then
    grep -q "\"note\": \"$note\"" "$out/$i" || fail "trial $i exited 0 without printing its entry"
    acknowledged+=("$note")
  else
    killed=$((killed + 1))
  fi
done

history=$("$aftercare" --data-dir "$data" --zone Europe/London history --json)
for note in "${acknowledged[@]}"; do
  grep -q "\"note\": \"$note\"" <<<"$history" || fail "acknowledged entry $note was lost"
done
"$aftercare" --data-dir "$data" verify >/dev/null || fail "the chain does not verify"
if command -v sqlite3 >/dev/null; then
  [ "$(sqlite3 "$data/aftercare.db" 'PRAGMA integrity_check')" = ok ] || fail "integrity_check"
fi
echo "kill test: $trials trials, ${#acknowledged[@]} acknowledged and all present, $killed killed" \
  "mid-run; chain and integrity ok"
