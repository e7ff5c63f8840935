// Downloads, end to end: on both pages every chart (each <canvas class="chart">) has a
// "PNG · SVG" control, and both files come down: the PNG is the canvas's pixels (signature,
// size, not blank), the SVG parses and holds the chart's content, drawn by the same renderer
// (its labels, its series, its cells). The loss history, the race and the sweep download as
// CSV with a row per step, lane or run whose numbers are the ones the page reports.
//
//   node tests/e2e/downloads.spec.mjs      (after bash scripts/build-web.sh)

import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { test, openApp, startServer, launch, newPage, screenshot, waitFor, assert, outDir, repoRoot } from './harness.mjs';

/** Clicks `label` (PNG, SVG or CSV) under the element `id`; the downloaded file. */
async function download(page, id, label) {
  const button = page.locator(`.downloads[data-for="${id}"] button`, { hasText: label });
  await button.scrollIntoViewIfNeeded();
  // A pause between saves, as a person makes: back-to-back saves now and then got no download
  // event in headless Chromium (none was missing with the pause, nor by hand).
  await page.waitForTimeout(250);
  const [dl] = await Promise.all([page.waitForEvent('download', { timeout: 60_000 }), button.click()]);
  const bytes = readFileSync(await dl.path());
  const name = dl.suggestedFilename();
  mkdirSync(path.join(outDir, 'downloads'), { recursive: true });
  writeFileSync(path.join(outDir, 'downloads', name), bytes);
  return { name, bytes };
}

/** Every chart canvas of the page has its control. */
async function everyChartHasAControl(page) {
  const missing = await page.$$eval('canvas.chart', (cs) =>
    cs.filter((c) => !document.querySelector(`.downloads[data-for="${c.id}"]`)).map((c) => c.id),
  );
  assert.deepEqual(missing, [], 'charts without downloads');
  return page.$$eval('canvas.chart', (cs) => cs.map((c) => c.id));
}

/** The PNG is the canvas: signature, the canvas's pixel size, and more than a blank image. */
async function checkPng(page, id, file) {
  const b = file.bytes;
  assert.deepEqual([...b.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], `${file.name}: PNG signature`);
  const size = await page.$eval(`#${id}`, (c) => [c.width, c.height]);
  assert.deepEqual([b.readUInt32BE(16), b.readUInt32BE(20)], size, `${file.name}: the canvas's size`);
  assert.ok(b.length > 3000, `${file.name}: ${b.length} bytes is a blank image`);
  assert.match(file.name, /^rnnlab-[\w.-]+\.png$/);
}

/** The SVG parses (in the page's own parser), has the canvas's CSS size, and `expect` holds for
 * what it draws: `texts` that appear and at least `min[tag]` elements of each tag. */
async function checkSvg(page, id, file, { texts = [], min = {} }) {
  const svg = file.bytes.toString('utf8');
  const seen = await page.evaluate(
    ([svg, id, tags]) => {
      const doc = new DOMParser().parseFromString(svg, 'image/svg+xml');
      const root = doc.documentElement;
      const c = document.getElementById(id);
      return {
        error: doc.querySelector('parsererror')?.textContent || null,
        root: root.nodeName,
        size: [Number(root.getAttribute('width')), Number(root.getAttribute('height'))],
        css: [c.clientWidth, Number.parseFloat(c.style.height) || c.clientHeight],
        text: [...doc.querySelectorAll('text')].map((t) => t.textContent.trim()).join('\n'),
        counts: Object.fromEntries(tags.map((t) => [t, doc.getElementsByTagName(t).length])),
      };
    },
    [svg, id, Object.keys(min)],
  );
  assert.equal(seen.error, null, `${file.name} does not parse`);
  assert.equal(seen.root, 'svg');
  assert.ok(Math.abs(seen.size[0] - seen.css[0]) <= 1 && Math.abs(seen.size[1] - seen.css[1]) <= 1, `${file.name}: size ${seen.size} for a chart of ${seen.css}`);
  for (const t of texts) assert.ok(seen.text.includes(t), `${file.name}: no text ${JSON.stringify(t)} in\n${seen.text.slice(0, 400)}`);
  for (const [tag, n] of Object.entries(min)) assert.ok(seen.counts[tag] >= n, `${file.name}: ${seen.counts[tag]} <${tag}>, ${n} expected`);
  assert.match(file.name, /^rnnlab-[\w.-]+\.svg$/);
  return seen;
}

/** Both files of chart `id`, checked; the SVG's findings. */
async function both(page, id, expect) {
  await checkPng(page, id, await download(page, id, 'PNG'));
  return checkSvg(page, id, await download(page, id, 'SVG'), expect);
}

/** A CSV document as its header and rows of fields. */
function parseCsv(bytes) {
  const lines = bytes.toString('utf8').trimEnd().split('\n');
  const split = (l) => {
    const fields = [''];
    let quoted = false;
    for (let i = 0; i < l.length; i++) {
      const c = l[i];
      if (quoted && c === '"' && l[i + 1] === '"') fields[fields.length - 1] += l[++i];
      else if (c === '"') quoted = !quoted;
      else if (c === ',' && !quoted) fields.push('');
      else fields[fields.length - 1] += c;
    }
    return fields;
  };
  return { header: split(lines[0]), rows: lines.slice(1).map(split) };
}

/** A CSV number is `v` exactly: read as the f64 it is, or as the f32 it was. */
function exact(field, v) {
  const x = Number(field);
  return x === v || Math.fround(x) === v || (Number.isNaN(v) && field === 'NaN');
}

test('playground: every chart downloads as PNG and SVG, the loss history as CSV', async () => {
  const ready = () => window.__rnnlab && window.__rnnlab.pg && window.__rnnlab.pg.steps() > 0;
  const { page } = await openApp('index.html#hidden=32&seq-len=24&batch=4', { ready, readyMessage: 'the first step' });
  // Train until a validation loss is in, then pause.
  await waitFor(() => page.evaluate(() => window.__rnnlab.pg.steps() > 150 && Number.isFinite(window.__rnnlab.pg.lastValLoss())), {
    timeout: 60_000,
    message: '150 steps and a validation loss',
  });
  await page.click('#play');
  await page.waitForTimeout(300);
  // Read a passage and choose its 40th character.
  await page.click('#inspect-passage');
  await waitFor(() => page.evaluate(() => window.__inspect.ready && !window.__inspect.reading), { timeout: 30_000, message: 'the passage to be read' });
  await page.$eval('#pos', (el) => {
    el.value = '40';
    el.dispatchEvent(new Event('input'));
  });
  await page.waitForTimeout(300);
  const ids = await everyChartHasAControl(page);
  assert.deepEqual(ids.sort(), ['c-inspect-step', 'c-saliency', 'c-trajectory', 'heat-canvas', 'loss-canvas']);

  const steps = await page.evaluate(() => window.__rnnlab.pg.steps());
  const info = await page.evaluate(() => window.__rnnlab.pg.info());
  await both(page, 'loss-canvas', { texts: ['training step', 'train (smoothed)', 'validation', 'unigram entropy'], min: { polyline: 3 } });
  const heat = await both(page, 'heat-canvas', { texts: ['hidden'], min: { rect: info.hidden * 10 } });
  console.log(`  [heatmap] ${heat.counts.rect} rects for ${info.hidden} units`);
  await both(page, 'c-inspect-step', { texts: ['hₜ₋₁', 'hₜ', 'xₜ'], min: { rect: 2 * info.hidden } });
  await both(page, 'c-saliency', { texts: ['distance'], min: { polyline: 1 } });
  await both(page, 'c-trajectory', { texts: ['principal component'], min: { circle: 20 } });
  // The file names say what and at which step.
  const heatPng = await download(page, 'heat-canvas', 'PNG');
  assert.equal(heatPng.name, `rnnlab-heatmap-layer1-h-step${steps}.png`);

  // The loss history: a row per step; the last row's numbers are the page's.
  const csv = await download(page, 'loss-canvas', 'CSV');
  assert.equal(csv.name, `rnnlab-loss-step${steps}.csv`);
  const { header, rows } = parseCsv(csv.bytes);
  assert.deepEqual(header, ['step', 'loss', 'loss_smoothed', 'validation_loss']);
  // A row per step trained, in order; a validation loss measured before the first step (step 0)
  // has a row of its own.
  const trained = rows.filter((r) => r[1] !== '');
  assert.deepEqual(trained.map((r) => Number(r[0])), Array.from({ length: steps }, (_, i) => i + 1), 'one row per step');
  assert.ok(rows.every((r, i) => i === 0 || Number(r[0]) > Number(rows[i - 1][0])), 'rows in step order');
  assert.ok(rows.length <= steps + 1);
  const now = await page.evaluate(() => {
    const pg = window.__rnnlab.pg;
    return { loss: pg.lastLoss(), smooth: pg.smoothLoss(), val: pg.lastValLoss() };
  });
  const last = rows[rows.length - 1];
  assert.ok(exact(last[1], now.loss), `last loss ${last[1]} vs ${now.loss}`);
  assert.ok(exact(last[2], now.smooth), `smoothed ${last[2]} vs ${now.smooth}`);
  const vals = rows.filter((r) => r[3] !== '');
  assert.ok(vals.length >= 1, 'a validation loss');
  assert.ok(exact(vals[vals.length - 1][3], now.val), `validation ${vals[vals.length - 1][3]} vs ${now.val}`);
  console.log(`  [csv] ${rows.length} rows; last ${last.join(',')}`);
  assert.deepEqual(page.errors, []);
});

test('lab: every chart downloads as PNG and SVG; history, race and sweep as CSV', async () => {
  const ready = () => window.__lab && window.__lab.lab && window.__lab.state.info;
  const { page } = await openApp('www/lab/', { ready, readyMessage: 'the lab model', viewport: { width: 1400, height: 900 } });
  await page.click('#play');
  await page.waitForTimeout(2000);
  await page.click('#play');
  // A short race and a two-run sweep.
  await page.click('#race-play');
  await waitFor(() => page.evaluate(() => window.__lab.race && window.__lab.race.lanes().every((l) => l.step >= 30)), { timeout: 30_000, message: 'the race' });
  await page.click('#race-play');
  await page.fill('#sweep-lags', '3,5');
  await page.fill('#sweep-steps', '40');
  await page.click('#sweep-play');
  await waitFor(() => page.evaluate(() => !window.__lab.state.sweepRunning && window.__lab.sweep && window.__lab.sweep.results().length > 0), {
    timeout: 60_000,
    message: 'the sweep to finish',
  });
  // A search of the state space.
  await page.click('#states-find');
  await waitFor(() => page.evaluate(() => window.__lab.states && window.__lab.states.report().finished), { timeout: 60_000, message: 'the fixed-point search' });
  await page.waitForTimeout(500);
  const ids = await everyChartHasAControl(page);
  assert.equal(ids.length, 13);

  const lab = await page.evaluate(() => ({ steps: window.__lab.lab.steps(), hidden: window.__lab.state.info.hidden }));
  const expect = {
    'c-loss': { texts: ['training step', 'loss'], min: { polyline: 2 } },
    'c-acc': { texts: ['accuracy', 'chance'], min: { polyline: 2 } },
    'c-flow': { texts: ['lag', '‖∂L(T)/∂h(t)‖'], min: { polyline: 1 } },
    'c-heat': { texts: ['training step', 'lag'], min: { rect: 50 } },
    'c-clip': { texts: ['before clipping', 'after clipping'], min: { polyline: 2 } },
    'c-step': { texts: ['hₜ₋₁', 'hₜ', '∂L/∂hₜ'], min: { rect: 2 * lab.hidden } },
    'c-latch-h': { texts: ['h(t)'], min: { polyline: 1 } },
    'c-latch-d': { texts: ['|∂h(T)/∂h(t)|'], min: { polyline: 1 } },
    'c-race-loss': { texts: ['RNN', 'LSTM', 'GRU'], min: { polyline: 3 } },
    'c-race-acc': { texts: ['RNN', 'LSTM', 'GRU'], min: { polyline: 3 } },
    'c-race-flow': { texts: ['RNN', 'LSTM', 'GRU'], min: { polyline: 3 } },
    'c-sweep': { texts: ['lag', 'success'], min: { polyline: 1 } },
    'c-states': { texts: ['principal component'], min: { circle: 20 } },
  };
  assert.deepEqual(Object.keys(expect).sort(), [...ids].sort());
  for (const id of ids) await both(page, id, expect[id]);

  // The history: a row per step, the last smoothed loss the readout's.
  const hist = await download(page, 'c-loss', 'CSV');
  assert.equal(hist.name, `rnnlab-lab-loss-step${lab.steps}.csv`);
  const h = parseCsv(hist.bytes);
  assert.deepEqual(h.header.slice(0, 3), ['step', 'loss', 'loss_smoothed']);
  assert.ok(h.header.includes('grad_norm_clipped'));
  assert.equal(h.rows.length, lab.steps);
  const r = await page.evaluate(() => window.__lab.lab.readouts());
  assert.ok(exact(h.rows[h.rows.length - 1][2], r.loss), `smoothed ${h.rows[h.rows.length - 1][2]} vs ${r.loss}`);

  // The race: a row per lane with the table's numbers.
  const race = parseCsv((await download(page, 'race-table', 'CSV')).bytes);
  const lanes = await page.evaluate(() => window.__lab.race.lanes());
  assert.equal(race.rows.length, lanes.length);
  race.rows.forEach((row, i) => {
    const l = lanes[i];
    assert.equal(row[0], l.label);
    for (const [k, key] of [[1, 'hidden'], [2, 'params'], [3, 'step'], [4, 'loss'], [5, 'accuracy'], [6, 'fall']]) {
      assert.ok(exact(row[k], l[key]), `race ${l.label} ${key}: ${row[k]} vs ${l[key]}`);
    }
  });
  // The sweep: a row per run.
  const sweep = parseCsv((await download(page, 'c-sweep', 'CSV')).bytes);
  const runs = await page.evaluate(() => window.__lab.sweep.results());
  assert.deepEqual(sweep.header, ['cell', 'lag', 'success_rate', 'steps']);
  assert.equal(sweep.rows.length, runs.length);
  sweep.rows.forEach((row, i) => {
    assert.deepEqual([row[0], Number(row[1])], [runs[i].label, runs[i].lag]);
    assert.ok(exact(row[2], runs[i].success) && exact(row[3], runs[i].steps));
  });
  console.log(`  [lab] ${ids.length} charts; history ${h.rows.length} rows, race ${race.rows.length}, sweep ${sweep.rows.length}`);
  assert.deepEqual(page.errors, []);
});

test('nothing to keep yet: a chart not drawn says so instead of saving an empty file', async () => {
  const ready = () => window.__lab && window.__lab.lab && window.__lab.state.info;
  const { page } = await openApp('www/lab/', { ready, readyMessage: 'the lab model' });
  let downloads = 0;
  page.on('download', () => downloads++);
  await page.locator('.downloads[data-for="c-sweep"] button', { hasText: 'SVG' }).click();
  await waitFor(() => page.$eval('#messages', (m) => m.innerText.includes('nothing to keep yet')), { message: 'the message' });
  await page.waitForTimeout(500);
  assert.equal(downloads, 0);
});

test('at devicePixelRatio 2 the PNG has the device pixels of the canvas and the SVG its CSS size', async () => {
  const server = await startServer(repoRoot);
  const browser = await launch();
  const page = await newPage(browser, `${server.url}index.html#hidden=16&seq-len=16`, { deviceScaleFactor: 2 });
  await waitFor(() => page.evaluate(() => window.__rnnlab && window.__rnnlab.pg && window.__rnnlab.pg.steps() > 20), { timeout: 30_000, message: '20 steps' });
  await page.click('#play');
  await page.waitForTimeout(300);
  const [w, h, cssW] = await page.$eval('#loss-canvas', (c) => [c.width, c.height, c.clientWidth]);
  assert.equal(w, 2 * cssW);
  const png = await download(page, 'loss-canvas', 'PNG');
  assert.deepEqual([png.bytes.readUInt32BE(16), png.bytes.readUInt32BE(20)], [w, h]);
  const svg = await checkSvg(page, 'loss-canvas', await download(page, 'loss-canvas', 'SVG'), { texts: ['training step'], min: { polyline: 2 } });
  assert.deepEqual(svg.size, [w / 2, h / 2]);
  await screenshot(page, 'downloads-playground-dpr2');
  assert.deepEqual(page.errors, []);
});
