#!/usr/bin/env bash
# `aftercare clinic push --fhir` signing in to a FHIR server: fhir_server.mjs (Medplum's
# FhirRouter) behind its own token endpoint, whose client assertions are checked by the `jose`
# library (jwtVerify), not by our code. The clinic fixtures are imported into a fresh clinic,
# then, each run a new `aftercare` process (pushing every patient where the rest-not-sent or the
# one token for all is checked, else the smallest record, for time):
#   SMART Backend Services (the client's EC P-384 key, ES384):
#   - no credentials: exit 1, the first patient authentication_failed (HTTP 401), the rest not
#     sent; nothing reached Medplum;
#   - the right key: exit 0, every patient accepted, one token fetched for all of them; the kid
#     its RFC 7638 thumbprint, as jose computes it (another kid: refused);
#   - the key from $AFTERCARE_FHIR_CLIENT_KEY: the same;
#   - another key, another client id: exit 1, the token endpoint's invalid_client named;
#   - a server expecting another audience: exit 1, jose's "aud" check named;
#   - tokens that expire at once: one refresh on the 401, then authentication_failed (exit 1);
#   - an RSA key (RS384) on a server that holds its public key: exit 0.
#   A static bearer token: from --token-file and from $AFTERCARE_FHIR_TOKEN exit 0; a wrong
#   one, or none, exit 1.
#   HTTPS with a self-signed certificate: authentication_failed after 1 attempt, no request
#   reached the server.
#   Usage errors (exit 2): SMART and a token file together; --key-file without --client-id; an
#   encrypted key; a P-256 key; a token file of two words.
#   No secret (a bearer token, any line of a private key, an assertion "eyJ...", any access
#   token issued) appears in any output of aftercare or of the server.
# Usage: tests/interop/fhir_auth_check.sh AFTERCARE_BINARY
set -euo pipefail
unset AFTERCARE_FHIR_TOKEN AFTERCARE_FHIR_CLIENT_KEY  # only what each run below sets
here=$(cd "$(dirname "$0")" && pwd)
if [[ $# -ne 1 ]]; then
  echo "usage: $0 AFTERCARE_BINARY" >&2
  exit 2
fi
aftercare=$1
root=$(cd "$here/../.." && pwd)
fixtures="$root/tests/fixtures/clinic"
data=$(mktemp -d)
source "$here/fhir_server_run.sh"
source "$here/ensure_packages.sh"

# Keys and secrets, made for this run only.
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-384 -out "$data/client.pem" 2>/dev/null
openssl pkey -in "$data/client.pem" -pubout -out "$data/client.pub"
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-384 -out "$data/other.pem" 2>/dev/null
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$data/rsa.pem" 2>/dev/null
openssl pkey -in "$data/rsa.pem" -pubout -out "$data/rsa.pub"
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$data/p256.pem" 2>/dev/null
openssl pkey -in "$data/client.pem" -aes256 -passout pass:secret -out "$data/encrypted.pem"
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$data/tls.key" \
  -out "$data/tls.crt" -subj /CN=127.0.0.1 -days 1 -addext subjectAltName=IP:127.0.0.1 2>/dev/null
openssl rand -hex 24 >"$data/token"
openssl rand -hex 24 >"$data/wrong_token"
echo "two words" >"$data/bad_token"
chmod 600 "$data"/*.pem "$data"/*token

stats() {
  NODE_TLS_REJECT_UNAUTHORIZED=0 node -e \
    'fetch(process.argv[1]).then((r) => r.text()).then((t) => process.stdout.write(t))' \
    "$origin/stats" 2>/dev/null
}

clinic() { "$aftercare" clinic --clinic-dir "$data/clinic" "$@"; }
clinic import "$fixtures/" >/dev/null
patients=$(find "$fixtures" -maxdepth 1 -name '*.json' ! -name '*.manifest.json' | wc -l)
# Most runs push one patient, the fixtures' smallest record (Medplum validates every resource:
# a whole push takes seconds); the first refusal and the first success push them all.
one=P-d3122416ca48f130

# push NAME RC ARGS...: `clinic push --fhir $fhir --json ARGS` into NAME.json (stderr NAME.err),
# its exit status RC.
push() {
  local name=$1 want=$2 rc=0
  shift 2
  clinic push --fhir "$fhir" --json "$@" >"$data/$name.json" 2>"$data/$name.err" || rc=$?
  [[ $rc -eq $want ]] || {
    cat "$data/$name.json" "$data/$name.err" >&2
    fail "push $name exited $rc, not $want"
  }
}
# expect NAME CONDITION: CONDITION (JavaScript over `out`, NAME's JSON, `p`, its patients, and
# `stats`, the server's counts now) holds.
expect() {
  node - "$data/$1.json" "$(stats)" "$2" "$1" "$patients" <<'JS'
const fs = require('node:fs');
const [file, statsText, condition, name, count] = process.argv.slice(2);
const out = JSON.parse(fs.readFileSync(file, 'utf8'));
const p = out.patients ?? [];
const stats = JSON.parse(statsText);
const patients = Number(count);
const all = (outcome) => p.length > 0 && p.every((x) => x.outcome === outcome);
const problems = p.flatMap((x) => x.problems).join('\n');
if (!eval(condition)) {
  console.error(`FAIL: ${name}: ${condition}\n  patients: ${JSON.stringify(p.map((x) => [x.outcome, x.attempts, x.http_status]))}`);
  console.error(`  problems: ${problems}\n  tokens_fetched: ${out.tokens_fetched}\n  stats: ${statsText}`);
  process.exit(1);
}
JS
}
refused_first='p[0].outcome === "authentication_failed" && p.slice(1).every((x) => x.outcome === "authentication_failed" && x.attempts === 0)'
smart=(--smart-client-id aftercare-clinic --smart-client-key "$data/client.pub"
  --token-log "$data/issued")

# 1. SMART Backend Services.
start_server "${smart[@]}"
push none 1
expect none "$refused_first && p.length === patients && p[0].http_status === 401 && stats.unauthorized === 1 && stats.bundle_posts === 0"
# No --key-id: the kid is the key's RFC 7638 thumbprint, which jose computes on its side.
push smart 0 --client-id aftercare-clinic --key-file "$data/client.pem"
expect smart "all('accepted') && p.length === patients && p.every((x) => x.created > 0) &&
  out.authentication === 'smart' &&
  out.tokens_fetched === 1 && stats.tokens_issued === 1 && stats.bundle_posts === patients"
AFTERCARE_FHIR_CLIENT_KEY=$(<"$data/client.pem") push smart_env 0 "$one" --client-id aftercare-clinic
expect smart_env "all('accepted') && p.length === 1 && p[0].created === 0 && p[0].updated > 0 &&
  stats.tokens_issued === 2"
# Another key under the right key's kid (jose's thumbprint of it): its signature is refused.
kid=$(cd "$here" && node --input-type=module -e "
import { readFileSync } from 'node:fs';
import { calculateJwkThumbprint, exportJWK, importSPKI } from 'jose';
const key = await importSPKI(readFileSync(process.argv[1], 'utf8'), 'ES384', { extractable: true });
console.log(await calculateJwkThumbprint(await exportJWK(key)));" "$data/client.pub")
push wrong_key 1 "$one" --client-id aftercare-clinic --key-file "$data/other.pem" --key-id "$kid"
expect wrong_key "$refused_first && p[0].attempts === 1 && /invalid_client/.test(problems) &&
  /signature/i.test(problems) && stats.tokens_refused === 1"
push wrong_kid 1 "$one" --client-id aftercare-clinic --key-file "$data/client.pem" --key-id k1
expect wrong_kid "$refused_first && /unknown kid/.test(problems)"
push wrong_client 1 "$one" --client-id someone-else --key-file "$data/client.pem"
expect wrong_client "$refused_first && /invalid_client/.test(problems) && /iss/.test(problems)"

# 2. A token endpoint that expects another audience.
start_server "${smart[@]}" --audience https://ehr.example/token
push audience 1 "$one" --client-id aftercare-clinic --key-file "$data/client.pem"
expect audience "$refused_first && /\"aud\" claim/.test(problems) && stats.tokens_refused === 1"

# 3. Tokens that the server lets expire at once: one refresh on the 401, no more.
start_server "${smart[@]}" --token-seconds 0
push expired 1 "$one" --client-id aftercare-clinic --key-file "$data/client.pem"
expect expired "$refused_first && p[0].attempts === 2 && p[0].http_status === 401 &&
  stats.tokens_issued === 2 && stats.unauthorized === 2 && out.tokens_fetched === 2"

# 4. An RSA key (RS384).
start_server --smart-client-id aftercare-clinic --smart-client-key "$data/rsa.pub" \
  --smart-key-id rsa-1 --token-log "$data/issued"
push rsa 0 "$one" --client-id aftercare-clinic --key-file "$data/rsa.pem" --key-id rsa-1
expect rsa "all('accepted') && stats.tokens_issued === 1"

# 5. A static bearer token.
start_server --bearer-token-file "$data/token"
push bearer_none 1 "$one"
expect bearer_none "$refused_first && p[0].http_status === 401"
push bearer 0 "$one" --token-file "$data/token"
expect bearer "all('accepted') && out.authentication === 'bearer' && out.tokens_fetched === 0"
AFTERCARE_FHIR_TOKEN=$(<"$data/token") push bearer_env 0 "$one"
expect bearer_env "all('accepted') && out.authentication === 'bearer'"
push bearer_wrong 1 "$one" --token-file "$data/wrong_token"
expect bearer_wrong "$refused_first && p[0].attempts === 1 && stats.unauthorized === 2"

# 6. HTTPS whose certificate does not verify: not tried again.
start_server --tls-key "$data/tls.key" --tls-cert "$data/tls.crt"
push tls 1 "$one"
expect tls "$refused_first && p[0].attempts === 1 && p[0].http_status === 0 &&
  /certificate/.test(problems) && stats.requests === 0"

# 7. Settings refused before anything is sent (exit 2, naming what), to an open server that
# would have counted any request.
start_server
usage_error() {
  local name=$1 pattern=$2 rc=0
  shift 2
  clinic push --fhir "$fhir" "$@" >"$data/$name.out" 2>"$data/$name.err" || rc=$?
  [[ $rc -eq 2 ]] || fail "$name: exit $rc, not 2"
  grep -q -- "$pattern" "$data/$name.err" || fail "$name: '$pattern' not in: $(cat "$data/$name.err")"
}
usage_error both "not both" --client-id a --key-file "$data/client.pem" --token-file "$data/token"
usage_error lone_key "go with --client-id" --key-file "$data/client.pem"
usage_error encrypted "not an unencrypted PEM" --client-id a --key-file "$data/encrypted.pem"
usage_error p256 "P-384" --client-id a --key-file "$data/p256.pem"
usage_error bad_token "bearer token's first line" --token-file "$data/bad_token"
usage_error no_key "AFTERCARE_FHIR_CLIENT_KEY" --client-id a
[[ $(stats | node -e 'let t="";process.stdin.on("data",(c)=>t+=c).on("end",()=>console.log(JSON.parse(t).requests))') == 0 ]] ||
  fail "a refused setting still sent a request"
stop_server

# 8. No secret in any output: the bearer tokens (right and wrong), every line of every private
# key, every access token the server issued, and any JWS ("eyJ", a JSON header in base64url).
shopt -s nullglob
outputs=("$data"/*.json "$data"/*.err "$data"/*.out "$data/server.log")
[[ ${#outputs[@]} -gt 20 ]] || fail "only ${#outputs[@]} outputs to scan"
[[ $(wc -l <"$data/issued") -eq 5 ]] || fail "the servers issued $(wc -l <"$data/issued") tokens, not 5"
secrets=("$(<"$data/token")" "$(<"$data/wrong_token")" "eyJ")
while IFS= read -r line; do secrets+=("$line"); done < <(cat "$data/issued")
for pem in "$data"/*.pem; do
  while IFS= read -r line; do
    [[ $line == -----* || ${#line} -lt 16 ]] || secrets+=("$line")
  done <"$pem"
done
for secret in "${secrets[@]}"; do
  found=$(grep -lF -- "$secret" "${outputs[@]}" || true)
  [[ -z $found ]] || fail "a secret (${secret:0:6}...) appears in: $(echo "$found" | xargs -n1 basename)"
done
echo "fhir_auth_check: SMART (ES384, RS384), bearer and TLS refusals behave; $patients patients; ${#secrets[@]} secrets in none of ${#outputs[@]} outputs"
