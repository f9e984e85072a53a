#!/usr/bin/env bash
# Renders every screen of both apps from one fixed patient (and a clinic of fixture exports) with
# the software renderer, and compares each PNG byte for byte with tests/golden/. The renderer's
# output is byte-stable across x86-64 processors (the host rounds vertices to 1/64 px, see
# sdl_host.cpp), so any difference is a change on screen: look at it, then regenerate the
# goldens on purpose with --update.
#
#   golden_screens.sh AFTERCARE AFTERCARE_PHONE AFTERCARE_DESKTOP SOURCE_DIR [--update]
set -euo pipefail
cli=$1 phone=$2 desktop=$3 source=$4 update=${5:-}
golden="$source/tests/golden"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export SDL_VIDEODRIVER=offscreen XDG_RUNTIME_DIR="$work"

# The patient: a treatment in Toronto on 10 March 2027, four evenings of check-ins, one step done,
# one swelling entry with a note; looked at on day 4 at 19:50.
data="$work/patient"
run() { "$cli" --data-dir "$data" --zone America/Toronto "$@" >/dev/null; }
# The device's key is drawn in Settings: the fixtures' test-only key, not a new random one.
mkdir -m 700 "$data"
install -m 600 "$source/tests/fixtures/keys/fixture_device.key" "$data/device.key"
run --at 2027-03-10T11:00 plan start --treated 2027-03-10T10:00 --clinic "Glow Clinic" \
  --clinic-phone "+1 416 555 0100"
for day in 10 11 12 13 14; do
  run --at "2027-03-${day}T19:00" checkin "redness=$((16 - day))" "swelling=$((14 - day))" itching=1
done
run --at 2027-03-12T08:05 done cleanse_am
run --at 2027-03-14T19:50 log swelling 3 --note "left cheek"
"$cli" --zone America/Toronto --at 2027-03-14T19:40 clinic --clinic-dir "$work/clinic" \
  import "$source/tests/fixtures/clinic" >/dev/null

failed=0
check() {  # name, then the app's command line
  local name=$1
  shift
  "$@" --screenshot "$work/$name.png" 2>/dev/null
  if [ "$update" = --update ]; then
    cp "$work/$name.png" "$golden/$name.png"
  elif ! cmp -s "$work/$name.png" "$golden/$name.png"; then
    mkdir -p "$source/build/golden-diff"
    cp "$work/$name.png" "$source/build/golden-diff/$name.png"
    echo "DIFFERS: $name (new frame in build/golden-diff/$name.png)" >&2
    failed=1
  fi
}
at=(--zone America/Toronto --at 2027-03-14T19:50)
check phone-onboarding "$phone" --data-dir "$work/new" "${at[@]}" --screen onboarding
check desktop-onboarding "$desktop" --data-dir "$work/new" "${at[@]}" --screen onboarding
for screen in today log progress reminders settings; do
  check "phone-$screen" "$phone" --data-dir "$data" "${at[@]}" --screen "$screen"
  check "desktop-$screen" "$desktop" --data-dir "$data" "${at[@]}" --clinic-dir "$work/clinic" \
    --screen "$screen"
done
check desktop-clinic "$desktop" --data-dir "$data" "${at[@]}" --clinic-dir "$work/clinic" \
  --screen clinic
urgent=$("$cli" clinic --clinic-dir "$work/clinic" list --status urgent --json |
  sed -n 's/.*"patient": "\(P-[0-9a-f]*\)".*/\1/p' | head -1)
check desktop-clinic-patient "$desktop" --data-dir "$data" "${at[@]}" --clinic-dir "$work/clinic" \
  --patient "$urgent" --screen clinic
# The clinic's own protocol (the fixtures' override, at a fixed time): the verdict says whose
# protocol it follows and where the patient's differs.
"$cli" --zone America/Toronto --at 2027-03-14T19:45 clinic --clinic-dir "$work/clinic" \
  protocol set "$source/tests/fixtures/protocols/clinic_override.json" >/dev/null
check desktop-clinic-protocol "$desktop" --data-dir "$data" "${at[@]}" \
  --clinic-dir "$work/clinic" --patient "$urgent" --screen clinic
[ "$failed" -eq 0 ] || exit 1
echo "15 screens match their goldens"
