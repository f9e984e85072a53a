// The web app in headless Chromium, as a phone shows it:
//   node web_app_check.mjs SITE GOLDEN_DIR OUT_DIR [--update]
// Serves SITE (scripts/web_serve.sh's server), opens it at 390 x 844 with touch, and checks:
// every screen at DPR 1 and DPR 3 against the golden PNGs (byte for byte); the plan started by
// typing through the soft-keyboard path; swelling 4 logged from Today in three taps, with a note
// and Backspaces, not confirmed while IndexedDB's write is held back and confirmed once it is
// done; the entry still there after a reload and after the browser is closed and opened again;
// a second tab refused; a reload with the server stopped and the network off served by the
// service worker; the zone taken from the browser (Europe/Paris, then Asia/Tokyo); a CSV export
// downloaded with its manifest. Exits 1 with what differed.
import {spawn} from 'node:child_process';
import {mkdtempSync, mkdirSync, readFileSync, writeFileSync, existsSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join, dirname} from 'node:path';
import {fileURLToPath} from 'node:url';
import {createRequire} from 'node:module';

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(join(here, '../interop/package.json'));
const {chromium} = require('playwright-core');

const [site, goldenDir, outDir, flag] = process.argv.slice(2);
const update = flag === '--update';
if (!site || !goldenDir || !outDir) {
  console.error('usage: node web_app_check.mjs SITE GOLDEN_DIR OUT_DIR [--update]');
  process.exit(2);
}
if (!existsSync(join(site, 'sw.js'))) {
  console.error(`${site}: no web app built there; build it with scripts/web_build.sh`);
  process.exit(1);
}
mkdirSync(outDir, {recursive: true});
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

// Describes the page until `wanted(shown)` holds (the app draws on events and IndexedDB
// answers when it does), for up to 10 s; the last description either way.
async function until(page, wanted) {
  let shown = await describe(page);
  for (let i = 0; i < 100 && !wanted(shown); ++i) {
    await page.waitForTimeout(100);
    shown = await describe(page);
  }
  return shown;
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

// A tap on the 0-10 scale where `value` sits: ImGui's integer slider keeps 2 px of padding
// and a grab of 1/11 of the rest, and maps the tap along what is left.
async function tap_scale(page, value) {
  const shown = await describe(page);
  const scale = shown.controls.find((c) => c.label === 'severity');
  if (!scale) throw new Error('no severity scale on ' + shown.screen);
  const grab = (scale.width - 4) / 11;
  const x = scale.x + 2 + grab / 2 + (value / 10) * (scale.width - 4 - grab);
  await page.touchscreen.tap(x, scale.y + scale.height / 2);
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
    await page.keyboard.press('Backspace', {delay: 60});
    await page.waitForTimeout(40);
  }
  await page.keyboard.type(text, {delay: 20});
  return settle(page);
}

const {server, url} = await serve();
const profile = mkdtempSync(join(tmpdir(), 'aftercare-web-'));
try {
  // Every screen at DPR 1 and DPR 3: onboarding, then a plan started by typing its date and
  // time through the soft-keyboard path, then each tab.
  let context, page, shown;
  for (const dpr of [1, 3]) {
    const last = dpr === 3;
    ({context, page} = await open(last ? profile : mkdtempSync(join(tmpdir(), 'aftercare-web-')), {dpr}));
    shown = await load(page, url);
    check(shown.screen === 'onboarding', `DPR ${dpr}: a new patient starts on onboarding`);
    check(shown.zone === 'Europe/Paris', `DPR ${dpr}: the zone comes from the browser (${shown.zone})`);
    await screenshot(page, `web-onboarding@${dpr}x`);
    await tap(page, 'Treatment date (YYYY-MM-DD)');
    await type(page, '2027-03-13');
    await tap(page, 'Treatment time (HH:MM)');
    await type(page, '18:00');
    await tap(page, 'Start my plan');
    shown = await until(page, (s) => s.has_plan && s.screen === 'today' && !s.banner.startsWith('Saving'));
    check(shown.has_plan && shown.screen === 'today',
          `DPR ${dpr}: the plan starts (${shown.screen}: ${shown.banner})`);
    check(/^\d{4}[a-z]$/.test(shown.zone_database), `the zone database is ${shown.zone_database}`);
    for (const screen of ['Today', 'Log', 'Progress', 'Reminders', 'Settings']) {
      await tap(page, screen);
      await screenshot(page, `web-${screen.toLowerCase()}@${dpr}x`);
    }
    await tap(page, 'Today');
    if (!last) await context.close();
  }

  // Swelling 4 from Today in three taps (the symptom, 4 on the scale, Save), saved only once
  // IndexedDB holds it.
  shown = await tap(page, 'Swelling');
  check(shown.screen === 'log', 'a symptom on Today opens the Log');
  await tap_scale(page, 4);
  await tap(page, 'Note (optional)');
  await type(page, 'Puffy under the eyes, é àxyz');
  // Two Backspaces from a hardware keyboard (keys, through SDL), one from a phone's soft
  // keyboard (no key: only the text area's deletion).
  await page.keyboard.press('Backspace', {delay: 60});
  await page.keyboard.press('Backspace', {delay: 60});
  await page.evaluate(() => {
    const area = document.getElementById('keyboard');
    area.value = '';
    area.dispatchEvent(new InputEvent('input', {inputType: 'deleteContentBackward'}));
  });
  await settle(page);
  // The write to IndexedDB held back: the entry is in the app, but not confirmed.
  await page.evaluate(() => {
    const real = Module.FS.syncfs;
    window.heldSyncs = [];
    window.releaseSyncs = () => {
      Module.FS.syncfs = real;
      window.heldSyncs.forEach((sync) => sync());
    };
    Module.FS.syncfs = (populate, callback) =>
      window.heldSyncs.push(() => real.call(Module.FS, populate, callback));
  });
  await tap(page, 'Save');
  shown = await until(page, (s) => s.entries.length > 0);
  await page.waitForTimeout(1000);
  shown = await describe(page);
  check(shown.entries.length === 1 && shown.banner.startsWith('Saving'),
        `not confirmed while IndexedDB has not written it ("${shown.banner}")`);
  await page.evaluate(() => window.releaseSyncs());
  shown = await until(page, (s) => s.banner && !s.banner.startsWith('Saving'));
  check(shown.banner.startsWith('Saved') && !shown.banner_is_error,
        `confirmed once written: "${shown.banner}"`);
  check(shown.entries.some((e) => e.symptom === 'swelling' && e.severity === 4), 'swelling 4 is logged');
  check(shown.entries.some((e) => e.note === 'Puffy under the eyes, é à'),
        'the note typed through the soft keyboard is logged as typed: ' + JSON.stringify(shown.entries));

  // Reloaded straight after "Saved".
  await page.reload();
  shown = await load(page, url);
  check(shown.entries.some((e) => e.symptom === 'swelling' && e.severity === 4),
        'the entry is there after a reload');

  // A second tab of the app is refused (it would write its older copy over this one's).
  {
    const second = await context.newPage();
    await second.goto(url);
    await second.waitForFunction(() => document.body.dataset.state !== 'loading', null, {timeout: 30000});
    const text = await second.textContent('#status');
    check(/already open/.test(text), `a second tab is told to close ("${text}")`);
    await second.close();
  }

  // An export from Settings reaches the browser's downloads.
  {
    await tap(page, 'Settings');
    const downloads = [];
    page.on('download', (download) => downloads.push(download));
    await tap(page, 'CSV');
    for (let i = 0; i < 50 && downloads.length < 2; ++i) await page.waitForTimeout(100);
    const names = downloads.map((d) => d.suggestedFilename()).sort();
    check(names.join() === 'aftercare.csv,aftercare.csv.manifest.json',
          `a CSV export and its manifest download (${names.join(', ')})`);
    const csv = downloads.find((d) => d.suggestedFilename() === 'aftercare.csv');
    const text = csv ? readFileSync(await csv.path(), 'utf8') : '';
    check(text.startsWith('\ufeff') && /swelling/i.test(text) && text.includes('\r\n'),
          `the downloaded CSV holds the swelling entry (${text.length} bytes)`);
    await tap(page, 'Today');
  }

  await context.close();

  // The browser closed and opened again, in Tokyo; then offline.
  ({context, page} = await open(profile, {dpr: 3, zone: 'Asia/Tokyo'}));
  shown = await load(page, url);
  check(shown.entries.some((e) => e.symptom === 'swelling' && e.severity === 4),
        'the entry is there after the browser is closed and opened again');
  check(shown.zone === 'Asia/Tokyo', `the zone follows the browser (${shown.zone})`);
  await page.evaluate(() => navigator.serviceWorker.ready);
  // Offline for real: Playwright's offline mode does not cover the service worker's own fetches,
  // so the server goes too.
  server.kill();
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
