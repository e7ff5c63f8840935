// Smoke test: the playground page loads from the served repo root, its wasm module
// is fetched, and nothing is logged as an error.
//
//   node tests/e2e/smoke.mjs            (after bash scripts/build-web.sh)
//
// RNNLAB_E2E_ROOT serves another directory instead of the repo root (used to check
// the harness itself on a throwaway page).

import { existsSync } from 'node:fs';
import path from 'node:path';
import { test, startServer, launch, newPage, screenshot, assert, repoRoot } from './harness.mjs';

const root = process.env.RNNLAB_E2E_ROOT ? path.resolve(process.env.RNNLAB_E2E_ROOT) : repoRoot;
// How long to keep watching after 'load' for errors from the async wasm start-up.
const SETTLE_MS = Number(process.env.E2E_SETTLE_MS || 1500);

test('index.html loads with title "rnnlab", its wasm, and no console errors', async () => {
  assert.ok(existsSync(path.join(root, 'index.html')), `no index.html in ${root}`);
  assert.ok(
    existsSync(path.join(root, 'www', 'pkg', 'rnnlab_bg.wasm')),
    `no www/pkg/rnnlab_bg.wasm in ${root}: run 'bash scripts/build-web.sh' first`,
  );

  const server = await startServer(root);
  const browser = await launch();
  const page = await newPage(browser, null);
  const wasmResponse = page.waitForResponse((res) => res.url().endsWith('/rnnlab_bg.wasm'), { timeout: 30_000 });
  await page.goto(server.url + 'index.html', { waitUntil: 'load' });

  const wasm = await wasmResponse.catch(() => null);
  assert.ok(wasm, 'the page never requested www/pkg/rnnlab_bg.wasm');
  assert.equal(wasm.status(), 200, `www/pkg/rnnlab_bg.wasm answered HTTP ${wasm.status()}`);

  // Let the module instantiate and the first frames run.
  await page.waitForLoadState('networkidle', { timeout: 15_000 }).catch(() => {});
  await page.waitForTimeout(SETTLE_MS);
  await screenshot(page, 'smoke');

  const title = await page.title();
  assert.match(title, /rnnlab/i, `page title is ${JSON.stringify(title)}`);
  assert.deepEqual(page.errors, [], `errors on the page:\n${page.errors.join('\n')}`);
  assert.deepEqual(page.badResponses, [], `failed requests:\n${page.badResponses.join('\n')}`);
}, { engines: ['chromium', 'firefox'] });
