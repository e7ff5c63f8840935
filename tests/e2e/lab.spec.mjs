// The teaching lab (www/lab/) end to end: every view draws from the live model, the
// step-through scrubber and its equations, lesson links, escaping of typed text, the race
// and the sweep. (The lag-30 goal, LSTM against the vanilla RNN, is measured by goal.mjs.)
//
//   node tests/e2e/lab.spec.mjs         (after bash scripts/build-web.sh)

import { test, inked as inkedBelow, screenshot, waitFor, assert } from './harness.mjs';
import { openLab as open } from './labpage.mjs';

/** The share of a canvas's pixels with some channel below 245. */
const inked = (page, id) => inkedBelow(page, id, 245);

const steps = (page) => page.evaluate(() => window.__lab.lab.steps());

async function train(page, ms) {
  await page.click('#play');
  await page.waitForTimeout(ms);
  await page.click('#play');
  assert.equal(await page.evaluate(() => window.__lab.state.running), false);
}

/** A checksum of a canvas's pixels (to see that a drawing changed). */
function pixelSum(page, id) {
  return page.evaluate((id) => {
    const c = document.getElementById(id);
    const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    let h = 0;
    for (let i = 0; i < d.length; i += 4) h = (h * 31 + d[i] + 7 * d[i + 1] + 13 * d[i + 2]) % 1_000_000_007;
    return h;
  }, id);
}

async function drawn(page, id, min) {
  await page.locator(`#${id}`).scrollIntoViewIfNeeded();
  const f = await waitFor(async () => {
    const v = await inked(page, id);
    return v > min ? v : 0;
  }, { timeout: 15_000, message: `${id} to be drawn` });
  return f;
}

test('lab: loads without errors and every view draws from the live model', async () => {
  const { page } = await open('', { viewport: { width: 1400, height: 900 } });
  assert.equal(await page.$eval('#play', (b) => b.textContent), 'Play');
  await train(page, 2500);
  assert.ok((await steps(page)) > 20, 'training did not advance');
  await page.waitForTimeout(200);
  const ink = {};
  for (const [id, min] of [['c-loss', 0.02], ['c-acc', 0.02], ['c-flow', 0.02], ['c-heat', 0.3], ['c-clip', 0.02], ['c-step', 0.05], ['c-latch-h', 0.02], ['c-latch-d', 0.02]]) {
    ink[id] = await drawn(page, id, min);
  }
  // Text views: one span per character plus the prediction.
  const conn = await page.$$eval('#conn-out span', (s) => s.length);
  const act = await page.$$eval('#act-out span', (s) => s.length);
  assert.ok(conn > 10 && act > 10, `text views empty (${conn}, ${act})`);
  // The race: a few seconds of RNN, LSTM and GRU side by side.
  await page.locator('#sec-race').scrollIntoViewIfNeeded();
  await page.click('#race-play');
  await page.waitForTimeout(2500);
  await page.click('#race-play');
  const lanes = await page.evaluate(() => window.__lab.race.lanes().map((l) => [l.label, l.step, l.params]));
  console.log(`  [race] ${lanes.map((l) => `${l[0]}: ${l[1]} steps, ${l[2]} params`).join(' · ')}`);
  assert.equal(lanes.length, 3);
  assert.ok(lanes.every((l) => l[1] > 5), 'race lanes did not train');
  for (const id of ['c-race-loss', 'c-race-acc', 'c-race-flow']) ink[id] = await drawn(page, id, 0.02);
  assert.equal(await page.$$eval('#race-table tbody tr', (r) => r.length), 3);
  // Equal parameter budget: the counts come out close.
  await page.check('#race-equal');
  const budget = await page.evaluate(() => window.__lab.race.lanes().map((l) => [l.hidden, l.params]));
  console.log(`  [race] equal budget: ${budget.map((b) => `hidden ${b[0]} → ${b[1]} params`).join(', ')}`);
  const counts = budget.map((b) => b[1]);
  assert.ok(Math.max(...counts) / Math.min(...counts) < 1.05, `parameter counts differ: ${counts}`);
  // A tiny sweep: LSTM at two short lags.
  await page.locator('#sec-sweep').scrollIntoViewIfNeeded();
  for (const cb of await page.$$('#sweep-cells input')) if ((await cb.getAttribute('value')) !== 'lstm') await cb.uncheck();
  await page.fill('#sweep-lags', '2,4');
  await page.fill('#sweep-steps', '40');
  await page.click('#sweep-play');
  await waitFor(() => page.$eval('#sweep-status', (e) => e.textContent.startsWith('Done')), { timeout: 30_000, message: 'the sweep to finish' });
  console.log(`  [sweep] ${await page.$eval('#sweep-status', (e) => e.textContent)}`);
  ink['c-sweep'] = await drawn(page, 'c-sweep', 0.02);
  console.log(`  [draw] non-white: ${Object.entries(ink).map(([k, v]) => `${k} ${(100 * v).toFixed(1)}%`).join(', ')}`);
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.waitForTimeout(100);
  await screenshot(page, 'lab-views');
  assert.deepEqual(page.errors, []);
  assert.deepEqual(page.badResponses, []);
}, { engines: ['chromium', 'firefox'] });

test('lab: the step-through scrubber moves, and hovering a unit shows its equation with numbers', async () => {
  const { page } = await open('#task-len=12', { viewport: { width: 1400, height: 900 } });
  for (let i = 0; i < 30; i++) await page.click('#step');
  // Each Step is answered by the training worker; the last answer lands a little later.
  await waitFor(async () => (await steps(page)) === 30, { message: '30 steps' });
  await page.locator('#sec-step').scrollIntoViewIfNeeded();
  await page.waitForTimeout(100);
  const before = { value: await page.inputValue('#scrub'), out: await page.$eval('#scrub-out', (e) => e.textContent), pix: await pixelSum(page, 'c-step') };
  assert.equal(before.value, '0');
  assert.equal(await page.$eval('#scrub', (e) => e.max), '12');
  await page.focus('#scrub');
  for (let i = 0; i < 5; i++) await page.keyboard.press('ArrowRight');
  await page.waitForTimeout(50);
  const after = { value: await page.inputValue('#scrub'), out: await page.$eval('#scrub-out', (e) => e.textContent), pix: await pixelSum(page, 'c-step') };
  assert.equal(after.value, '5');
  assert.notEqual(after.out, before.out);
  assert.notEqual(after.pix, before.pix, 'the columns did not change');
  assert.equal(await page.$eval('#step-strip button.now', (b) => b.title), 't = 5');
  // LSTM columns: x(34) h(80) c(126) i(172) … ; 32 units of 8 px from y = 44.
  const box = await page.locator('#c-step').boundingBox();
  await page.mouse.move(box.x + 172 + 17, box.y + 44 + 5 * 8 + 4);
  const eq = await waitFor(async () => {
    const t = await page.$eval('#equations', (e) => e.textContent);
    return t.startsWith('unit') ? t : '';
  }, { message: 'the equations' });
  console.log(`  [equations]\n    ${eq.split('\n').join('\n    ')}`);
  assert.match(eq, /^unit 5, layer 1, step t = 5/);
  const num = '(−?\\d+\\.\\d\\d(?:e[−+]?\\d+)?)';
  const i = eq.match(new RegExp(`^i = σ\\(W·x \\+ U·hₜ₋₁\\) = σ\\(${num} \\+ ${num}\\) = ${num}`, 'm'));
  assert.ok(i, `no filled-in input gate in:\n${eq}`);
  const val = (s) => Number(s.replace('−', '-'));
  const sig = 1 / (1 + Math.exp(-(val(i[1]) + val(i[2]))));
  assert.ok(Math.abs(sig - val(i[3])) < 0.011, `σ(${i[1]} + ${i[2]}) = ${sig}, shown ${i[3]}`);
  assert.match(eq, new RegExp(`^cₜ = f·cₜ₋₁ \\+ i·g = ${num}·${num} \\+ ${num}·${num} = ${num}$`, 'm'));
  assert.match(eq, new RegExp(`^hₜ = o·tanh\\(cₜ\\) = ${num}·tanh\\(${num}\\) = ${num}$`, 'm'));
  assert.match(eq, /^∂L\/∂hₜ = /m);
  await screenshot(page, 'lab-step');
  // A GRU fills in its own equations.
  await page.selectOption('#cell', 'gru');
  await waitFor(() => page.evaluate(() => window.__lab.state.info.cell === 'gru'), { message: 'the GRU' });
  await page.click('#step');
  await page.locator('#sec-step').scrollIntoViewIfNeeded();
  const box2 = await page.locator('#c-step').boundingBox();
  await page.mouse.move(box2.x + 126 + 17, box2.y + 44 + 2 * 8 + 4);
  await page.mouse.move(box2.x + 126 + 17, box2.y + 44 + 3 * 8 + 4);
  const gru = await waitFor(async () => {
    const t = await page.$eval('#equations', (e) => e.textContent);
    return /^z = σ/m.test(t) ? t : '';
  }, { message: 'the GRU equations' });
  assert.match(gru, new RegExp(`^hₜ = \\(1 − z\\)·n \\+ z·hₜ₋₁ = \\(1 − ${num}\\)·${num} \\+ ${num}·${num} = ${num}$`, 'm'));
  assert.deepEqual(page.errors, []);
}, { engines: ['chromium', 'firefox'] });

test('lab: a lesson link sets its state (hash, controls, lesson text, race)', async () => {
  const { page } = await open('', { viewport: { width: 1400, height: 900 } });
  await page.click('#lesson-gate');
  await waitFor(() => page.evaluate(() => location.hash.includes('lesson=gate') && window.__lab.state.info.cell === 'lstm' && window.__lab.lab.query().includes('forget-bias=3')), { message: 'the gate lesson' });
  const hash = await page.evaluate(() => location.hash);
  assert.match(hash, /lesson=gate/);
  assert.match(hash, /forget-bias=3/);
  assert.match(hash, /task-len=30/);
  assert.equal(await page.inputValue('#cell'), 'lstm');
  assert.equal(await page.inputValue('#forget-bias'), '3');
  assert.equal(await page.inputValue('#task-len'), '30');
  assert.equal(await page.$eval('#lesson-box', (e) => e.hidden), false);
  assert.match(await page.$eval('#lesson-title', (e) => e.textContent), /forget gate/);
  // Lesson 1 switches to an RNN and starts the RNN-vs-LSTM race.
  await page.click('#lesson-forget');
  await waitFor(() => page.evaluate(() => window.__lab.state.info.cell === 'rnn' && window.__lab.state.raceRunning), { message: 'the forget lesson' });
  assert.equal(await page.inputValue('#cell'), 'rnn');
  const checked = await page.$$eval('#race-cells input', (els) => els.map((e) => `${e.value}:${e.checked}`));
  assert.deepEqual(checked.slice(0, 3), ['rnn:true', 'lstm:true', 'gru:false']);
  assert.ok(checked.length > 3 && checked.slice(3).every((c) => c.includes('+') && c.endsWith(':false')), `remedies unticked: ${checked}`);
  assert.match(await page.evaluate(() => location.hash), /race=rnn,lstm/);
  // The exploding lesson: identity × 1.5, clipping off, σmax = 1.5.
  await page.click('#lesson-explode');
  await waitFor(() => page.evaluate(() => window.__lab.lab.query().includes('init=identity')), { message: 'the explode lesson' });
  assert.equal(await page.inputValue('#clip'), '0');
  assert.equal(await page.inputValue('#init'), 'identity');
  await page.click('#step');
  // The step lands when the training worker's answer does.
  await waitFor(() => page.evaluate(() => window.__lab.lab.steps() === 1), { message: 'the step' });
  const sigma = await page.evaluate(() => window.__lab.lab.readouts().sigmaMax[0]);
  assert.ok(Math.abs(sigma - 1.5) < 0.01, `σmax ${sigma}`);
  // Reopening the lesson's own link reproduces it.
  const { page: page2 } = await open(await page.evaluate(() => location.hash));
  assert.equal(await page2.evaluate(() => window.__lab.lab.query()), await page.evaluate(() => window.__lab.lab.query()));
  assert.equal(await page2.$eval('#lesson-box', (e) => e.hidden), false);
  await screenshot(page, 'lab-lesson');
  assert.deepEqual(page.errors, []);
  assert.deepEqual(page2.errors, []);
}, { engines: ['chromium', 'firefox'] });

test('lab: typed <script> stays text; the latch reacts to w', async () => {
  const { page } = await open();
  const evil = '<script>window.__pwned = 1</script><img src=x onerror="window.__pwned = 2">a wxyz?';
  await page.fill('#text-in', evil);
  await page.click('#text-run');
  await waitFor(() => page.$eval('#conn-out', (e) => e.textContent.includes('predicts')), { message: 'connectivity' });
  const shown = await page.$eval('#conn-out', (e) => e.textContent);
  assert.ok(shown.startsWith(evil), `the text was not shown as typed: ${shown}`);
  assert.equal(await page.$$eval('#sec-text script, #sec-text img', (els) => els.length), 0);
  assert.equal(await page.evaluate(() => window.__pwned), undefined);
  assert.match(await page.$eval('#text-note', (e) => e.textContent), /Skipped/);
  // Known characters are coloured, unknown ones struck through.
  const unknown = await page.$$eval('#conn-out span.unknown', (s) => s.length);
  assert.ok(unknown > 20, `unknown characters not marked (${unknown})`);
  assert.deepEqual(page.dialogs, []);
  // The latch: contraction (w < 1) vs a saturated latch (w > 1).
  const setW = (w) => page.$eval('#latch-w', (el, w) => {
    el.value = w;
    el.dispatchEvent(new Event('input'));
  }, w);
  await setW('0.5');
  const low = await page.$eval('#latch-note', (e) => e.textContent);
  const pixLow = await pixelSum(page, 'c-latch-h');
  await setW('2');
  const high = await page.$eval('#latch-note', (e) => e.textContent);
  assert.notEqual(await pixelSum(page, 'c-latch-h'), pixLow);
  console.log(`  [latch] w=0.5: ${low}\n  [latch] w=2: ${high}`);
  assert.match(low, /forgets/);
  assert.match(high, /saturated/);
  assert.deepEqual(page.errors, []);
}, { engines: ['chromium', 'firefox'] });

test('lab: a diverging model pauses with a roll-back box', async () => {
  // A ReLU RNN with W_hh = 1.5·I: the forward pass itself explodes within the window.
  const { page } = await open('#cell=rnn&nonlinearity=relu&init=identity&gain=1.5&clip=0&task-len=30');
  await page.click('#step');
  await waitFor(() => page.$eval('#diverged', (e) => !e.hidden), { message: 'the diverged box' });
  assert.match(await page.$eval('#diverged-detail', (e) => e.textContent), /exploded|not a number|infinite|overflow/);
  assert.equal(await steps(page), 0);
  await page.click('#play');
  assert.equal(await page.evaluate(() => window.__lab.state.running), false, 'Play must wait for a roll-back');
  await page.click('#rollback');
  // The worker rolls back and answers; then the box closes.
  await waitFor(() => page.$eval('#diverged', (e) => e.hidden), { message: 'the roll-back' });
  assert.match(await page.$eval('#messages', (e) => e.textContent), /Rolled back to step 0/);
  assert.deepEqual(page.errors, []);
});

