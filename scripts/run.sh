#!/usr/bin/env bash
# Installs what is missing, builds, and starts aftercare on its default local database
# (~/.local/share/aftercare): the desktop app when there is a display, else the command line.
# Arguments go to the command-line app, e.g.
#   scripts/run.sh plan start --treated 2027-03-13T21:00 --zone America/Toronto
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
scripts/build.sh >/dev/null
if [ $# -eq 0 ] && { [ -n "${DISPLAY:-}" ] || [ -n "${WAYLAND_DISPLAY:-}" ]; }; then
  exec build/platform/desktop/aftercare-desktop
fi
if [ $# -eq 0 ]; then
  echo "(No display here, so this is the command-line app. To see the phone and desktop screens,"
  echo " render them to PNG: build/platform/phone/aftercare-phone --screenshot today.png --screen today)"
  echo
fi
exec build/platform/cli/aftercare "$@"
