// Sharp canvases on high-density screens: at devicePixelRatio 2 every chart's backing store is
// twice its CSS size in each direction and is drawn at that resolution (laid out in CSS pixels,
// so text and lines keep their size); and resizing the window never shows a blank chart.
// Screenshots: tests/e2e/out/dpr-*.png.
//
//   node tests/e2e/dpr.spec.mjs         (after bash scripts/build-web.sh)

import { test, startServer, launch, newPage, screenshot, waitFor, assert, repoRoot } from './harness.mjs';

const VIEW = { viewport: { width: 1280, height: 900 }, deviceScaleFactor: 2 };

/** Per canvas: CSS and backing sizes, and the share of non-white pixels in the backing store. */
function canvases(page) {
  return page.evaluate(() =>
    [...document.querySelectorAll('canvas.chart')].map((c) => {
      const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
      let ink = 0;
      // Pixels whose colour differs from the pixel to their left: edges, which a chart blown up
      // from half resolution has in pairs (every second column equals its neighbour).
      let edges = 0;
      let pairs = 0;
      for (let i = 0; i < d.length; i += 4) {
        if (d[i] < 245 || d[i + 1] < 245 || d[i + 2] < 245) ink++;
        if (i % (4 * c.width) !== 0 && (d[i] !== d[i - 4] || d[i + 1] !== d[i - 3])) {
          edges++;
          if ((i / 4) % 2 === 1) pairs++;
        }
      }
      return { id: c.id, css: [c.clientWidth, c.clientHeight], px: [c.width, c.height], ink: ink / (c.width * c.height), odd: edges ? pairs / edges : 0 };
    }),
  );
}

/** `blocky`: charts of axis-aligned cells on whole CSS pixels (the step-through), whose edges
 * fall on even device columns at any resolution: only their size and ink are checked. */
function checkSharp(list, ids, blocky = []) {
  for (const c of list.filter((x) => ids.includes(x.id))) {
    assert.ok(Math.abs(c.px[0] - 2 * c.css[0]) <= 1 && Math.abs(c.px[1] - 2 * c.css[1]) <= 1, `${c.id}: ${c.px} pixels for ${c.css} CSS pixels`);
    assert.ok(c.ink > 0.02, `${c.id} looks blank (${c.ink})`);
    // Drawn at full resolution, edges fall on odd and even columns alike; upscaled from half
    // resolution they would all fall on even ones.
    if (blocky.includes(c.id)) continue;
    assert.ok(c.odd > 0.2, `${c.id}: only ${(100 * c.odd).toFixed(0)}% of its edges on odd columns: drawn at half resolution?`);
  }
}

test('playground: charts are drawn at devicePixelRatio 2', async () => {
  const server = await startServer(repoRoot);
  const browser = await launch();
  const page = await newPage(browser, `${server.url}index.html#hidden=48`, VIEW);
  await waitFor(() => page.evaluate(() => window.__rnnlab && window.__rnnlab.pg && window.__rnnlab.pg.steps() > 30), { timeout: 30_000, message: 'training' });
  await page.click('#play');
  await page.waitForTimeout(300);
  const list = await canvases(page);
  console.log(`  [dpr] ${list.map((c) => `${c.id} ${c.css.join('×')} css → ${c.px.join('×')} px, ${(100 * c.odd).toFixed(0)}% odd edges`).join('; ')}`);
  checkSharp(list, ['loss-canvas', 'heat-canvas']);
  // The hover maps CSS pixels to cells at any density.
  const box = await page.locator('#heat-canvas').boundingBox();
  await page.mouse.move(box.x + box.width * 0.45, box.y + box.height * 0.5);
  await waitFor(() => page.$eval('#heat-tip', (el) => !el.hidden), { message: 'the heatmap tooltip' });
  await screenshot(page, 'dpr-playground');
  assert.deepEqual(page.errors, []);
}, { engines: ['chromium', 'firefox'] });

test('lab: charts, the step-through and the latch are drawn at devicePixelRatio 2', async () => {
  const server = await startServer(repoRoot);
  const browser = await launch();
  const page = await newPage(browser, `${server.url}www/lab/#task-len=8`, VIEW);
  await waitFor(() => page.evaluate(() => window.__lab && window.__lab.lab), { timeout: 30_000, message: 'the lab model' });
  for (let i = 0; i < 40; i++) await page.click('#step');
  await waitFor(() => page.evaluate(() => window.__lab.lab.steps() === 40), { message: '40 steps from the worker' });
  const ids = ['c-loss', 'c-acc', 'c-flow', 'c-heat', 'c-clip', 'c-step', 'c-latch-h', 'c-latch-d'];
  for (const id of ids) {
    await page.locator(`#${id}`).scrollIntoViewIfNeeded();
    await page.waitForTimeout(150);
  }
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.waitForTimeout(200);
  const list = await canvases(page);
  console.log(`  [dpr] ${list.filter((c) => ids.includes(c.id)).map((c) => `${c.id} ${(100 * c.odd).toFixed(0)}%`).join(', ')}`);
  checkSharp(list, ids, ['c-step']);
  await screenshot(page, 'dpr-lab');
  assert.deepEqual(page.errors, []);
});

test('playground: resizing the window while training never shows a blank chart', async () => {
  const server = await startServer(repoRoot);
  const browser = await launch();
  const page = await newPage(browser, `${server.url}index.html#hidden=48`, { viewport: { width: 1280, height: 900 } });
  await waitFor(() => page.evaluate(() => window.__rnnlab && window.__rnnlab.pg && window.__rnnlab.pg.steps() > 10), { timeout: 30_000, message: 'training' });
  // Resizing a canvas clears it. This observer is created after the page's, so it runs right
  // after the page's resize handler, before the frame is painted: what it reads is what the
  // frame shows.
  await page.evaluate(() => {
    const ink = (c) => {
      const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
      let n = 0;
      // A cleared canvas is transparent; the charts paint a white background.
      for (let i = 0; i < d.length; i += 4) if (d[i + 3] > 0 && (d[i] < 245 || d[i + 1] < 245 || d[i + 2] < 245)) n++;
      return n / (c.width * c.height);
    };
    const canvases = ['loss-canvas', 'heat-canvas'].map((id) => document.getElementById(id));
    window.__seen = [];
    // Only calls after which the canvases have a new width: not the observer's first call
    // (which Firefox may fold into the first resize), nor a change of height alone.
    let width = canvases[0].width;
    new ResizeObserver(() => {
      if (canvases[0].width === width) return;
      width = canvases[0].width;
      window.__seen.push(canvases.map((c) => ({ id: c.id, width: c.width, ink: ink(c) })));
    }).observe(canvases[0].parentElement);
  });
  for (const width of [1000, 1280, 900, 1280]) {
    await page.setViewportSize({ width, height: 900 });
    await page.waitForTimeout(300);
  }
  const seen = await page.evaluate(() => window.__seen);
  const steps = await page.evaluate(() => window.__rnnlab.pg.steps());
  console.log(`  [resize] ${seen.map((s) => s.map((c) => `${c.id} ${c.width} px ${(100 * c.ink).toFixed(1)}%`).join(', ')).join(' | ')}; step ${steps}`);
  assert.equal(seen.length, 4, 'one new canvas width per window width');
  assert.equal(new Set(seen.map((s) => s[1].width)).size, 3, 'the canvases follow the width');
  for (const s of seen) for (const c of s) assert.ok(c.ink > 0.02, `${c.id} blank after a resize to ${c.width} px (${c.ink})`);
  assert.ok(await page.evaluate(() => window.__rnnlab.state.running), 'still training');
  assert.deepEqual(page.errors, []);
}, { engines: ['chromium', 'firefox'] });
