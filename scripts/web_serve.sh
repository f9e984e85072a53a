#!/usr/bin/env bash
# Serves the web app built by scripts/web_build.sh on http://localhost:PORT/ (default 8080), with
# the types a browser needs for WebAssembly and the manifest. localhost counts as a secure origin,
# so the service worker and persistent storage work; a phone needs HTTPS in front of it.
set -euo pipefail
cd "$(dirname "$0")/.."
site=build-web/platform/web/site
[ -f "$site/sw.js" ] || site=$(scripts/web_build.sh)
exec node platform/web/serve.mjs "$site" "${1:-8080}"
