#!/usr/bin/env bash
# A throwaway PostgreSQL server for the tests, from Debian's package: on loopback only, its
# files in DIR, run as an unprivileged user when called as root (PostgreSQL refuses root).
#   postgres_server.sh start DIR   initdb + start on a free port; writes DIR/url
#                                  (postgresql://aftercare:PASSWORD@127.0.0.1:PORT/postgres)
#   postgres_server.sh stop DIR    fast shutdown, then DIR is removed
set -euo pipefail
action=${1:?start or stop}
dir=${2:?a folder for the server}
bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
[ -x "$bin/initdb" ] || { echo "postgres_server.sh: no PostgreSQL server (apt-get install postgresql-15)" >&2; exit 1; }

as_owner=()
if [ "$(id -u)" -eq 0 ]; then as_owner=(runuser -u nobody --); fi

case "$action" in
  start)
    if [ -f "$dir/data/postmaster.pid" ]; then "$0" stop "$dir"; fi
    rm -rf "$dir"
    mkdir -p "$dir"
    # Readable by the server's user only; the password only in files of that user.
    [ ${#as_owner[@]} -eq 0 ] || chown nobody "$dir"
    chmod 700 "$dir"
    password=$(head -c 18 /dev/urandom | base64 | tr '+/' '-_')
    printf '%s\n' "$password" | "${as_owner[@]}" tee "$dir/password" >/dev/null
    "${as_owner[@]}" "$bin/initdb" -D "$dir/data" -U aftercare --pwfile="$dir/password" \
      --auth=scram-sha-256 --encoding=UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 ||
      { cat "$dir/initdb.log" >&2; exit 1; }
    for attempt in 1 2 3 4 5; do
      port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
      if "${as_owner[@]}" "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
           -o "-c listen_addresses=127.0.0.1 -p $port -c unix_socket_directories='$dir' -c max_connections=40 -c fsync=on" \
           start >/dev/null; then
        printf 'postgresql://aftercare:%s@127.0.0.1:%s/postgres\n' "$password" "$port" >"$dir/url"
        echo "postgres_server.sh: PostgreSQL $("$bin/postgres" --version | awk '{print $3}') on 127.0.0.1:$port"
        exit 0
      fi
      echo "postgres_server.sh: start on port $port failed (attempt $attempt)" >&2
    done
    tail -n 20 "$dir/server.log" >&2
    exit 1
    ;;
  stop)
    if [ -f "$dir/data/postmaster.pid" ]; then
      "${as_owner[@]}" "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null || true
    fi
    rm -rf "$dir"
    ;;
  *)
    echo "postgres_server.sh: start or stop, got \"$action\"" >&2
    exit 2
    ;;
esac
