#!/usr/bin/env bash
# What `clinic import` takes of memory on hostile input (issue #18, item 4): a folder holding a
# FIFO named as an export, a FIFO as a manifest, links to /dev/zero and out of the folder, a
# 1 GiB (sparse) file, files of 8 MiB each (the limit) of nothing but small numbers, of one long
# string, of JSON made invalid at its very end and nested 100,000 deep; then 1,000 exports. It
# prints the peak RSS of each run and exits 1 when a run reaches 256 MB or a hostile file is not
# refused with its reason.
#   tests/bench/run_import_memory.sh [BUILD_DIR=build]
set -euo pipefail
build=${1:-build}
aftercare=$(cd "$build" && pwd)/platform/cli/aftercare
signer=$(cd "$build" && pwd)/tests/sign_fixture_manifests
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
cd "$work"
run() { "$aftercare" --data-dir patient --zone Europe/London "$@" >/dev/null; }
run plan start --treated 2027-06-10T09:00 --at 2027-06-10T09:30
run --at 2027-06-11T10:00 checkin redness=2
mkdir hostile many
run --at 2027-06-11T19:00 export json --out many/real.json

python3 - <<'PY'
import hashlib, json
real = open('many/real.json', 'rb').read()
manifest = json.load(open('many/real.json.manifest.json'))
def write(name, data):
    open('hostile/' + name, 'wb').write(data)
    m = dict(manifest, file=name, sha256=hashlib.sha256(data).hexdigest())
    open('hostile/' + name + '.manifest.json', 'w').write(json.dumps(m))
limit = (8 << 20) - 64
body = real.strip()[1:]
n = (limit - len(body) - 20) // 2
write('numbers.json', b'{"pad":[' + b'0,' * (n - 1) + b'0],' + body)
write('string.json', real.strip()[:-1] + b',"pad":"' + b'a' * (limit - len(body) - 40) + b'"}')
write('invalid.json', b'[' + b'0,' * (limit // 2 - 4) + b'0,,]')
write('deep.json', b'[' * 100000 + b']' * 100000)
for i in range(1000):
    open('many/e%d.json' % i, 'wb').write(real)
    open('many/e%d.json.manifest.json' % i, 'w').write(json.dumps(manifest))
PY
# Signed again by the patient's device, as the app signs: the files must get past the manifest's
# signature to reach the parser.
"$signer" patient/device.key hostile/*.manifest.json
truncate -s 1G hostile/huge.json
cp many/real.json.manifest.json hostile/huge.json.manifest.json
mkfifo hostile/fifo.json
cp many/real.json hostile/fifo-manifest.json
mkfifo hostile/fifo-manifest.json.manifest.json
ln -s /dev/zero hostile/zero.json
ln -s /etc/hostname hostile/outside.json

# Peak RSS in MB of one run of the CLI, its output in $work/out.
peak() {
  python3 -c '
import resource, subprocess, sys
with open("out", "w") as out:
    code = subprocess.run(sys.argv[1:], stdout=out, stderr=subprocess.STDOUT, timeout=60).returncode
print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024, code)' "$@"
}

read -r mb code < <(peak "$aftercare" --at 2027-06-12T09:00 clinic import --clinic-dir c1 hostile)
[ "$code" = 2 ] || fail "hostile folder: exit $code, expected 2"
for want in "fifo.json: rejected: not a regular file" \
  "fifo-manifest.json: rejected: its manifest: " \
  "zero.json: rejected: a link that leads out of the folder" \
  "outside.json: rejected: a link that leads out of the folder" \
  "huge.json: rejected: " "too large" \
  "invalid.json: rejected: invalid.json: not valid JSON (at line 1" \
  "deep.json: rejected: deep.json: not valid JSON"; do
  grep -qF "$want" out || fail "hostile folder: no \"$want\" in: $(cat out)"
done
echo "hostile folder (FIFOs, /dev/zero, a link out, 1 GiB, 8 MiB of numbers, string, invalid" \
  "and deep JSON): peak RSS $mb MB; $(tail -1 out)"
[ "$mb" -lt 256 ] || fail "hostile folder: peak RSS $mb MB"

read -r mb code < <(peak "$aftercare" --at 2027-06-12T09:00 clinic import --clinic-dir c2 many)
[ "$code" = 0 ] || fail "1,000 exports: exit $code: $(cat out)"
echo "1,001 exports: peak RSS $mb MB; $(tail -1 out)"
[ "$mb" -lt 256 ] || fail "1,000 exports: peak RSS $mb MB"

# The limit is the user's to move: --max-size 1 refuses what the default reads.
"$aftercare" --at 2027-06-12T09:00 clinic import --clinic-dir c3 --max-size 1 hostile/string.json \
  >out 2>&1 && fail "--max-size 1 read an 8 MiB file"
grep -qF "too large (8388" out && grep -qF "at most 1 MiB" out || fail "--max-size 1: $(cat out)"
"$aftercare" --at 2027-06-12T09:00 clinic import --clinic-dir c3 --max-size 0 many >out 2>&1 &&
  fail "--max-size 0 was taken"
grep -qF -- "--max-size: expected a whole number from 1 to 1024" out || fail "--max-size 0: $(cat out)"
