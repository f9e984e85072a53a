#!/usr/bin/env bash
# Our FHIR R4 Bundle export handed to independent validators: @medplum/core validateResource and
# the fhir package (FHIR.js), plus the checks neither makes (offsets on every dateTime, references
# that resolve). Two sessions, check-ins, edits, a delete, notes with quotes and accents.
# Usage: tests/interop/fhir_export_check.sh AFTERCARE_BINARY
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
aftercare=$1
data=$(mktemp -d)
trap 'rm -rf "$data"' EXIT
source "$here/ensure_packages.sh"
run() { "$aftercare" --data-dir "$data/db" --zone America/Toronto "$@" >/dev/null; }
run plan start --treated 2027-03-13T21:00 --areas face,neck,scalp --clinic "Glow Clinic" \
  --clinic-phone "+1 416 555 0100" --device "pen, 1.0 mm" --products "hyaluronic acid" \
  --at 2027-03-13T21:30
run done cleanse_pm --at 2027-03-14T20:05
run log redness 4 --area face --note 'warm, "like" a sunburn; légère' --at 2027-03-14T20:20
run checkin redness=3 swelling=2 itching=0 pain=1 --at 2027-03-15T19:30
run log edit 1 --severity 3 --at 2027-03-15T19:31
run log pus 1 --at 2027-03-16T08:00
run log delete 6 --at 2027-03-16T08:05
run log bumps 2 --area neck --at 2027-03-16T09:00
run plan start --treated 2027-04-10T10:00 --areas face --at 2027-04-10T10:30
run checkin redness=5 fever=1 --at 2027-04-11T09:00
run export fhir --out "$data/bundle.json" --at 2027-04-12T12:00
node "$here/fhir_check.mjs" "$data/bundle.json"
