#!/usr/bin/env node
// Usage: node ics_check.mjs CALENDAR.ics REMINDERS.json [PLAN.json]
//
// CALENDAR.ics is `aftercare export ics`; REMINDERS.json is
// `aftercare reminders list --from F --to T --json` for the same plan. PLAN.json
// (`aftercare plan show --json`) says which steps have a condition; without it the
// conditions of the built-in protocol (assets/protocols/microneedling.json) are used.
//
// The .ics is parsed with BOTH node-ical and ical.js (ical.js gets the file's VTIMEZONE
// blocks through ICAL.TimezoneService, and every DTSTART with a TZID must resolve to
// one: ical.js would silently treat it as floating otherwise). Every VEVENT is expanded
// over the REMINDERS.json range and, for each library:
//   - the start instants of the events in [from, to) must be, as a multiset, the
//     "planned" instants of the reminders of kind "step" or "lifted" whose step has no
//     condition (outdoors-only steps are not in the .ics), and each such event's only
//     alarm fires at its start;
//   - the next-session reminder (session:N) is a VALARM one day before the session
//     VEVENT: that event must start at planned + 1 day.
// Checked here because neither library does: VERSION:2.0, PRODID, a unique UID and a
// DTSTAMP in each VEVENT, exactly one VTIMEZONE per TZID used, CRLF line ends, no line
// over 75 octets, UTF-8, and that each VTIMEZONE agrees with the tz database (luxon).
// Exit 0 with a one-line summary, 1 with a clear message on any mismatch, 2 on bad usage.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ical from 'node-ical';
import ICAL from 'ical.js';
import { parseInstant, showInstant, zoneOf } from './expand.mjs';

const DAY_MS = 86_400_000;
const MAX_SHOWN = 20;

function usage(message) {
  console.error(`ics_check: ${message}`);
  process.exit(2);
}

const [icsPath, remindersPath, planPath] = process.argv.slice(2);
if (!icsPath || !remindersPath) usage('usage: node ics_check.mjs CALENDAR.ics REMINDERS.json [PLAN.json]');

let raw, listed, conditionOf;
try {
  raw = readFileSync(icsPath);
  listed = JSON.parse(readFileSync(remindersPath, 'utf8'));
  conditionOf = new Map();
  if (planPath) {
    for (const s of JSON.parse(readFileSync(planPath, 'utf8')).steps) conditionOf.set(s.step, s.condition ?? null);
  } else {
    const here = dirname(fileURLToPath(import.meta.url));
    const builtin = JSON.parse(readFileSync(join(here, '..', '..', 'assets', 'protocols', 'microneedling.json'), 'utf8'));
    for (const [id, s] of Object.entries(builtin.steps)) conditionOf.set(id, s.condition ?? null);
  }
} catch (e) {
  usage(e.message);
}

const zoneName = listed.zone;
const from = parseInstant(listed.from);
const to = parseInstant(listed.to);
const show = (ms) => `${showInstant(ms, zoneName)} (${new Date(ms).toISOString()})`;
const problems = []; // [section, message]

// ---------------------------------------------------------------------------------------
// 1. What neither library checks: the file itself.
// ---------------------------------------------------------------------------------------
function checkStructure() {
  const out = [];
  const text = raw.toString('latin1'); // byte-for-byte, for positions and lengths
  if (!text.endsWith('\r\n')) out.push('the file does not end with CRLF');
  const physical = text.split('\r\n');
  if (physical[physical.length - 1] === '') physical.pop();
  const decoder = new TextDecoder('utf-8', { fatal: true });
  physical.forEach((line, i) => {
    if (line.includes('\n') || line.includes('\r')) out.push(`line ${i + 1}: a line break that is not CRLF`);
    if (line.length > 75) out.push(`line ${i + 1}: ${line.length} octets (more than 75)`);
    try {
      decoder.decode(Buffer.from(line, 'latin1'));
    } catch {
      out.push(`line ${i + 1}: not valid UTF-8 on its own (a fold splits a character?)`);
    }
  });

  // Unfold (CRLF followed by a space or tab continues the line), then build the tree.
  const lines = [];
  for (const line of physical) {
    if ((line.startsWith(' ') || line.startsWith('\t')) && lines.length > 0) {
      lines[lines.length - 1] += line.slice(1);
    } else {
      lines.push(line);
    }
  }
  const root = { name: 'ROOT', props: [], children: [] };
  const stack = [root];
  for (const line of lines.map((l) => Buffer.from(l, 'latin1').toString('utf8'))) {
    const prop = parseContentLine(line);
    if (!prop) {
      out.push(`not a content line: ${JSON.stringify(line)}`);
      continue;
    }
    if (prop.name === 'BEGIN') {
      const c = { name: prop.value.toUpperCase(), props: [], children: [] };
      stack[stack.length - 1].children.push(c);
      stack.push(c);
    } else if (prop.name === 'END') {
      const top = stack.pop();
      if (!top || top.name !== prop.value.toUpperCase()) out.push(`END:${prop.value} does not close ${top?.name}`);
    } else {
      stack[stack.length - 1].props.push(prop);
    }
  }
  if (stack.length !== 1) out.push(`unclosed ${stack.slice(1).map((c) => c.name).join(', ')}`);

  const cals = root.children.filter((c) => c.name === 'VCALENDAR');
  if (cals.length !== 1 || root.children.length !== 1) out.push(`expected exactly one VCALENDAR, found ${cals.length}`);
  const all = (c, name) => c.props.filter((p) => p.name === name);
  const tzUsed = new Map(); // TZID -> number of properties using it
  const tzBlocks = new Map(); // TZID -> VTIMEZONE components
  for (const cal of cals) {
    const version = all(cal, 'VERSION');
    if (version.length !== 1 || version[0].value !== '2.0') {
      out.push(`VCALENDAR needs exactly one VERSION:2.0, has ${JSON.stringify(version.map((p) => p.value))}`);
    }
    const prodid = all(cal, 'PRODID');
    if (prodid.length !== 1 || prodid[0].value.trim() === '') out.push('VCALENDAR needs exactly one non-empty PRODID');
    const uids = new Map();
    for (const c of cal.children) {
      if (c.name === 'VTIMEZONE') {
        const tzid = all(c, 'TZID');
        if (tzid.length !== 1) {
          out.push('a VTIMEZONE without exactly one TZID');
          continue;
        }
        if (!tzBlocks.has(tzid[0].value)) tzBlocks.set(tzid[0].value, []);
        tzBlocks.get(tzid[0].value).push(c);
        continue;
      }
      const walk = (comp) => {
        for (const p of comp.props) {
          if (p.params.TZID !== undefined) tzUsed.set(p.params.TZID, (tzUsed.get(p.params.TZID) ?? 0) + 1);
        }
        comp.children.forEach(walk);
      };
      walk(c);
      if (c.name !== 'VEVENT') continue;
      const uid = all(c, 'UID');
      const label = uid[0]?.value ?? '(no UID)';
      if (uid.length !== 1 || uid[0].value.trim() === '') out.push(`VEVENT ${label}: needs exactly one non-empty UID`);
      else if (uids.has(uid[0].value)) out.push(`VEVENT ${label}: UID used twice`);
      else uids.set(uid[0].value, c);
      const stamp = all(c, 'DTSTAMP');
      if (stamp.length !== 1) out.push(`VEVENT ${label}: needs exactly one DTSTAMP`);
      else if (!/^\d{8}T\d{6}Z$/.test(stamp[0].value)) out.push(`VEVENT ${label}: DTSTAMP ${stamp[0].value} is not UTC`);
      if (all(c, 'DTSTART').length !== 1) out.push(`VEVENT ${label}: needs exactly one DTSTART`);
    }
  }
  for (const [tzid, uses] of tzUsed) {
    const n = tzBlocks.get(tzid)?.length ?? 0;
    if (n !== 1) out.push(`TZID ${tzid} (used ${uses} times) has ${n} VTIMEZONE blocks, not exactly one`);
  }
  for (const [tzid, blocks] of tzBlocks) out.push(...checkVtimezone(tzid, blocks[0]));
  return { problems: out, tzUsed };
}

/** "NAME;P=V;Q="v":value" -> { name, params, value }, or null. */
function parseContentLine(line) {
  const m = /^([A-Za-z0-9-]+)/.exec(line);
  if (!m) return null;
  const name = m[1].toUpperCase();
  const params = {};
  let i = m[1].length;
  while (line[i] === ';') {
    const pm = /^;([A-Za-z0-9-]+)=("[^"]*"|[^;:,"]*(?:,(?:"[^"]*"|[^;:,"]*))*)/.exec(line.slice(i));
    if (!pm) return null;
    params[pm[1].toUpperCase()] = pm[2].replace(/^"(.*)"$/, '$1');
    i += pm[0].length;
  }
  if (line[i] !== ':') return null;
  return { name, params, value: line.slice(i + 1) };
}

const offsetMinutes = (text) => {
  const m = /^([+-])(\d{2})(\d{2})(\d{2})?$/.exec(text);
  if (!m) throw new Error(`bad UTC offset ${text}`);
  return (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3]));
};
const localAsUtc = (text) => {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})$/.exec(text);
  if (!m) throw new Error(`bad local DTSTART ${text}`);
  return Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6]);
};

/** Each observance's transition must be one of the tz database's (as luxon has it). */
function checkVtimezone(tzid, block) {
  const out = [];
  let zone;
  try {
    zone = zoneOf(tzid);
  } catch {
    return [`VTIMEZONE ${tzid}: not an IANA zone luxon knows; not compared`];
  }
  for (const obs of block.children) {
    const get = (n) => obs.props.find((p) => p.name === n)?.value;
    try {
      const fromOff = offsetMinutes(get('TZOFFSETFROM'));
      const toOff = offsetMinutes(get('TZOFFSETTO'));
      const at = localAsUtc(get('DTSTART')) - fromOff * 60_000; // the transition instant
      if (obs.props.some((p) => p.name === 'RRULE' || p.name === 'RDATE')) continue; // first onset only: fine as is
      const before = zone.offset(at - 60_000);
      const after = zone.offset(at);
      if (after !== toOff || (fromOff !== toOff && before !== fromOff)) {
        out.push(
          `VTIMEZONE ${tzid}: ${obs.name} at ${get('DTSTART')} says ${get('TZOFFSETFROM')} -> ${get('TZOFFSETTO')}, ` +
            `the tz database has ${before} -> ${after} minutes at ${new Date(at).toISOString()}`,
        );
      }
    } catch (e) {
      out.push(`VTIMEZONE ${tzid}: ${obs.name}: ${e.message}`);
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------
// 2. What the calendar must contain, from REMINDERS.json.
// ---------------------------------------------------------------------------------------
const expectedSteps = new Map(); // instant -> [ids]
const expectedSessions = new Map(); // instant of the session VEVENT -> [ids]
const add = (map, t, id) => (map.has(t) ? map.get(t).push(id) : map.set(t, [id]));
let skippedConditional = 0;
for (const item of listed.reminders) {
  const planned = parseInstant(item.planned);
  if (item.kind === 'step') {
    if (!conditionOf.has(item.step)) usage(`reminder ${item.reminder}: step ${item.step} is not in the plan`);
    if (conditionOf.get(item.step) !== null) {
      skippedConditional += 1;
      continue;
    }
    add(expectedSteps, planned, item.reminder);
  } else if (item.kind === 'lifted') {
    add(expectedSteps, planned, item.reminder);
  } else if (item.kind === 'session') {
    add(expectedSessions, planned + DAY_MS, item.reminder);
  } else {
    usage(`reminder ${item.reminder}: unknown kind ${JSON.stringify(item.kind)}`);
  }
}

/** RFC 5545 dur-value -> seconds (for node-ical, which leaves triggers as text). */
function durationSeconds(text) {
  const m = /^([+-])?P(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$/.exec(String(text).trim());
  if (!m) throw new Error(`bad duration ${JSON.stringify(text)}`);
  const s = (+m[2] || 0) * 7 * 86400 + (+m[3] || 0) * 86400 + (+m[4] || 0) * 3600 + (+m[5] || 0) * 60 + (+m[6] || 0);
  return m[1] === '-' ? -s : s;
}

/**
 * Compare one library's occurrences ([{ uid, start, triggers: [seconds] }], already
 * expanded over [from, to + 1 day)) with what REMINDERS.json says.
 */
function compare(library, occurrences) {
  const out = [];
  const gotSteps = new Map();
  const gotSessions = new Map();
  for (const o of occurrences) {
    const isSession = o.triggers.includes(-86400);
    if (isSession) {
      if (o.triggers.length !== 1) out.push(`${o.uid}: a session event with alarms ${o.triggers.join(', ')} s`);
      if (o.start - DAY_MS >= from && o.start - DAY_MS < to) add(gotSessions, o.start, o.uid);
    } else {
      if (o.start < from || o.start >= to) continue;
      if (o.triggers.length !== 1 || o.triggers[0] !== 0) {
        out.push(`${o.uid} at ${show(o.start)}: alarms at ${JSON.stringify(o.triggers)} s from the start, expected exactly one at 0`);
      }
      add(gotSteps, o.start, o.uid);
    }
  }
  const diff = (what, expected, got) => {
    const instants = [...new Set([...expected.keys(), ...got.keys()])].sort((a, b) => a - b);
    for (const t of instants) {
      const e = expected.get(t) ?? [];
      const g = got.get(t) ?? [];
      if (e.length !== g.length) {
        out.push(
          `${what} at ${show(t)}: ${e.length} expected (${e.join(', ') || '-'}), ` +
            `${g.length} in the .ics (${[...new Set(g)].join(', ') || '-'})`,
        );
      }
    }
  };
  diff('event', expectedSteps, gotSteps);
  diff('session event', expectedSessions, gotSessions);
  for (const m of out) problems.push([library, m]);
  let n = 0;
  for (const v of gotSteps.values()) n += v.length;
  return n;
}

// ---------------------------------------------------------------------------------------
// 3. node-ical (resolves IANA TZIDs itself).
// ---------------------------------------------------------------------------------------
function withNodeIcal(text) {
  const data = ical.sync.parseICS(text);
  const occurrences = [];
  for (const e of Object.values(data)) {
    if (e.type !== 'VEVENT') continue;
    const triggers = (e.alarms ?? []).map((a) => durationSeconds(a.trigger));
    const instances = ical.expandRecurringEvent(e, { from: new Date(from), to: new Date(to + DAY_MS) });
    for (const i of instances) occurrences.push({ uid: e.uid, start: i.start.getTime(), triggers });
  }
  return occurrences;
}

// ---------------------------------------------------------------------------------------
// 4. ical.js (only knows the zones the file brings: register them, and make sure every
//    zoned DTSTART really got one instead of silently floating).
// ---------------------------------------------------------------------------------------
function withIcalJs(text) {
  const cal = new ICAL.Component(ICAL.parse(text));
  for (const vtz of cal.getAllSubcomponents('vtimezone')) ICAL.TimezoneService.register(vtz);
  const occurrences = [];
  const end = to + DAY_MS;
  for (const vevent of cal.getAllSubcomponents('vevent')) {
    const event = new ICAL.Event(vevent);
    const uid = event.uid;
    const tzid = vevent.getFirstProperty('dtstart').getParameter('tzid');
    const zone = event.startDate.zone;
    if (tzid && (!zone || zone.tzid !== tzid || zone === ICAL.Timezone.localTimezone)) {
      problems.push(['ical.js', `${uid}: DTSTART;TZID=${tzid} resolved to ${zone?.tzid ?? 'no zone'} (floating)`]);
    }
    const triggers = vevent.getAllSubcomponents('valarm').map((a) => {
      const t = a.getFirstPropertyValue('trigger');
      if (!(t instanceof ICAL.Duration)) throw new Error(`${uid}: a VALARM TRIGGER that is not a duration`);
      return t.toSeconds();
    });
    if (!event.isRecurring()) {
      occurrences.push({ uid, start: event.startDate.toUnixTime() * 1000, triggers });
      continue;
    }
    const it = event.iterator();
    for (let next = it.next(), n = 0; next; next = it.next(), n += 1) {
      if (n > 1_000_000) throw new Error(`${uid}: runaway recurrence`);
      const start = next.toUnixTime() * 1000;
      if (start >= end) break;
      if (start >= from) occurrences.push({ uid, start, triggers });
    }
  }
  return occurrences;
}

// ---------------------------------------------------------------------------------------
const structure = checkStructure();
for (const m of structure.problems) problems.push(['file', m]);
const text = raw.toString('utf8');
const counts = {};
for (const [library, run] of [['node-ical', withNodeIcal], ['ical.js', withIcalJs]]) {
  try {
    counts[library] = compare(library, run(text));
  } catch (e) {
    problems.push([library, `failed: ${e.stack ?? e}`]);
  }
}

const range = `[${listed.from}, ${listed.to}) in ${zoneName}`;
if (problems.length > 0) {
  console.error(`ics_check: MISMATCH in ${icsPath} for ${range}: ${problems.length} problem(s); first ${Math.min(MAX_SHOWN, problems.length)}:`);
  const clip = (m) => (m.length > 400 ? `${m.slice(0, 400).replace(/\r?\n/g, '\\n')}...` : m);
  for (const [section, m] of problems.slice(0, MAX_SHOWN)) console.error(`  [${section}] ${clip(m)}`);
  process.exit(1);
}
let expectedCount = 0;
for (const v of expectedSteps.values()) expectedCount += v.length;
console.log(
  `ics_check: OK node-ical and ical.js agree with ${expectedCount} reminders + ${expectedSessions.size} session(s) ` +
    `for ${range} (${skippedConditional} outdoors-only left out; TZIDs ${[...structure.tzUsed.keys()].join(', ') || 'none'})`,
);
