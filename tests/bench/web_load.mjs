// The web app's size and cold start, beside the native phone app's, in one run:
//   node tests/bench/web_load.mjs SITE NATIVE_PHONE [RUNS]
// Transfer: aftercare.wasm + .data + .js (and the page's files) gzipped at level 9, as a server
// would send them; native: the aftercare-phone executable's size.
// Cold start: a new browser profile each run (nothing cached, no service worker), from
// navigation to the first frame on the canvas, from the local server; native: aftercare-phone
// rendering its first frame to a PNG (--screenshot), from exec to exit. Medians over RUNS (5).
import {spawn, spawnSync} from 'node:child_process';
import {mkdtempSync, readdirSync, readFileSync, rmSync, statSync} from 'node:fs';
import {createRequire} from 'node:module';
import {tmpdir} from 'node:os';
import {dirname, join} from 'node:path';
import {fileURLToPath} from 'node:url';
import {gzipSync} from 'node:zlib';

const here = dirname(fileURLToPath(import.meta.url));
const {chromium} = createRequire(join(here, '../interop/package.json'))('playwright-core');
const [site, phone, runsText = '5'] = process.argv.slice(2);
if (!site || !phone) {
  console.error('usage: node web_load.mjs SITE NATIVE_PHONE [RUNS]');
  process.exit(2);
}
const runs = Number(runsText);
const median = (values) => values.slice().sort((a, b) => a - b)[Math.floor(values.length / 2)];
const mb = (bytes) => (bytes / 1e6).toFixed(2) + ' MB';

let app = 0, page = 0;
for (const file of readdirSync(site)) {
  const gz = gzipSync(readFileSync(join(site, file)), {level: 9}).length;
  if (/^aftercare\.(wasm|data|js)$/.test(file)) {
    app += gz;
    console.log(`  ${file}: ${mb(statSync(join(site, file)).size)}, gzipped ${mb(gz)}`);
  } else {
    page += gz;
  }
}
console.log(`transfer (gzipped): app ${mb(app)} + page ${mb(page)} = ${mb(app + page)} (target under 3 MB)`);
console.log(`native aftercare-phone executable: ${mb(statSync(phone).size)}`);

const server = spawn(process.execPath, [join(here, '../../platform/web/serve.mjs'), site, '0']);
const url = await new Promise((resolve) => server.stdout.on('data', (data) => {
  const found = String(data).match(/http:\/\/localhost:\d+\//);
  if (found) resolve(found[0]);
}));
const web = [];
for (let i = 0; i < runs; ++i) {
  const profile = mkdtempSync(join(tmpdir(), 'aftercare-bench-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: '/usr/bin/chromium', headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'],
    viewport: {width: 390, height: 844}, deviceScaleFactor: 3, isMobile: true, hasTouch: true,
  });
  const tab = context.pages()[0] || (await context.newPage());
  const began = Date.now();
  await tab.goto(url);
  await tab.waitForFunction(() => document.body.dataset.state === 'running', null, {timeout: 60000});
  // The first frame is on the canvas when its pixels are no longer blank.
  await tab.waitForFunction(() => {
    const canvas = document.getElementById('canvas');
    return canvas.width > 0 && canvas.getContext('2d').getImageData(0, 0, 1, 1).data[3] === 255;
  });
  web.push(Date.now() - began);
  await context.close();
  rmSync(profile, {recursive: true, force: true});
}
server.kill();
const native = [];
for (let i = 0; i < runs; ++i) {
  const data = mkdtempSync(join(tmpdir(), 'aftercare-bench-'));
  const began = process.hrtime.bigint();
  const result = spawnSync(phone, ['--data-dir', data, '--zone', 'Europe/Paris', '--screenshot',
                                   join(data, 'first.png'), '--screen', 'onboarding']);
  native.push(Number(process.hrtime.bigint() - began) / 1e6);
  if (result.status !== 0) throw new Error('aftercare-phone: ' + result.stderr);
  rmSync(data, {recursive: true, force: true});
}
console.log(`cold load to first frame, DPR 3, median of ${runs}: web ${median(web)} ms ` +
            `(runs ${web.join(', ')}; target under 1500 ms); native --screenshot ` +
            `${median(native).toFixed(0)} ms`);
