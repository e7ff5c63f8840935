// rnnlab playground: starts the wasm module, wires the controls and runs the frame loop.

import { loadRnnlab } from './wasm-loader.js';
import * as settings from './settings.js';
import { message, errorText } from './ui.js';
import { sizeCanvases } from './heat.js';
import { $, state, setStatus } from './state.js';
import { useWasm, openHash, writtenHash, onSettingChange, onPreset, useText, onUploadText, onDownload, onUploadModel, resetModel } from './models.js';
import { frame, setRunning, stepOnce, togglePlay, sample, showSpeed, rollback } from './loop.js';

// ---------------------------------------------------------------------------
// Wiring.

function onKey(e) {
  if (e.ctrlKey || e.metaKey || e.altKey) return;
  const t = e.target;
  const typing = t.closest && t.closest('input, textarea, select, [contenteditable]');
  if (e.key === ' ' && !typing && !t.closest('button, a, label')) {
    e.preventDefault();
    togglePlay();
  } else if (e.key === 'ArrowRight' && !typing) {
    e.preventDefault();
    stepOnce();
  }
}

function wire() {
  for (const id of ['cell', 'hidden', 'layers', 'embed', 'init', 'seed', 'seq-len', 'batch', 'optimizer', 'momentum', 'lr', 'clip', 'clip-mode']) {
    $(id).addEventListener('change', onSettingChange);
  }
  $('lr').addEventListener('input', settings.showLr);
  $('preset').addEventListener('change', onPreset);
  $('use-text').addEventListener('click', () => useText($('text').value, 'Training on the text in the box'));
  $('upload-text').addEventListener('change', onUploadText);
  $('download').addEventListener('click', onDownload);
  $('upload-model').addEventListener('change', onUploadModel);
  $('play').addEventListener('click', togglePlay);
  $('step').addEventListener('click', stepOnce);
  $('reset').addEventListener('click', resetModel);
  $('rollback').addEventListener('click', rollback);
  $('speed').addEventListener('input', () => {
    state.speed = Number($('speed').value);
    showSpeed();
  });
  $('temp').addEventListener('input', () => {
    $('temp-out').textContent = Number($('temp').value).toFixed(2);
  });
  $('sample').addEventListener('click', () => sample(false));
  document.addEventListener('keydown', onKey);
  new ResizeObserver(() => {
    sizeCanvases(state.pg);
    state.dirty = true;
  }).observe($('loss-canvas').parentElement);
}

async function boot() {
  try {
    useWasm((await loadRnnlab()).mod);
  } catch (e) {
    setStatus('Could not start');
    message(`This browser could not start the WebAssembly module (${errorText(e)}). rnnlab needs a browser with WebAssembly.`);
    return;
  }
  wire();
  if (!(await openHash(true))) return;
  window.addEventListener('hashchange', () => {
    if (location.hash !== writtenHash) openHash(false);
  });
  $('temp-out').textContent = Number($('temp').value).toFixed(2);
  state.speed = Number($('speed').value);
  showSpeed();
  sizeCanvases(state.pg);
  setRunning(true);
  requestAnimationFrame(frame);
}

boot();
