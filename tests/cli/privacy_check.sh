#!/usr/bin/env bash
# Privacy and hostile strings, with the real binary:
#  - every file and folder holding health data is owner-only (files 0600, folders 0700): the
#    database and its WAL, photos, exports and manifests, the clinic's folder and database;
#  - no patient text (what a note says about their skin) appears in anything the program writes
#    to stderr, on success or on failure: errors name the field and the problem, never the note
#    (a file name the user typed is named back, as where the problem is);
#  - SQL-like and path-like strings in notes and import file names are stored and shown verbatim
#    and never act as SQL or as paths.
# Usage: privacy_check.sh path/to/aftercare
set -euo pipefail
aftercare=$1
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
data="$work/data"
run() { "$aftercare" --data-dir "$data" --zone Europe/London --at 2027-06-11T12:00 "$@"; }

secret="ZEBRA-7731 left cheek"
sql="x'); DROP TABLE symptom_entry; --"
path="../../../../etc/passwd"
printf '\377\330\377\340 a jpeg by its first bytes' >"$work/photo.jpg"
{
  run plan start --treated 2027-06-10T09:00 --at 2027-06-10T09:30
  run log swelling 3 --note "$secret" --photo "$work/photo.jpg"
  run log redness 2 --note "$sql"
  run log itching 1 --note "$path"
  run log swelling 11 --note "$secret" || true                  # refused: severity
  run log nosuch 2 --note "$secret" || true                     # refused: symptom
  run log swelling 2 --note "$secret" --photo "$work/missing.jpg" || true  # refused: no photo
  run log swelling 2 --note "$secret" --felt 2031-01-01T00:00 || true        # refused: future
  run log edit 99 --note "$secret" || true                      # refused: no entry
  run checkin redness=1 --note "$secret"
  run status
  run history
  mkdir -m 700 "$data/exports"
  run export json --out "$data/exports/patient.json"
  run export csv --out "$data/exports/patient.csv"
  run export pdf --out "$data/exports/patient.pdf"
} >"$work/stdout" 2>"$work/stderr"

grep -q "ZEBRA" "$work/stderr" && fail "patient text on stderr: $(grep ZEBRA "$work/stderr")"
grep -q "DROP TABLE" "$work/stderr" && fail "a note on stderr"

history=$(run history --json)
grep -qF "\"note\": \"$secret\"" <<<"$history" || fail "the note was not kept verbatim"
grep -qF 'DROP TABLE symptom_entry; --' <<<"$history" || fail "the SQL-like note was not kept"
grep -qF "\"note\": \"$path\"" <<<"$history" || fail "the path-like note was not kept"
run verify >/dev/null || fail "the chain does not verify"
[ "$(sqlite3 "$data/aftercare.db" 'SELECT count(*) FROM symptom_entry')" -ge 4 ] ||
  fail "entries missing"

# A clinic import of files whose names look like SQL and like paths.
mkdir -p "$work/in"
cp "$data/exports/patient.json" "$work/in/x'; DROP TABLE patient;--.json"
cp "$data/exports/patient.json.manifest.json" "$work/in/x'; DROP TABLE patient;--.json.manifest.json"
printf '{}' >"$work/in/..%2F..%2Fetc%2Fpasswd.json"
"$aftercare" clinic --clinic-dir "$work/clinic" import "$work/in" --json >"$work/import" \
  2>>"$work/stderr" || true
grep -q '"outcome": "imported"' "$work/import" || fail "clinic import: $(cat "$work/import")"
grep -qF "x'; DROP TABLE patient;--.json\"" "$work/import" ||
  fail "the file name was not shown as is: $(cat "$work/import")"
[ "$(sqlite3 "$work/clinic/clinic.db" 'SELECT count(*) FROM patient')" = 1 ] ||
  fail "clinic patients"
[ "$(sqlite3 "$work/clinic/clinic.db" \
  "SELECT count(*) FROM import_file WHERE file LIKE '%DROP TABLE patient%'")" = 1 ] ||
  fail "the file name was not stored verbatim"
[ ! -e /etc/passwd.json ] || fail "a path-like name escaped"

# Owner-only: every file below the data and clinic folders.
bad=$(find "$data" "$work/clinic" \( -type f -perm /077 \) -o \( -type d -perm /077 \))
[ -z "$bad" ] || fail "not owner-only: $bad"
[ -n "$(find "$data/photos" -type f)" ] || fail "no photo stored"
echo "privacy: owner-only files, no patient text on stderr, hostile strings kept verbatim"
