#!/usr/bin/env bash
# The README's walk-through with the real `aftercare` binary: a new user's first commands, their
# exit codes and what they print. Usage: readme_example.sh path/to/aftercare
set -euo pipefail
aftercare=$1
data=$(mktemp -d)
trap 'rm -rf "$data"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

out=$("$aftercare" --data-dir "$data")
grep -q "aftercare plan start --treated" <<<"$out" || fail "no welcome: $out"

"$aftercare" --data-dir "$data" plan start --treated 2027-03-13T21:00 --zone America/Toronto \
  --areas face,neck --clinic "Glow Clinic" --clinic-phone "+1 416 555 0100" >/dev/null

json=$("$aftercare" --data-dir "$data" today --at 2027-03-14T21:30 --json)
grep -q '"ends": "2027-03-14T22:00:00-04:00"' <<<"$json" || fail "no_makeup end: $json"
grep -q '"occurrence": "cleanse_pm@2027-03-14T20:00"' <<<"$json" || fail "cleanse_pm: $json"

"$aftercare" --data-dir "$data" done cleanse_pm --at 2027-03-14T21:35 >/dev/null
text=$("$aftercare" --data-dir "$data" today --at 2027-03-14T21:40)
grep -q "\[x\] Evening cleanse" <<<"$text" || fail "cleanse_pm not done: $text"

set +e
"$aftercare" --data-dir "$data" done no_such_step 2>/dev/null
code=$?
set -e
[ "$code" -eq 2 ] || fail "unknown step exited $code, not 2"

mode=$(stat -c %a "$data/aftercare.db")
[ "$mode" = 600 ] || fail "database mode $mode, not 600"
echo "README example: ok"
