#!/usr/bin/env bash
# The clinic benchmark on both stores in one run: starts a throwaway PostgreSQL server (loopback,
# temp folder), runs clinic_bench with a database on it, stops the server.
#   tests/bench/run_clinic.sh [BUILD_DIR=build] [PATIENTS=1000] [DAYS=90]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
build=${1:-build}
server=$(mktemp -d)
trap 'bash "$here/../support/postgres_server.sh" stop "$server/pg"; rm -rf "$server"' EXIT
chmod 755 "$server"
bash "$here/../support/postgres_server.sh" start "$server/pg"
"$build/tests/bench/clinic_bench" "${2:-1000}" "${3:-90}" "$(cat "$server/pg/url")"
