#!/usr/bin/env bash
# The clinician's PDF report rendered by poppler: pdftoppm draws every page, pdftotext finds the
# verdict, its reasons, the flags by day, adherence and a chart per logged symptom.
# Usage: tests/interop/pdf_check.sh AFTERCARE_BINARY
set -euo pipefail
aftercare=$1
data=$(mktemp -d)
trap 'rm -rf "$data"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
run() { "$aftercare" --data-dir "$data/db" --zone Europe/London "$@" >/dev/null; }
run plan start --treated 2027-06-10T09:00 --areas face --clinic "Glow Clinic" \
  --clinic-phone "+44 20 7946 0000" --at 2027-06-10T09:30
run done cleanse_pm --at 2027-06-10T20:05
run checkin redness=4 swelling=3 --at 2027-06-10T19:30
run checkin redness=3 swelling=1 --at 2027-06-11T19:30
run checkin redness=5 swelling=4 --at 2027-06-13T19:30
run log fever 1 --at 2027-06-13T20:00
run export pdf --out "$data/report.pdf" --at 2027-06-13T21:00
pdftoppm -png -r 50 "$data/report.pdf" "$data/page" || fail "pdftoppm could not render"
ls "$data"/page*.png >/dev/null 2>&1 || fail "no page rendered"
text=$(pdftotext "$data/report.pdf" -)
for expected in "Microneedling aftercare report" "Urgent: possible infection" \
  "Fever or chills can be a sign of infection." "Flags by day" "Day 3 (urgent)" \
  "Swelling came back after it had improved." "Adherence" "Redness" "Swelling" \
  "Fever or chills" "Glow Clinic, +44 20 7946 0000"; do
  grep -qF "$expected" <<<"$text" || fail "the report does not say: $expected"
done
echo "pdf report: $(ls "$data"/page*.png | wc -l) page(s) rendered, text checks passed"
