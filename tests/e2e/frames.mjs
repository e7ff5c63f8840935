// Where the frame time goes on the playground at max speed (a diagnostic, not a test: the
// harness runs only smoke.mjs and *.spec.mjs). Needs the release wasm (scripts/build-web.sh).
//
//   node tests/e2e/frames.mjs            # 10 s of per-frame timing, then 4 s of Chrome trace
//   FRAME_SECONDS=20 TRACE_SECONDS=0 HASH="#hidden=256" node tests/e2e/frames.mjs
//   INSPECT=20000 node tests/e2e/frames.mjs   # with that many characters inspected first
//   E2E_BROWSER=firefox TRACE_SECONDS=0 node tests/e2e/frames.mjs   # part 1 in Firefox
//
// 1. Per frame, from the page: the requestAnimationFrame gap, the script time of the page's
//    frame callback, and the time of each Playground call in it (trainFor with its budget and
//    steps, drawLoss, drawHeatmap, sampleFor, sample). Long gaps (> 20 ms) are listed with what
//    their frame did.
// 2. A Chrome trace (CDP Tracing on the browser session) summed per frame on the renderer's
//    main thread: the frame callback, style, layout, pre-paint, paint, compositing inputs,
//    commit and GC, plus how busy the compositor threads were.
// Figures depend on the load of the machine: the load average is printed with them.

import os from 'node:os';
import { startServer, launch, openPlaygroundAtMaxSpeed, repoRoot } from './harness.mjs';

const SECONDS = Number(process.env.FRAME_SECONDS || 10);
const TRACE_SECONDS = Number(process.env.TRACE_SECONDS ?? 4);
const HASH = process.env.HASH || '';
const INSPECT = Number(process.env.INSPECT || 0);
/** The Playground calls timed per frame. */
const CALLS = ['trainFor', 'drawLoss', 'drawHeatmap', 'sampleFor', 'sample', 'inspectFor', 'inspectAgain', 'surprise', 'inspectPoint', 'inspectColumns', 'drawSaliency', 'drawTrajectory'];
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const load = () =>
  os
    .loadavg()
    .map((x) => x.toFixed(2))
    .join(' ');
const f = (x, d = 1) => (Number.isFinite(x) ? x.toFixed(d) : '–');
const quantile = (v, p) => {
  const s = [...v].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.floor(p * s.length))] : NaN;
};
const stats = (v) => `p50 ${f(quantile(v, 0.5), 2)} p95 ${f(quantile(v, 0.95), 2)} max ${f(Math.max(...v), 2)} ms`;

/** Per-frame script timing from inside the page. */
async function perFrame(page) {
  const frames = await page.evaluate(async ([ms, names]) => {
    const proto = Object.getPrototypeOf(window.__rnnlab.pg);
    let calls = [];
    for (const name of names) {
      const inner = proto[name];
      proto[name] = function (...args) {
        const t = performance.now();
        const out = inner.apply(this, args);
        const call = { name, ms: performance.now() - t };
        if (name === 'trainFor') Object.assign(call, { budget: args[1], steps: out.steps, valMs: out.valMs });
        calls.push(call);
        return out;
      };
    }
    // This callback is queued after the page's own, so it runs right after it in each frame.
    const out = [];
    await new Promise((resolve) => {
      const t0 = performance.now();
      const onFrame = (t) => {
        out.push({ t, scriptMs: performance.now() - t, calls });
        calls = [];
        if (t - t0 < ms) requestAnimationFrame(onFrame);
        else resolve();
      };
      requestAnimationFrame(onFrame);
    });
    return out;
  }, [SECONDS * 1000, CALLS]);
  const gaps = frames.slice(1).map((fr, i) => ({ gap: fr.t - frames[i].t, prev: frames[i] }));
  const g = gaps.map((x) => x.gap);
  const span = frames[frames.length - 1].t - frames[0].t;
  console.log(`fps ${f((g.length / span) * 1000)} over ${f(span / 1000)} s; rAF gap ${stats(g)}; ${g.filter((x) => x > 20).length} gaps over 20 ms`);
  console.log(`script per frame (frame start to the end of the page's callback): ${stats(frames.map((x) => x.scriptMs))}`);
  for (const name of CALLS) {
    const v = frames.flatMap((x) => x.calls.filter((c) => c.name === name).map((c) => c.ms));
    if (v.length) console.log(`  ${name.padEnd(12)} ${String(v.length).padStart(4)} calls: ${stats(v)}`);
  }
  const train = frames.flatMap((x) => x.calls.filter((c) => c.name === 'trainFor'));
  if (train.length) {
    console.log(`  trainFor past its budget: ${stats(train.map((c) => c.ms - c.budget))}; steps per frame mean ${f(train.reduce((a, c) => a + c.steps, 0) / train.length, 2)}; validation ${f(train.reduce((a, c) => a + (c.valMs || 0), 0) / span * 1000, 1)} ms/s`);
  }
  const what = (fr) => fr.calls.filter((c) => c.name !== 'trainFor').map((c) => c.name).join('+') || 'training only';
  const long = gaps.filter((x) => x.gap > 20);
  const kinds = {};
  for (const x of long) kinds[what(x.prev)] = (kinds[what(x.prev)] || 0) + 1;
  if (long.length) console.log(`gaps over 20 ms by what their frame did: ${JSON.stringify(kinds)}`);
  for (const x of long.slice(0, 10)) {
    console.log(`  ${f(x.gap)} ms: script ${f(x.prev.scriptMs)} ms; ${x.prev.calls.map((c) => `${c.name} ${f(c.ms)}${c.steps ? ` (${c.steps} steps, budget ${f(c.budget)})` : ''}`).join(', ')}`);
  }
}

/** Main-thread rendering phases per frame, from a Chrome trace. */
async function traced(browser, seconds) {
  const cdp = await browser.newBrowserCDPSession();
  const events = [];
  cdp.on('Tracing.dataCollected', (d) => events.push(...d.value));
  const done = new Promise((resolve) => cdp.once('Tracing.tracingComplete', resolve));
  await cdp.send('Tracing.start', {
    transferMode: 'ReportEvents',
    traceConfig: { includedCategories: ['devtools.timeline', 'blink', 'cc', 'v8', 'toplevel'], excludedCategories: ['*'] },
  });
  await sleep(seconds * 1000);
  await cdp.send('Tracing.end');
  await done;
  await cdp.detach();
  const names = new Map();
  for (const e of events) if (e.ph === 'M' && e.name === 'thread_name') names.set(`${e.pid}:${e.tid}`, e.args.name);
  const key = (e) => `${e.pid}:${e.tid}`;
  // The renderer main thread that produced the most frames.
  const counts = new Map();
  for (const e of events) if (e.name === 'ProxyMain::BeginMainFrame' && names.get(key(e)) === 'CrRendererMain') counts.set(key(e), (counts.get(key(e)) || 0) + 1);
  const main = [...counts].sort((a, b) => b[1] - a[1])[0]?.[0];
  if (!main) return console.log('trace: no renderer frames found');
  const xs = events.filter((e) => key(e) === main && e.ph === 'X' && e.dur !== undefined);
  const frames = xs.filter((e) => e.name === 'ProxyMain::BeginMainFrame');
  const span = (Math.max(...frames.map((e) => e.ts + e.dur)) - Math.min(...frames.map((e) => e.ts))) / 1e6;
  const per = (name) => xs.filter((e) => e.name === name).reduce((a, e) => a + e.dur / 1000, 0) / frames.length;
  const phases = [
    ['whole main-thread frame', 'ProxyMain::BeginMainFrame'],
    ['frame callback (script)', 'FireAnimationFrame'],
    ['style', 'UpdateLayoutTree'],
    ['layout', 'Layout'],
    ['pre-paint', 'PrePaint'],
    ['paint', 'LocalFrameView::RunPaintLifecyclePhase'],
    ['compositing inputs', 'Blink.CompositingInputs.UpdateTime'],
    ['commit', 'ProxyMain::BeginMainFrame::commit'],
    ['minor GC', 'MinorGC'],
    ['major GC', 'MajorGC'],
  ];
  console.log(`trace: ${frames.length} main-thread frames in ${f(span)} s (${f(frames.length / span)} per s, tracing slows things a little); mean ms per frame:`);
  for (const [label, name] of phases) console.log(`  ${label.padEnd(24)} ${f(per(name), 2).padStart(6)}`);
  const busy = new Map();
  for (const e of events) {
    if (e.ph === 'X' && e.dur && /RunTask$/.test(e.name)) busy.set(names.get(key(e)) || key(e), (busy.get(names.get(key(e)) || key(e)) || 0) + e.dur / 1000);
  }
  const top = [...busy].sort((a, b) => b[1] - a[1]).slice(0, 5);
  console.log(`  busy threads (ms per s): ${top.map(([n, ms]) => `${n} ${f(ms / span, 0)}`).join(', ')}`);
}

const server = await startServer(repoRoot);
const browser = await launch();
try {
  const page = await openPlaygroundAtMaxSpeed(browser, `${server.url}index.html${HASH}`);
  console.log(`index.html${HASH} at max speed; ${await page.evaluate(() => window.__rnnlab.pg.query())}`);
  if (INSPECT > 0) {
    await page.evaluate((n) => {
      document.getElementById('inspect-in').value = window.__rnnlab.state.text.slice(0, n);
      document.getElementById('inspect-run').click();
    }, INSPECT);
    await page.waitForFunction(() => window.__inspect.ready, null, { timeout: 30_000 });
    console.log(`inspecting ${INSPECT} characters, read again as it trains`);
  }
  console.log(`load average ${load()} on ${os.cpus().length} CPUs`);
  if (SECONDS > 0) {
    await perFrame(page);
    console.log(`script budget per frame at the end: ${f(await page.evaluate(() => window.__rnnlab.perf.budgetMs), 2)} ms`);
  }
  if (TRACE_SECONDS > 0) await traced(browser, TRACE_SECONDS);
  console.log(`load average ${load()}`);
  if (page.errors.length) throw new Error(`errors on index.html:\n${page.errors.join('\n')}`);
} finally {
  await browser.close().catch(() => {});
  await server.close();
}
