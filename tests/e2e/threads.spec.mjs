// Data-parallel training in the browser (www/shared/pool.js): a batch of more than 16 streams
// trains on 1, 2 and 3 threads (the training worker and its gradient workers) with the same
// bits as on the page's own thread, and goes on alone, saying so, when its gradient workers
// cannot start.
//
//   node tests/e2e/harness.mjs tests/e2e/threads.spec.mjs   (after bash scripts/build-web.sh)

import { test, launch, newPage, startServer, waitFor, assert, repoRoot, screenshot } from './harness.mjs';
import { recordRun as run } from './runs.mjs';

const started = () => window.__rnnlab && window.__rnnlab.pg && window.__rnnlab.pg.steps() > 0;

async function open(browser, server, hash, gradientJs) {
  const page = await newPage(browser, null);
  if (gradientJs) await page.context().route('**/shared/gradient.js*', gradientJs);
  await page.goto(`${server.url}index.html${hash}`, { waitUntil: 'load' });
  await waitFor(() => page.evaluate(started), { timeout: 60_000, message: `the first training step of ${hash}` });
  return page;
}

/** Every run of `link` (`runs`: hash suffix → threads the page must report) against the
 * main-thread run: the same model file after 6 steps and the same loss bits at every step.
 * Each page closes once checked (in Firefox, a fourth same-site page training beside three
 * could take over a minute to start), except the last, which is returned. */
async function sameBits(link, runs, playMs, gradientJs) {
  const browser = await launch();
  const server = await startServer(repoRoot);
  const ref = await open(browser, server, `${link}&worker=off`);
  const want = await run(ref, 6, playMs);
  await ref.close();
  let last = null;
  for (const [suffix, threads] of runs) {
    await last?.close();
    const page = await open(browser, server, `${link}${suffix}`, gradientJs);
    assert.equal(await page.evaluate(() => window.__rnnlab.worker), true, `${suffix}: the worker trains`);
    const got = await run(page, 6, playMs);
    const n = Math.min(got.losses.length, want.losses.length);
    console.log(`  [threads] ${link}${suffix}: ${got.threads} thread(s), ${got.steps} steps (page alone: ${want.steps}), ${n} compared; model after 6 steps ${got.model.slice(0, 12)}…`);
    assert.equal(got.threads, threads, `${suffix}: threads used`);
    assert.ok(n > 15, `${suffix}: too few steps to compare (${n})`);
    assert.deepEqual(got.losses.slice(0, n), want.losses.slice(0, n), `${suffix}: losses`);
    assert.equal(got.model, want.model, `${suffix}: the model files after 6 steps differ`);
    assert.deepEqual(page.errors, []);
    last = page;
  }
  return last;
}

const B32 = '#cell=lstm&hidden=24&seq-len=12&batch=32&seed=3&lr=0.01';
const B48 = '#cell=lstm&hidden=24&seq-len=12&batch=48&seed=4&lr=0.01';

test('a batch of 32 trains with the same bits on 2 threads as on the page', async () => {
  // Three asked, two used: a batch of 32 is two shards, a third thread would idle.
  await sameBits(B32, [['&threads=3', 2]], 700);
});

test('a batch of 48 trains with the same bits on 1, 2 and 3 threads as on the page', async () => {
  await sameBits(
    B48,
    [
      ['&threads=1', 1],
      ['&threads=2', 2],
      ['&threads=3', 3],
    ],
    700,
  );
});

test('Firefox: a batch of 48 trains with the same bits on 3 threads as on the page', async () => {
  await sameBits(B48, [['&threads=3', 3]], 700);
}, { engines: ['firefox'] });

/** The notice the page shows about threads, or null. */
const notice = (page) => page.evaluate(() => document.querySelector('#messages [data-key="threads"] p')?.textContent ?? null);

test('gradient workers that cannot start or that fail leave the training worker alone, saying so', async () => {
  // Missing: the pool never starts.
  const browser = await launch();
  const server = await startServer(repoRoot);
  const page = await open(browser, server, `${B48}&threads=2`, (route) => route.fulfill({ status: 404, body: 'gone' }));
  await waitFor(() => notice(page), { message: 'the notice' });
  const text = await notice(page);
  console.log(`  [threads] gradient.js missing: “${text}”`);
  assert.match(text, /one thread: the gradient workers could not start/);
  const steps = await page.evaluate(() => window.__rnnlab.pg.steps());
  await waitFor(() => page.evaluate((s) => window.__rnnlab.pg.steps() > s + 3, steps), { message: 'training going on' });
  assert.equal(await page.evaluate(() => window.__rnnlab.threads), 1);
  await screenshot(page, 'threads-fallback');
  await page.close();
  // Failing on their first shard (after starting and taking the model): that step's shards run
  // in the training worker, and every step after, with the bits of the page's own thread.
  const failing = `self.onmessage = (e) => {
    if (e.data.kind !== 'open') throw new Error('this gradient worker fails on purpose');
    self.postMessage({ id: e.data.id });
  };
  self.postMessage({ kind: 'ready' });`;
  const fulfil = (route) => route.fulfill({ status: 200, contentType: 'text/javascript', body: failing });
  const failed = await sameBits(B48, [['&threads=2', 1]], 600, fulfil);
  assert.match(await notice(failed), /one thread: a gradient worker stopped/);
});
