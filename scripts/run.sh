#!/usr/bin/env bash
# Installs what is missing, builds, and starts aftercare on its default local database
# (~/.local/share/aftercare). Arguments are passed to the app, e.g.
#   scripts/run.sh plan start --treated 2027-03-13T21:00 --zone America/Toronto
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
scripts/build.sh >/dev/null
exec build/platform/cli/aftercare "$@"
