# Sourced by the interop checks: installs the npm packages pinned in package-lock.json (npm ci)
# only when node_modules is missing or older than the lock file. Needs $here (this folder).
if [[ ! -d "$here/node_modules" || "$here/package-lock.json" -nt "$here/node_modules" ]]; then
  (cd "$here" && npm ci --no-audit --no-fund --prefer-offline >/dev/null)
  touch "$here/node_modules"
fi
