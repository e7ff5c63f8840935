// The benchmark page: times training steps of the wasm build(s) and shows ms/step, chars/s
// and GFLOP/s per config; or, with #soak=SECONDS, trains for that long and reports the wasm
// memory. Options come from the URL hash (see bench.html). window.__bench exposes the state
// and results to scripts/bench-web.sh (tests/e2e/bench.mjs).

import { loadRnnlab, hasWasmSimd } from '../shared/loader.js';
import { fetchCorpus } from '../shared/data.js';
import { timeInspect } from './inspect.js';
import { Pool, pooledStep, threadsFor } from '../shared/pool.js';

const $ = (id) => document.getElementById(id);

const V = 65;
/** Timed samples average as many steps as take this long (the page clock is coarse: 100 µs). */
const MIN_SAMPLE_MS = 10;
/** With threads, samples are longer and each follows one untimed step: the one-thread sample
 * paired with each leaves the gradient workers idle, and in Chromium here a worker that idled
 * 50 ms or more runs its next shard at about half speed (LSTM B=32: the step takes ~20 ms
 * instead of ~12.5; idling up to 10 ms costs nothing). Training steps back to back, so that
 * first step measures the pairing, not training. */
const THREADED_SAMPLE_MS = 100;
/** Hand control back to the browser this often while measuring. */
const YIELD_MS = 50;

const SETS = {
  main: ['rnn', 'lstm', 'gru'].flatMap((cell) => [1, 32].map((batch) => ({ cell, hidden: 128, seqLen: 25, batch }))),
  hidden: [64, 128, 256, 512].map((hidden) => ({ cell: 'lstm', hidden, seqLen: 25, batch: 1 })),
  seq: [25, 50, 100, 200].map((seqLen) => ({ cell: 'lstm', hidden: 128, seqLen, batch: 1 })),
};

function readOptions() {
  const p = new URLSearchParams(location.hash.replace(/^#/, ''));
  const num = (key, dflt, lo, hi) => {
    const v = Number(p.get(key));
    return p.has(key) && Number.isFinite(v) ? Math.min(hi, Math.max(lo, v)) : dflt;
  };
  const sets = (p.get('sets') || 'main,hidden,seq').split(',').filter((s) => s in SETS);
  return {
    sets: sets.length ? sets : Object.keys(SETS),
    flavour: ['auto', 'simd', 'scalar', 'both'].includes(p.get('flavour')) ? p.get('flavour') : 'auto',
    steps: Math.round(num('steps', 30, 1, 10000)),
    budgetMs: num('budget', 3, 0, 3600) * 1000,
    warmupMs: num('warmup', 500, 0, 60000),
    autorun: p.has('autorun'),
    soak: num('soak', 0, 0, 86400),
    soakWhat: p.get('soak-what') === 'playground' ? 'playground' : 'trainer',
    inspect: p.has('inspect'),
    // Batch rows of more than one shard are also timed on this many threads (pool.js).
    threads: threadsFor(p.get('threads') || '1'),
  };
}

const opts = readOptions();
const bench = { state: 'loading', options: opts, results: null, error: null, progress: '' };
window.__bench = bench;
/** Resolves with the final state ('done' or 'error') of the run: scripts wait on it rather than
 * poll, since every poll runs on this thread, which trains in the timed rows (on 2 cores,
 * polling every 50 ms made four steps in ten 3–6 ms slower). */
let ended;
window.__benchEnded = new Promise((resolve) => (ended = resolve));

// ---------------------------------------------------------------------------
// Helpers.

const channel = new MessageChannel();
const waiting = [];
channel.port1.onmessage = () => waiting.shift()?.();
/** Yields to the event loop (without setTimeout's 4 ms clamp). */
const tick = () =>
  new Promise((resolve) => {
    waiting.push(resolve);
    channel.port2.postMessage(0);
  });
const nextFrame = () => new Promise((resolve) => requestAnimationFrame(resolve));

function quantile(xs, q) {
  const s = [...xs].sort((a, b) => a - b);
  const i = (s.length - 1) * q;
  const lo = Math.floor(i);
  return s[lo] + (s[Math.min(lo + 1, s.length - 1)] - s[lo]) * (i - lo);
}

const gates = (cell) => ({ rnn: 1, lstm: 4, gru: 3 })[cell];
/** Nominal FLOPs of one step (the native bench's formula; Bench.flops() agrees). */
const flops = ({ cell, hidden: h, seqLen, batch }) => 3 * seqLen * batch * (2 * gates(cell) * h * (V + h) + 2 * V * h);
const label = (c) => `${c.cell.toUpperCase()} H=${c.hidden} T=${c.seqLen} B=${c.batch}${c.threads > 1 ? ` · ${c.threads} threads` : ''}`;
const fmt = (x, digits) => (Number.isFinite(x) ? x.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits }) : '–');
const mib = (bytes) => `${(bytes / 1048576).toFixed(2)} MiB`;

function setStatus(text) {
  bench.progress = text;
  $('status').textContent = text;
  console.log(`bench: ${text}`);
}

function showResults() {
  $('results').textContent = JSON.stringify(bench.results, null, 2);
}

function environment(loaded) {
  return {
    userAgent: navigator.userAgent,
    hardwareConcurrency: navigator.hardwareConcurrency,
    simdSupported: hasWasmSimd(),
    flavours: loaded.map((l) => l.flavour),
    crossOriginIsolated: Boolean(window.crossOriginIsolated),
    date: new Date().toISOString(),
  };
}

// ---------------------------------------------------------------------------
// Step timing.

/** The gradient workers for `threads` threads of a wasm build, started once. */
const pools = new Map();
function poolFor(lib, threads) {
  const key = `${lib.flavour}:${threads}`;
  if (!pools.has(key)) pools.set(key, Pool.start(threads, lib.flavour));
  return pools.get(key);
}

/** A function timing `group` steps of `b` (ms per step): on this thread, or with `cfg.threads`
 * threads as the training worker steps a batch of several shards (pool.js). */
async function stepper(lib, b, cfg) {
  if (!(cfg.threads > 1)) return async (group) => b.run(0, 1, group)[0];
  const pool = await poolFor(lib, cfg.threads);
  await pool.open(b.replicaModel(), b);
  const broke = (why) => {
    throw new Error(`the gradient workers failed: ${why}`);
  };
  return async (group) => {
    const t0 = performance.now();
    for (let i = 0; i < group; i++) await pooledStep(b, pool, false, broke);
    return (performance.now() - t0) / group;
  };
}

/** Warm-up, then timed samples of one config; returns its row. */
async function measure(lib, cfg) {
  const b = new lib.mod.Bench(cfg.cell, cfg.hidden, cfg.seqLen, cfg.batch, false);
  try {
    const time = await stepper(lib, b, cfg);
    // Warm-up: untimed as far as the result goes, long enough for the engine's optimizing
    // compiler to take over the hot functions. Its step times pick the group size.
    const warm = [];
    const tw = performance.now();
    let last = tw;
    while (warm.length < 2 || performance.now() - tw < opts.warmupMs) {
      warm.push(await time(1));
      if (performance.now() - last > YIELD_MS) {
        await tick();
        last = performance.now();
      }
    }
    const est = quantile(warm.slice(Math.floor(warm.length / 2)), 0.5);
    const threaded = cfg.threads > 1;
    const group = Math.max(1, Math.ceil((threaded ? THREADED_SAMPLE_MS : MIN_SAMPLE_MS) / Math.max(est, 1e-3)));
    const samples = [];
    // With threads, each sample is paired with as many of the same steps on one thread, taken
    // right after it: on a busy machine both see the same load, so their ratio is the fairer
    // figure.
    const paired = [];
    const t0 = performance.now();
    last = t0;
    const minSamples = Math.min(opts.steps, 3);
    while (samples.length < opts.steps && (samples.length < minSamples || performance.now() - t0 < opts.budgetMs)) {
      if (threaded) await time(1); // wakes the gradient workers (THREADED_SAMPLE_MS)
      samples.push(await time(group));
      if (threaded) paired.push(b.run(0, 1, group)[0]);
      if (performance.now() - last > YIELD_MS) {
        await tick();
        last = performance.now();
      }
    }
    const ms = quantile(samples, 0.5);
    return {
      ...cfg,
      threads: cfg.threads || 1,
      flavour: lib.flavour,
      msPerStep: ms,
      msMean: samples.reduce((a, x) => a + x, 0) / samples.length,
      msP10: quantile(samples, 0.1),
      msP90: quantile(samples, 0.9),
      charsPerSec: (cfg.seqLen * cfg.batch) / (ms / 1000),
      gflops: flops(cfg) / (ms / 1000) / 1e9,
      flops: b.flops(),
      samples: samples.length,
      group,
      warmupSteps: warm.length,
      ...(paired.length ? { msPerStepOneThread: quantile(paired, 0.5), speedUp: quantile(paired.map((x, i) => x / samples[i]), 0.5) } : {}),
    };
  } finally {
    b.free();
  }
}

function addRow(key, cfg, flavour) {
  const tr = document.createElement('tr');
  tr.className = 'pending';
  tr.dataset.key = key;
  const cells = [label(cfg), flavour, '…', '', '', '', ''];
  for (const text of cells) {
    const td = document.createElement('td');
    td.textContent = text;
    tr.append(td);
  }
  $('rows').append(tr);
  return tr;
}

function fillRow(tr, r) {
  tr.className = '';
  const cells = [
    label(r),
    r.flavour,
    fmt(r.msPerStep, 3),
    `${fmt(r.msP10, 3)}–${fmt(r.msP90, 3)}`,
    fmt(r.charsPerSec, 0),
    fmt(r.gflops, 2),
    `${r.samples} × ${r.group}`,
  ];
  [...tr.children].forEach((td, i) => {
    td.textContent = cells[i];
  });
}

async function loadFlavours() {
  const want = opts.flavour === 'both' ? ['simd', 'scalar'] : [opts.flavour];
  const loaded = [];
  for (const f of want) loaded.push(await loadRnnlab({ flavour: f }));
  return loaded;
}

async function runTables(loaded) {
  $('rows').textContent = '';
  const jobs = [];
  for (const set of opts.sets) {
    // A batch of more than 16 streams (several shards) on one thread and on opts.threads.
    const cfgs = SETS[set].flatMap((cfg) => (cfg.batch > 16 && opts.threads > 1 ? [cfg, { ...cfg, threads: opts.threads }] : [cfg]));
    for (const cfg of cfgs) {
      for (const lib of loaded) {
        jobs.push({ set, cfg, lib, tr: addRow(`${set}:${label(cfg)}:${lib.flavour}`, cfg, lib.flavour) });
      }
    }
  }
  bench.results = { kind: 'speed', environment: environment(loaded), options: opts, rows: [] };
  showResults();
  for (const [i, job] of jobs.entries()) {
    setStatus(`${i + 1}/${jobs.length}: ${label(job.cfg)} (${job.lib.flavour})`);
    await nextFrame(); // let the status and table paint
    const row = { set: job.set, ...(await measure(job.lib, job.cfg)) };
    bench.results.rows.push(row);
    fillRow(job.tr, row);
    showResults();
  }
  bench.results.memoryBytes = Object.fromEntries(loaded.map((l) => [l.flavour, l.wasm.memory.buffer.byteLength]));
  showResults();
  setStatus(`done: ${jobs.length} configs`);
}

// ---------------------------------------------------------------------------
// Memory soak.

async function soakPlayground(lib, seconds, record) {
  const text = await fetchCorpus('hamlet');
  const loss = Object.assign(document.createElement('canvas'), { width: 640, height: 260 });
  const heat = Object.assign(document.createElement('canvas'), { width: 640, height: 260 });
  const pg = new lib.mod.Playground('cell=lstm&hidden=128&seq-len=25&batch=1', text);
  try {
    let steps = 0;
    let sampled = 0;
    const t0 = performance.now();
    while (performance.now() - t0 < seconds * 1000) {
      // One animation frame as the page spends it at max speed: ~9 ms of training, the
      // loss chart and heatmap redrawn, and a sample now and then.
      await nextFrame();
      steps += pg.trainFor(1e6, 9).steps;
      pg.drawLoss(loss);
      pg.drawHeatmap(heat, 0, 'h');
      if (steps - sampled >= 1000) {
        pg.sample('The ', 300, 1, false, 0, steps);
        sampled = steps;
      }
      record(steps, performance.now() - t0);
    }
    return steps;
  } finally {
    pg.free();
  }
}

async function soakTrainer(lib, seconds, record) {
  const b = new lib.mod.Bench('lstm', 128, 25, 1, true);
  try {
    let steps = 0;
    const t0 = performance.now();
    while (performance.now() - t0 < seconds * 1000) {
      steps += b.runFor(YIELD_MS);
      record(steps, performance.now() - t0);
      await tick();
    }
    return steps;
  } finally {
    b.free();
  }
}

async function runSoak(loaded) {
  const lib = loaded[0];
  const seconds = opts.soak;
  const memory = () => lib.wasm.memory.buffer.byteLength;
  const heap = () => (performance.memory ? performance.memory.usedJSHeapSize : null);
  const warmupS = Math.min(10, seconds / 10);
  const out = {
    kind: 'soak',
    environment: environment(loaded),
    what: opts.soakWhat,
    config: 'LSTM H=128 T=25 B=1, diagnostics on',
    seconds,
    warmupSeconds: warmupS,
    bytesStart: memory(),
    bytesAfterWarmup: null,
    bytesAtHalf: null,
    bytesEnd: null,
    growthAfterWarmup: null,
    growthSecondHalf: null,
    jsHeapStart: heap(),
    jsHeapEnd: null,
    steps: 0,
    series: [],
  };
  bench.results = out;
  $('rows').textContent = '';
  const tr = addRow('soak', { cell: 'lstm', hidden: 128, seqLen: 25, batch: 1 }, lib.flavour);
  const every = Math.max(1, seconds / 200); // at most ~200 points
  let nextPoint = 0;
  let lastShown = 0;
  const record = (steps, ms) => {
    const s = ms / 1000;
    if (out.bytesAfterWarmup === null && s >= warmupS) out.bytesAfterWarmup = memory();
    if (out.bytesAtHalf === null && s >= seconds / 2) out.bytesAtHalf = memory();
    if (s >= nextPoint) {
      out.series.push({ s: Math.round(s * 10) / 10, steps, bytes: memory() });
      nextPoint += every;
    }
    if (ms - lastShown > 500) {
      lastShown = ms;
      setStatus(`soak (${opts.soakWhat}): ${s.toFixed(0)} / ${seconds} s, ${steps} steps, wasm memory ${mib(memory())}`);
    }
  };
  setStatus(`soak (${opts.soakWhat}) for ${seconds} s…`);
  const steps = opts.soakWhat === 'playground' ? await soakPlayground(lib, seconds, record) : await soakTrainer(lib, seconds, record);
  out.steps = steps;
  out.bytesAfterWarmup ??= memory();
  out.bytesAtHalf ??= memory();
  out.bytesEnd = memory();
  out.growthAfterWarmup = out.bytesEnd - out.bytesAfterWarmup;
  out.growthSecondHalf = out.bytesEnd - out.bytesAtHalf;
  out.jsHeapEnd = heap();
  out.series.push({ s: seconds, steps, bytes: out.bytesEnd });
  const cells = tr.children;
  tr.className = '';
  cells[2].textContent = `start ${mib(out.bytesStart)}`;
  cells[3].textContent = `after warm-up ${mib(out.bytesAfterWarmup)}`;
  cells[4].textContent = `end ${mib(out.bytesEnd)}`;
  cells[5].textContent = `growth ${out.growthAfterWarmup} B (2nd half ${out.growthSecondHalf} B)`;
  cells[6].textContent = `${steps} steps`;
  showResults();
  setStatus(`soak done: ${out.growthAfterWarmup === 0 ? 'no growth' : `grew ${mib(out.growthAfterWarmup)}`} after warm-up`);
}

// ---------------------------------------------------------------------------
// Look inside.

async function runInspect(loaded) {
  const lib = loaded[0];
  const text = await fetchCorpus('hamlet');
  const r = await timeInspect(lib.mod, text, { samples: Math.min(opts.steps, 10), tick, status: setStatus });
  bench.results = { kind: 'inspect', environment: environment(loaded), flavour: lib.flavour, ...r };
  $('rows').textContent = '';
  for (const row of r.rows) {
    const tr = document.createElement('tr');
    const cells = [row.what, lib.flavour, fmt(row.ms, 1), `${fmt(row.msP10, 1)}–${fmt(row.msP90, 1)}`, fmt(row.chars / (row.ms / 1000), 0), '–', `${row.samples} × 1`];
    for (const text of cells) tr.append(Object.assign(document.createElement('td'), { textContent: text }));
    $('rows').append(tr);
  }
  showResults();
  setStatus(`done: look inside, ${r.config}`);
}

// ---------------------------------------------------------------------------

async function start() {
  $('run').disabled = true;
  bench.state = 'running';
  bench.error = null;
  try {
    const loaded = await loadFlavours();
    if (opts.soak > 0) await runSoak(loaded);
    else if (opts.inspect) await runInspect(loaded);
    else await runTables(loaded);
    bench.state = 'done';
  } catch (e) {
    bench.state = 'error';
    bench.error = String((e && e.message) || e);
    setStatus(`error: ${bench.error}`);
    console.error(e);
  } finally {
    $('run').disabled = false;
    ended(bench.state);
  }
}

async function boot() {
  try {
    const loaded = await loadFlavours();
    const env = environment(loaded);
    $('env').textContent =
      `WebAssembly SIMD: ${env.simdSupported ? 'yes' : 'no'} · build: ${env.flavours.join(' + ')} · ` +
      `${env.hardwareConcurrency} logical CPUs · clock ${env.crossOriginIsolated ? 'fine (cross-origin isolated)' : 'coarse (100 µs; short steps are timed in groups)'} · ${env.userAgent}`;
  } catch (e) {
    bench.state = 'error';
    bench.error = String((e && e.message) || e);
    $('env').textContent = `Could not load the WebAssembly module: ${bench.error}`;
    console.error(e);
    ended(bench.state);
    return;
  }
  bench.state = 'idle';
  $('run').disabled = false;
  $('run').addEventListener('click', start);
  if (opts.soak > 0) $('run').textContent = `Run ${opts.soak} s memory soak`;
  else if (opts.inspect) $('run').textContent = 'Time looking inside';
  if (opts.autorun) start();
}

window.addEventListener('hashchange', () => location.reload());
boot();
