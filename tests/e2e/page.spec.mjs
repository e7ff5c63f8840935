// The playground page end to end: training, charts, controls, link round trips, model
// files, bad uploads, escaping and divergence. Also prints (does not assert) a few
// performance figures.
//
//   node tests/e2e/page.spec.mjs         (after bash scripts/build-web.sh)

import { mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { test, openApp, inked, screenshot, waitFor, assert, repoRoot, outDir, settle } from './harness.mjs';

/** Opens the page (with an optional hash); confirm dialogs are accepted, alerts recorded. */
async function open(hash = '', { browser, confirm = true } = {}) {
  const ready = () => window.__rnnlab && window.__rnnlab.pg && window.__rnnlab.pg.steps() > 0;
  return openApp(`index.html${hash}`, { browser, confirm, ready, readyMessage: 'the first training step' });
}

const steps = (page) => page.evaluate(() => window.__rnnlab.pg.steps());
const running = (page) => page.evaluate(() => window.__rnnlab.state.running);

async function pause(page) {
  if (await running(page)) await page.click('#play');
  await settle(page);
  assert.equal(await running(page), false);
}

async function messages(page) {
  return page.$eval('#messages', (el) => el.innerText);
}

test('page loads, trains, and its loss falls within ~10 s at max speed', async () => {
  const { page } = await open();
  const first = await page.evaluate(() => window.__rnnlab.state.firstStepMs);
  const start = await page.evaluate(() => window.__rnnlab.pg.lastLoss() && window.__rnnlab.pg.smoothLoss());
  await page.$eval('#speed', (el) => {
    el.value = el.max;
    el.dispatchEvent(new Event('input'));
  });
  await page.waitForTimeout(10_000);
  const after = await page.evaluate(() => window.__rnnlab.pg.smoothLoss());
  const perf = await page.evaluate(() => ({ ...window.__rnnlab.perf, steps: window.__rnnlab.pg.steps() }));
  await screenshot(page, 'page-training');
  const size = (dir) => {
    const wasm = path.join(repoRoot, `www/${dir}/rnnlab_bg.wasm`);
    return { raw: statSync(wasm).size, gz: gzipSync(readFileSync(wasm), { level: 9 }).length };
  };
  const [pg, lab] = [size('pkg'), size('pkg-lab')];
  console.log(`  [perf] navigation → first training step: ${first.toFixed(0)} ms`);
  console.log(`  [perf] at max speed: ${perf.fps.toFixed(1)} fps, ${perf.sps.toFixed(0)} steps/s, ${perf.msPerStep.toFixed(2)} ms/step`);
  console.log(`  [perf] per frame: ${perf.frameMs.toFixed(2)} ms in all, ${perf.drawMs.toFixed(2)} ms drawing (one draw of the loss chart ${perf.lossMs.toFixed(2)} ms, of the heatmap ${perf.heatMs.toFixed(2)} ms)`);
  console.log(`  [perf] wasm: the playground's ${(pg.raw / 1024).toFixed(0)} KiB, gzip -9 ${pg.gz} B; the lab's ${(lab.raw / 1024).toFixed(0)} KiB, gzip -9 ${lab.gz} B`);
  console.log(`  [loss] smoothed ${start.toFixed(3)} at step 1 → ${after.toFixed(3)} after 10 s (step ${perf.steps})`);
  assert.ok(after < start - 0.3, `smoothed loss ${after} did not fall 0.3 below ${start}`);
  assert.deepEqual(page.errors, []);
  assert.deepEqual(page.badResponses, []);
});

test('both charts are drawn and the heatmap answers hovers', async () => {
  const { page } = await open();
  await page.waitForTimeout(1500);
  await pause(page);
  await page.waitForTimeout(100);
  const loss = await inked(page, 'loss-canvas');
  const heat = await inked(page, 'heat-canvas');
  console.log(`  [draw] non-white pixels: loss chart ${(100 * loss).toFixed(1)}%, heatmap ${(100 * heat).toFixed(1)}%`);
  assert.ok(loss > 0.02, `loss chart looks blank (${loss})`);
  assert.ok(heat > 0.25, `heatmap looks blank (${heat})`);
  await page.locator('#heat-canvas').scrollIntoViewIfNeeded();
  const box = await page.locator('#heat-canvas').boundingBox();
  await page.mouse.move(box.x + box.width * 0.45, box.y + box.height * 0.5);
  await waitFor(() => page.$eval('#heat-tip', (el) => !el.hidden), { message: 'the heatmap tooltip' });
  const tip = await page.$eval('#heat-tip', (el) => el.textContent);
  assert.match(tip, /^unit \d+ · time \d+ · input “.+”\nvalue -?\d+\.\d{3}$/);
  await screenshot(page, 'page-hover', { fullPage: false }); // viewport only: keeps the hover
  // Every state/gate view of an LSTM draws.
  for (const k of ['c', 'i', 'f', 'g', 'o']) {
    await page.click(`label[for="heat-${k}"]`);
    await page.waitForTimeout(50);
    assert.ok((await inked(page, 'heat-canvas')) > 0.25, `heatmap ${k} looks blank`);
  }
  await screenshot(page, 'page-gate');
  assert.deepEqual(page.errors, []);
}, { engines: ['chromium', 'firefox'] });

test('Step advances exactly one step; Space and → work, but not while typing', async () => {
  const { page } = await open();
  await pause(page);
  const s0 = await steps(page);
  await page.click('#step');
  await settle(page);
  assert.equal(await steps(page), s0 + 1);
  await page.click('body', { position: { x: 5, y: 5 } });
  await page.keyboard.press('ArrowRight');
  await settle(page);
  assert.equal(await steps(page), s0 + 2);
  await page.keyboard.press('Space');
  assert.equal(await running(page), true);
  await page.keyboard.press('Space');
  assert.equal(await running(page), false);
  await settle(page);
  const s1 = await steps(page);
  await page.click('#prime');
  await page.keyboard.press('Space');
  await page.keyboard.press('ArrowRight');
  assert.equal(await running(page), false);
  assert.equal(await steps(page), s1);
  assert.equal(await page.inputValue('#prime'), ' ');
  assert.deepEqual(page.errors, []);
}, { engines: ['chromium', 'firefox'] });

test('a sample appears and changes as training goes on', async () => {
  const { page } = await open();
  const sampleText = () => page.$eval('#sample-text', (el) => el.textContent);
  const early = await sampleText();
  assert.ok(early.length > 0, 'no sample at start');
  await page.fill('#auto-every', '50');
  await waitFor(async () => (await sampleText()) !== early, { timeout: 20_000, message: 'a new auto-sample' });
  const bars = await page.$$eval('#bars li', (els) => els.length);
  assert.equal(bars, 10);
  await page.fill('#prime', 'Ham');
  await page.click('#sample');
  assert.equal(await page.$eval('#sample-prime', (el) => el.textContent), 'Ham');
  assert.equal((await sampleText()).length, 300);
  assert.deepEqual(page.errors, []);
}, { engines: ['chromium', 'firefox'] });

test('validation loss and automatic samples are spread over frames and equal the one-go results', async () => {
  // The page's own Playground trains here (the test calls it directly), not the worker's.
  const { page } = await open('#worker=off');
  await pause(page);
  const r = await page.evaluate(() => {
    const pg = window.__rnnlab.pg;
    // Train up to a multiple of 100 steps: the validation loss of that model is queued.
    pg.trainFor(100 - (pg.steps() % 100), 1e9);
    const step = pg.steps();
    const direct = pg.valLoss();
    const before = pg.lastValLoss();
    // A zero budget measures one chunk (100 characters) per call, then trains one step.
    const seen = [];
    for (let i = 0; i < 8; i++) {
      pg.trainFor(1, 0);
      seen.push(pg.lastValLoss());
    }
    const samples = [];
    for (const [prime, len, temp, greedy, topK, seed] of [
      ['Th', 300, 1, false, 0, 7],
      ['', 120, 0.5, false, 5, 3],
      ['What', 50, 1, true, 0, 1],
      ['x', 1, 2, false, 0, 9],
    ]) {
      const oneGo = pg.sample(prime, len, temp, greedy, topK, seed);
      pg.startSample(prime, len, temp, greedy, topK, seed);
      let out = null;
      let calls = 0;
      while (!out) {
        out = pg.sampleFor(0);
        calls++;
      }
      samples.push({ same: JSON.stringify(out) === JSON.stringify(oneGo), calls, len, sampling: pg.sampling(), text: out.text.slice(0, 40) });
    }
    return { step, direct, before, seen, samples, none: pg.sampleFor(5) };
  });
  console.log(`  [jobs] validation at step ${r.step}: ${r.direct.toFixed(4)} (one go) after ${r.seen.indexOf(r.direct) + 1} calls; samples in ${r.samples.map((s) => s.calls).join(', ')} calls`);
  assert.equal(r.step % 100, 0);
  assert.notEqual(r.before, r.direct);
  // Five chunks of 100 characters: the figure appears with the fifth call, and equals the one-go figure.
  assert.deepEqual(r.seen.slice(0, 4), [r.before, r.before, r.before, r.before]);
  assert.equal(r.seen[4], r.direct);
  assert.deepEqual(r.seen.slice(4), [r.direct, r.direct, r.direct, r.direct]);
  for (const s of r.samples) {
    assert.ok(s.same, `sample ${JSON.stringify(s)} differs from the one-go sample`);
    assert.equal(s.calls, s.len, 'a zero budget draws one character per call');
    assert.equal(s.sampling, false);
  }
  assert.equal(r.none, null);
  // While training at max speed the automatic samples keep coming.
  const sampleText = () => page.$eval('#sample-text', (el) => el.textContent);
  const early = await sampleText();
  await page.$eval('#speed', (el) => {
    el.value = el.max;
    el.dispatchEvent(new Event('input'));
  });
  await page.click('#play');
  await waitFor(async () => (await sampleText()) !== early, { timeout: 20_000, message: 'an automatic sample at max speed' });
  assert.equal((await sampleText()).length, 300);
  assert.deepEqual(page.errors, []);
});

test('URL hash round trip: same settings, same first losses', async () => {
  const { page, browser } = await open();
  await page.selectOption('#cell', 'gru');
  await page.fill('#hidden', '48');
  await page.press('#hidden', 'Enter');
  await page.fill('#seed', '9');
  await page.press('#seed', 'Enter');
  await page.selectOption('#preset', 'the-tempest');
  await waitFor(() => page.evaluate(() => location.hash.includes('data=the-tempest')), { message: 'the hash to update' });
  const hash = await page.evaluate(() => location.hash);
  assert.match(hash, /cell=gru/);
  assert.match(hash, /hidden=48/);
  assert.match(hash, /seed=9/);
  const firstLosses = async (p) => {
    await pause(p);
    await p.click('#reset');
    const out = [];
    for (let i = 0; i < 3; i++) {
      await p.click('#step');
      await settle(p);
      out.push(await p.evaluate(() => window.__rnnlab.pg.lastLoss()));
    }
    return out;
  };
  const a = await firstLosses(page);
  const { page: page2 } = await open(hash, { browser });
  assert.equal(await page2.inputValue('#cell'), 'gru');
  assert.equal(await page2.inputValue('#hidden'), '48');
  assert.equal(await page2.inputValue('#seed'), '9');
  assert.equal(await page2.inputValue('#preset'), 'the-tempest');
  assert.equal(await page2.evaluate(() => window.__rnnlab.pg.query()), await page.evaluate(() => window.__rnnlab.pg.query()));
  const b = await firstLosses(page2);
  console.log(`  [hash] first losses ${a.map((x) => x.toFixed(5)).join(', ')}`);
  assert.deepEqual(b, a);
  assert.deepEqual(page.errors, []);
  assert.deepEqual(page2.errors, []);
}, { engines: ['chromium', 'firefox'] });

test('changing the architecture asks first; saying no keeps the trained model', async () => {
  const { page } = await open('', { confirm: false });
  await pause(page);
  const before = await page.evaluate(() => [window.__rnnlab.pg.query(), window.__rnnlab.pg.steps()]);
  await page.selectOption('#cell', 'gru');
  assert.equal(page.confirms.length, 1);
  assert.match(page.confirms[0], /Changing cell/);
  assert.equal(await page.inputValue('#cell'), 'lstm', 'the form was not put back');
  assert.deepEqual(await page.evaluate(() => [window.__rnnlab.pg.query(), window.__rnnlab.pg.steps()]), before);
  // A live setting applies without asking and keeps the step count.
  await page.fill('#clip', '1');
  await page.press('#clip', 'Enter');
  await waitFor(() => page.evaluate(() => location.hash.includes('clip=1&')), { message: 'clip=1 in the hash' });
  assert.equal(page.confirms.length, 1);
  assert.equal(await steps(page), before[1]);
  assert.deepEqual(page.errors, []);
}, { engines: ['chromium', 'firefox'] });

test('a garbage URL hash gives the defaults and a notice', async () => {
  const { page } = await open('#%%%&hidden=banana&cell=gru&data=%E0%A4%A');
  const q = await page.evaluate(() => window.__rnnlab.pg.query());
  assert.match(q, /cell=gru/);
  assert.match(q, /hidden=128/);
  const m = await messages(page);
  assert.match(m, /hidden/);
  assert.match(m, /data=/);
  assert.deepEqual(page.errors, []);
});

test('download the model, reload, load it: the same next loss', async () => {
  const { page, browser } = await open('#hidden=64&seed=3');
  await page.waitForTimeout(1000);
  await pause(page);
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('#download')]);
  mkdirSync(outDir, { recursive: true });
  const file = path.join(outDir, 'model.safetensors');
  await download.saveAs(file);
  const saved = await steps(page);
  await page.click('#step');
  await settle(page);
  const next = await page.evaluate(() => window.__rnnlab.pg.lastLoss());

  const { page: page2 } = await open('#hidden=64&seed=3', { browser });
  await pause(page2);
  await page2.setInputFiles('#upload-model', file);
  await waitFor(async () => /Loaded/.test(await messages(page2)), { message: 'the loaded notice' });
  assert.equal(await steps(page2), saved);
  await page2.click('#step');
  await settle(page2);
  assert.equal(await page2.evaluate(() => window.__rnnlab.pg.lastLoss()), next);
  console.log(`  [file] ${statSync(file).size} bytes; step ${saved + 1} loss ${next} on both pages`);
  assert.deepEqual(page2.errors, []);
}, { engines: ['chromium', 'firefox'] });

test('bad uploads get a message and leave the model untouched', async () => {
  const { page } = await open('#hidden=32');
  await pause(page);
  mkdirSync(outDir, { recursive: true });
  const big = path.join(outDir, 'big-50mb.txt');
  writeFileSync(big, Buffer.alloc(50 * 1024 * 1024, 'abc def\n'));
  const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]);
  const cases = [
    ['#upload-text', { name: 'empty.txt', mimeType: 'text/plain', buffer: Buffer.alloc(0) }, /empty/],
    ['#upload-text', { name: 'image.txt', mimeType: 'text/plain', buffer: png }, /binary/],
    ['#upload-text', { name: 'latin1.txt', mimeType: 'text/plain', buffer: Buffer.from('caf\xe9 cr\xe8me br\xfbl\xe9e '.repeat(50), 'latin1') }, /UTF-8/],
    ['#upload-text', big, /50\.0 MB.*10\.0 MB/],
    ['#upload-text', { name: 'tiny.txt', mimeType: 'text/plain', buffer: Buffer.from('hi') }, /characters/],
    ['#upload-model', { name: 'junk.safetensors', mimeType: 'application/octet-stream', buffer: Buffer.from('this is not a model at all, just words') }, /safetensors|model file/],
    ['#upload-model', { name: 'empty.safetensors', mimeType: 'application/octet-stream', buffer: Buffer.alloc(0) }, /empty/],
  ];
  const before = await page.evaluate(() => [window.__rnnlab.pg.query(), window.__rnnlab.pg.steps(), window.__rnnlab.state.text.length]);
  for (const [input, file, want] of cases) {
    await page.evaluate(() => document.getElementById('messages').replaceChildren());
    await page.setInputFiles(input, file);
    const name = typeof file === 'string' ? path.basename(file) : file.name;
    const m = await waitFor(async () => (await messages(page)) || null, { message: `a message for ${name}` });
    assert.match(m, want, `message for ${name}`);
    const now = await page.evaluate(() => [window.__rnnlab.pg.query(), window.__rnnlab.pg.steps(), window.__rnnlab.state.text.length]);
    assert.deepEqual(now, before, `${name} changed the model`);
    console.log(`  [upload] ${name}: ${m.split('\n')[0]}`);
  }
  rmSync(big);
  await screenshot(page, 'page-bad-upload');
  await page.click('#play');
  await waitFor(async () => (await steps(page)) > before[1], { message: 'training to go on' });
  assert.deepEqual(page.errors, []);
}, { engines: ['chromium', 'firefox'] });

test('pasted markup stays text', async () => {
  const { page } = await open();
  const markup = '<script>alert(1)</script><img src=x onerror=alert(2)>\n';
  await page.fill('#text', markup.repeat(40));
  await page.click('#use-text');
  await waitFor(async () => (await page.inputValue('#preset')) === 'custom', { message: 'the custom text to be used' });
  await page.$eval('#speed', (el) => {
    el.value = el.max;
    el.dispatchEvent(new Event('input'));
  });
  await page.waitForTimeout(2000);
  await page.fill('#prime', '<script>');
  await page.click('#sample');
  // The training worker answers the sample after the steps it is training.
  const read = () => page.$eval('#sample-out', (el) => ({ prime: el.querySelector('#sample-prime')?.textContent, text: el.querySelector('#sample-text')?.textContent, children: el.querySelectorAll('*').length }));
  await waitFor(async () => (await read()).prime === '<script>', { message: 'the sample' });
  const out = await read();
  assert.equal(out.prime, '<script>');
  assert.equal(out.children, 2, 'the sample box grew elements');
  assert.ok(/[<>]/.test(out.text), `sample ${JSON.stringify(out.text)} lacks the text's characters`);
  assert.equal(await page.evaluate(() => document.querySelectorAll('script').length), 1);
  assert.equal(await page.evaluate(() => document.querySelectorAll('img').length), 0);
  await screenshot(page, 'page-markup');
  assert.deepEqual(page.alerts, []);
  assert.deepEqual(page.errors, []);
});

test('divergence pauses with an explanation, and rollback recovers', async () => {
  const { page } = await open('#cell=rnn&optimizer=sgd&lr=50&clip=0&hidden=64');
  await waitFor(() => page.$eval('#diverged', (el) => !el.hidden), { timeout: 20_000, message: 'the divergence panel' });
  assert.equal(await running(page), false);
  const detail = await page.$eval('#diverged-detail', (el) => el.textContent);
  assert.match(detail, /diverged/);
  assert.match(detail, /learning rate/);
  await screenshot(page, 'page-diverged');
  await page.click('#rollback');
  await settle(page);
  assert.equal(await page.$eval('#diverged', (el) => el.hidden), true);
  const back = await steps(page);
  assert.equal(back % 50, 0);
  // Lower the rate (applies to the rolled-back model) and train on.
  await page.$eval('#lr', (el) => {
    el.value = '-2';
    el.dispatchEvent(new Event('input'));
    el.dispatchEvent(new Event('change'));
  });
  assert.match(await page.evaluate(() => location.hash), /lr=0\.01&/);
  await page.click('#play');
  await waitFor(async () => (await steps(page)) >= back + 60, { timeout: 20_000, message: 'training past the old divergence' });
  assert.equal(await page.$eval('#diverged', (el) => el.hidden), true);
  assert.deepEqual(page.errors, []);
});
