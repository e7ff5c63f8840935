// Look inside, end to end: a model trained by PyTorch on other characters loads idle, and
// inspecting, colouring by a unit, ranking units and sampling all work with no training step;
// bad input (empty text, an invalid regular expression, a text over the limit) gets a message
// that says what to do; the unknown-characters box gets the model training.
//
//   node tests/e2e/inspect.spec.mjs      (after bash scripts/build-web.sh)

import path from 'node:path';
import { test, openApp, inked, screenshot, waitFor, assert, repoRoot, settle } from './harness.mjs';

const FOREIGN = path.join(repoRoot, 'tests/fixtures/torch/lstm_onehot_l2_b1.safetensors');

async function open(hash = '') {
  const ready = () => window.__rnnlab && window.__rnnlab.pg && window.__rnnlab.pg.steps() > 0;
  const app = await openApp(`index.html${hash}`, { ready, readyMessage: 'the first training step' });
  const { page } = app;
  if (await page.evaluate(() => window.__rnnlab.state.running)) await page.click('#play');
  return app;
}

const steps = (page) => page.evaluate(() => window.__rnnlab.pg.steps());
const messages = (page) => page.$eval('#messages', (el) => el.innerText);

/** Types `text` into the inspect box, presses Inspect and waits until it is read. */
async function inspect(page, text) {
  await page.fill('#inspect-in', text);
  await page.click('#inspect-run');
  await waitFor(() => page.evaluate(() => window.__inspect.ready && !window.__inspect.reading), {
    message: 'the text to be read',
  });
}

/** The background colour of every character of the inspected text. */
const colours = (page) =>
  page.$$eval('#inspect-text span', (spans) => spans.map((s) => getComputedStyle(s).backgroundColor));

test('a model that never saw these characters loads; inspect, colour, search and sample without a step', async () => {
  const { page } = await open();
  await page.setInputFiles('#upload-model', FOREIGN);
  await waitFor(() => page.evaluate(() => !document.getElementById('unknown').hidden), {
    message: 'the unknown-characters box',
  });
  const detail = await page.$eval('#unknown-detail', (el) => el.textContent);
  assert.match(detail, /not in the model's vocabulary/);
  console.log(`  [unknown] ${detail.slice(0, 160)}…`);
  const info = await page.evaluate(() => window.__rnnlab.pg.info());
  assert.equal(info.cell, 'lstm');
  assert.equal(await steps(page), 0);
  // Training waits: Play and Step change nothing and say why.
  await page.click('#step');
  await settle(page);
  await page.click('#play');
  await page.waitForTimeout(300);
  assert.equal(await steps(page), 0);
  assert.match(await messages(page), /vocabulary/);

  // Inspect a text in the model's own characters (and one it does not know, left out).
  await inspect(page, 'hi oh\nho hi\noh hoho hi\nhi ho! oh hi\n');
  const note = await page.$eval('#inspect-note', (el) => el.textContent);
  assert.match(note, /left out.*!/);
  const n = await page.$$eval('#inspect-text span', (s) => s.length);
  assert.equal(n, 35);
  const bySurprise = await colours(page);
  assert.ok(new Set(bySurprise).size > 3, 'surprise gives characters different colours');
  await page.click('#inspect-text span[data-t="7"]');
  const top = await page.$$eval('#pos-top li', (li) => li.map((l) => l.textContent));
  assert.equal(top.length, 5, 'the top-5 next characters');
  assert.match(await page.$eval('#pos-info', (el) => el.textContent), /surprise|nats|bits/);
  assert.ok(await inked(page, 'c-inspect-step'), 'the step view is drawn');
  const canvas = await page.$('#c-inspect-step');
  await canvas.scrollIntoViewIfNeeded();
  const step = await canvas.boundingBox();
  // Over the first unit's row of the hₜ₋₁ column (the columns start 34 px in, 34 px wide with
  // 12 px between, under a 44 px header).
  await page.mouse.move(step.x + 34 + 46 + 17, step.y + 44 + 4);
  const eq = await waitFor(async () => {
    const t = await page.$eval('#inspect-equations', (el) => el.textContent);
    return /=/.test(t) ? t : null;
  }, { message: 'the equations of the unit under the mouse' });
  console.log(`  [equations] ${eq.split('\n')[0]}`);
  // Clicking a cell of the step view colours the text by that unit: here unit 0's forget gate
  // (the columns: xₜ, hₜ₋₁, cₜ₋₁, i, f, …).
  await page.mouse.click(step.x + 34 + 4 * 46 + 17, step.y + 44 + 4);
  assert.deepEqual(
    await page.evaluate(() => ['colour-by', 'unit-state', 'unit-n'].map((id) => document.getElementById(id).value)),
    ['unit', 'f', '0'],
  );

  // Colour by one unit: the colours follow that unit's values.
  await page.selectOption('#colour-by', 'surprise');
  await page.selectOption('#colour-by', 'unit');
  await page.selectOption('#unit-state', 'f');
  await page.fill('#unit-n', '1');
  await page.dispatchEvent('#unit-n', 'change');
  const byUnit = await colours(page);
  assert.notDeepEqual(byUnit, bySurprise);
  const values = await page.evaluate(() => Array.from(window.__rnnlab.pg.unitValues(0, 'f', 1)));
  assert.equal(values.length, n);

  // Rank units by position in line, then by a regular expression, then by a dragged span.
  await page.selectOption('#feature', 'line-pos');
  await page.click('#rank');
  const rows = await page.$$eval('#ranked tbody tr', (tr) => tr.map((r) => r.innerText.split('\t')));
  assert.ok(rows.length >= 3, `units ranked: ${rows.length}`);
  const rs = rows.map((r) => Math.abs(Number(r[2])));
  assert.deepEqual(rs, [...rs].sort((a, b) => b - a), 'sorted by |r|');
  await page.click('#ranked tbody tr:nth-child(2)');
  assert.equal(await page.$eval('#colour-by', (el) => el.value), 'unit');
  assert.equal(await page.$eval('#unit-n', (el) => el.value), rows[1][1]);
  await page.selectOption('#feature', 'regex');
  await page.fill('#feature-regex', 'h[io]');
  await page.click('#rank');
  assert.ok((await page.$$eval('#ranked tbody tr', (tr) => tr.length)) >= 3);
  const box = await page.$('#inspect-text span[data-t="12"]');
  const end = await page.$('#inspect-text span[data-t="22"]');
  await box.scrollIntoViewIfNeeded();
  const a = await box.boundingBox();
  const b = await end.boundingBox();
  await page.mouse.move(a.x + 2, a.y + a.height / 2);
  await page.mouse.down();
  await page.mouse.move(b.x + 2, b.y + b.height / 2, { steps: 4 });
  await page.mouse.up();
  await page.selectOption('#feature', 'span');
  await page.click('#rank');
  assert.ok((await page.$$eval('#ranked tbody tr', (tr) => tr.length)) >= 3);

  // Saliency and the trajectory are drawn.
  await page.selectOption('#colour-by', 'saliency');
  assert.notDeepEqual(await colours(page), byUnit);
  assert.ok(await inked(page, 'c-saliency'), 'the saliency chart is drawn');
  assert.ok(await inked(page, 'c-trajectory'), 'the trajectory is drawn');

  // Sampling works on the idle model, in its own characters.
  await page.fill('#prime', 'h');
  await page.click('#sample');
  const sampled = await waitFor(async () => (await page.$eval('#sample-text', (el) => el.textContent)) || null, {
    message: 'a sample',
  });
  assert.match(sampled, /^[hio \n]+$/, `sampled ${JSON.stringify(sampled)}`);
  assert.equal(await steps(page), 0, 'still no training step');
  await page.$eval('#h-inspect', (el) => el.scrollIntoView());
  await screenshot(page, 'inspect-foreign');

  // Mapping the unknown characters to a known one starts training.
  await page.selectOption('#unknown-to', ' ');
  await page.click('#unknown-map');
  assert.equal(await page.$eval('#unknown', (el) => el.hidden), true);
  await page.click('#step');
  await settle(page);
  assert.equal(await steps(page), 1);
  assert.deepEqual(page.errors, []);
}, { engines: ['chromium', 'firefox'] });

test('bad input to look inside gets a message that says what to do', async () => {
  const { page } = await open('#hidden=32');
  const said = async (what) => {
    const m = await waitFor(async () => (await messages(page)) || null, { message: `a message for ${what}` });
    await page.evaluate(() => document.getElementById('messages').replaceChildren());
    console.log(`  [bad input] ${what}: ${m.split('\n')[0]}`);
    return m;
  };
  await page.evaluate(() => document.getElementById('messages').replaceChildren());
  await page.fill('#inspect-in', '');
  await page.click('#inspect-run');
  assert.match(await said('empty text'), /empty|type|paste/i);

  await inspect(page, 'To be, or not to be, that is the question.\n'.repeat(3));
  await page.selectOption('#feature', 'regex');
  await page.fill('#feature-regex', '(unclosed');
  await page.click('#rank');
  assert.match(await said('invalid regex'), /regular expression.*not valid/);
  await page.fill('#feature-regex', '');
  await page.click('#rank');
  assert.match(await said('no regex'), /Type a regular expression/);
  await page.selectOption('#feature', 'span');
  await page.click('#rank');
  assert.match(await said('no span'), /Drag over the text/);

  // Over the limit: the first 20,000 characters are read, and the note says so.
  const long = 'Words, words, words.\n'.repeat(1200);
  await inspect(page, long);
  assert.match(await page.$eval('#inspect-note', (el) => el.textContent), /only the first 20,000 characters/);
  assert.equal(await page.$$eval('#inspect-text span', (s) => s.length), 20_000);
  // Characters the user typed are shown as text, never as markup.
  await inspect(page, '<img src=x onerror="window.__pwned=1"><b>bold</b>');
  assert.equal(await page.$$eval('#inspect-text img, #inspect-text b', (e) => e.length), 0);
  assert.equal(await page.evaluate(() => window.__pwned), undefined);
  assert.deepEqual(page.errors, []);
});

test('while training, the inspected text is read again by the model as it learns', async () => {
  const { page } = await open('#hidden=64');
  await inspect(page, 'To be, or not to be, that is the question:\nWhether tis nobler in the mind to suffer\n');
  const before = await page.evaluate(() => Array.from(window.__rnnlab.pg.surprise()));
  await page.click('#play');
  await waitFor(
    async () => {
      const now = await page.evaluate(() => Array.from(window.__rnnlab.pg.surprise()));
      return now.slice(1).some((v, i) => v !== before[i + 1]) || null;
    },
    { timeout: 15_000, message: 'a new reading by the trained model' },
  );
  // Paused, a Step is read again too, by the model as it is after the step: the same reading
  // as pressing Inspect gives then.
  const current = () => page.evaluate(() => window.__inspect.current() && Array.from(window.__rnnlab.pg.surprise()));
  await page.click('#play');
  await settle(page);
  const paused = await waitFor(current, { message: 'a reading of the paused model' });
  await page.click('#step');
  await settle(page);
  const afterStep = await waitFor(current, { message: 'a reading after Step' });
  assert.notDeepEqual(afterStep, paused, 'the reading did not change with the Step');
  await page.click('#inspect-run');
  await waitFor(() => page.evaluate(() => window.__inspect.ready && !window.__inspect.reading), { message: 'Inspect' });
  assert.deepEqual(await page.evaluate(() => Array.from(window.__rnnlab.pg.surprise())), afterStep, 'the reading after Step is not the stepped model\'s');
  assert.deepEqual(page.errors, []);
}, { engines: ['chromium', 'firefox'] });
