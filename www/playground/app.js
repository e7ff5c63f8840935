// The playground: starts the shared shell and the wasm module, builds the settings form from the
// settings table, wires the page and runs the frame loop (sample, train, draw, readouts).

import { $ } from '../shared/format.js';
import { bootPage } from '../shared/shell.js';
import { SettingsForm } from '../shared/controls.js';
import { Trainer, startLoop, ema } from '../shared/loop.js';
import { onHashEdit } from '../shared/hash.js';
import { onPixelRatioChange, onWidthChange } from '../shared/canvas.js';
import { state, drawPerf, useWasm, wasm } from './state.js';
import { openHash, onSettings, onPreset, useText, onUploadText, onDownload, onUploadModel, resetModel, wireUnknown, modelFile } from './models.js';
import { onExport } from './export.js';
import { inspectFrame, wireInspect, inspecting, refresh as refreshInspect } from './inspect.js';
import { autoSample, wireSampling } from './sample.js';
import { sizeCanvases, wireHeatmap } from './heat.js';
import { draw, drawNow, heatEvery, readouts } from './draw.js';
import { wireDownloads } from './downloads.js';
import { startWorker } from '../shared/workers.js';

const READOUTS = [
  ['r-step', 'step'],
  ['r-chars', 'characters seen'],
  ['r-loss', 'loss (smoothed)'],
  ['r-val', 'validation loss'],
  ['r-ms', 'ms / step'],
  ['r-sps', 'steps / s'],
  ['r-fps', 'fps'],
];

/** One frame: an automatic sample's slice, training (in what is left of the budget), then the
 * charts that changed and the readouts. */
function frame(now) {
  if (!state.pg) return;
  state.frame++;
  const heatTurn = state.frame % heatEvery() === 0;
  const t0 = performance.now();
  autoSample(state.trainer.perf.budgetMs);
  inspectFrame(state.trainer.perf.budgetMs);
  const sampleMs = performance.now() - t0;
  state.trainer.trainFrame(sampleMs + (heatTurn ? drawPerf.heatMs || 0 : drawPerf.lossMs || 0));
  if (state.dirty) {
    state.lossDirty = state.heatDirty = true;
    state.dirty = false;
  }
  const t1 = performance.now();
  if (state.lossDirty || state.heatDirty) draw(heatTurn);
  readouts(now);
  const t2 = performance.now();
  drawPerf.drawMs = ema(drawPerf.drawMs, t2 - t1);
  drawPerf.frameMs = ema(drawPerf.frameMs, t2 - t0);
}

function wire() {
  $('preset').addEventListener('change', onPreset);
  $('use-text').addEventListener('click', () => useText($('text').value, 'Training on the text in the box'));
  $('upload-text').addEventListener('change', onUploadText);
  $('download').addEventListener('click', onDownload);
  $('upload-model').addEventListener('change', onUploadModel);
  $('export-torch').addEventListener('click', onExport);
  state.trainer.wire(resetModel);
  wireSampling();
  wireHeatmap();
  wireInspect();
  wireUnknown();
  const resized = () => {
    if (sizeCanvases()) drawNow();
    refreshInspect();
  };
  onWidthChange($('loss-canvas').parentElement, resized);
  onPixelRatioChange(resized);
  onHashEdit(() => openHash(false));
}

// For tests: the model file as the Download button saves it (from the worker when it trains).
window.__rnnlab.modelFile = modelFile;

bootPage({
  readouts: READOUTS,
  async start(mod) {
    useWasm(mod);
    state.form = new SettingsForm(wasm.settingsTable(''), onSettings);
    state.remote = await startWorker();
    if (state.remote) state.remote.needWeights = inspecting;
    state.trainer = new Trainer({
      model: () => state.pg,
      remote: () => state.remote,
      onTrained: () => {
        state.dirty = true;
      },
      onRollback: () => {
        state.dirty = true;
      },
    });
    wire();
    wireDownloads(mod);
    if (!(await openHash(true))) return;
    sizeCanvases();
    state.trainer.setRunning(true);
    startLoop(state.trainer, frame);
  },
});
