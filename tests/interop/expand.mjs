// Independent reference expansion of an aftercare plan into reminders.
//
// Shared by reminders_reference.mjs (the check) and tests/bench/reference_expand.mjs
// (the benchmark), so the benchmark times exactly what the check runs.
//
// Written from the documented semantics only (not from our C++):
//   - durations: "1d12h", "30min", "7d", "4h"; d = 24 h exactly, h, min.
//   - once:   id = step, at treated + after (an exact instant).
//   - daily:  every local calendar day in the DEVICE zone, each "HH:MM" is a wall-clock
//             time; id = step@YYYY-MM-DDTHH:MM (nominal local date and time); kept when
//             treated + from <= instant < treated + until (until null: no end).
//   - every:  times of day between[0], between[0] + interval, ... <= between[1] on the
//             wall clock, otherwise as daily.
//   - DST gap: a nonexistent wall time takes the UTC offset in force BEFORE the gap
//             (RFC 5545 3.3.5): 02:30 EST -> 07:30Z (= 03:30 EDT); the id keeps 02:30.
//   - DST overlap: the earlier of the two instants.
//   - condition "outdoors": outdoors mode is on from the treatment on (our test runs).
//   - restrictions: id lifted:<restriction>, at treated + duration (a zero one is skipped).
//   - series: when session < sessions, id session:<session+1> at treated + interval - 1 d.
//   - only reminders with from <= instant < to.
//
// Recurrences are expanded with rrule on FLOATING time (a Date whose UTC fields hold the
// local wall-clock fields; rrule's tzid mode depends on the machine's zone and is never
// used); each wall time is then put into the zone with luxon.
import rrule from 'rrule';
import { DateTime, IANAZone } from 'luxon';

const { RRule, RRuleSet } = rrule;

export { DateTime }; // for the benchmark, which has no node_modules of its own

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;
const DAY_MS = 24 * HOUR_MS;

/** "1d12h" | "30min" | "0min" | "7d" -> milliseconds. Throws on anything else. */
export function parseDuration(text) {
  if (typeof text !== 'string' || text.length === 0) {
    throw new Error(`bad duration: ${JSON.stringify(text)}`);
  }
  const re = /(\d+)(min|d|h)/gy;
  let ms = 0;
  let pos = 0;
  let m;
  while ((m = re.exec(text)) !== null) {
    const n = Number(m[1]);
    ms += n * (m[2] === 'd' ? DAY_MS : m[2] === 'h' ? HOUR_MS : MINUTE_MS);
    pos = re.lastIndex;
  }
  if (pos !== text.length) throw new Error(`bad duration: ${JSON.stringify(text)}`);
  return ms;
}

/** "HH:MM" -> minutes since midnight. */
export function parseTimeOfDay(text) {
  const m = /^(\d{2}):(\d{2})$/.exec(text);
  if (!m || Number(m[1]) > 23 || Number(m[2]) > 59) {
    throw new Error(`bad time of day: ${JSON.stringify(text)}`);
  }
  return Number(m[1]) * 60 + Number(m[2]);
}

/** An ISO 8601 string with an offset (or Z) -> epoch milliseconds. */
export function parseInstant(text) {
  if (typeof text !== 'string' || !/(Z|[+-]\d{2}:\d{2})$/.test(text)) {
    throw new Error(`not an ISO time with an offset: ${JSON.stringify(text)}`);
  }
  const dt = DateTime.fromISO(text, { setZone: true });
  if (!dt.isValid) throw new Error(`bad ISO time: ${JSON.stringify(text)}`);
  return dt.toMillis();
}

export function zoneOf(name) {
  const zone = IANAZone.create(name);
  if (!zone.isValid) throw new Error(`unknown time zone: ${name}`);
  return zone;
}

// A lookaround that is longer than any gap or overlap and shorter than the time between
// two transitions of any zone we test.
const AROUND_MS = 12 * HOUR_MS;

/**
 * Wall-clock fields in a zone -> { instant (epoch ms), kind: 'normal' | 'gap' | 'overlap' }.
 *
 * luxon's DateTime.fromObject does NOT encode our rules by itself, so both cases are
 * resolved here on purpose:
 *  - gap: luxon moves the wall time forward by the length of the gap (02:30 -> 03:30
 *    EDT), which is the same instant as "the offset in force before the gap". We compute
 *    the RFC 5545 instant ourselves and assert that luxon agrees, so a change in luxon
 *    shows up as an error instead of a silent shift.
 *  - overlap: luxon is not consistent (America/Toronto 01:30 on 7 Nov 2027 gives the
 *    later -05:00 instant, Australia/Lord_Howe 01:45 on 4 Apr 2027 the earlier +11:00
 *    one), so we try every offset seen around that moment and take the earliest instant
 *    whose local fields are the requested ones.
 */
export function wallToInstant(zone, y, mo, d, h, mi) {
  const wallAsUtc = Date.UTC(y, mo - 1, d, h, mi);
  const dt = DateTime.fromObject(
    { year: y, month: mo, day: d, hour: h, minute: mi },
    { zone },
  );
  if (!dt.isValid) throw new Error(`luxon: invalid ${y}-${mo}-${d} ${h}:${mi} in ${zone.name}`);
  const luxonMs = dt.toMillis();
  const sameWall = dt.year === y && dt.month === mo && dt.day === d && dt.hour === h && dt.minute === mi;
  if (!sameWall) {
    const offsetBefore = zone.offset(luxonMs - AROUND_MS); // minutes east of UTC
    const rfc = wallAsUtc - offsetBefore * MINUTE_MS;
    if (zone.offset(rfc) === offsetBefore) {
      throw new Error(`not a gap after all: ${y}-${mo}-${d} ${h}:${mi} in ${zone.name}`);
    }
    if (rfc !== luxonMs) {
      throw new Error(
        `luxon's gap behaviour changed: ${y}-${mo}-${d} ${h}:${mi} ${zone.name} ` +
          `luxon ${new Date(luxonMs).toISOString()} vs RFC 5545 ${new Date(rfc).toISOString()}`,
      );
    }
    return { instant: rfc, kind: 'gap' };
  }
  const before = zone.offset(luxonMs - AROUND_MS);
  const after = zone.offset(luxonMs + AROUND_MS);
  if (before === dt.offset && after === dt.offset) return { instant: luxonMs, kind: 'normal' }; // no transition near
  let earliest = luxonMs;
  let matches = 0;
  const offsets = new Set([dt.offset, before, after]);
  for (const offset of offsets) {
    const t = wallAsUtc - offset * MINUTE_MS;
    if (zone.offset(t) === offset) {
      matches += 1;
      if (t < earliest) earliest = t;
    }
  }
  return { instant: earliest, kind: matches > 1 ? 'overlap' : 'normal' };
}

const pad2 = (n) => String(n).padStart(2, '0');

/** Floating Date (UTC fields = wall fields) for a local date at 00:00. */
function floatingDay(y, mo, d) {
  return new Date(Date.UTC(y, mo - 1, d));
}

/** The times of day (minutes since midnight) of a daily or every schedule. */
export function timesOfDay(schedule) {
  if (schedule.type === 'daily') {
    if (!Array.isArray(schedule.times) || schedule.times.length === 0) {
      throw new Error('daily schedule without times');
    }
    return schedule.times.map(parseTimeOfDay);
  }
  if (schedule.type === 'every') {
    const step = parseDuration(schedule.interval) / MINUTE_MS;
    const [a, b] = schedule.between.map(parseTimeOfDay);
    if (step <= 0 || b < a) throw new Error(`bad every schedule: ${JSON.stringify(schedule)}`);
    const out = [];
    for (let t = a; t <= b; t += step) out.push(t);
    return out;
  }
  throw new Error(`not a recurring schedule: ${schedule.type}`);
}

/**
 * Expand one recurring (daily / every) step: every wall-clock occurrence whose instant
 * lies in [lo, hi). Returns [{ id, instant, kind }].
 */
function expandRecurring(step, zone, lo, hi) {
  if (!(lo < hi)) return [];
  // Local calendar days to try: one day of slack on each side of [lo, hi), then exact
  // filtering on instants.
  const first = DateTime.fromMillis(lo, { zone }).startOf('day').minus({ days: 1 });
  const last = DateTime.fromMillis(hi, { zone }).startOf('day').plus({ days: 1 });
  const dayFrom = floatingDay(first.year, first.month, first.day);
  const dayTo = floatingDay(last.year, last.month, last.day);

  const set = new RRuleSet();
  for (const minutes of timesOfDay(step.schedule)) {
    set.rrule(
      new RRule({
        freq: RRule.DAILY,
        interval: 1,
        dtstart: new Date(dayFrom.getTime() + minutes * MINUTE_MS),
        until: new Date(dayTo.getTime() + minutes * MINUTE_MS),
      }),
    );
  }
  const out = [];
  for (const floating of set.all()) {
    const y = floating.getUTCFullYear();
    const mo = floating.getUTCMonth() + 1;
    const d = floating.getUTCDate();
    const h = floating.getUTCHours();
    const mi = floating.getUTCMinutes();
    const { instant, kind } = wallToInstant(zone, y, mo, d, h, mi);
    if (instant < lo || instant >= hi) continue;
    out.push({ id: `${step.step}@${y}-${pad2(mo)}-${pad2(d)}T${pad2(h)}:${pad2(mi)}`, instant, kind });
  }
  return out;
}

/**
 * The reminders of a plan (the JSON of `aftercare plan show --json`) planned in
 * [from, to) (epoch ms), with wall-clock routines in deviceZone (an IANA name).
 * Returns [{ id, instant, kind }] sorted by instant, then id; kind is 'normal', 'gap'
 * or 'overlap' for routine occurrences, 'exact' otherwise.
 */
export function expandPlan(plan, deviceZone, from, to) {
  const zone = zoneOf(deviceZone);
  const treated = parseInstant(plan.treated_at);
  const out = [];
  const inRange = (t) => t >= from && t < to;

  for (const step of plan.steps) {
    if (step.condition !== null && step.condition !== undefined && step.condition !== 'outdoors') {
      throw new Error(`step ${step.step}: unknown condition ${JSON.stringify(step.condition)}`);
    }
    // "outdoors" is switched on at the treatment and never off in our runs: always on.
    const schedule = step.schedule;
    if (schedule.type === 'once') {
      const t = treated + parseDuration(schedule.after);
      if (inRange(t)) out.push({ id: step.step, instant: t, kind: 'exact' });
      continue;
    }
    const start = treated + parseDuration(step.from ?? '0min');
    const end = step.until === null || step.until === undefined ? Infinity : treated + parseDuration(step.until);
    const lo = Math.max(start, from);
    const hi = Math.min(end, to);
    out.push(...expandRecurring(step, zone, lo, hi));
  }

  for (const r of plan.restrictions ?? []) {
    const ms = parseDuration(r.duration);
    if (ms === 0) continue;
    const t = treated + ms;
    if (inRange(t)) out.push({ id: `lifted:${r.restriction}`, instant: t, kind: 'exact' });
  }

  if (plan.series && plan.session < plan.series.sessions) {
    const t = treated + parseDuration(plan.series.interval) - DAY_MS;
    if (inRange(t)) out.push({ id: `session:${plan.session + 1}`, instant: t, kind: 'exact' });
  }

  out.sort((a, b) => a.instant - b.instant || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return out;
}

/** An instant as ISO in a zone, for messages. */
export function showInstant(ms, zoneName) {
  return DateTime.fromMillis(ms, { zone: zoneName }).toISO({ suppressMilliseconds: true });
}
