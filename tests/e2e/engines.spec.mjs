// The same link gives the same bits in Chromium, in Firefox and in the native CLI.
//
// Each link is opened in both browsers; the page is reset and trained STEPS steps with its Step
// button. Compared exactly: every step's loss (the float64 bits the page shows), the validation
// loss, a seeded sample, and the model file (weights, optimizer state, carried state) by SHA-256.
// `rnnlab train` with the same settings on the same text writes a byte-identical model file, and
// `rnnlab sample` draws the same characters from it. In both browsers the wasm Playground also
// reproduces the native per-step loss bits of tests/fixtures/native_losses.json (checked
// natively by tests/native_losses.rs).
//
// It opens Chromium itself, so it runs in the Firefox run only:
//   E2E_BROWSER=firefox node tests/e2e/harness.mjs tests/e2e/engines.spec.mjs

import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { test, openApp, launch, assert, repoRoot, outDir, settle, cliBinary } from './harness.mjs';

const STEPS = 20;
const TEXT = 'www/corpora/hamlet.txt'; // the page's default text, Hamlet
const SAMPLE = ['Th', 120, 0.8, 7]; // prime, length, temperature, seed
/** Links (on the default text), each with its own seed: LSTM, GRU, RNN; batch > 1; an embedding. */
const LINKS = [
  '#cell=lstm&hidden=64&seed=5',
  '#cell=gru&hidden=48&layers=2&batch=4&optimizer=rmsprop&lr=0.003&init=orthogonal&seed=9',
  '#cell=rnn&nonlinearity=relu&hidden=64&optimizer=sgd&momentum=0.9&lr=0.05&clip=1&clip-mode=value&seed=3',
  '#cell=lstm&embed=16&hidden=32&batch=8&seq-len=40&seed=7',
];
const FIXTURE = JSON.parse(readFileSync(path.join(repoRoot, 'tests/fixtures/native_losses.json'), 'utf8'));

const sha256 = (bytes) => createHash('sha256').update(bytes).digest('hex');

/** Opens `link`, resets, presses Step STEPS times; returns the figures as bit patterns. */
async function train(browser, link) {
  const ready = () => window.__rnnlab && window.__rnnlab.pg && window.__rnnlab.pg.steps() > 0;
  const { page } = await openApp(`index.html${link}`, { browser, ready, readyMessage: 'the first training step' });
  if (await page.evaluate(() => window.__rnnlab.state.running)) await page.click('#play');
  await settle(page);
  await page.click('#reset');
  const hex = () => {
    const v = new DataView(new ArrayBuffer(8));
    window.__bits = (x) => (v.setFloat64(0, x), v.getBigUint64(0).toString(16).padStart(16, '0'));
  };
  await page.evaluate(hex);
  const losses = [];
  for (let i = 0; i < STEPS; i++) {
    await page.click('#step');
    await settle(page);
    losses.push(await page.evaluate(() => window.__bits(window.__rnnlab.pg.lastLoss())));
  }
  const rest = await page.evaluate(async ([prime, len, temp, seed]) => {
    const pg = window.__rnnlab.pg;
    const model = new Uint8Array(await crypto.subtle.digest('SHA-256', await window.__rnnlab.modelFile()));
    return {
      steps: pg.steps(),
      query: pg.query(),
      val: window.__bits(pg.valLoss()),
      sample: pg.sample(prime, len, temp, false, 0, seed).text,
      model: Array.from(model, (b) => b.toString(16).padStart(2, '0')).join(''),
    };
  }, SAMPLE);
  assert.deepEqual(page.errors, []);
  await page.close();
  return { losses, ...rest };
}

/** The fixture's runs, in the page's own wasm: the f32 bits of each step's loss. */
async function fixtureRuns(browser) {
  const ready = () => window.__rnnlab && window.__rnnlab.pg;
  const { page } = await openApp('index.html', { browser, ready, readyMessage: 'the playground' });
  const cases = FIXTURE.cases.map((c) => ({ query: c.query, steps: c.steps, chars: c.text_chars }));
  const bits = await page.evaluate(
    async ([cases, file]) => {
      const text = await (await fetch(`/${file}`)).text();
      const Playground = window.__rnnlab.pg.constructor;
      return cases.map((c) => {
        const pg = new Playground(c.query, Array.from(text).slice(0, c.chars).join(''));
        const out = [];
        for (let i = 0; i < c.steps; i++) {
          pg.step();
          out.push(new Uint32Array(new Float32Array([pg.lastLoss()]).buffer)[0]);
        }
        pg.free();
        return out;
      });
    },
    [cases, FIXTURE.text_file],
  );
  await page.close();
  return bits;
}

/** `rnnlab train` on the link's settings and the page's text (validation share 0.1, as the page):
 * the model file's SHA-256, and what `rnnlab sample` draws from it. */
function native(bin, link, i) {
  const dir = path.join(outDir, 'engines');
  mkdirSync(dir, { recursive: true });
  const model = path.join(dir, `cli-${i}.safetensors`);
  const flags = [...new URLSearchParams(link.slice(1))].flatMap(([k, v]) => [`--${k === 'init' ? 'init-scheme' : k}`, v]);
  const cli = (args) => execFileSync(bin, args, { cwd: repoRoot, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  cli(['train', '--text', TEXT, '--val', '0.1', '--steps', String(STEPS), '--out', model, ...flags]);
  const [prime, len, temp, seed] = SAMPLE;
  const sample = cli(['sample', '--model', model, '--prime', prime, '--len', String(len), '--temperature', String(temp), '--seed', String(seed)]);
  return { model: sha256(readFileSync(model)), sample }; // stdout not a terminal: no newline added
}

test('the same link gives bit-identical losses, sample and model in Chromium, Firefox and the native CLI', async () => {
  const engines = {};
  for (const engine of ['chromium', 'firefox']) {
    const browser = await launch({ engine });
    engines[engine] = { version: browser.version(), runs: [] };
    for (const link of LINKS) engines[engine].runs.push(await train(browser, link));
    engines[engine].fixture = await fixtureRuns(browser);
  }
  const { chromium, firefox } = engines;
  const bin = cliBinary('cli');
  console.log(`  [engines] Chromium ${chromium.version}, Firefox ${firefox.version}; ${STEPS} steps per link`);
  LINKS.forEach((link, i) => {
    const [c, f] = [chromium.runs[i], firefox.runs[i]];
    const cli = native(bin, link, i);
    const num = (h) => Buffer.from(h, 'hex').readDoubleBE(0).toFixed(6);
    console.log(`  [bits] ${link}: losses ${c.losses[0]} (${num(c.losses[0])}) … ${c.losses[STEPS - 1]} (${num(c.losses[STEPS - 1])}), val ${c.val}, model sha256 ${c.model.slice(0, 16)}…`);
    assert.equal(c.steps, STEPS, `${link}: Chromium trained ${c.steps} steps`);
    for (const [k, v] of new URLSearchParams(link.slice(1))) assert.ok(c.query.includes(`${k}=${v}`), `${link}: the page runs ${c.query}`);
    assert.equal(new Set(c.losses).size > 1, true, `${link}: the loss never moved`);
    assert.deepEqual(f, c, `${link}: Firefox and Chromium differ`);
    assert.equal(cli.model, c.model, `${link}: the CLI's model file differs from the browsers'`);
    assert.equal(cli.sample, c.sample, `${link}: the CLI samples differently`);
  });
  FIXTURE.cases.forEach((c, i) => {
    assert.deepEqual(chromium.fixture[i], c.loss_bits, `${c.name}: Chromium's wasm differs from the native losses`);
    assert.deepEqual(firefox.fixture[i], c.loss_bits, `${c.name}: Firefox's wasm differs from the native losses`);
  });
  console.log(`  [bits] native_losses.json: ${FIXTURE.cases.map((c) => `${c.name} (${c.steps} steps)`).join(', ')}: the native loss bits in both engines`);
}, { engines: ['firefox'], timeout: 300_000 });
