// The lab's remedies (www/lab/lessons.js, race entries like rnn+attention): the attention
// lesson's race on delayed recall at lag 60 — the goal, measured and asserted on the
// race's own accuracy — and the lesson that races every remedy at once with the sweep ready.
//
//   node tests/e2e/remedies.spec.mjs         (after bash scripts/build-web.sh)

import path from 'node:path';
import { test, openApp, outDir, waitFor, assert } from './harness.mjs';

async function open(hash) {
  const ready = () => window.__lab && window.__lab.lab && window.__lab.state.info;
  return openApp(`www/lab/${hash}`, { ready, readyMessage: 'the lab model', viewport: { width: 1400, height: 900 } });
}

const lanes = (page) => page.evaluate(() => window.__lab.race.lanes().map((l) => ({ label: l.label, step: l.step, accuracy: l.accuracy, fall: l.fall })));

/** Waits until every lane has trained `steps` steps. */
async function trained(page, steps, timeout) {
  await waitFor(async () => (await lanes(page)).every((l) => l.step >= steps), { timeout, interval: 250, message: `every lane at step ${steps}` });
  return lanes(page);
}

test('lab: goal — delayed recall at lag 60, the attention RNN against the plain tanh RNN', async () => {
  const { page } = await open('#lesson=attention&task=copy&task-len=60&cell=rnn&race=rnn,rnn+attention');
  assert.match(await page.$eval('#lesson-title', (h) => h.textContent), /Attention/);
  await waitFor(() => page.evaluate(() => window.__lab.state.raceRunning), { message: 'the race to start' });
  const t0 = Date.now();
  const [rnn, attn] = await trained(page, 400, 240_000);
  const secs = ((Date.now() - t0) / 1000).toFixed(1);
  console.log(`  [goal] lag 60, step ${attn.step}: ${attn.label} ${(100 * attn.accuracy).toFixed(1)}%, ${rnn.label} ${(100 * rnn.accuracy).toFixed(1)}% (smoothed accuracy on fresh episodes; ${secs} s); gradient fall across the lag ${attn.fall.toExponential(1)}× against ${rnn.fall.toExponential(1)}×`);
  assert.equal(attn.label, 'RNN (tanh) + attention');
  assert.ok(attn.accuracy >= 0.95, `attention ${attn.accuracy}`);
  assert.ok(rnn.accuracy <= 0.55, `tanh ${rnn.accuracy}`);
  assert.ok(attn.fall < rnn.fall / 100, 'attention opens a path the gradient-flow view shows');
  assert.deepEqual(page.errors, []);
}, { timeout: 300_000 });

test('lab: the remedies lesson races all eight and readies the sweep', async () => {
  const race = 'rnn,rnn+clip,rnn+orthogonal,rnn+residual,rnn+attention,lstm,lstm+chrono,gru';
  const { page } = await open(`#lesson=remedies&task=copy&task-len=60&cell=rnn&clip=0&race=${race}&sweep=${race}&lags=10,20,40,60`);
  await waitFor(() => page.evaluate(() => window.__lab.state.raceRunning), { message: 'the race to start' });
  const ls = await trained(page, 60, 120_000);
  // In the order of the page's checkboxes: the cells, then the remedies.
  assert.deepEqual(ls.map((l) => l.label), [
    'RNN (tanh)',
    'LSTM',
    'GRU',
    'RNN (tanh) + clipping',
    'RNN (tanh) + orthogonal init',
    'LSTM + chrono init',
    'RNN (tanh) + residual (through time; clipped, lr 0.002)',
    'RNN (tanh) + attention',
  ]);
  assert.equal(await page.$$eval('#race-table tbody tr', (r) => r.length), 8);
  const sweep = await page.$$eval('#sweep-cells input:checked', (els) => els.map((e) => e.value));
  assert.deepEqual(sweep.sort(), race.split(',').sort());
  assert.equal(await page.inputValue('#sweep-lags'), '10,20,40,60');
  // The race panel is taller than the viewport, and a capture that resizes the page clears the
  // charts before they redraw: make the viewport tall enough, let them redraw, then capture.
  const tall = await page.$eval('#sec-race', (e) => Math.ceil(e.getBoundingClientRect().height) + 100);
  await page.setViewportSize({ width: page.viewportSize().width, height: Math.max(page.viewportSize().height, tall) });
  await page.locator('#sec-race').scrollIntoViewIfNeeded();
  await page.waitForTimeout(800);
  await page.locator('#sec-race').screenshot({ path: path.join(outDir, `${page.engine === 'firefox' ? 'firefox-' : ''}lab-remedies-race.png`) });
  assert.deepEqual(page.errors, []);
}, { timeout: 200_000 });
