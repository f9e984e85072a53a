#!/usr/bin/env bash
# Builds the web app (scripts/web_build.sh) and serves it on http://localhost:PORT/ (default 8080), with
# the types a browser needs for WebAssembly and the manifest. localhost counts as a secure origin,
# so the service worker and persistent storage work; a phone needs HTTPS in front of it.
set -euo pipefail
cd "$(dirname "$0")/.."
site=$(scripts/web_build.sh)  # builds what changed; quick when nothing did
exec node platform/web/serve.mjs "$site" "${1:-8080}"
