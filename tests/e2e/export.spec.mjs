// The playground's "Export to PyTorch": the .zip it downloads holds train.py, the model file and
// the text; Python's zipfile reads it (CRCs checked); the initial weights are byte for byte what
// `rnnlab export-torch` writes for the same settings, and the current ones what "Download model"
// saves.
//
//   node tests/e2e/export.spec.mjs    (after bash scripts/build-web.sh and cargo build: it runs
//                                      target/debug/rnnlab)

import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test, openApp, screenshot, waitFor, assert, repoRoot, outDir, settle } from './harness.mjs';

const RNNLAB = path.join(repoRoot, 'target/debug/rnnlab');
/** The settings the page opens with; every key is also the CLI's flag. */
const SETTINGS = { cell: 'gru', hidden: '16', layers: '2', embed: '4', batch: '3', 'seq-len': '12', seed: '5', optimizer: 'rmsprop' };
const HASH = '#' + new URLSearchParams(SETTINGS).toString();

async function open() {
  const ready = () => window.__rnnlab && window.__rnnlab.pg && window.__rnnlab.pg.steps() > 0;
  const app = await openApp(`index.html${HASH}`, { ready, readyMessage: 'the first training step' });
  const { page } = app;
  if (await page.evaluate(() => window.__rnnlab.state.running)) await page.click('#play');
  return app;
}

/** Clicks "Export to PyTorch" for `which` weights; the zip's path and its suggested name. */
async function exportZip(page, which) {
  await page.selectOption('#export-weights', which);
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('#export-torch')]);
  mkdirSync(outDir, { recursive: true });
  const file = path.join(outDir, `export-${which}.zip`);
  await download.saveAs(file);
  return { file, name: download.suggestedFilename() };
}

/** The zip's entries by name, read by Python's zipfile (which checks every CRC-32). */
function unzip(file) {
  const script = [
    'import base64, json, sys, zipfile',
    'z = zipfile.ZipFile(sys.argv[1])',
    'bad = z.testzip()',
    'assert bad is None, f"bad CRC in {bad}"',
    'print(json.dumps({i.filename: base64.b64encode(z.read(i)).decode() for i in z.infolist()}))',
  ].join('\n');
  const out = JSON.parse(execFileSync('python3', ['-c', script, file], { maxBuffer: 256 << 20 }).toString());
  return Object.fromEntries(Object.entries(out).map(([k, v]) => [k, Buffer.from(v, 'base64')]));
}

/** The metadata of a safetensors file. */
function metadata(bytes) {
  const n = Number(bytes.readBigUInt64LE(0));
  return JSON.parse(bytes.subarray(8, 8 + n).toString('utf8')).__metadata__;
}

test('Export to PyTorch: initial weights are what rnnlab export-torch writes', async () => {
  assert.ok(existsSync(RNNLAB), `${RNNLAB} is missing: build it first (cargo build)`);
  const { page } = await open();
  const { file, name } = await exportZip(page, 'initial');
  assert.equal(name, 'rnnlab-torch-gru16-step0.zip');
  const files = unzip(file);
  const dir = 'rnnlab-torch-gru16-step0';
  assert.deepEqual(Object.keys(files).sort(), [`${dir}/init.safetensors`, `${dir}/text.txt`, `${dir}/train.py`]);
  assert.ok(files[`${dir}/train.py`].equals(readFileSync(path.join(repoRoot, 'www/export/train.py'))), 'train.py differs from www/export/train.py');
  const text = await page.evaluate(() => window.__rnnlab.state.text);
  assert.equal(files[`${dir}/text.txt`].toString('utf8'), text);

  const init = files[`${dir}/init.safetensors`];
  const meta = metadata(init);
  const info = await page.evaluate(() => window.__rnnlab.pg.info());
  assert.equal(meta['train.config'], await page.evaluate(() => window.__rnnlab.pg.query()));
  assert.equal(meta['train.step'], '0');
  assert.equal(meta['train.held_out'], String(info.valChars));

  // The same settings through the CLI (the page holds out 10% of the text).
  const work = mkdtempSync(path.join(os.tmpdir(), 'rnnlab-export-'));
  try {
    const flags = Object.entries(SETTINGS).flatMap(([k, v]) => [`--${k}`, v]);
    const textFile = path.join(work, 'text.txt');
    writeFileSync(textFile, files[`${dir}/text.txt`]);
    execFileSync(RNNLAB, ['export-torch', '--text', textFile, '--val', '0.1', '--out', path.join(work, 'cli'), ...flags]);
    const cli = readFileSync(path.join(work, 'cli', 'init.safetensors'));
    assert.equal(init.length, cli.length, 'the page and the CLI wrote model files of different sizes');
    assert.ok(init.equals(cli), 'the page and the CLI wrote different initial model files');
    assert.ok(readFileSync(path.join(work, 'cli', 'train.py')).equals(files[`${dir}/train.py`]));
    console.log(`  [export] ${init.length}-byte init.safetensors, identical to rnnlab export-torch's`);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  await page.$eval('#export-torch', (el) => el.scrollIntoView());
  await screenshot(page, 'export-button');
  assert.deepEqual(page.errors, []);
  assert.deepEqual(page.badResponses, []);
});

test('Export to PyTorch: current weights are the checkpoint of the model now', async () => {
  const { page } = await open();
  for (let i = 0; i < 5; i++) {
    await page.click('#step');
    await settle(page);
  }
  const steps = await page.evaluate(() => window.__rnnlab.pg.steps());
  const { file, name } = await exportZip(page, 'current');
  assert.equal(name, `rnnlab-torch-gru16-step${steps}.zip`);
  const files = unzip(file);
  const init = files[`rnnlab-torch-gru16-step${steps}/init.safetensors`];
  const saved = Buffer.from(await page.evaluate(async () => Array.from(await window.__rnnlab.modelFile())));
  assert.ok(init.equals(saved), 'the exported checkpoint differs from the saved model');
  assert.equal(metadata(init)['train.step'], String(steps));
  await waitFor(async () => /Exported/.test(await page.$eval('#messages', (el) => el.innerText)), { message: 'the exported notice' });
  assert.deepEqual(page.errors, []);
});

test('Export to PyTorch: a model that cannot read the text as it is exports its initial weights only', async () => {
  const { page } = await open();
  await page.setInputFiles('#upload-model', path.join(repoRoot, 'tests/fixtures/torch/lstm_onehot_l2_b1.safetensors'));
  await waitFor(() => page.$eval('#unknown', (el) => !el.hidden), { message: 'the unknown-characters box' });
  await page.selectOption('#export-weights', 'current');
  await page.click('#export-torch');
  await waitFor(async () => /Could not export.*cannot train on this text yet/.test(await page.$eval('#messages', (el) => el.innerText)), { message: 'the refusal' });
  const { file } = await exportZip(page, 'initial');
  assert.equal(Object.keys(unzip(file)).length, 3);
  // Dropping the unknown characters trains on a copy of the text, which train.py would not have.
  await page.click('#unknown-drop');
  await page.selectOption('#export-weights', 'current');
  await page.click('#export-torch');
  await waitFor(async () => /Could not export.*a copy of the text/.test(await page.$eval('#messages', (el) => el.innerText)), { message: 'the refusal after the fix' });
  assert.deepEqual(page.errors, []);
});

/** The virtual environment with torch that scripts/torch-venv.sh makes (test.sh makes it first). */
const VENV = process.env.RNNLAB_TORCH_VENV || path.join(repoRoot, 'target/torch-venv');

test('Export to PyTorch, train with torchrun, load the result back: the run goes on as on the page', async () => {
  const torchrun = path.join(VENV, 'bin/torchrun');
  if (!existsSync(torchrun)) {
    console.log(`  [skipped] no ${torchrun}: bash scripts/torch-venv.sh makes it (scripts/test.sh does)`);
    return;
  }
  const { page } = await open();
  const { file } = await exportZip(page, 'initial');
  const work = mkdtempSync(path.join(os.tmpdir(), 'rnnlab-torchrun-'));
  try {
    execFileSync(path.join(VENV, 'bin/python'), ['-c', 'import sys, zipfile; zipfile.ZipFile(sys.argv[1]).extractall(sys.argv[2])', file, work]);
    const script = path.join(work, 'rnnlab-torch-gru16-step0/train.py');
    const model = path.join(work, 'model.safetensors');
    const env = { ...process.env, OMP_NUM_THREADS: '1' };
    execFileSync(torchrun, ['--standalone', '--nproc_per_node=2', script, '--steps', '20', '--out', model], { env, stdio: 'pipe' });
    // The page's own run from the same start: the loss of step 21.
    const expected = await page.evaluate(() => {
      const P = window.__rnnlab.pg.constructor;
      const fresh = new P(window.__rnnlab.pg.query(), window.__rnnlab.state.text);
      for (let i = 0; i < 21; i++) fresh.step();
      const loss = fresh.lastLoss();
      fresh.free();
      return loss;
    });
    await page.setInputFiles('#upload-model', model);
    await waitFor(async () => /Loaded/.test(await page.$eval('#messages', (el) => el.innerText)), { message: 'the loaded notice' });
    assert.equal(await page.evaluate(() => window.__rnnlab.pg.steps()), 20);
    await page.click('#step');
    await settle(page);
    const loss = await page.evaluate(() => window.__rnnlab.pg.lastLoss());
    console.log(`  [torchrun] step 21 after 20 PyTorch steps on 2 processes: ${loss}; on the page alone: ${expected}`);
    assert.ok(Math.abs(loss - expected) <= 1e-4 * expected, `step 21: ${loss} after PyTorch, ${expected} on the page`);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  assert.deepEqual(page.errors, []);
});
