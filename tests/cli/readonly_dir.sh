#!/usr/bin/env bash
# A data dir the user cannot write in: the CLI names the permission problem and the folder
# (no restore advice), exits 1, and leaves the folder's mode as it was; a folder it creates is
# 0700. Run as root (CI), the commands run as `nobody` (setpriv), since root may write anywhere.
# Usage: tests/cli/readonly_dir.sh AFTERCARE_BINARY
set -euo pipefail
aftercare=$1
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
chmod 0755 "$work"
as_user=()
if [ "$(id -u)" = 0 ]; then
  as_user=(setpriv --reuid=nobody --regid=nogroup --clear-groups --)
fi
data="$work/readonly"
mkdir -m 0500 "$data"
[ "$(id -u)" = 0 ] && chown nobody:nogroup "$data"

set +e
"${as_user[@]}" env HOME="$work" "$aftercare" --data-dir "$data" today >"$work/out" 2>"$work/err"
code=$?
set -e
[ "$code" = 1 ] || fail "exit $code, expected 1: $(cat "$work/err")"
grep -qF "$data: no permission to write in this folder" "$work/err" ||
  fail "the message does not name the permission problem: $(cat "$work/err")"
grep -q "restore" "$work/err" && fail "restore advice for a permission problem: $(cat "$work/err")"
[ "$(stat -c %a "$data")" = 500 ] || fail "the folder's mode changed to $(stat -c %a "$data")"
[ -z "$(ls -A "$data")" ] || fail "files written into it: $(ls -A "$data")"

# An existing, wider folder keeps its mode; folders the app creates are 0700.
open="$work/open"
mkdir -m 0755 "$open"
[ "$(id -u)" = 0 ] && chown nobody:nogroup "$open"
"${as_user[@]}" env HOME="$work" "$aftercare" --data-dir "$open/a/b" --zone Europe/Paris \
  plan start --treated 2027-06-10T09:00 --at 2027-06-10T09:30 >/dev/null
[ "$(stat -c %a "$open")" = 755 ] || fail "an existing folder became $(stat -c %a "$open")"
for made in "$open/a" "$open/a/b"; do
  [ "$(stat -c %a "$made")" = 700 ] || fail "$made was created $(stat -c %a "$made")"
done
echo "read-only data dir: named, exit 1, mode kept; created folders 0700"
