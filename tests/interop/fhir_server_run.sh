# Sourced by the FHIR push checks: runs tests/interop/fhir_server.mjs in the background, one at a
# time, and cleans up after the check. Needs $here (this folder) and $data (the check's temporary
# folder, removed on exit; the server's log is $data/server.log).
#   start_server ARGS...  a fresh server (the one before stopped) with ARGS; sets $server_pid,
#                         $port, $origin (http:// or, with --tls-key, https://) and $fhir (base)
#   stop_server           stops it
# On exit the server is stopped and, when the check failed, its last log lines are shown.
server_pid=
fail() { echo "FAIL: $*" >&2; exit 1; }
stop_server() {
  if [[ -n $server_pid ]]; then
    kill "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
  fi
  server_pid=
}
cleanup() {
  local status=$?
  stop_server
  if [[ $status -ne 0 && -s "$data/server.log" ]]; then
    echo "--- fhir_server.mjs (last lines) ---" >&2
    tail -n 20 "$data/server.log" >&2
  fi
  rm -rf "$data"
}
trap cleanup EXIT
start_server() {
  stop_server
  rm -f "$data/port"
  node "$here/fhir_server.mjs" --port-file "$data/port" --max-seconds 300 "$@" \
    2>>"$data/server.log" &
  server_pid=$!
  for _ in $(seq 200); do
    [[ -s "$data/port" ]] && break
    kill -0 "$server_pid" 2>/dev/null || fail "fhir_server.mjs exited before listening"
    sleep 0.1
  done
  [[ -s "$data/port" ]] || fail "fhir_server.mjs wrote no port file within 20 s"
  port=$(<"$data/port")
  origin="http://127.0.0.1:$port"
  [[ " $* " == *" --tls-key "* ]] && origin="https://127.0.0.1:$port"
  fhir="$origin/fhir/R4"
}
