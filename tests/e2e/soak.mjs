// The playground soak: the real page (index.html) trains at max speed, with its charts, auto
// samples and validation, for SOAK_SECONDS, and memory is read every SAMPLE_SECONDS after a
// forced garbage collection. A diagnostic, not a test (the harness runs only smoke.mjs and
// *.spec.mjs). Needs the release wasm (scripts/build-web.sh).
//
//   node tests/e2e/soak.mjs                      # 120 s
//   SOAK_SECONDS=1800 node tests/e2e/soak.mjs    # the 30-minute soak the README reports
//   HASH="#cell=gru" INSPECT=20000 node tests/e2e/soak.mjs
//
// Prints a table (steps, fps over the interval, wasm memory, JS heap, DOM nodes, event
// listeners; the training worker's wasm memory) and the growth after the warm-up and over the second half; writes
// target/bench/soak.json.

import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startServer, launch, openPlaygroundAtMaxSpeed, repoRoot } from './harness.mjs';

const SECONDS = Number(process.env.SOAK_SECONDS || 120);
const EVERY = Number(process.env.SAMPLE_SECONDS || Math.max(5, Math.round(SECONDS / 60)));
const HASH = process.env.HASH || '';
const INSPECT = Number(process.env.INSPECT || 0);
const WARMUP = Math.min(120, SECONDS / 5);

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const mib = (b) => (b / 1048576).toFixed(2);
const load = () => os.loadavg()[0].toFixed(2);

/** One reading: after a forced GC, the wasm memory, the JS heap and the DOM's size. */
async function read(page, cdp) {
  await cdp.send('HeapProfiler.collectGarbage');
  const { metrics } = await cdp.send('Performance.getMetrics');
  const m = Object.fromEntries(metrics.map((x) => [x.name, x.value]));
  const inPage = await page.evaluate(() => {
    const frames = window.__soakFrames;
    window.__soakFrames = 0;
    const w = window.__rnnlabWasm.workerMemoryBytes;
    return { steps: window.__rnnlab.pg.steps(), wasm: window.__rnnlabWasm.memoryBytes(), worker: w ? w() : 0, frames };
  });
  return { ...inPage, heap: m.JSHeapUsedSize, nodes: m.Nodes, listeners: m.JSEventListeners };
}

/** Counts animation frames in the page between readings. */
async function countFrames(page) {
  await page.evaluate(() => {
    window.__soakFrames = 0;
    const tick = () => {
      window.__soakFrames += 1;
      requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  });
}

/** Inspects the first `n` characters of the training text, so re-reading joins the soak. */
async function inspect(page, n) {
  await page.evaluate((n) => {
    const box = document.getElementById('inspect-in');
    box.value = window.__rnnlab.state.text.slice(0, n);
    document.getElementById('inspect-run').click();
  }, n);
}

const server = await startServer(repoRoot);
const browser = await launch();
try {
  const page = await openPlaygroundAtMaxSpeed(browser, `${server.url}index.html${HASH}`);
  if (INSPECT) await inspect(page, INSPECT);
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Performance.enable');
  await countFrames(page);
  const rows = [];
  const t0 = Date.now();
  let last = t0;
  console.log(`soak: ${SECONDS} s at max speed${HASH ? ` (${HASH})` : ''}${INSPECT ? `, ${INSPECT} characters inspected` : ''}; a reading every ${EVERY} s; load average ${load()}`);
  console.log('     s     steps    fps  wasm MiB  worker MiB  heap MiB  nodes  listeners  load');
  for (;;) {
    const r = await read(page, cdp);
    const now = Date.now();
    const row = { s: (now - t0) / 1000, ...r, fps: r.frames / ((now - last) / 1000), load: Number(load()) };
    last = now;
    rows.push(row);
    console.log(
      `${row.s.toFixed(0).padStart(6)} ${String(row.steps).padStart(9)} ${row.fps.toFixed(1).padStart(6)} ${mib(row.wasm).padStart(9)} ${mib(row.worker).padStart(11)} ${mib(row.heap).padStart(9)} ${String(row.nodes).padStart(6)} ${String(row.listeners).padStart(10)}  ${row.load.toFixed(2)}`,
    );
    if (row.s >= SECONDS) break;
    await sleep(EVERY * 1000);
  }
  if (page.errors.length) throw new Error(`page errors: ${page.errors.join('; ')}`);
  const at = (s) => rows.find((r) => r.s >= s) || rows[rows.length - 1];
  const [warm, half, end] = [at(WARMUP), at(SECONDS / 2), rows[rows.length - 1]];
  const fps = rows.slice(1).map((r) => r.fps);
  const summary = {
    seconds: end.s,
    steps: end.steps,
    warmupSeconds: WARMUP,
    fpsMin: Math.min(...fps),
    fpsMean: fps.reduce((a, b) => a + b, 0) / fps.length,
    wasm: { afterWarmup: warm.wasm, atHalf: half.wasm, end: end.wasm },
    worker: { afterWarmup: warm.worker, atHalf: half.worker, end: end.worker },
    heap: { afterWarmup: warm.heap, atHalf: half.heap, end: end.heap, max: Math.max(...rows.map((r) => r.heap)) },
    nodes: { afterWarmup: warm.nodes, end: end.nodes },
    listeners: { afterWarmup: warm.listeners, end: end.listeners },
  };
  console.log(
    `\n${summary.steps} steps in ${summary.seconds.toFixed(0)} s; fps mean ${summary.fpsMean.toFixed(1)}, lowest reading ${summary.fpsMin.toFixed(1)}` +
      `\nwasm memory: ${mib(warm.wasm)} MiB after the ${WARMUP} s warm-up, ${mib(end.wasm)} MiB at the end (second half: ${end.wasm - half.wasm} B)` +
      `\nworker's wasm memory: ${mib(warm.worker)} MiB after the warm-up, ${mib(end.worker)} MiB at the end (second half: ${end.worker - half.worker} B)` +
      `\nJS heap after GC: ${mib(warm.heap)} → ${mib(half.heap)} → ${mib(end.heap)} MiB (max ${mib(summary.heap.max)})` +
      `\nDOM nodes ${warm.nodes} → ${end.nodes}; event listeners ${warm.listeners} → ${end.listeners}`,
  );
  const out = path.join(repoRoot, 'target', 'bench');
  mkdirSync(out, { recursive: true });
  writeFileSync(path.join(out, 'soak.json'), JSON.stringify({ hash: HASH, inspect: INSPECT, summary, rows }, null, 1));
} finally {
  await browser.close();
  server.close();
}
