#!/usr/bin/env bash
# Our CSV export read back by two independent readers, Python's csv module and csv-parse (npm,
# pinned in package-lock.json): same header, one row per event, tricky notes intact (commas,
# quotes, line breaks, accents), formulas neutralised, ISO 8601 times with offsets; the
# manifest's SHA-256 matches.
# Usage: tests/interop/csv_check.sh AFTERCARE_BINARY
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
aftercare=$1
data=$(mktemp -d)
trap 'rm -rf "$data"' EXIT
source "$here/ensure_packages.sh"
run() { "$aftercare" --data-dir "$data/db" --zone Europe/Paris "$@"; }
run plan start --treated 2027-06-10T09:00 --at 2027-06-10T09:30 >/dev/null
run done cleanse_pm --at 2027-06-10T20:05 >/dev/null
notes=('chaud, comme un coup de soleil' 'she said "it stings"' $'two\nlines' 'rougeur légère ✓')
for i in "${!notes[@]}"; do
  run log redness $((i + 1)) --note "${notes[$i]}" --at "2027-06-11T1${i}:00" >/dev/null
done
run log edit 1 --severity 2 --at 2027-06-11T15:00 >/dev/null
run checkin swelling=2 itching=0 --at 2027-06-11T19:30 >/dev/null
# Notes a spreadsheet would run as formulas come back with OWASP's apostrophe before them.
formulas=('=1+1' '-2+3' '@SUM(A1)' '+33 1 23 45 67 89' '=HYPERLINK("http://example.org","x")')
for i in "${!formulas[@]}"; do
  run log itching 1 "--note=${formulas[$i]}" --at "2027-06-11T20:0${i}" >/dev/null
  notes+=("'${formulas[$i]}")
done
run export csv --out "$data/export.csv" --at 2027-06-12T09:00 >/dev/null

manifest="$data/export.csv.manifest.json"
digest=$(sha256sum "$data/export.csv" | cut -d' ' -f1)
grep -q "\"sha256\": \"$digest\"" "$manifest" || { echo "FAIL: manifest digest" >&2; exit 1; }
[ "$(stat -c %a "$data/export.csv")" = 600 ] || { echo "FAIL: export is not 0600" >&2; exit 1; }

# Rows: every step event and symptom version, and every missed step (counts in the manifest).
rows=$(python3 - "$manifest" <<'PY'
import json, sys
counts = json.load(open(sys.argv[1]))["counts"]
print(counts["step_events"] + counts["missed_steps"] + counts["symptom_versions"])
PY
)
columns=$(python3 -c 'import csv,sys; print(",".join(next(csv.reader(open(sys.argv[1], encoding="utf-8-sig", newline="")))))' "$data/export.csv")
python3 - "$data/export.csv" "$rows" "${notes[@]}" <<'PY'
import csv, re, sys
path, rows, notes = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
with open(path, encoding="utf-8-sig", newline="") as f:
    records = list(csv.DictReader(f))
assert len(records) == rows, f"python csv: {len(records)} rows, expected {rows}"
got = {r["note"] for r in records}
for note in notes:
    assert note in got, f"python csv: note {note!r} did not come back"
for r in records:
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d", r["event_time"]), r
kinds = {(r["kind"], r["action"]) for r in records}
for kind in [("step", "done"), ("step", "missed"), ("symptom", "logged"), ("symptom", "edited")]:
    assert kind in kinds, f"python csv: no {kind} row"
print(f"python csv: {len(records)} rows, notes intact")
PY
python3 - "$columns" "$rows" "${notes[@]}" >"$data/expected.json" <<'PY'
import json, sys
print(json.dumps({"columns": sys.argv[1].split(","), "rows": int(sys.argv[2]), "notes": sys.argv[3:]}))
PY
node "$here/csv_check.mjs" "$data/export.csv" "$data/expected.json"
