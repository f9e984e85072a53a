#!/usr/bin/env node
// Usage: node reminders_reference.mjs PLAN.json REMINDERS.json
//
// PLAN.json is `aftercare plan show --json`; REMINDERS.json is
// `aftercare reminders list --from F --to T --json`. Recomputes the reminders from the
// plan's schedules independently (rrule on floating local time + luxon for the zone; see
// expand.mjs for the semantics) and checks that the set of (reminder id, instant) pairs is
// the same as what our CLI listed. Wall-clock routines use the device zone that
// `reminders list` reports in its top-level "zone" field.
// Exit 0 with a one-line summary when they agree; exit 1 with the first 20 differences
// otherwise; exit 2 on unusable input.
import { readFileSync } from 'node:fs';
import { expandPlan, parseInstant, showInstant, zoneOf } from './expand.mjs';

const MAX_SHOWN = 20;

function fail(code, message) {
  console.error(`reminders_reference: ${message}`);
  process.exit(code);
}

function readJson(path) {
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    return fail(2, `cannot read ${path}: ${e.message}`);
  }
}

const [planPath, remindersPath] = process.argv.slice(2);
if (!planPath || !remindersPath) fail(2, 'usage: node reminders_reference.mjs PLAN.json REMINDERS.json');
const plan = readJson(planPath);
const listed = readJson(remindersPath);

let zoneName, from, to, expected;
try {
  zoneName = listed.zone;
  if (typeof zoneName !== 'string') throw new Error('REMINDERS.json has no "zone"');
  from = parseInstant(listed.from);
  to = parseInstant(listed.to);
  if (!Array.isArray(listed.reminders)) throw new Error('REMINDERS.json has no "reminders" array');
  expected = expandPlan(plan, zoneName, from, to);
} catch (e) {
  fail(2, e.message);
}
const zone = zoneOf(zoneName);
const show = (ms) => showInstant(ms, zoneName);

const differences = [];

// Ours: id -> instant; duplicates and badly formed times are differences too.
const ours = new Map();
for (const item of listed.reminders) {
  const id = item.reminder;
  let instant;
  try {
    instant = parseInstant(item.planned);
  } catch (e) {
    differences.push(`${id}: ${e.message}`);
    continue;
  }
  // "Times in JSON are ISO 8601 with their UTC offset, in the current zone."
  const m = /([+-])(\d{2}):(\d{2})$|Z$/.exec(item.planned);
  const written = m && m[1] ? (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3])) : 0;
  if (written !== zone.offset(instant)) {
    differences.push(`${id}: planned ${item.planned} is not written with ${zoneName}'s offset at that instant`);
  }
  if (ours.has(id)) {
    differences.push(`${id}: listed twice (${show(ours.get(id))} and ${show(instant)})`);
    continue;
  }
  ours.set(id, instant);
}

const reference = new Map();
for (const r of expected) {
  if (reference.has(r.id)) fail(2, `reference produced ${r.id} twice (bug in expand.mjs)`);
  reference.set(r.id, r);
}

for (const r of expected) {
  if (!ours.has(r.id)) {
    differences.push(`missing:   ${r.id} expected at ${show(r.instant)} (${new Date(r.instant).toISOString()}${r.kind === 'gap' || r.kind === 'overlap' ? `, DST ${r.kind}` : ''})`);
  } else if (ours.get(r.id) !== r.instant) {
    differences.push(
      `different: ${r.id} ours ${show(ours.get(r.id))} (${new Date(ours.get(r.id)).toISOString()}) ` +
        `reference ${show(r.instant)} (${new Date(r.instant).toISOString()}${r.kind === 'gap' || r.kind === 'overlap' ? `, DST ${r.kind}` : ''})`,
    );
  }
}
for (const [id, instant] of ours) {
  if (!reference.has(id)) {
    differences.push(`extra:     ${id} listed at ${show(instant)} (${new Date(instant).toISOString()}), not expected`);
  }
}

const range = `[${listed.from}, ${listed.to}) in ${zoneName}`;
if (differences.length > 0) {
  console.error(`reminders_reference: MISMATCH for ${range}: ${differences.length} difference(s); first ${Math.min(MAX_SHOWN, differences.length)}:`);
  for (const d of differences.slice(0, MAX_SHOWN)) console.error(`  ${d}`);
  process.exit(1);
}
const dst = expected.filter((r) => r.kind === 'gap' || r.kind === 'overlap').length;
console.log(`reminders_reference: OK ${expected.length} reminders agree for ${range} (${dst} on DST gaps/overlaps)`);
