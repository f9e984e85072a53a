#!/usr/bin/env node
// Benchmark of the reference expansion that tests/interop/reminders_reference.mjs checks
// our reminders with: it calls the same expandPlan() from tests/interop/expand.mjs
// (rrule on floating local time + luxon for the zone), so it measures exactly what the
// check runs.
//
// Usage: node tests/bench/reference_expand.mjs [PLAN.json [ZONE]]
//
// The plan: by default the one built in below, which is what `aftercare plan show --json`
// prints for tests/interop/year_protocol.json treated 2027-01-10T21:00 in America/Toronto
// (the default protocol with every routine until 366 d, outdoors re-application on every
// day since outdoors mode is on from the treatment, the one-offs: first wash, the
// restrictions lifted, the next session). Pass a PLAN.json from the CLI to time another
// plan instead; ZONE (the device zone) defaults to the plan's zone.
// One expansion covers one year: [treated, treated + 1 year) on the zone's wall clock.
//
// Needs the packages of tests/interop (`npm ci` there; tests/interop/run_interop.sh
// does it). Warms up first, then repeats for at least 1 s and 10 runs, timed with
// process.hrtime.bigint, and prints one line:
//   reference_expand_year_ns <median ns per expansion> occurrences <count>
import { readFileSync } from 'node:fs';

let expand;
try {
  expand = await import('../interop/expand.mjs');
} catch (e) {
  console.error(`reference_expand: cannot load tests/interop/expand.mjs (${e.message}); run npm ci in tests/interop first`);
  process.exit(2);
}
const { DateTime } = expand;

const BUILT_IN_PLAN = {
  treated_at: '2027-01-10T21:00:00-05:00',
  zone: 'America/Toronto',
  session: 1,
  sessions: 3,
  steps: [
    { step: 'first_wash', schedule: { type: 'once', after: '4h' }, from: '0min', until: null, condition: null },
    { step: 'cleanse_am', schedule: { type: 'daily', times: ['08:00'] }, from: '4h', until: '366d', condition: null },
    { step: 'cleanse_pm', schedule: { type: 'daily', times: ['20:00'] }, from: '4h', until: '366d', condition: null },
    { step: 'moisturize', schedule: { type: 'daily', times: ['08:15', '13:00', '20:15'] }, from: '4h', until: '366d', condition: null },
    { step: 'spf_am', schedule: { type: 'daily', times: ['08:30'] }, from: '12h', until: '366d', condition: null },
    {
      step: 'spf_reapply',
      schedule: { type: 'every', interval: '2h', between: ['10:30', '18:30'] },
      from: '12h',
      until: '366d',
      condition: 'outdoors',
    },
    { step: 'checkin', schedule: { type: 'daily', times: ['19:00'] }, from: '0min', until: '366d', condition: null },
  ],
  restrictions: [
    { restriction: 'no_makeup', duration: '1d' },
    { restriction: 'no_sun', duration: '7d' },
    { restriction: 'no_exercise', duration: '2d' },
    { restriction: 'no_pool_sauna', duration: '3d' },
    { restriction: 'no_exfoliants', duration: '5d' },
    { restriction: 'no_retinoids', duration: '7d' },
    { restriction: 'no_vitamin_c', duration: '5d' },
    { restriction: 'no_alcohol_toner', duration: '10d' },
    { restriction: 'no_picking', duration: '7d' },
    { restriction: 'no_touching', duration: '2d' },
  ],
  series: { interval: '28d', sessions: 3 },
};

const [planPath, zoneArg] = process.argv.slice(2);
const plan = planPath ? JSON.parse(readFileSync(planPath, 'utf8')) : BUILT_IN_PLAN;
const zone = zoneArg ?? plan.zone;
const start = DateTime.fromISO(plan.treated_at, { setZone: true }).setZone(zone);
const from = start.toMillis();
const to = start.plus({ years: 1 }).toMillis(); // the same wall-clock time a year later

const once = () => expand.expandPlan(plan, zone, from, to);

// Warm-up: let the JIT and luxon's formatter caches settle.
const warmUntil = process.hrtime.bigint() + 300_000_000n;
let count = once().length;
for (let i = 0; i < 3 || process.hrtime.bigint() < warmUntil; i += 1) count = once().length;

const samples = [];
let total = 0n;
while (samples.length < 10 || total < 1_000_000_000n) {
  const t0 = process.hrtime.bigint();
  const n = once().length;
  const dt = process.hrtime.bigint() - t0;
  if (n !== count) throw new Error(`expansion not deterministic: ${n} vs ${count}`);
  samples.push(dt);
  total += dt;
}
samples.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
const mid = samples.length >> 1;
const median = samples.length % 2 ? samples[mid] : (samples[mid - 1] + samples[mid]) / 2n;
console.log(`reference_expand_year_ns ${median} occurrences ${count}`);
