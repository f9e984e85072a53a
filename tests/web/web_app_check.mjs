// The web app in headless Chromium, as a phone shows it:
//   node web_app_check.mjs SITE GOLDEN_DIR OUT_DIR [--update]
// Serves SITE (scripts/web_serve.sh's server), opens it at 390 x 844 with touch, and checks:
// every screen at DPR 1 and DPR 3 against the golden PNGs (byte for byte); the plan started by
// typing through the soft-keyboard path; swelling 4 logged from Today in three taps and
// confirmed only once IndexedDB holds it; the entry still there after a reload and after the
// browser is closed and opened again; a reload with the network off served by the service
// worker; the zone taken from the browser (Europe/Paris, then Asia/Tokyo).
// Exits 1 with what differed.
import {spawn} from 'node:child_process';
import {mkdtempSync, readFileSync, writeFileSync, existsSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join, dirname} from 'node:path';
import {fileURLToPath} from 'node:url';
import {createRequire} from 'node:module';

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(join(here, '../interop/package.json'));
const {chromium} = require('playwright-core');

const [site, goldenDir, outDir, flag] = process.argv.slice(2);
const update = flag === '--update';
const failures = [];
const fail = (what) => {
  failures.push(what);
  console.error('FAIL ' + what);
};
const check = (condition, what) => (condition ? console.log('ok   ' + what) : fail(what));

// The moment the browser's clock stands at: 10:00 in Paris, two days after a treatment.
const NOW = new Date('2027-03-15T10:00:00+01:00');

async function serve() {
  const server = spawn(process.execPath, [join(here, '../../platform/web/serve.mjs'), site, '0']);
  const url = await new Promise((resolve, reject) => {
    server.stdout.on('data', (data) => {
      const found = String(data).match(/http:\/\/localhost:\d+\//);
      if (found) resolve(found[0]);
    });
    server.on('exit', (code) => reject(new Error('the server stopped: ' + code)));
  });
  return {server, url};
}

async function open(profile, {dpr = 1, zone = 'Europe/Paris'} = {}) {
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'],
    viewport: {width: 390, height: 844},
    deviceScaleFactor: dpr,
    isMobile: true,
    hasTouch: true,
    timezoneId: zone,
    locale: 'en-GB',
  });
  await context.clock.setFixedTime(NOW);
  const page = context.pages()[0] || (await context.newPage());
  page.on('pageerror', (error) => fail('page error: ' + error.message));
  return {context, page};
}

async function load(page, url) {
  await page.goto(url);
  await page.waitForFunction(() => document.body.dataset.state !== 'loading', null, {timeout: 60000});
  const state = await page.evaluate(() => document.body.dataset.state);
  if (state !== 'running') {
    throw new Error('the app did not start: ' + (await page.textContent('#status')));
  }
  return settle(page);
}

// What the last frame showed (aftercare_describe), after the app has drawn a few frames.
async function settle(page) {
  await page.waitForTimeout(300);
  return describe(page);
}

async function describe(page) {
  return page.evaluate(() => {
    const text = Module.ccall('aftercare_describe', 'number', [], []);
    const json = UTF8ToString(text);
    Module._free(text);
    return JSON.parse(json);
  });
}

async function tap(page, label) {
  const shown = await describe(page);
  const control = shown.controls.find((c) => c.label === label);
  if (!control) throw new Error(`no control "${label}" on ${shown.screen}: ` +
                                shown.controls.map((c) => c.label).join(', '));
  await page.touchscreen.tap(control.x + control.width / 2, control.y + control.height / 2);
  return settle(page);
}

async function screenshot(page, name) {
  const file = join(outDir, name + '.png');
  await page.screenshot({path: file});
  const golden = join(goldenDir, name + '.png');
  if (update) {
    writeFileSync(golden, readFileSync(file));
    console.log('updated ' + golden);
  } else if (!existsSync(golden)) {
    fail(`${name}: no golden image ${golden}`);
  } else {
    check(readFileSync(file).equals(readFileSync(golden)), `${name} matches its golden image`);
  }
}

// Types `text` into the focused field through the page's hidden text area, as a phone's soft
// keyboard does (keydown, input); clears it first with Backspace.
async function type(page, text, clear = 0) {
  check(await page.evaluate(() => document.activeElement.id === 'keyboard'),
        'a text field takes the soft keyboard');
  for (let i = 0; i < clear; ++i) {
    await page.keyboard.press('Backspace');
    await page.waitForTimeout(40);
  }
  await page.keyboard.type(text, {delay: 20});
  return settle(page);
}

const {server, url} = await serve();
const profile = mkdtempSync(join(tmpdir(), 'aftercare-web-'));
try {
  for (const dpr of [1, 3]) {
    const {context, page} = await open(mkdtempSync(join(tmpdir(), 'aftercare-web-')), {dpr});
    let shown = await load(page, url);
    check(shown.screen === 'onboarding', `DPR ${dpr}: a new patient starts on onboarding`);
    await screenshot(page, `web-onboarding@${dpr}x`);
    await context.close();
  }

  // A plan started by typing, then every screen.
  let {context, page} = await open(profile, {dpr: 3});
  let shown = await load(page, url);
  check(shown.zone === 'Europe/Paris', `the zone comes from the browser (${shown.zone})`);
  await tap(page, 'Treatment date (YYYY-MM-DD)');
  await type(page, '2027-03-13', 10);
  await tap(page, 'Time (HH:MM, 24-hour)');
  await type(page, '18:00', 5);
  shown = await tap(page, 'Start my plan');
  check(shown.has_plan && shown.screen === 'today', `the plan starts (${shown.banner})`);
  for (const screen of ['Today', 'Log', 'Progress', 'Reminders', 'Settings']) {
    await tap(page, screen);
    await screenshot(page, `web-${screen.toLowerCase()}@3x`);
  }
  await tap(page, 'Today');

  // Swelling 4 from Today in three taps, saved only once IndexedDB holds it.
  await tap(page, 'Log a symptom');
  await tap(page, 'Swelling');
  shown = await tap(page, '4');
  shown = await tap(page, 'Save');
  for (let i = 0; i < 50 && shown.banner.startsWith('Saving'); ++i) shown = await settle(page);
  check(shown.banner.startsWith('Saved') && !shown.banner_is_error, `confirmed: "${shown.banner}"`);
  check(shown.entries.some((e) => e.symptom === 'swelling' && e.severity === 4), 'swelling 4 is logged');

  await page.reload();
  shown = await load(page, url);
  check(shown.entries.some((e) => e.symptom === 'swelling' && e.severity === 4),
        'the entry is there after a reload');
  await context.close();

  // The browser closed and opened again, in Tokyo; then offline.
  ({context, page} = await open(profile, {dpr: 3, zone: 'Asia/Tokyo'}));
  shown = await load(page, url);
  check(shown.entries.some((e) => e.symptom === 'swelling' && e.severity === 4),
        'the entry is there after the browser is closed and opened again');
  check(shown.zone === 'Asia/Tokyo', `the zone follows the browser (${shown.zone})`);
  await page.evaluate(() => navigator.serviceWorker.ready);
  await context.setOffline(true);
  await page.reload();
  shown = await load(page, url);
  check(shown.has_plan, 'with the network off, the service worker serves the app');
  await context.close();
} catch (error) {
  fail(error.stack || String(error));
} finally {
  server.kill();
  rmSync(profile, {recursive: true, force: true});
}
if (failures.length) {
  console.error(`${failures.length} check(s) failed`);
  process.exit(1);
}
console.log('all web checks passed');
