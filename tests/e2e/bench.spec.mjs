// The benchmark page (www/bench/) still works: a very short run fills its table with
// finite, positive figures, for the SIMD build and (when built) the scalar one, the batch-32
// rows also on 2 threads (www/shared/pool.js). The real
// measurement is scripts/bench-web.sh.
//
//   node tests/e2e/bench.spec.mjs       (after bash scripts/build-web.sh)

import { existsSync } from 'node:fs';
import path from 'node:path';
import { test, startServer, launch, newPage, waitFor, assert, repoRoot } from './harness.mjs';

const withScalar = existsSync(path.join(repoRoot, 'www/pkg-scalar/rnnlab_bg.wasm'));
const flavours = withScalar ? ['simd', 'scalar'] : ['simd'];

test('bench page: a tiny run fills the table with finite numbers', async () => {
  const server = await startServer(repoRoot);
  const browser = await launch();
  const flavour = withScalar ? 'both' : 'simd';
  const page = await newPage(browser, `${server.url}www/bench/#sets=main&flavour=${flavour}&steps=2&budget=0&warmup=0&threads=2&autorun`);
  await waitFor(() => page.evaluate(() => ['done', 'error'].includes(window.__bench?.state)), {
    timeout: 25_000,
    message: 'the benchmark to finish',
  });
  const bench = await page.evaluate(() => window.__bench);
  assert.equal(bench.state, 'done', `benchmark failed: ${bench.error}`);

  const rows = bench.results.rows;
  const n = 9 * flavours.length;
  assert.equal(rows.length, n, `RNN, LSTM and GRU at batch 1 and 32, and 32 on 2 threads, for ${flavours.join(' and ')}`);
  assert.deepEqual(
    rows.filter((r) => r.threads === 2).map((r) => `${r.cell} B=${r.batch}`),
    ['rnn', 'lstm', 'gru'].flatMap((cell) => flavours.map(() => `${cell} B=32`)),
  );
  assert.deepEqual([...new Set(rows.map((r) => r.flavour))], flavours);
  for (const r of rows) {
    for (const key of ['msPerStep', 'charsPerSec', 'gflops']) {
      assert.ok(Number.isFinite(r[key]) && r[key] > 0, `${r.cell} B=${r.batch}: ${key} = ${r[key]}`);
    }
    // Bench.flops() (Rust) and the page's formula agree.
    const perChar = 2 * { rnn: 1, lstm: 4, gru: 3 }[r.cell] * r.hidden * (65 + r.hidden) + 2 * 65 * r.hidden;
    assert.equal(r.flops, 3 * r.seqLen * r.batch * perChar);
  }

  // What the page shows: one filled row per config, numbers in the three figure columns.
  const table = await page.$$eval('#rows tr', (trs) => trs.map((tr) => [...tr.children].map((td) => td.textContent)));
  assert.equal(table.length, n);
  for (const cells of table) {
    for (const i of [2, 4, 5]) {
      const v = Number(cells[i].replace(/,/g, ''));
      assert.ok(Number.isFinite(v) && v > 0, `table cell ${i} of ${cells[0]} is ${JSON.stringify(cells[i])}`);
    }
  }
  const json = JSON.parse(await page.$eval('#results', (el) => el.textContent));
  assert.equal(json.rows.length, n);
  assert.deepEqual(page.errors, []);
  assert.deepEqual(page.badResponses, []);
}, { timeout: 40_000 });

test('wasm-loader: without WebAssembly SIMD the scalar build is loaded', async () => {
  if (!withScalar) {
    console.log('  (skipped: no www/pkg-scalar; bash scripts/build-web.sh builds it)');
    return;
  }
  const server = await startServer(repoRoot);
  const browser = await launch();
  const page = await newPage(browser, null);
  // A browser without SIMD rejects the loader's probe module.
  await page.addInitScript(() => {
    const validate = WebAssembly.validate;
    WebAssembly.validate = (bytes) => (new Uint8Array(bytes).includes(0xfd) ? false : validate(bytes));
  });
  const wasmUrls = [];
  page.on('request', (req) => req.url().endsWith('.wasm') && wasmUrls.push(new URL(req.url()).pathname));
  await page.goto(`${server.url}www/bench/`);
  await waitFor(() => page.evaluate(() => window.__bench?.state === 'idle'), { message: 'the page to load its module' });
  assert.match(await page.$eval('#env', (el) => el.textContent), /SIMD: no · build: scalar/);
  assert.deepEqual(wasmUrls, ['/www/pkg-scalar/rnnlab_bg.wasm']);
  assert.deepEqual(page.errors, []);
}, { timeout: 20_000 });
