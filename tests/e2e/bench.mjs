// Browser benchmark runner (not a test: scripts/bench-web.sh runs it after the release wasm
// build). Opens www/bench/ in headless chromium and prints its results as JSON and as
// markdown tables: training-step speed per config, a memory soak, and the playground's frame
// rate at max speed.
//
//   node tests/e2e/bench.mjs
//
// Environment (all optional):
//   FLAVOUR=auto|simd|scalar|both   wasm build(s) to time (default auto: SIMD if supported)
//   SETS=main,hidden,seq            tables (default all three)
//   STEPS=30 BUDGET=3 WARMUP=500    samples per config, seconds at most per config, warm-up ms
//   SOAK=60                         memory soak seconds per kind (0: none; 1800 for the full run)
//   SOAK_WHAT=trainer,playground    what to soak: the bare trainer, the playground facade, or both
//   FPS_SECONDS=10                  seconds of frame timing on index.html at max speed (0: none),
//                                   once as it opens and once with 20,000 characters inspected
//                                   and read again as it trains
//   INSPECT=1                       time looking inside on bench/#inspect (0: skip)
//   NATIVE=target/bench/native.json native figures from scripts/bench-native.sh (for the ratio,
//                                   row by row with the same threads)
//   THREADS=2                       threads (scripts/bench-web.sh --threads): the batch-32 rows
//                                   are timed on one thread and again on THREADS (www/shared/pool.js)
//   OUT=target/bench                where web.json and web.md are written

import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startServer, launch, newPage, openPlaygroundAtMaxSpeed, repoRoot } from './harness.mjs';

const env = process.env;
const FLAVOUR = env.FLAVOUR || 'auto';
const SETS = env.SETS || 'main,hidden,seq';
const STEPS = Number(env.STEPS || 30);
const BUDGET = Number(env.BUDGET || 3);
const WARMUP = Number(env.WARMUP || 500);
const SOAK = Number(env.SOAK ?? 60);
const SOAK_WHAT = (env.SOAK_WHAT || 'trainer,playground').split(',').filter(Boolean);
const FPS_SECONDS = Number(env.FPS_SECONDS ?? 10);
const INSPECT = env.INSPECT !== '0';
const NATIVE = env.NATIVE || '';
const THREADS = Number(env.THREADS || 1);
const OUT = path.resolve(repoRoot, env.OUT || 'target/bench');

const log = (...a) => console.error('[bench]', ...a);
const load = () =>
  os
    .loadavg()
    .map((x) => x.toFixed(2))
    .join(' ');
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Opens bench/ with `hash` and waits for it to finish; returns its results. It waits on the
 * page's own promise (`__benchEnded`), not by polling: a poll runs on the page's thread, which
 * is the one that trains in the timed rows. Progress comes from the page's console. */
async function benchPage(browser, server, hash, timeoutMs) {
  const page = await newPage(browser, null);
  let lastLog = 0;
  page.on('console', (msg) => {
    if (msg.text().startsWith('bench: ') && Date.now() - lastLog > 15_000) {
      lastLog = Date.now();
      log(msg.text().slice(7));
    }
  });
  await page.goto(`${server.url}www/bench/#${hash}`);
  await page.waitForFunction(() => window.__benchEnded, null, { timeout: 30_000 });
  let timer;
  const late = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`bench/#${hash} did not finish in ${timeoutMs / 1000} s`)), timeoutMs);
  });
  const state = await Promise.race([page.evaluate(() => window.__benchEnded), late]).finally(() => clearTimeout(timer));
  if (state === 'error') throw new Error(`bench/#${hash}: ${await page.evaluate(() => window.__bench.error)}`);
  const results = await page.evaluate(() => window.__bench.results);
  if (page.errors.length) throw new Error(`errors on bench/:\n${page.errors.join('\n')}`);
  await page.context().close();
  return results;
}

/** Frame timing of the playground at max speed, from requestAnimationFrame timestamps; with
 * `inspect`, 20,000 characters of the training text are inspected first (read again every
 * couple of seconds as the model trains). */
async function measureFps(browser, server, seconds, { inspect = false } = {}) {
  const page = await openPlaygroundAtMaxSpeed(browser, `${server.url}index.html`);
  if (inspect) {
    await page.evaluate(() => {
      document.getElementById('inspect-in').value = window.__rnnlab.state.text.slice(0, 20_000);
      document.getElementById('inspect-run').click();
    });
    await page.waitForFunction(() => window.__inspect.ready, null, { timeout: 30_000 });
    await sleep(1000);
  }
  const r = await page.evaluate(async (ms) => {
    const steps0 = window.__rnnlab.pg.steps();
    const stamps = [];
    await new Promise((resolve) => {
      const onFrame = (t) => {
        stamps.push(t);
        if (t - stamps[0] < ms) requestAnimationFrame(onFrame);
        else resolve();
      };
      requestAnimationFrame(onFrame);
    });
    const gaps = stamps.slice(1).map((t, i) => t - stamps[i]).sort((a, b) => a - b);
    const q = (p) => gaps[Math.min(gaps.length - 1, Math.floor(p * gaps.length))];
    const span = stamps[stamps.length - 1] - stamps[0];
    const perf = window.__rnnlab.perf;
    return {
      seconds: span / 1000,
      frames: gaps.length,
      fps: (gaps.length / span) * 1000,
      frameMsP50: q(0.5),
      frameMsP95: q(0.95),
      frameMsMax: gaps[gaps.length - 1],
      framesOver20ms: gaps.filter((g) => g > 20).length,
      stepsPerSec: ((window.__rnnlab.pg.steps() - steps0) / span) * 1000,
      pageFps: perf.fps,
      pageMsPerStep: perf.msPerStep,
      pageDrawMs: perf.drawMs,
      pageBudgetMs: perf.budgetMs,
      speed: document.getElementById('speed-out').textContent,
      config: window.__rnnlab.pg.query(),
      inspected: window.__inspect.chars.length,
    };
  }, seconds * 1000);
  if (page.errors.length) throw new Error(`errors on index.html:\n${page.errors.join('\n')}`);
  await page.context().close();
  return r;
}

// ---------------------------------------------------------------------------
// Markdown.

const f = (x, d) => (Number.isFinite(x) ? x.toLocaleString('en-US', { minimumFractionDigits: d, maximumFractionDigits: d }) : '–');
const mib = (b) => `${(b / 1048576).toFixed(2)} MiB`;
const cfgName = (r) => `${r.cell.toUpperCase()} H=${r.hidden} T=${r.seqLen} B=${r.batch}${r.threads > 1 ? `, ${r.threads} threads` : ''}`;

function speedTables(speed, native) {
  const key = (r) => `${r.cell}:${r.hidden}:${r.seqLen}:${r.batch}:${r.threads ?? 1}`;
  const nat = new Map((native?.rows || []).map((r) => [key(r), r]));
  const titles = { main: 'RNN / LSTM / GRU, H=128 T=25', hidden: 'LSTM B=1 T=25, sweep of H', seq: 'LSTM B=1 H=128, sweep of T' };
  const lines = [];
  for (const set of Object.keys(titles)) {
    const rows = speed.rows.filter((r) => r.set === set);
    if (!rows.length) continue;
    const withNative = set === 'main' && nat.size > 0;
    lines.push('', `#### ${titles[set]}`, '');
    lines.push(`| config | wasm build | ms/step (median) | chars/s | GFLOP/s${withNative ? ' | native ms/step | wasm/native' : ''} |`);
    lines.push(`|---|---|---:|---:|---:${withNative ? '|---:|---:' : ''}|`);
    for (const r of rows) {
      let tail = '';
      if (withNative) {
        const n = nat.get(key(r));
        tail = n ? ` | ${f(n.msPerStep, 3)} | ${f(r.msPerStep / n.msPerStep, 2)}×` : ' | – | –';
      }
      lines.push(`| ${cfgName(r)} | ${r.flavour} | ${f(r.msPerStep, 3)} | ${f(r.charsPerSec, 0)} | ${f(r.gflops, 2)}${tail} |`);
    }
    const paired = rows.filter((r) => r.speedUp);
    if (paired.length) {
      lines.push('', 'Each sample on several threads (steps back to back for at least 100 ms, after one untimed step that wakes the gradient workers) paired with as many of the same steps on one thread, right after it (median of the pairs):', '');
      for (const r of paired) lines.push(`- ${cfgName(r)} (${r.flavour}): ${f(r.msPerStep, 3)} ms against ${f(r.msPerStepOneThread, 3)} ms on one thread, ${f(r.speedUp, 2)}× as fast`);
    }
  }
  return lines;
}

function markdown(all) {
  const lines = [`### rnnlab in the browser (${all.browser}, headless, ${os.cpus().length} CPUs)`];
  lines.push(
    '',
    all.threads > 1
      ? `Threads: ${all.threads}. Rows with a batch of more than 16 streams are timed on one thread and again on ${all.threads} (the page's thread and ${all.threads - 1} gradient workers, www/shared/pool.js).`
      : 'Threads: 1 (scripts/bench-web.sh --threads N also times the batch-32 rows on N).',
  );
  if (all.speed) {
    lines.push('', `Training-step speed, load average ${all.speed.loadBefore} → ${all.speed.loadAfter} (1, 5, 15 min).`);
    lines.push(...speedTables(all.speed, all.native));
    if (all.native) lines.push('', `Native figures: ${all.native.source} (load average when run: ${all.native.loadAverage || 'unknown'}).`);
  }
  if (all.soak.length) {
    lines.push('', '#### Memory soak (LSTM H=128 T=25 B=1, diagnostics on)', '');
    lines.push('| what | seconds | steps | wasm memory at start | after warm-up | at half time | at end | growth after warm-up | growth in 2nd half |');
    lines.push('|---|---:|---:|---:|---:|---:|---:|---:|---:|');
    for (const s of all.soak) {
      lines.push(
        `| ${s.what} | ${s.seconds} | ${s.steps} | ${mib(s.bytesStart)} | ${mib(s.bytesAfterWarmup)} | ${mib(s.bytesAtHalf)} | ${mib(s.bytesEnd)} | ${s.growthAfterWarmup} B | ${s.growthSecondHalf} B |`,
      );
    }
  }
  if (all.inspect) {
    lines.push('', `#### Looking inside (${all.inspect.config}; load average ${all.inspect.load})`, '');
    lines.push('| what | wasm build | ms (median) | p10–p90 ms | runs |', '|---|---|---:|---:|---:|');
    for (const r of all.inspect.rows) lines.push(`| ${r.what} | ${all.inspect.flavour} | ${f(r.ms, 1)} | ${f(r.msP10, 1)}–${f(r.msP90, 1)} | ${r.samples} |`);
  }
  for (const p of [all.fps, all.fpsInspect].filter(Boolean)) {
    const what = p.inspected ? `, ${f(p.inspected, 0)} characters inspected and read again as it trains` : '';
    lines.push('', `#### Playground at max speed (index.html${what}, ${p.config})`, '');
    lines.push(
      `${f(p.fps, 1)} fps over ${f(p.seconds, 1)} s (frame time median ${f(p.frameMsP50, 1)} ms, p95 ${f(p.frameMsP95, 1)} ms, max ${f(p.frameMsMax, 1)} ms, ${p.framesOver20ms} frames over 20 ms); ` +
        `${f(p.stepsPerSec, 0)} steps/s, page's own ms/step ${f(p.pageMsPerStep, 3)}, draw ${f(p.pageDrawMs, 2)} ms/frame, script budget ${f(p.pageBudgetMs, 1)} ms/frame at the end; load average ${p.load}.`,
    );
  }
  return lines.join('\n');
}

// ---------------------------------------------------------------------------

async function main() {
  for (const p of ['www/pkg/rnnlab_bg.wasm', ...(FLAVOUR === 'scalar' || FLAVOUR === 'both' ? ['www/pkg-scalar/rnnlab_bg.wasm'] : [])]) {
    if (!existsSync(path.join(repoRoot, p))) throw new Error(`no ${p}: run 'bash scripts/build-web.sh${p.includes('scalar') ? ' --with-scalar' : ''}' first`);
  }
  let native = null;
  if (NATIVE) {
    native = JSON.parse(readFileSync(path.resolve(repoRoot, NATIVE), 'utf8'));
    native.source = NATIVE;
  }
  const server = await startServer(repoRoot);
  const browser = await launch();
  const all = { browser: `Chromium ${browser.version()}`, cpus: os.cpus().length, threads: THREADS, speed: null, soak: [], inspect: null, fps: null, fpsInspect: null, native };
  try {
    const sets = SETS.split(',').filter(Boolean);
    if (STEPS > 0 && sets.length) {
      const flavours = FLAVOUR === 'both' ? 2 : 1;
      const configs = sets.length * 6 + (THREADS > 1 ? 3 : 0);
      const timeout = 60_000 + flavours * configs * (WARMUP + BUDGET * 1000 + 10_000);
      const loadBefore = load();
      log(`speed: sets=${SETS} flavour=${FLAVOUR} steps=${STEPS} budget=${BUDGET}s warmup=${WARMUP}ms; load average ${loadBefore}`);
      const hash = `autorun&sets=${SETS}&flavour=${FLAVOUR}&steps=${STEPS}&budget=${BUDGET}&warmup=${WARMUP}&threads=${THREADS}`;
      all.speed = { ...(await benchPage(browser, server, hash, timeout)), loadBefore, loadAfter: load() };
    }
    if (SOAK > 0) {
      for (const what of SOAK_WHAT) {
        log(`soak: ${what} for ${SOAK} s; load average ${load()}`);
        const r = await benchPage(browser, server, `autorun&soak=${SOAK}&soak-what=${what}&flavour=${FLAVOUR === 'both' ? 'auto' : FLAVOUR}`, SOAK * 1000 + 120_000);
        all.soak.push({ ...r, load: load() });
      }
    }
    if (INSPECT) {
      log(`inspect: bench/#inspect; load average ${load()}`);
      const flavour = FLAVOUR === 'both' ? 'auto' : FLAVOUR;
      all.inspect = { ...(await benchPage(browser, server, `autorun&inspect&flavour=${flavour}`, 300_000)), load: load() };
    }
    if (FPS_SECONDS > 0) {
      log(`fps: index.html at max speed for ${FPS_SECONDS} s; load average ${load()}`);
      all.fps = { ...(await measureFps(browser, server, FPS_SECONDS)), load: load() };
      log(`fps: the same with 20,000 characters inspected; load average ${load()}`);
      all.fpsInspect = { ...(await measureFps(browser, server, FPS_SECONDS, { inspect: true })), load: load() };
    }
  } finally {
    await browser.close().catch(() => {});
    await server.close();
  }
  const md = markdown(all);
  mkdirSync(OUT, { recursive: true });
  writeFileSync(path.join(OUT, 'web.json'), `${JSON.stringify(all, null, 2)}\n`);
  writeFileSync(path.join(OUT, 'web.md'), `${md}\n`);
  // The soak series are long; the JSON printed here leaves them out (web.json has them).
  const brief = { ...all, soak: all.soak.map(({ series, ...s }) => ({ ...s, seriesPoints: series.length })) };
  console.log(JSON.stringify(brief, null, 2));
  console.log();
  console.log(md);
  log(`written: ${path.relative(process.cwd(), path.join(OUT, 'web.json'))}, ${path.relative(process.cwd(), path.join(OUT, 'web.md'))}`);
}

main().catch((err) => {
  console.error(`[bench] FAILED: ${(err && err.stack) || err}`);
  process.exitCode = 1;
});
