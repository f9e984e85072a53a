#!/usr/bin/env bash
# `aftercare clinic push --fhir` against a real FHIR server: fhir_server.mjs (Medplum's
# FhirRouter over MemoryRepository, every resource validated on write), its first Bundle POST
# answered 503. The clinic fixtures (tests/fixtures/clinic/) are imported into a fresh clinic,
# then:
#   - push: every patient accepted; the first one after 2 attempts (the 503 retried), the
#     others after 1; each patient's created = its Bundle's entries (push --out), updated 0;
#   - fhir_push_check.mjs: every resource found once by its identifier, its references
#     resolved to the resources found for the entries they named; server counts per type =
#     the Bundles' counts;
#   - push again: every patient accepted, created 0, updated = its entries; the server's
#     counts unchanged;
#   - /stats: one injected failure, 2 x patients + 1 Bundle POSTs (push --out sent nothing);
#   - push without --fhir/--out, and with a non-http --fhir URL: exit 2, naming --fhir.
# Usage: tests/interop/fhir_push_check.sh AFTERCARE_BINARY [CLINIC_DB_URI]
#   CLINIC_DB_URI (optional): the clinic store to use (--clinic-db), e.g. a PostgreSQL
#   database holding no other patients than these fixtures; default the SQLite store in the
#   fresh clinic dir.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
if [[ $# -lt 1 || $# -gt 2 ]]; then
  echo "usage: $0 AFTERCARE_BINARY [CLINIC_DB_URI]" >&2
  exit 2
fi
aftercare=$1
clinic_db=${2:-}
root=$(cd "$here/../.." && pwd)
fixtures="$root/tests/fixtures/clinic"
data=$(mktemp -d)
source "$here/fhir_server_run.sh"
source "$here/ensure_packages.sh"

start_server --fail-first 1
host=$origin

clinic() {
  "$aftercare" clinic --clinic-dir "$data/clinic" ${clinic_db:+--clinic-db "$clinic_db"} "$@"
}
clinic import "$fixtures/" >/dev/null
exports=$(find "$fixtures" -maxdepth 1 -name '*.json' ! -name '*.manifest.json' | wc -l)

# The Bundles, written without sending (also what the checks below compare with).
clinic push --out "$data/bundles" >/dev/null

# push --json FILE: one push; its JSON in FILE, its exit status checked.
push() {
  local rc=0
  clinic push --fhir "$fhir" --json >"$1" || rc=$?
  [[ $rc -eq 0 ]] || { cat "$1" >&2; fail "push $2 exited $rc, not 0"; }
}

# check_push FILE ROUND: assertions on one push's JSON (round 1: first push, 2: re-push).
check_push() {
  node - "$1" "$2" "$data/bundles" "$fhir" "$exports" <<'JS'
const fs = require('node:fs');
const [file, round, dir, server, exports] = process.argv.slice(2);
const fail = (m) => { console.error(`FAIL: push ${round}: ${m}`); process.exit(1); };
const out = JSON.parse(fs.readFileSync(file, 'utf8'));
const entries = {};
for (const name of fs.readdirSync(dir).filter((n) => n.endsWith('.fhir.json'))) {
  entries[name.slice(0, -'.fhir.json'.length)] = JSON.parse(fs.readFileSync(`${dir}/${name}`, 'utf8')).entry.length;
}
if (out.server !== server) fail(`server is ${JSON.stringify(out.server)}, expected ${server}`);
const patients = out.patients ?? [];
if (patients.length !== Number(exports)) fail(`${patients.length} patients pushed, expected ${exports} (the fixtures)`);
const names = patients.map((p) => p.patient).sort();
const bundles = Object.keys(entries).sort();
if (JSON.stringify(names) !== JSON.stringify(bundles)) {
  fail(`patients pushed ${JSON.stringify(names)}, push --out wrote Bundles for ${JSON.stringify(bundles)}`);
}
patients.forEach((p, i) => {
  const n = entries[p.patient];
  const attempts = round === '1' && i === 0 ? 2 : 1;
  const [created, updated] = round === '1' ? [n, 0] : [0, n];
  const got = { outcome: p.outcome, attempts: p.attempts, http_status: p.http_status, created: p.created, updated: p.updated, problems: p.problems };
  const want = { outcome: 'accepted', attempts, http_status: 200, created, updated, problems: [] };
  if (JSON.stringify(got) !== JSON.stringify(want)) {
    fail(`${p.patient} (pushed ${i + 1}.): got ${JSON.stringify(got)}, expected ${JSON.stringify(want)}`);
  }
});
const total = Object.values(entries).reduce((a, b) => a + b, 0);
const sum = patients.reduce((a, p) => a + (round === '1' ? p.created : p.updated), 0);
if (sum !== total) fail(`${round === '1' ? 'created' : 'updated'} sums to ${sum}, the Bundles hold ${total} entries`);
console.log(`${patients.length} ${total}`);
JS
}

# a. First push: the injected 503 retried, everything created.
push "$data/push1.json" 1
summary=$(check_push "$data/push1.json" 1)
read -r patients resources <<<"$summary"

# The Bundles are the same after a push (the counts above hold for what was sent).
clinic push --out "$data/bundles_after" >/dev/null
diff -r "$data/bundles" "$data/bundles_after" >/dev/null ||
  fail "push --out wrote different Bundles after the push than before"

# b. Every resource on the server once, references resolved; counts = the Bundles' counts.
counts1=$(node "$here/fhir_push_check.mjs" "$fhir" "$data/bundles") || fail "fhir_push_check.mjs after push 1"
node - "$counts1" "$data/bundles" "$resources" <<'JS' || exit 1
const fs = require('node:fs');
const [line, dir, resources] = process.argv.slice(2);
const { checked, counts } = JSON.parse(line);
const want = { Patient: 0, Procedure: 0, CarePlan: 0, Observation: 0, QuestionnaireResponse: 0 };
for (const name of fs.readdirSync(dir).filter((n) => n.endsWith('.fhir.json'))) {
  for (const e of JSON.parse(fs.readFileSync(`${dir}/${name}`, 'utf8')).entry) want[e.resource.resourceType]++;
}
if (checked !== Number(resources)) { console.error(`FAIL: checked ${checked} entries, expected ${resources}`); process.exit(1); }
if (JSON.stringify(counts) !== JSON.stringify(want)) {
  console.error(`FAIL: server counts ${JSON.stringify(counts)}, the Bundles hold ${JSON.stringify(want)}`);
  process.exit(1);
}
JS

# c. Second push: nothing created, everything updated, the server's counts unchanged.
push "$data/push2.json" 2
check_push "$data/push2.json" 2 >/dev/null || exit 1
counts2=$(node "$here/fhir_push_check.mjs" "$fhir" "$data/bundles") || fail "fhir_push_check.mjs after push 2"
[[ $counts2 == "$counts1" ]] || fail "after the second push: $counts2, after the first: $counts1"

# d. The server saw one injected failure and 2 x patients + 1 Bundle POSTs.
node - "$host/stats" "$patients" <<'JS' || exit 1
const [url, patients] = process.argv.slice(2);
(async () => {
  const stats = await (await fetch(url, { signal: AbortSignal.timeout(10_000) })).json();
  const want = { failed_injected: 1, bundle_posts: 2 * Number(patients) + 1 };
  const got = { failed_injected: stats.failed_injected, bundle_posts: stats.bundle_posts };
  if (JSON.stringify(got) !== JSON.stringify(want)) {
    console.error(`FAIL: /stats ${JSON.stringify(got)}, expected ${JSON.stringify(want)}`);
    process.exit(1);
  }
})().catch((e) => { console.error(`FAIL: GET ${url}: ${e}`); process.exit(1); });
JS

# e. Bad input: exit 2, naming --fhir.
bad_input() {
  local rc=0
  clinic push "$@" >"$data/bad.out" 2>&1 || rc=$?
  [[ $rc -eq 2 ]] || fail "push $*: exit $rc, not 2"
  grep -q -- '--fhir' "$data/bad.out" || fail "push $*: the message does not name --fhir: $(<"$data/bad.out")"
}
bad_input
bad_input --fhir ftp://x

echo "fhir push: $patients patients, $resources resources, 503 retried, re-push created 0"
