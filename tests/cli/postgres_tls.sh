#!/usr/bin/env bash
# The clinic's PostgreSQL connection across a network is TLS with a verified certificate however
# the host is named (issue #18, item 8): in the URI, in PGHOST, in PGHOSTADDR, in a service file,
# or in a keyword string (which is taken as PostgreSQL, never as a SQLite file name). Unless the
# user chose a mode, a server that refuses SSL gets nothing in clear, so no password. Inside a
# network namespace this script creates (root, `unshare -n`), with a fake server on an address
# that exists only there (10.254.0.1): no real address is ever contacted.
# Usage: postgres_tls.sh path/to/aftercare
set -euo pipefail
aftercare=$(realpath "$1")
here=$(cd "$(dirname "$0")/.." && pwd)
if [ "$(id -u)" != 0 ]; then
  echo "SKIP: a network namespace needs root (the suite runs as root)" >&2
  exit 77
fi
if [ "${AFTERCARE_IN_NETNS:-}" != 1 ] && ! unshare --net true 2>/dev/null; then
  echo "SKIP: this machine does not allow a network namespace (unshare --net)" >&2
  exit 77
fi
if [ "${AFTERCARE_IN_NETNS:-}" != 1 ]; then
  exec env AFTERCARE_IN_NETNS=1 unshare --net bash "$0" "$aftercare"
fi
work=$(mktemp -d)
server_pid=
trap '[ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null; rm -rf "$work"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
ip link set lo up
ip addr add 10.254.0.1/32 dev lo
log=$work/server.log
python3 "$here/support/fake_postgres.py" 10.254.0.1 5432 "$log" >"$work/ready" &
server_pid=$!
for _ in $(seq 50); do grep -q ready "$work/ready" 2>/dev/null && break; sleep 0.1; done
grep -q ready "$work/ready" || fail "the fake server did not start"
cd "$work"
unset PGHOST PGHOSTADDR PGSERVICE PGSERVICEFILE PGSSLMODE PGPORT
export PGPASSWORD=s3cret-in-env PGCONNECT_TIMEOUT=5

# One connection attempt: $1 names it, the rest are env assignments and the --clinic-db value.
attempt() {
  local name=$1 database=$2
  shift 2
  : >"$log"
  if env "$@" "$aftercare" clinic list --clinic-dir "$work/clinic" --clinic-db "$database" \
    >"$work/out" 2>&1; then
    fail "$name: connected"
  fi
  sleep 0.2
  grep -q "startup in clear\|password in clear" "$log" && fail "$name: sent in clear: $(cat "$log")"
  grep -q "ssl request, refused" "$log" || fail "$name: never reached the server: $(cat "$work/out")"
  grep -qi "ssl" "$work/out" || fail "$name: the message does not say SSL: $(cat "$work/out")"
  grep -q "s3cret" "$work/out" && fail "$name: the password is in the message"
  echo "$name: refused, nothing in clear ($(head -c 160 "$work/out"))"
}

attempt "PGHOST" "postgresql:///clinic" PGHOST=10.254.0.1
attempt "PGHOSTADDR" "postgresql://localhost/clinic" PGHOSTADDR=10.254.0.1
attempt "host in the URI" "postgresql://clinic@10.254.0.1/clinic"
attempt "keyword string" "host=10.254.0.1 dbname=clinic user=clinic password=s3cret-in-string"
[ -z "$(find "$work" -maxdepth 2 -name 'host=*')" ] || fail "a keyword string made a SQLite file"
printf '[clinic]\nhost=10.254.0.1\ndbname=clinic\n' >"$work/pg_service.conf"
attempt "service file (PGSERVICE)" "postgresql:///clinic" PGSERVICEFILE="$work/pg_service.conf" \
  PGSERVICE=clinic
attempt "service file (service=)" "service=clinic" PGSERVICEFILE="$work/pg_service.conf"

# The user's own choice stands: sslmode=disable goes in clear (the fake server sees it).
: >"$log"
"$aftercare" clinic list --clinic-dir "$work/clinic" \
  --clinic-db "postgresql://clinic@10.254.0.1/clinic?sslmode=disable" >"$work/out" 2>&1 || true
sleep 0.2
grep -q "password in clear: s3cret-in-env" "$log" || fail "sslmode=disable: $(cat "$log")"
grep -q "s3cret" "$work/out" && fail "sslmode=disable: the password is in the message"
echo "sslmode=disable (the user's choice): sent in clear, as asked"
# PGSSLMODE is a choice too.
: >"$log"
PGSSLMODE=disable PGHOST=10.254.0.1 "$aftercare" clinic list --clinic-dir "$work/clinic" \
  --clinic-db "postgresql:///clinic" >"$work/out" 2>&1 || true
sleep 0.2
grep -q "startup in clear" "$log" || fail "PGSSLMODE=disable: $(cat "$log")"
echo "PGSSLMODE=disable (the user's choice): sent in clear, as asked"
