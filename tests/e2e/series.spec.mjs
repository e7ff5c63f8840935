// The Series page (www/series/) end to end: it loads the bundled CO₂ series, trains, the cut point
// is dragged on the chart, and the MSEs it shows are checked against the native core (`rnnlab
// train --series` for the same number of steps, then `rnnlab forecast` at the same cut: same
// seed and settings give the same bits). Also: an uploaded CSV's header is shown as text, never
// as HTML, and a bad CSV gets a message naming the row while the running model stays.
//
//   node tests/e2e/series.spec.mjs         (after bash scripts/build-web.sh)

import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { test, openApp, inked, screenshot, waitFor, assert, repoRoot, outDir, cliBinary } from './harness.mjs';

const CSV = 'www/series/data/co2-concentration.csv';

/** The page's numbers for the same model, cut, horizon and season, from the native CLI. */
function native(query, steps, cut, horizon, season) {
  const bin = cliBinary('series');
  const dir = path.join(outDir, 'series');
  mkdirSync(dir, { recursive: true });
  const model = path.join(dir, 'co2.safetensors');
  // The page's query also names the task settings, which the CLI refuses beside --series.
  const settings = [...new URLSearchParams(query)].filter(([k]) => k !== 'task' && k !== 'task-len');
  const flags = settings.flatMap(([k, v]) => [`--${k === 'init' ? 'init-scheme' : k}`, v]);
  const cli = (args) => execFileSync(bin, args, { cwd: repoRoot, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  cli(['train', '--series', CSV, '--column', 'CO2', '--steps', String(steps), '--out', model, ...flags]);
  const out = cli(['forecast', '--model', model, '--series', CSV, '--cut', String(cut), '--horizon', String(horizon), '--season', String(season), '--json']);
  return JSON.parse(out);
}

async function open(hash = '') {
  const ready = () => window.__series && window.__series.model && window.__series.state.scores;
  return openApp(`www/series/${hash}`, { viewport: { width: 1400, height: 1000 }, ready, readyMessage: 'the series model' });
}

const shown = (page, id) => page.$eval(`#${id}`, (el) => el.textContent);

test('series: trains on CO2, the dragged cut point moves the forecast, and the MSEs shown are the core’s', async () => {
  const { page } = await open();
  assert.deepEqual(page.errors, []);
  // Series models refuse attention: its control is greyed out, the others are not.
  const disabled = (id) => page.$eval(id, (e) => e.disabled);
  assert.deepEqual([await disabled('#attention'), await disabled('#residual')], [true, false]);
  const columns = await page.$$eval('#column option', (os) => os.map((o) => o.value));
  assert.deepEqual(columns, ['CO2', 'adjusted CO2']);
  const info = await page.evaluate(() => window.__series.state.info);
  assert.deepEqual([info.len, info.trainLen], [741, 592]);
  assert.equal(await page.evaluate(() => window.__series.state.cut), 592, 'the cut starts at the end of the training part');

  await page.click('#play');
  await waitFor(() => page.evaluate(() => window.__series.model.steps() >= 60), { timeout: 60_000, message: '60 training steps' });
  await page.click('#play');
  const steps = await page.evaluate(() => window.__series.model.steps());
  assert.ok(steps >= 60);
  assert.ok((await inked(page, 'c-forecast')) > 0.02, 'the forecast chart is drawn');
  assert.ok((await inked(page, 'c-loss')) > 0.02, 'the loss chart is drawn');

  // Drag the cut from the middle of the chart to about a third of the way in.
  const box = await page.locator('#c-forecast').boundingBox();
  const y = box.y + box.height / 2;
  await page.mouse.move(box.x + box.width * 0.5, y);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width * 0.42, y, { steps: 5 });
  await page.mouse.move(box.x + box.width * 0.35, y, { steps: 5 });
  await page.mouse.up();
  await waitFor(() => page.evaluate(() => !window.__series.state.forecastDirty), { message: 'the forecast to be redrawn' });
  const cut = await page.evaluate(() => window.__series.state.cut);
  const expected = await page.evaluate((w) => window.__series.model.cutAt(w.width, w.x), { width: box.width, x: box.width * 0.35 });
  assert.equal(cut, expected, 'the cut is where the pointer let go');
  assert.ok(cut > 150 && cut < 300, `cut ${cut}`);
  assert.equal(await page.$eval('#cut', (el) => el.value), String(cut));

  // The arrow keys on the chart move it by one.
  await page.focus('#c-forecast');
  await page.keyboard.press('ArrowLeft');
  await waitFor(() => page.evaluate((c) => window.__series.state.cut === c - 1 && !window.__series.state.forecastDirty, cut), { message: 'the cut to move left' });
  assert.equal(await page.evaluate(() => window.__series.model.steps()), steps, 'ArrowLeft on the chart does not train');

  const s = await page.evaluate(() => ({ ...window.__series.state.scores }));
  const query = await page.evaluate(() => window.__series.state.query);
  const cli = native(query, steps, cut - 1, 24, 12);
  const fmt = (x) => x.toFixed(4);
  assert.equal(await shown(page, 'r-mse'), fmt(cli.mse), 'model MSE');
  assert.equal(await shown(page, 'r-naive'), fmt(cli.naive_mse), 'last value MSE');
  assert.equal(await shown(page, 'r-seasonal'), fmt(cli.seasonal_naive_mse), 'seasonal naive MSE');
  assert.equal(s.mse, cli.mse, 'the same bits as the native core');
  assert.equal(await shown(page, 'r-range'), `values ${cut - 1}–${cut + 22}`);
  await screenshot(page, 'series-co2');
  assert.deepEqual(page.errors, []);
}, { engines: ['chromium', 'firefox'] });

test('series: an uploaded CSV header stays text, and a bad CSV names its row and keeps the model', async () => {
  const { page } = await open();
  const header = '<img src=x onerror="window.__pwned=1">';
  const rows = Array.from({ length: 120 }, (_, i) => `${i},${(Math.sin(i / 3) * 10 + i / 10).toFixed(3)}`).join('\n');
  await page.setInputFiles('#upload', { name: 'waves.csv', mimeType: 'text/csv', buffer: Buffer.from(`t,"${header.replaceAll('"', '""')}"\n${rows}\n`) });
  await waitFor(() => page.evaluate(() => window.__series.state.data === 'upload'), { message: 'the upload to be used' });
  const options = await page.$$eval('#column option', (os) => os.map((o) => o.textContent));
  assert.deepEqual(options, ['t', header]);
  await page.selectOption('#column', header);
  await waitFor(() => page.evaluate((h) => window.__series.state.column === h, header), { message: 'the column to be used' });
  assert.equal(await page.$$eval('img', (els) => els.length), 0, 'no element made from the header');
  assert.equal(await page.evaluate(() => window.__pwned), undefined);
  assert.equal(await page.evaluate(() => window.__series.state.info.len), 120);

  const before = await page.evaluate(() => window.__series.state.info);
  await page.setInputFiles('#upload', { name: 'gap.csv', mimeType: 'text/csv', buffer: Buffer.from('v,t\n2,1\n,2\n4,3\n') });
  const msg = await waitFor(() => page.$eval('#messages', (el) => el.textContent), { message: 'an error message' });
  assert.match(msg, /column "v", row 2 \(line 3\): the value is missing/);
  assert.deepEqual(await page.evaluate(() => window.__series.state.info), before, 'the old series and model stay');
  assert.equal(await page.$eval('#data', (el) => el.value), 'upload');
  await screenshot(page, 'series-upload');
  assert.deepEqual(page.errors, []);
}, { engines: ['chromium', 'firefox'] });
