// The lab's state space (www/lab/states.js): the flip-flop lesson trains in the page, the
// fixed-point finder runs a few ms per frame and shows the eight memories as eight stable
// points, drawn over the states; a model too big for the page's finder is refused with the way
// out. Prints how long training and the search took (the 60 s and 2 s goals), without
// asserting times.
//
//   node tests/e2e/states.spec.mjs         (after bash scripts/build-web.sh)

import path from 'node:path';
import { test, openApp, inked, outDir, screenshot, waitFor, assert } from './harness.mjs';

const LESSON = '#lesson=fixed&task=flipflop&task-len=60&cell=gru&hidden=24&batch=32&lr=0.01&seed=3';
/** Training steps before searching (the lesson says about 1,000). */
const STEPS = 1200;

async function open(hash) {
  const ready = () => window.__lab && window.__lab.lab && window.__lab.state.info;
  return openApp(`www/lab/${hash}`, { ready, readyMessage: 'the lab model', viewport: { width: 1400, height: 900 } });
}

/** Runs the search and waits for it; the report and the wall time from the click. */
async function search(page) {
  await page.locator('#states-find').scrollIntoViewIfNeeded();
  const t0 = Date.now();
  await page.click('#states-find');
  const report = await waitFor(() => page.evaluate(() => window.__lab.states && window.__lab.states.report().finished && window.__lab.states.report()), {
    timeout: 60_000,
    message: 'the fixed-point search to finish',
  });
  return { report, ms: Date.now() - t0 };
}

test('lab: the flip-flop lesson trains in the page and the finder shows its eight stable memories', async () => {
  const { page } = await open(LESSON);
  assert.equal(await page.$eval('#lesson-title', (h) => h.textContent), 'Lesson 6 — Memories as fixed points');
  // Max speed, as a student in a hurry would.
  await page.$eval('#speed', (el) => {
    el.value = el.max;
    el.dispatchEvent(new Event('input'));
  });
  const t0 = Date.now();
  await page.click('#play');
  await waitFor(() => page.evaluate((n) => window.__lab.lab.steps() >= n, STEPS), { timeout: 120_000, interval: 100, message: `${STEPS} steps` });
  await page.click('#play');
  const trainMs = Date.now() - t0;
  // A training answer in flight when Pause was pressed still lands: wait for it.
  await page.evaluate(() => window.__lab.state.remote && window.__lab.state.remote.settled());
  const r = await page.evaluate(() => ({ steps: window.__lab.lab.steps(), loss: window.__lab.lab.readouts().loss, base: window.__lab.state.info.baselineLoss }));
  assert.ok(r.loss < r.base / 10, `the flip-flop is learnt: MSE ${r.loss} vs baseline ${r.base}`);

  // Training is paused, so the search gets two slices a frame; the page keeps drawing.
  const { report, ms } = await search(page);
  console.log(`  [goal] flip-flop: ${r.steps} steps in ${(trainMs / 1000).toFixed(1)} s at max speed (MSE ${r.loss.toFixed(4)}, baseline ${r.base.toFixed(3)}); finder: ${report.stable} stable + ${report.unstable} unstable points, q ≤ ${report.maxQ.toExponential(1)}, ${(report.ms / 1000).toFixed(2)} s of search, ${(ms / 1000).toFixed(2)} s from the click`);
  assert.equal(report.stable, 8, JSON.stringify(report));
  assert.ok(report.maxQ < 1e-6, `q ${report.maxQ}`);
  assert.equal(report.step, r.steps, 'the model searched is the one trained');
  const status = await page.$eval('#states-status', (p) => p.textContent);
  assert.ok(status.includes('(8 stable,'), status);
  await waitFor(async () => (await inked(page, 'c-states', 245)) > 0.01, { message: 'the state-space chart' });
  await screenshot(page, 'lab-states-page');
  await page.locator('#sec-states').screenshot({ path: path.join(outDir, `${page.engine === 'firefox' ? 'firefox-' : ''}lab-states.png`) });

  // Searching again gives the same points (seeded); a new model forgets the search.
  const again = await search(page);
  assert.deepEqual({ ...again.report, ms: 0 }, { ...report, ms: 0 });
  await page.click('#reset');
  await waitFor(() => page.evaluate(() => window.__lab.states === null), { message: 'the search to be forgotten' });
  assert.deepEqual(page.errors, []);
}, { timeout: 240_000 });

test('lab: a state too big for the page’s finder is refused with the way out', async () => {
  const { page } = await open('#task=flipflop&cell=lstm&hidden=200');
  await page.locator('#states-find').scrollIntoViewIfNeeded();
  await page.click('#states-find');
  const text = await waitFor(async () => {
    const t = await page.$eval('#messages', (m) => m.innerText);
    return t.includes('fixed points') && t;
  }, { message: 'the refusal' });
  assert.ok(text.includes('at most 256') && text.includes('rnnlab fixedpoints'), text);
  assert.equal(await page.evaluate(() => window.__lab.states), null);
  assert.deepEqual(page.errors, []);
}, { engines: ['chromium', 'firefox'] });
