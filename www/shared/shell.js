// The frame every page shares: status line, messages, the "training blew up" box and the toolbar
// (Play, Step, Reset, speed and readouts), built into the page's placeholders
// (`<div data-shell="notices">`, `<section data-shell="toolbar">`).

import { $ } from './format.js';
import { loadRnnlab } from './loader.js';
import { usePalette } from './colour.js';

export function setStatus(text) {
  $('status').textContent = text;
}

/** The text of an error thrown by wasm or JS. */
export function errorText(e) {
  return (e && e.message) || String(e);
}

/** Shows a message (kind 'error' or 'notice'); one per key, replaced when shown again. */
export function message(text, { kind = 'error', key = text } = {}) {
  const box = $('messages');
  for (const el of box.children) if (el.dataset.key === key) el.remove();
  const el = document.createElement('div');
  el.className = `msg ${kind}`;
  el.dataset.key = key;
  const p = document.createElement('p');
  p.textContent = text;
  const close = document.createElement('button');
  close.type = 'button';
  close.textContent = 'Dismiss';
  close.setAttribute('aria-label', 'Dismiss this message');
  close.addEventListener('click', () => el.remove());
  el.append(p, close);
  box.append(el);
}

/** Removes the message with `key`, or every message. */
export function clearMessage(key) {
  for (const el of [...$('messages').children]) if (key === undefined || el.dataset.key === key) el.remove();
}

/** Shows the divergence box with the core's explanation. */
export function showDiverged(detail) {
  $('diverged-detail').textContent = detail;
  $('diverged').hidden = false;
}

export function hideDiverged() {
  $('diverged').hidden = true;
}

export function isDiverged() {
  return !$('diverged').hidden;
}

const NOTICES = `
  <div id="messages" class="messages" role="alert" aria-live="assertive"></div>
  <div id="diverged" class="diverged" hidden>
    <h2>Training blew up</h2>
    <p>The last update was so large that the loss shot up (or stopped being a number), so training is paused.
      This happens when the learning rate is too high or the gradient is not clipped.</p>
    <p class="detail" id="diverged-detail"></p>
    <div class="row">
      <button type="button" id="rollback" class="primary">Roll back</button>
      <span class="hint">returns to the last good step (saved every 50 steps); then lower the learning rate or turn on clipping.</span>
    </div>
  </div>`;

const TOOLBAR = `
  <div class="row controls">
    <button type="button" id="play" class="primary" aria-keyshortcuts="Space">Play</button>
    <button type="button" id="step" aria-keyshortcuts="ArrowRight">Step</button>
    <button type="button" id="reset">Reset</button>
    <div class="field speed">
      <label for="speed">Speed <output id="speed-out" for="speed"></output></label>
      <input id="speed" type="range" min="0" max="7" step="1" value="0">
    </div>
    <span class="hint keys">Space: play/pause · →: one step</span>
  </div>
  <dl class="readouts"></dl>`;

/** Builds the shared parts; `readouts` are `[id, label]` pairs of the toolbar's figures (a third
 * entry gives the label an id, for a label that changes). */
export function mountShell(readouts) {
  document.querySelector('[data-shell="notices"]').outerHTML = NOTICES;
  const bar = document.querySelector('[data-shell="toolbar"]');
  bar.innerHTML = TOOLBAR;
  bar.setAttribute('aria-label', 'Training controls');
  bar.querySelector('.readouts').replaceChildren(
    ...readouts.map(([id, label, labelId]) => {
      const div = document.createElement('div');
      const dt = document.createElement('dt');
      const dd = document.createElement('dd');
      dt.textContent = label;
      if (labelId) dt.id = labelId;
      dd.id = id;
      dd.textContent = '–';
      div.append(dt, dd);
      return div;
    }),
  );
}

/**
 * Starts a page: builds the shared parts, loads the page's wasm module (`page`: 'playground',
 * 'lab' or 'series'; SIMD or scalar), takes its palette, then calls `start(mod)`. A browser that cannot run
 * the module gets a message.
 */
export async function bootPage({ page = 'playground', readouts, start }) {
  mountShell(readouts);
  let mod;
  try {
    const lib = await loadRnnlab({ page });
    mod = lib.mod;
    // For the soak (tests/e2e/soak.mjs) and the curious: the wasm instance's memory in bytes.
    window.__rnnlabWasm = { flavour: lib.flavour, memoryBytes: () => lib.wasm.memory.buffer.byteLength };
    usePalette(mod.palette());
  } catch (e) {
    setStatus('Could not start');
    message(`This browser could not start the WebAssembly module (${errorText(e)}). rnnlab needs a browser with WebAssembly.`);
    return;
  }
  await start(mod);
}
