#!/usr/bin/env bash
# Forty first runs of `clinic keys` at once, on one new clinic folder, and forty sealed exports
# at once from one data dir whose device key and pseudonym do not exist yet: every run succeeds,
# all print the same clinic key, every sealed export names the same device and patient, and
# that key opens them
# (a key whose secret was overwritten after it was printed could never open anything).
# Usage: tests/cli/concurrent_keys.sh AFTERCARE_BINARY [RUNS]
set -euo pipefail
aftercare=$1
runs=${2:-40}
work=$(mktemp -d)
trap '[ -n "${KEEP:-}" ] || rm -rf "$work"' EXIT

for i in $(seq "$runs"); do
  "$aftercare" clinic --clinic-dir "$work/clinic" keys >"$work/key.$i" 2>"$work/key.$i.err" &
done
wait
failed=0
for i in $(seq "$runs"); do
  if [ ! -s "$work/key.$i" ]; then
    echo "FAIL: run $i printed no key: $(cat "$work/key.$i.err")" >&2
    failed=1
  fi
done
[ "$failed" = 0 ] || exit 1
distinct=$(sort -u "$work"/key.? "$work"/key.?? 2>/dev/null | wc -l)
[ "$distinct" = 1 ] || { echo "FAIL: $distinct different clinic keys printed" >&2; exit 1; }
key=$(cat "$work/key.1")
[ "$("$aftercare" clinic --clinic-dir "$work/clinic" keys)" = "$key" ] ||
  { echo "FAIL: the stored key is not the one printed" >&2; exit 1; }
leftovers=$(find "$work/clinic" -name '*.partial*' | wc -l)
[ "$leftovers" = 0 ] || { echo "FAIL: $leftovers temporary files left" >&2; exit 1; }
echo "clinic keys: $runs concurrent first runs, one key"

patient() { "$aftercare" --data-dir "$work/phone" --zone Europe/Paris "$@"; }
patient plan start --treated 2027-06-10T09:00 --at 2027-06-10T09:30 >/dev/null
mkdir -p "$work/out"
for i in $(seq "$runs"); do
  patient --json export json --seal-for "$key" --out "$work/out/p$i.sealed" \
    --at 2027-06-10T10:00 >"$work/seal.$i" 2>"$work/seal.$i.err" &
done
wait
for i in $(seq "$runs"); do
  [ -s "$work/out/p$i.sealed" ] ||
    { echo "FAIL: sealed export $i missing: $(cat "$work/seal.$i.err")" >&2; exit 1; }
done
"$aftercare" --json clinic --clinic-dir "$work/clinic" import "$work/out" >"$work/import.json" 2>"$work/import.err" ||
  true
python3 - "$work" "$runs" <<'PY'
import json, sys
work, runs = sys.argv[1], int(sys.argv[2])
devices = {json.load(open(f"{work}/seal.{i}"))["device"] for i in range(1, runs + 1)}
assert len(devices) == 1, f"{len(devices)} different device keys signed the exports"
device = next(iter(devices))
patients = {json.load(open(f"{work}/seal.{i}"))["patient"] for i in range(1, runs + 1)}
assert len(patients) == 1, f"{len(patients)} pseudonyms for one patient: {sorted(patients)}"
files = json.load(open(f"{work}/import.json"))["files"]
assert len(files) == runs, f"{len(files)} files imported, expected {runs}"
bad = [f for f in files if f["outcome"] not in ("imported", "unchanged")]
assert not bad, f"not opened with the clinic's key: {bad[:3]}"
signed = [f["reason"] for f in files if f["outcome"] == "imported"]
assert signed == [f"sealed; signed by device {device[:16]}; trusted on first use"], signed
print(f"device key: {runs} concurrent first sealed exports, one device, all opened")
PY
