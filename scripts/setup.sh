#!/usr/bin/env bash
# Installs the Debian 12 packages aftercare needs to build, run and test, and only those that are
# missing: on a machine that has them all it asks apt nothing and returns at once.
set -euo pipefail

packages=(
  build-essential cmake ninja-build pkg-config ccache tzdata clang-format
  libhowardhinnant-date-dev nlohmann-json3-dev libsqlite3-dev sqlite3 libsodium-dev libssl-dev libsimdjson-dev
  libcli11-dev libfmt-dev
  libcairo2-dev libpango1.0-dev fonts-dejavu-core poppler-utils
  catch2 libbenchmark-dev libsdl2-dev libimgui-dev libstb-dev xvfb xauth
  clang-14 libclang-rt-14-dev
  libpq-dev postgresql-15 libcurl4-openssl-dev
  lintian desktop-file-utils appstream
  iproute2 openssl
)

# The web app (scripts/web_build.sh, and its tests): emscripten, what builds its libraries from
# Debian's source packages (scripts/web_deps.sh), the icons, and the browser its tests drive.
packages+=(emscripten dpkg-dev tcl autoconf automake libtool librsvg2-bin chromium)

# Node.js and npm run the independent checkers under tests/interop (rrule, luxon, ical.js,
# node-ical); a machine that already has a node on PATH keeps it.
command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1 || packages+=(nodejs npm)
# Python's csv module is one of the independent readers of our CSV export.
command -v python3 >/dev/null 2>&1 || packages+=(python3)

missing=()
for package in "${packages[@]}"; do
  status=$(dpkg-query -W -f='${db:Status-Status}' "$package" 2>/dev/null || true)
  [ "$status" = installed ] || missing+=("$package")
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "setup: installing ${missing[*]}" >&2
sudo=()
[ "$(id -u)" -eq 0 ] || sudo=(sudo)
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update -q
"${sudo[@]}" apt-get install -y -q -o DPkg::Lock::Timeout=600 --no-install-recommends "${missing[@]}"
