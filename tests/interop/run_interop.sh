#!/usr/bin/env bash
# Usage: tests/interop/run_interop.sh AFTERCARE_BINARY
#
# Independent JavaScript checks of our reminders and our .ics export, in five zones
# (both DST directions, a 30-minute DST shift, no DST, a half-hour offset). For each zone:
# a fresh data dir, a plan started at its treatment time with year_protocol.json (every
# routine for 366 d, sessions every 28 d), outdoors mode on from the treatment, then
#   - reminders_reference.mjs: the reminders of one year, recomputed with rrule + luxon,
#     must be exactly the ones `aftercare reminders list` gives (ids and instants);
#   - ics_check.mjs: `aftercare export ics`, read by node-ical and by ical.js, must hold
#     the same reminders, and be a well-formed calendar;
#   - `aftercare reminders window`: at most 48 notifications, ids unique, sorted by
#     fire_at, each one of the listed reminders.
# Then a second plan with dst_protocol.json (routines at 00:00..03:30 every 15-30 min and
# every 45 min, so they fall in every DST gap and overlap of these zones) is checked with
# reminders_reference.mjs only: it pins our gap rule (the offset before the gap, RFC 5545)
# and overlap rule (the earlier instant). Its .ics is not read with the libraries: on
# those days ical.js 2.2.1 takes the offset after the gap and the later instant of an
# overlap, and node-ical 0.26.1 moves a daily series that hits a gap by the gap's length
# for the rest of the series; neither is what RFC 5545 says.
# Installs the pinned npm packages (npm ci) only when node_modules is missing or older
# than package-lock.json. Prints one line per zone; exits 1 if any zone fails.
set -euo pipefail

if [[ $# -ne 1 ]]; then
  echo "usage: $0 AFTERCARE_BINARY" >&2
  exit 2
fi
aftercare="$(cd "$(dirname "$1")" && pwd)/$(basename "$1")"
if [[ ! -x "$aftercare" ]]; then
  echo "run_interop: $1 is not an executable" >&2
  exit 2
fi
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
protocol="$here/year_protocol.json"
dst_protocol="$here/dst_protocol.json"

if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  echo "run_interop: node and npm are needed (Node 20)" >&2
  exit 1
fi
if [[ ! -d "$here/node_modules" || "$here/package-lock.json" -nt "$here/node_modules" ]]; then
  if ! npm_log="$(cd "$here" && npm ci --no-audit --no-fund --prefer-offline 2>&1)"; then
    echo "run_interop: npm ci failed in $here:" >&2
    echo "$npm_log" >&2
    exit 1
  fi
  touch "$here/node_modules"
fi

work="$(mktemp -d)"
keep=0 # a failing run keeps its files (plans, reminders, .ics) for a look
trap 'if [[ $keep -eq 0 ]]; then rm -rf "$work"; fi' EXIT

# Treatment time per zone (local wall clock): the year after it holds both DST changes.
zones=(America/Toronto Europe/London Australia/Lord_Howe Asia/Kolkata America/St_Johns)
declare -A treated=(
  [America/Toronto]=2027-01-10T21:00
  [Europe/London]=2027-01-10T21:00
  [Australia/Lord_Howe]=2027-01-10T21:00
  [Asia/Kolkata]=2027-01-10T21:00
  [America/St_Johns]=2027-01-10T21:00
)

# The window of notifications to hand to the OS: at most 48, ids unique, sorted by
# fire_at, and each one a reminder of the list.
check_window() { # WINDOW.json REMINDERS.json
  node --input-type=module - "$1" "$2" <<'EOF'
import { readFileSync } from 'node:fs';
const [windowPath, remindersPath] = process.argv.slice(2);
const win = JSON.parse(readFileSync(windowPath, 'utf8'));
const listed = new Set(JSON.parse(readFileSync(remindersPath, 'utf8')).reminders.map((r) => r.reminder));
const items = win.notifications;
const problems = [];
if (!Array.isArray(items)) problems.push('no "notifications" array');
else {
  if (items.length > 48) problems.push(`${items.length} notifications (more than 48)`);
  if (items.length === 0) problems.push('no notifications at all');
  const seen = new Set();
  let last = -Infinity;
  for (const n of items) {
    if (seen.has(n.reminder)) problems.push(`${n.reminder} twice`);
    seen.add(n.reminder);
    if (!listed.has(n.reminder)) problems.push(`${n.reminder} is not in reminders list`);
    const t = Date.parse(n.fire_at);
    if (Number.isNaN(t)) problems.push(`${n.reminder}: bad fire_at ${n.fire_at}`);
    else if (t < last) problems.push(`${n.reminder}: fire_at ${n.fire_at} comes before the previous one`);
    else last = t;
  }
}
if (problems.length > 0) {
  console.error(`window: ${problems.slice(0, 20).join('; ')}`);
  process.exit(1);
}
console.log(`window OK (${items.length})`);
EOF
}

passed=0
failed=0
for zone in "${zones[@]}"; do
  t="${treated[$zone]}"
  t_end="$((10#${t:0:4} + 1))${t:4}" # the same wall-clock time a year later
  dir="$work/${zone//\//_}"
  mkdir -p "$dir/data" "$dir/dst"
  ac() { "$aftercare" --data-dir "$dir/data" --zone "$zone" "$@"; }
  dst() { "$aftercare" --data-dir "$dir/dst" --zone "$zone" "$@"; }
  log="$dir/log.txt"
  if {
    ac plan start --treated "$t" --zone "$zone" --at "$t" --protocol "$protocol" &&
      ac outdoors on --at "$t" &&
      ac plan show --json >"$dir/plan.json" &&
      ac reminders list --from "$t" --to "$t_end" --json --at "$t" >"$dir/reminders.json" &&
      ac export ics --out "$dir/cal.ics" --at "$t" &&
      ac reminders window --json --at "$t" >"$dir/window.json" &&
      dst plan start --treated "$t" --zone "$zone" --at "$t" --protocol "$dst_protocol" &&
      dst outdoors on --at "$t" &&
      dst plan show --json >"$dir/dst_plan.json" &&
      dst reminders list --from "$t" --to "$t_end" --json --at "$t" >"$dir/dst_reminders.json"
  } >"$log" 2>&1; then
    ok=1
    ref="$(node "$here/reminders_reference.mjs" "$dir/plan.json" "$dir/reminders.json" 2>&1)" || ok=0
    ics="$(node "$here/ics_check.mjs" "$dir/cal.ics" "$dir/reminders.json" "$dir/plan.json" 2>&1)" || ok=0
    win="$(check_window "$dir/window.json" "$dir/reminders.json" 2>&1)" || ok=0
    edge="$(node "$here/reminders_reference.mjs" "$dir/dst_plan.json" "$dir/dst_reminders.json" 2>&1)" || ok=0
    if [[ $ok -eq 1 ]]; then
      passed=$((passed + 1))
      n_ref="$(sed -E 's/^reminders_reference: OK ([0-9]+) .*/\1/' <<<"$ref")"
      n_ics="$(sed -E 's/^ics_check: OK .* with ([0-9]+ reminders \+ [0-9]+ session).*/\1/' <<<"$ics")"
      n_edge="$(sed -E 's/^reminders_reference: OK ([0-9]+) .*\(([0-9]+) on DST.*/\1, \2 in DST gaps or overlaps/' <<<"$edge")"
      echo "PASS $zone (treated $t, one year): reference $n_ref reminders | ics $n_ics (node-ical, ical.js) | $win | DST-edge reference $n_edge"
    else
      failed=$((failed + 1))
      echo "FAIL $zone (treated $t)"
      printf '%s\n%s\n%s\n%s\n' "$ref" "$ics" "$win" "DST-edge plan: $edge" | sed 's/^/    /'
    fi
  else
    failed=$((failed + 1))
    echo "FAIL $zone (treated $t): the aftercare CLI failed"
    sed 's/^/    /' "$log"
  fi
done

# A trip: Toronto, Tokyo from 3 June, home on 5 June (the built-in protocol). The .ics written
# at home must hold the same instants as `reminders list`, routines split where the zone
# changed (each series with its own zone's TZID and VTIMEZONE), read by node-ical and ical.js.
trip="$work/trip"
mkdir -p "$trip/data"
trip_ac() { "$aftercare" --data-dir "$trip/data" "$@"; }
if {
  trip_ac --zone America/Toronto plan start --treated 2027-06-01T16:00 --at 2027-06-01T16:30 &&
    trip_ac --zone Asia/Tokyo today --at 2027-06-03T10:00 &&
    trip_ac --zone America/Toronto today --at 2027-06-05T19:30 &&
    trip_ac --zone America/Toronto plan show --json >"$trip/plan.json" &&
    trip_ac --zone America/Toronto reminders list --from 2027-06-01T16:00 --to 2027-07-01T16:00 \
      --json --at 2027-06-05T19:30 >"$trip/reminders.json" &&
    trip_ac --zone America/Toronto export ics --out "$trip/cal.ics" --at 2027-06-05T19:30
} >"$trip/log.txt" 2>&1; then
  if ics="$(node "$here/ics_check.mjs" "$trip/cal.ics" "$trip/reminders.json" "$trip/plan.json" 2>&1)" &&
    tzids="$(grep -c '^BEGIN:VTIMEZONE' "$trip/cal.ics")" && [[ $tzids -eq 2 ]]; then
    passed=$((passed + 1))
    echo "PASS trip Toronto > Tokyo > Toronto: $ics ($tzids VTIMEZONEs)"
  else
    failed=$((failed + 1))
    echo "FAIL trip Toronto > Tokyo > Toronto (VTIMEZONEs: ${tzids:-?})"
    sed 's/^/    /' <<<"$ics"
  fi
else
  failed=$((failed + 1))
  echo "FAIL trip: the aftercare CLI failed"
  sed 's/^/    /' "$trip/log.txt"
fi

if [[ $failed -ne 0 ]]; then
  keep=1
  echo "run_interop: the files of this run are kept in $work"
fi
echo "interop: $passed passed, $failed failed"
[[ $failed -eq 0 ]]
