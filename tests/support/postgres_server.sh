#!/usr/bin/env bash
# A throwaway PostgreSQL server for the tests, from Debian's package: on loopback only, run as an
# unprivileged user when called as root (PostgreSQL refuses root). Its files live in a fresh
# folder under the system temp dir (which that user can reach, unlike a checkout under /root);
# DIR records where, and the URI.
#   postgres_server.sh start DIR   initdb + start on a free port; writes DIR/url
#                                  (postgresql://aftercare:PASSWORD@127.0.0.1:PORT/postgres)
#   postgres_server.sh stop DIR    fast shutdown; the server's folder and DIR are removed
set -euo pipefail
action=${1:?start or stop}
dir=${2:?a folder for the server}
bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
[ -x "$bin/initdb" ] || { echo "postgres_server.sh: no PostgreSQL server (apt-get install postgresql-15)" >&2; exit 1; }

as_owner=()
if [ "$(id -u)" -eq 0 ]; then as_owner=(runuser -u nobody --); fi

case "$action" in
  start)
    [ ! -f "$dir/server" ] || bash "$0" stop "$dir"
    rm -rf "$dir"
    mkdir -p "$dir"
    chmod 700 "$dir"
    # The server's folder: its user's only; the password only in files of that user and in DIR.
    home=$(mktemp -d "${TMPDIR:-/tmp}/aftercare-postgres-XXXXXX")
    printf '%s\n' "$home" >"$dir/server"
    [ ${#as_owner[@]} -eq 0 ] || chown nobody "$home"
    chmod 700 "$home"
    password=$(head -c 18 /dev/urandom | base64 | tr '+/' '-_')
    printf '%s\n' "$password" | "${as_owner[@]}" tee "$home/password" >/dev/null
    "${as_owner[@]}" "$bin/initdb" -D "$home/data" -U aftercare --pwfile="$home/password" \
      --auth=scram-sha-256 --encoding=UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 ||
      { cat "$dir/initdb.log" >&2; exit 1; }
    for attempt in 1 2 3 4 5; do
      port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
      if "${as_owner[@]}" "$bin/pg_ctl" -D "$home/data" -l "$home/server.log" -w -t 60 \
           -o "-c listen_addresses=127.0.0.1 -p $port -c unix_socket_directories='$home' -c max_connections=40 -c fsync=on" \
           start >/dev/null; then
        printf 'postgresql://aftercare:%s@127.0.0.1:%s/postgres\n' "$password" "$port" >"$dir/url"
        echo "postgres_server.sh: PostgreSQL $("$bin/postgres" --version | awk '{print $3}') on 127.0.0.1:$port"
        exit 0
      fi
      echo "postgres_server.sh: start on port $port failed (attempt $attempt)" >&2
    done
    tail -n 20 "$home/server.log" >&2
    exit 1
    ;;
  stop)
    if [ -f "$dir/server" ]; then
      home=$(cat "$dir/server")
      if [ -f "$home/data/postmaster.pid" ]; then
        "${as_owner[@]}" "$bin/pg_ctl" -D "$home/data" -m fast -w stop >/dev/null || true
      fi
      case "$home" in */aftercare-postgres-*) rm -rf "$home" ;; esac
    fi
    rm -rf "$dir"
    ;;
  *)
    echo "postgres_server.sh: start or stop, got \"$action\"" >&2
    exit 2
    ;;
esac
