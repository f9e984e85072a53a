#!/usr/bin/env node
// Usage: node fhir_push_check.mjs BASE_URL BUNDLE_DIR
//
// Checks what `aftercare clinic push --fhir` left on a FHIR R4 server against the transaction
// Bundles `aftercare clinic push --out BUNDLE_DIR` writes (BUNDLE_DIR/*.fhir.json):
//   - every entry (request PUT Type?identifier=system|value, the identifier also on its
//     resource) is found by GET BASE/Type?identifier=system|value exactly once (total 1, one
//     entry, of that type, with an id);
//   - every reference that pointed to another entry's urn:uuid: fullUrl now points, at the
//     same place in the stored resource, to Type/id of the resource found for that entry, and
//     nothing in the stored resource still holds one of the Bundle's urn:uuid: fullUrls nor any
//     urn:uuid: reference.
// Then prints one JSON line: {"checked": ENTRIES, "counts": {TYPE: total on the server, ...}}
// for Patient, Procedure, CarePlan, Observation, QuestionnaireResponse (GET Type?_summary=count).
// Only node built-ins (Node 20: global fetch). Every request is bounded by a timeout.
// Exit 1 on the first failed check (stderr names the Bundle file, the entry index and the
// identifier), 2 on bad usage.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const COUNTED_TYPES = ['Patient', 'Procedure', 'CarePlan', 'Observation', 'QuestionnaireResponse'];
const TIMEOUT_MS = 30_000;

if (process.argv.length !== 4) {
  console.error('usage: node fhir_push_check.mjs BASE_URL BUNDLE_DIR');
  process.exit(2);
}
const base = process.argv[2].replace(/\/+$/, '');
const bundleDir = process.argv[3];
if (!/^https?:\/\//.test(base)) {
  console.error(`fhir_push_check: BASE_URL must be an http(s) URL, got "${process.argv[2]}"`);
  process.exit(2);
}

class CheckError extends Error {}
const fail = (message) => {
  throw new CheckError(message);
};

async function getJson(url) {
  let response;
  try {
    response = await fetch(url, {
      headers: { Accept: 'application/fhir+json' },
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
  } catch (e) {
    const why = e?.name === 'TimeoutError' ? `no answer within ${TIMEOUT_MS / 1000} s` : String(e?.cause ?? e);
    fail(`GET ${url}: ${why}`);
  }
  const text = await response.text();
  if (response.status !== 200) fail(`GET ${url}: HTTP ${response.status}: ${text.slice(0, 500)}`);
  try {
    return JSON.parse(text);
  } catch (e) {
    fail(`GET ${url}: answer is not JSON: ${e.message}`);
  }
}

// Every string under `key` anywhere in value, with its JSON path ("subject.reference",
// "supportingInfo[0].reference").
function stringsAt(value, key, path = '', out = []) {
  if (Array.isArray(value)) {
    value.forEach((item, i) => stringsAt(item, key, `${path}[${i}]`, out));
  } else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      const at = path ? `${path}.${k}` : k;
      if (k === key && typeof v === 'string') out.push({ path: at, value: v });
      else stringsAt(v, key, at, out);
    }
  }
  return out;
}

// Every string anywhere in value, with its JSON path.
function allStrings(value, path = '', out = []) {
  if (typeof value === 'string') out.push({ path, value });
  else if (Array.isArray(value)) value.forEach((item, i) => allStrings(item, `${path}[${i}]`, out));
  else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) allStrings(v, path ? `${path}.${k}` : k, out);
  }
  return out;
}

// The value at a path made by stringsAt.
function valueAt(value, path) {
  for (const part of path.match(/[^.[\]]+|\[\d+\]/g) ?? []) {
    if (value === null || typeof value !== 'object') return undefined;
    value = part.startsWith('[') ? value[Number(part.slice(1, -1))] : value[part];
  }
  return value;
}

// Type and identifier (system|value) of an entry's conditional request, as the server reads
// the query (URLSearchParams); the identifier must also be one the resource carries.
function conditionalTarget(entry) {
  const url = entry?.request?.url;
  if (entry?.request?.method !== 'PUT') fail(`request.method is ${JSON.stringify(entry?.request?.method)}, not PUT`);
  if (typeof url !== 'string') fail('request.url is missing');
  const q = url.indexOf('?');
  const type = q < 0 ? url : url.slice(0, q);
  const query = new URLSearchParams(q < 0 ? '' : url.slice(q + 1));
  const identifiers = query.getAll('identifier');
  if (identifiers.length !== 1 || [...query.keys()].length !== 1) {
    fail(`request.url "${url}" is not Type?identifier=system|value`);
  }
  const identifier = identifiers[0];
  const bar = identifier.indexOf('|');
  if (bar <= 0 || bar === identifier.length - 1) fail(`request.url "${url}": identifier is not system|value`);
  if (entry.resource?.resourceType !== type) {
    fail(`request.url "${url}" is for ${type}, the resource is a ${entry.resource?.resourceType}`);
  }
  const [system, value] = [identifier.slice(0, bar), identifier.slice(bar + 1)];
  // Identifier is 0..* on most resources, 0..1 (one object) on QuestionnaireResponse.
  const carried = [entry.resource.identifier ?? []].flat().some((id) => id?.system === system && id?.value === value);
  if (!carried) fail(`the resource does not carry the identifier of request.url "${url}"`);
  return { type, identifier };
}

async function findOne(type, identifier) {
  const url = `${base}/${encodeURIComponent(type)}?identifier=${encodeURIComponent(identifier)}`;
  const found = await getJson(url);
  if (found?.resourceType !== 'Bundle' || found.type !== 'searchset') fail(`GET ${url}: not a searchset Bundle`);
  const entries = found.entry ?? [];
  if (found.total !== 1 || entries.length !== 1) {
    const ids = entries.map((e) => e?.resource?.id).join(', ');
    fail(`search found total ${found.total}, ${entries.length} entries (${ids || 'none'}), not exactly one`);
  }
  const resource = entries[0].resource;
  if (resource?.resourceType !== type || typeof resource.id !== 'string' || resource.id === '') {
    fail(`search answered a ${resource?.resourceType} with id ${JSON.stringify(resource?.id)}, not a ${type} with an id`);
  }
  return resource;
}

async function checkBundle(file) {
  const where = (i, identifier) => `${file}: entry ${i}${identifier ? ` (identifier ${identifier})` : ''}`;
  let bundle;
  try {
    bundle = JSON.parse(readFileSync(join(bundleDir, file), 'utf8'));
  } catch (e) {
    fail(`${file}: cannot read: ${e.message}`);
  }
  if (bundle?.resourceType !== 'Bundle' || bundle.type !== 'transaction') fail(`${file}: not a transaction Bundle`);
  const entries = Array.isArray(bundle.entry) ? bundle.entry : [];
  if (entries.length === 0) fail(`${file}: no entries`);

  // Pass 1: find every entry's resource on the server.
  const found = [];
  const byFullUrl = new Map(); // urn:uuid:... -> Type/id on the server
  for (const [i, entry] of entries.entries()) {
    let identifier;
    try {
      const target = conditionalTarget(entry);
      identifier = target.identifier;
      const fullUrl = entry.fullUrl;
      if (typeof fullUrl !== 'string' || !fullUrl.startsWith('urn:uuid:')) fail(`fullUrl ${JSON.stringify(fullUrl)} is not urn:uuid:`);
      if (byFullUrl.has(fullUrl)) fail(`fullUrl ${fullUrl} is used twice in the Bundle`);
      const resource = await findOne(target.type, identifier);
      const ref = `${resource.resourceType}/${resource.id}`;
      if ([...byFullUrl.values()].includes(ref)) fail(`found ${ref}, already found for another entry`);
      byFullUrl.set(fullUrl, ref);
      found.push({ identifier, resource });
    } catch (e) {
      if (e instanceof CheckError) fail(`${where(i, identifier)}: ${e.message}`);
      throw e;
    }
  }

  // Pass 2: references resolved to the resources found for the entries they named.
  for (const [i, entry] of entries.entries()) {
    const { identifier, resource } = found[i];
    const at = where(i, identifier);
    for (const { path, value } of stringsAt(entry.resource, 'reference')) {
      if (!value.startsWith('urn:uuid:')) continue;
      const expected = byFullUrl.get(value);
      if (expected === undefined) fail(`${at}: ${path} is ${value}, the fullUrl of no entry in the Bundle`);
      const stored = valueAt(resource, path);
      if (stored !== expected) {
        fail(`${at}: ${path} on the server is ${JSON.stringify(stored)}, expected ${expected} (the Bundle's ${value})`);
      }
    }
    for (const { path, value } of stringsAt(resource, 'reference')) {
      if (value.startsWith('urn:uuid:')) fail(`${at}: ${path} on the server is still ${value}`);
    }
    for (const { path, value } of allStrings(resource)) {
      if (byFullUrl.has(value)) fail(`${at}: ${path} on the server still holds the Bundle's ${value}`);
    }
  }
  return entries.length;
}

async function main() {
  let files;
  try {
    files = readdirSync(bundleDir)
      .filter((name) => name.endsWith('.fhir.json'))
      .sort();
  } catch (e) {
    fail(`cannot list ${bundleDir}: ${e.message}`);
  }
  if (files.length === 0) fail(`no *.fhir.json Bundles in ${bundleDir}`);
  let checked = 0;
  for (const file of files) checked += await checkBundle(file);

  const counts = {};
  for (const type of COUNTED_TYPES) {
    const url = `${base}/${type}?_summary=count`;
    const answer = await getJson(url);
    if (!Number.isSafeInteger(answer?.total)) fail(`GET ${url}: no total in the answer`);
    counts[type] = answer.total;
  }
  console.log(JSON.stringify({ checked, counts }));
}

main().catch((e) => {
  console.error(`fhir_push_check: ${e instanceof CheckError ? e.message : (e?.stack ?? e)}`);
  process.exit(1);
});
