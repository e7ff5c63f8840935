// The heatmap's controls (layer, and which state or gate to show), its hover tooltip, and the
// sizing of both chart canvases (CSS width × devicePixelRatio; the heatmap grows with the units).

import { $, visibleChar } from '../shared/format.js';
import { fitCanvas } from '../shared/canvas.js';
import { state } from './state.js';

const LABELS = {
  h: 'hidden hₜ',
  c: 'cell cₜ',
  i: 'input gate i',
  f: 'forget gate f',
  g: 'candidate g',
  o: 'output gate o',
  r: 'reset gate r',
  z: 'update gate z',
  n: 'new state n',
};

const LOSS_HEIGHT = 300;
let mouse = null; // the pointer over the heatmap, CSS pixels of the canvas

/** What the heatmap should show now. */
export function heatChoice() {
  const picked = document.querySelector('input[name="heat-which"]:checked');
  return { layer: Number($('heat-layer').value) || 0, which: picked ? picked.value : 'h' };
}

function radio(k, checked) {
  const input = document.createElement('input');
  input.type = 'radio';
  input.name = 'heat-which';
  input.id = `heat-${k}`;
  input.value = k;
  input.checked = checked;
  const label = document.createElement('label');
  label.htmlFor = input.id;
  label.textContent = LABELS[k];
  return [input, label];
}

/** Rebuilds the layer and state/gate choices for a model (`info` from Playground.info()). */
export function initHeatmap(info) {
  const prev = heatChoice();
  const layers = $('heat-layer');
  layers.replaceChildren(...Array.from({ length: info.layers }, (_, i) => new Option(String(i + 1), String(i))));
  layers.value = String(Math.min(prev.layer, info.layers - 1));
  const kinds = ['h', ...(info.cell === 'lstm' ? ['c'] : []), ...(info.gates.length > 1 ? info.gates : [])];
  const which = kinds.includes(prev.which) ? prev.which : 'h';
  const box = $('heat-which');
  box.replaceChildren(box.querySelector('legend'), ...kinds.flatMap((k) => radio(k, k === which)));
  sizeCanvases();
}

/** Shows (or hides) the tooltip for the cell under the pointer, as last drawn. */
export function refreshTip() {
  const tip = $('heat-tip');
  const cell = mouse && state.pg ? state.pg.heatmapAt(mouse.x, mouse.y) : undefined;
  if (!cell) {
    tip.hidden = true;
    return;
  }
  const ch = cell.char === '' ? '?' : visibleChar(cell.char);
  tip.textContent = `unit ${cell.unit} · time ${cell.t} · input “${ch}”\nvalue ${cell.value.toFixed(3)}`;
  tip.hidden = false;
  const wrap = $('heat-canvas').parentElement.clientWidth;
  const left = Math.min(mouse.x + 14, wrap - tip.offsetWidth - 4);
  tip.style.left = `${Math.max(0, left)}px`;
  tip.style.top = `${mouse.y + 16}px`;
}

/** Fits both canvases to their CSS width at the pixel ratio; returns whether one changed. */
export function sizeCanvases() {
  if (!state.pg) return false;
  const hidden = state.pg.info().hidden;
  const heatH = Math.min(460, Math.max(260, 130 + 2.5 * hidden));
  const a = fitCanvas($('loss-canvas'), LOSS_HEIGHT, 320);
  const b = fitCanvas($('heat-canvas'), heatH, 320);
  return a || b;
}

export function wireHeatmap() {
  const redraw = () => {
    state.dirty = true;
  };
  $('heat-layer').addEventListener('change', redraw);
  $('heat-which').addEventListener('change', redraw);
  const canvas = $('heat-canvas');
  canvas.addEventListener('mousemove', (e) => {
    mouse = { x: e.offsetX, y: e.offsetY };
    refreshTip();
  });
  canvas.addEventListener('mouseleave', () => {
    mouse = null;
    $('heat-tip').hidden = true;
  });
}
