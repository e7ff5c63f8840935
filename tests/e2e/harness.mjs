// Shared helpers for rnnlab's browser end-to-end tests: Debian chromium driven by
// playwright-core, and Debian firefox-esr driven by puppeteer-core over WebDriver BiDi behind
// the same page API (firefox.mjs). No browser is ever downloaded.
//
// A test file:
//
//   import { test, startServer, launch, newPage, assert, repoRoot } from './harness.mjs';
//   test('page loads', async () => {
//     const server = await startServer(repoRoot);
//     const browser = await launch();
//     const page = await newPage(browser, server.url + 'index.html');
//     assert.deepEqual(page.errors, []);
//   });
//
// Run one file:   node tests/e2e/smoke.mjs
// Run them all:   node tests/e2e/harness.mjs [FILE...]
//                 (default: smoke.mjs and every *.spec.mjs beside this file, in one
//                 process, with one summary)
// Either way the run ends with exactly one line `N passed, N failed` and exits 1 if
// anything failed. Servers, browsers and pages opened through these helpers are closed
// after each test, also when it fails (Firefox, slow to start, only after the run; its
// contexts after each test); a failing test leaves a screenshot of its last page in
// tests/e2e/out/.
//
// Engines: a run uses one, E2E_BROWSER=chromium (the default) or firefox, and runs the tests
// registered for it: `test(name, fn, { engines: ['chromium', 'firefox'] })` puts a test in the
// Firefox cross-section (the default is ['chromium']); E2E_ALL=1 runs every test anyway.
// Screenshots taken in Firefox are named firefox-NAME.png.
//
// Environment: E2E_TIMEOUT_MS (per test, default 120000), E2E_FILTER (run only tests
// whose name contains it), CHROMIUM (browser binary, default /usr/bin/chromium), FIREFOX
// (default /usr/bin/firefox-esr).

import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import assert from 'node:assert/strict';
import { chromium } from 'playwright-core';
import { FIREFOX_PATH, launchFirefox } from './firefox.mjs';

export { assert };

const here = path.dirname(fileURLToPath(import.meta.url));
/** Repository root (two levels above tests/e2e/). */
export const repoRoot = path.resolve(here, '..', '..');
/** Screenshots and other artifacts (git-ignored). */
export const outDir = path.join(here, 'out');

export const CHROMIUM_PATH = process.env.CHROMIUM || '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-quic',
];
/** The engine of this run: chromium or firefox. */
export const ENGINE = process.env.E2E_BROWSER || 'chromium';
const ENGINES = { chromium: CHROMIUM_PATH, firefox: FIREFOX_PATH };
if (!ENGINES[ENGINE]) throw new Error(`E2E_BROWSER=${ENGINE}: use chromium or firefox`);
const TEST_TIMEOUT_MS = Number(process.env.E2E_TIMEOUT_MS || 120_000);

// Resources opened during the current test, closed when it ends (newest first).
let cleanups = [];
let lastPage = null;
function onCleanup(fn) {
  cleanups.push(fn);
}
async function runCleanups() {
  const fns = cleanups.reverse();
  cleanups = [];
  for (const fn of fns) {
    try {
      await fn();
    } catch {
      // already closed
    }
  }
}

function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function httpGetStatus(url) {
  return new Promise((resolve, reject) => {
    const req = http.get(url, (res) => {
      res.resume();
      resolve(res.statusCode);
    });
    req.on('error', reject);
    req.setTimeout(2000, () => req.destroy(new Error('timeout')));
  });
}

/**
 * Serve `root` with `python3 -m http.server` on a free 127.0.0.1 port (the OS picks
 * it: port 0) and wait until it answers.
 * @returns {Promise<{url: string, port: number, close: () => Promise<void>}>}
 *   url ends with '/'.
 */
export async function startServer(root = repoRoot) {
  if (!existsSync(root)) throw new Error(`startServer: no such directory ${root}`);
  const proc = spawn(
    'python3',
    ['-u', '-m', 'http.server', '--bind', '127.0.0.1', '--directory', root, '0'],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  let exited = null;
  proc.on('exit', (code, signal) => {
    exited = `exited (code ${code}, signal ${signal})`;
  });
  proc.on('error', (err) => {
    exited = `failed to start: ${err.message}`;
  });
  const port = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`http.server did not start in 10 s:\n${output}`)), 10_000);
    const onData = (chunk) => {
      output += chunk;
      // "Serving HTTP on 127.0.0.1 port 41235 (http://127.0.0.1:41235/) ..."
      const m = /port (\d+)/.exec(output);
      if (m) {
        clearTimeout(timer);
        resolve(Number(m[1]));
      }
    };
    proc.stdout.on('data', onData);
    proc.stderr.on('data', onData); // request log; also where errors go
    proc.on('exit', () => {
      clearTimeout(timer);
      reject(new Error(`http.server ${exited}:\n${output}`));
    });
  });
  // Keep draining the request log so the pipe never fills up.
  proc.stdout.removeAllListeners('data');
  proc.stderr.removeAllListeners('data');
  proc.stdout.resume();
  proc.stderr.resume();

  const url = `http://127.0.0.1:${port}/`;
  const deadline = Date.now() + 10_000;
  for (;;) {
    if (exited) throw new Error(`http.server ${exited}`);
    try {
      await httpGetStatus(url);
      break;
    } catch (err) {
      if (Date.now() > deadline) {
        proc.kill();
        throw new Error(`http.server at ${url} does not answer: ${err.message}`);
      }
      await sleep(50);
    }
  }

  const close = async () => {
    if (exited) return;
    const done = new Promise((resolve) => proc.once('exit', resolve));
    proc.kill('SIGTERM');
    await Promise.race([done, sleep(2000)]);
    if (!exited) proc.kill('SIGKILL');
  };
  onCleanup(close);
  return { url, port, close };
}

// Firefox takes 3-5 s to start (Chromium well under one): a run starts it once and shares it;
// each test still gets its own contexts (newPage), closed when the test ends.
let firefox = null;

/** Launch a headless browser: `engine` (default: this run's) is chromium (Debian's, through
 * playwright-core; one per call) or firefox (Debian's firefox-esr, through puppeteer-core:
 * firefox.mjs; one per run). */
export async function launch({ engine = ENGINE, ...options } = {}) {
  if (engine === 'firefox' && firefox?.connected()) return firefox;
  if (!existsSync(ENGINES[engine])) {
    throw new Error(`${ENGINES[engine]} not found: run 'bash scripts/setup.sh --test' (installs Debian ${engine === 'firefox' ? 'firefox-esr' : 'chromium'})`);
  }
  const start =
    engine === 'firefox'
      ? launchFirefox
      : () => chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS, ...options });
  let browser;
  try {
    browser = await start();
  } catch (err) {
    // Chromium now and then dies while starting (seen: SIGSEGV at launch on a loaded 2-core
    // machine, before any page). That is not the page's doing: say so and try once more.
    console.log(`  [harness] ${engine} did not start (${String(err.message).split('\n')[0]}); launching again`);
    browser = await start();
  }
  browser.engine = engine;
  if (engine === 'firefox') firefox = browser;
  else onCleanup(() => browser.close());
  return browser;
}

/**
 * Open `url` (when given) in a new page of `browser`. Console errors and uncaught page
 * errors are collected in `page.errors` (strings; a 404 for /favicon.ico is not counted), every console message in
 * `page.consoleLog`, failed requests and HTTP >= 400 responses in `page.badResponses`.
 * @returns {Promise<import('playwright-core').Page & {errors: string[], consoleLog: string[], badResponses: string[]}>}
 */
export async function newPage(browser, url, { waitUntil = 'load', viewport = { width: 1280, height: 800 }, deviceScaleFactor = 1 } = {}) {
  const context = await browser.newContext({ viewport, deviceScaleFactor });
  onCleanup(() => context.close());
  const page = await context.newPage();
  page.engine = browser.engine;
  page.errors = [];
  page.consoleLog = [];
  page.badResponses = [];
  page.on('console', (msg) => {
    const text = `${msg.type()}: ${msg.text()}`;
    page.consoleLog.push(text);
    const loc = msg.location();
    // Chromium asks every page for /favicon.ico; a 404 there is not the page's fault.
    const favicon404 = loc && /\/favicon\.ico$/.test(loc.url || '') && /Failed to load resource/.test(msg.text());
    if (msg.type() === 'error' && !favicon404) {
      page.errors.push(`console.error: ${msg.text()}${loc && loc.url ? ` (${loc.url}:${loc.lineNumber})` : ''}`);
    }
  });
  page.on('pageerror', (err) => page.errors.push(`page error: ${err.stack || err.message || err}`));
  page.on('requestfailed', (req) => page.badResponses.push(`${req.url()}: ${req.failure()?.errorText}`));
  page.on('response', (res) => {
    if (res.status() >= 400 && !res.url().endsWith('/favicon.ico')) page.badResponses.push(`${res.url()}: HTTP ${res.status()}`);
  });
  lastPage = page;
  if (url) await page.goto(url, { waitUntil });
  return page;
}

/**
 * Serves the repo, opens `path` (with its hash) in `browser` (a new one by default) and waits
 * until `ready()` (evaluated in the page) is truthy. Every dialog is recorded: its message in
 * `page.dialogs`, and confirms in `page.confirms` (answered yes, or no with `confirm: false`),
 * the others in `page.alerts` as "type: message". Returns `{page, server, browser}`.
 */
export async function openApp(path, { browser, viewport, confirm = true, ready, readyMessage, timeout = 30_000 }) {
  const server = await startServer(repoRoot);
  browser = browser || (await launch());
  const page = await newPage(browser, null, viewport ? { viewport } : {});
  Object.assign(page, { dialogs: [], confirms: [], alerts: [] });
  page.on('dialog', async (d) => {
    page.dialogs.push(d.message());
    if (d.type() === 'confirm') page.confirms.push(d.message());
    else page.alerts.push(`${d.type()}: ${d.message()}`);
    await (d.type() === 'confirm' && !confirm ? d.dismiss() : d.accept());
  });
  await page.goto(`${server.url}${path}`, { waitUntil: 'load' });
  await waitFor(() => page.evaluate(ready), { timeout, message: readyMessage });
  return { page, server, browser };
}

/** Waits until the playground's training worker has answered everything asked of it (Step,
 * Roll back and training in flight land after the click that asked for them); at once when
 * the page trains on its own thread. */
export function settle(page) {
  return page.evaluate(() => (window.__rnnlab && window.__rnnlab.settled ? window.__rnnlab.settled() : null));
}

/** The share of a canvas's pixels that are not white: some channel below `white`. */
export function inked(page, id, white = 250) {
  return page.evaluate(
    ([id, white]) => {
      const c = document.getElementById(id);
      const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
      let n = 0;
      for (let i = 0; i < d.length; i += 4) if (d[i] < white || d[i + 1] < white || d[i + 2] < white) n++;
      return n / (c.width * c.height);
    },
    [id, white],
  );
}

/** Opens the playground at `url` (index.html with a hash) in `browser`, waits for its first
 * training step, puts the speed slider at "max" and lets it settle for two seconds. */
export async function openPlaygroundAtMaxSpeed(browser, url) {
  const page = await newPage(browser, url);
  await waitFor(() => page.evaluate(() => Boolean(window.__rnnlab && window.__rnnlab.pg && window.__rnnlab.pg.steps() > 0)), {
    timeout: 30_000,
    message: 'the playground to start training',
  });
  await page.$eval('#speed', (el) => {
    el.value = el.max;
    el.dispatchEvent(new Event('input'));
  });
  await sleep(2000);
  return page;
}

/** Save a full-page PNG (or with `fullPage: false` the viewport) as tests/e2e/out/NAME.png
 * (firefox-NAME.png when taken in Firefox) and return its path. */
export async function screenshot(page, name, { fullPage = true } = {}) {
  mkdirSync(outDir, { recursive: true });
  const prefix = page.engine === 'firefox' ? 'firefox-' : '';
  const file = path.join(outDir, `${prefix}${String(name).replace(/[^\w.-]+/g, '_')}.png`);
  // Chromium's full-page capture paints the page beyond the viewport without first rendering
  // the elements that `content-visibility: auto` skips there, so the inspected text (one such
  // element per line) came out as an empty box; Firefox's capture has them.
  const style = fullPage && page.engine !== 'firefox' ? '* { content-visibility: visible !important; }' : undefined;
  await page.screenshot({ path: file, fullPage, style });
  return file;
}

/** The `rnnlab` binary that `cargo test` builds for the test crate `crate` (test profile): after
 * `cargo test`, as in CI, this builds nothing (`cargo run` would build every dependency again in
 * the dev profile). */
export function cliBinary(crate) {
  const args = ['test', '--no-run', '--test', crate, '--message-format=json'];
  const out = execFileSync('cargo', args, { cwd: repoRoot, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  const bin = out
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l))
    .find((m) => m.reason === 'compiler-artifact' && m.target.name === 'rnnlab' && m.target.kind.includes('bin'));
  assert.ok(bin?.executable, 'cargo built no rnnlab binary');
  return bin.executable;
}

/** Poll `fn` until it returns a truthy value (which is returned) or time runs out. */
export async function waitFor(fn, { timeout = 10_000, interval = 50, message = 'condition' } = {}) {
  const deadline = Date.now() + timeout;
  let lastErr;
  for (;;) {
    try {
      const v = await fn();
      if (v) return v;
    } catch (err) {
      lastErr = err;
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${timeout} ms waiting for ${message}${lastErr ? `: ${lastErr.message}` : ''}`);
    }
    await sleep(interval);
  }
}

// ---------------------------------------------------------------------------
// Tiny sequential test runner.

const tests = [];
let started = false;

/** Register a test; tests run one after another, in registration order, in the runs of the
 * `engines` named. */
export function test(name, fn, { timeout = TEST_TIMEOUT_MS, engines = ['chromium'] } = {}) {
  tests.push({ name, fn, timeout, engines });
}

function withTimeout(promise, ms) {
  let timer;
  const t = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms);
  });
  return Promise.race([promise, t]).finally(() => clearTimeout(timer));
}

/**
 * Run every registered test, print `ok NAME` / `FAIL NAME: error`, then one line
 * `N passed, N failed`; sets the exit code. Called automatically when the test file
 * finishes loading, so calling it yourself is optional. Runs once.
 */
export async function run() {
  if (collecting || started) return;
  started = true;
  const filter = process.env.E2E_FILTER;
  let passed = 0;
  let failed = 0;
  const chosen = tests.filter((t) => process.env.E2E_ALL === '1' || t.engines.includes(ENGINE));
  if (chosen.length < tests.length) console.log(`# ${ENGINE}: ${chosen.length} of ${tests.length} tests (the others run only in ${[...new Set(tests.flatMap((t) => t.engines))].filter((e) => e !== ENGINE).join(', ')})`);
  for (const t of chosen) {
    if (filter && !t.name.includes(filter)) continue;
    const t0 = Date.now();
    lastPage = null;
    try {
      await withTimeout(Promise.resolve().then(t.fn), t.timeout);
      passed++;
      console.log(`ok ${t.name} (${Date.now() - t0} ms)`);
    } catch (err) {
      failed++;
      let shot = '';
      if (lastPage && !lastPage.isClosed()) {
        try {
          shot = ` [screenshot: ${path.relative(process.cwd(), await screenshot(lastPage, `FAIL-${t.name}`))}]`;
        } catch {
          // page unusable
        }
      }
      const msg = (err && err.stack) || String(err);
      console.log(`FAIL ${t.name}: ${msg.replace(/\n/g, '\n    ')}${shot}`);
    } finally {
      await runCleanups();
    }
  }
  await firefox?.close();
  if (passed + failed === 0) {
    console.log('no tests ran');
    failed = 1; // an e2e run that tests nothing is a failure
    console.log('0 passed, 1 failed');
  } else {
    console.log(`${passed} passed, ${failed} failed`);
  }
  process.exitCode = failed ? 1 : 0;
}

// Run automatically once the test file (and everything it awaited) has loaded.
process.on('beforeExit', () => {
  if (!started && !collecting && tests.length) run();
});

// When this file is the entry point, collect tests from several files and run them
// together with one summary line.
// The collecting runs after this module has finished evaluating (no top-level await
// here: the test files import this module, and would wait on it forever).
const isMain = process.argv[1] && pathToFileURL(path.resolve(process.argv[1])).href === import.meta.url;
let collecting = isMain;
if (isMain) {
  runFiles(process.argv.slice(2)).catch((err) => {
    console.log(`FAIL loading tests: ${(err && err.stack) || err}`);
    console.log('0 passed, 1 failed');
    process.exitCode = 1;
  });
}

async function runFiles(args) {
  let files = args.map((f) => path.resolve(f));
  if (files.length === 0) {
    files = readdirSync(here)
      .filter((f) => f === 'smoke.mjs' || f.endsWith('.spec.mjs'))
      .sort((a, b) => (a === 'smoke.mjs' ? -1 : b === 'smoke.mjs' ? 1 : a.localeCompare(b)))
      .map((f) => path.join(here, f));
  }
  for (const f of files) {
    console.log(`# ${path.relative(process.cwd(), f)}`);
    await import(pathToFileURL(f).href);
  }
  collecting = false;
  await run();
}
