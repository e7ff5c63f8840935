// The heatmap's controls (layer, and which state or gate to show), its hover tooltip and
// the sizing of both chart canvases.

import { visibleChar } from './ui.js';

const $ = (id) => document.getElementById(id);

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

let mouse = null; // last pointer position over the heatmap, canvas pixels + CSS offset
let wired = false;
let onChange = () => {};

/** What the heatmap should show now. */
export function heatChoice() {
  const picked = document.querySelector('input[name="heat-which"]:checked');
  return { layer: Number($('heat-layer').value) || 0, which: picked ? picked.value : 'h' };
}

/** Rebuilds the layer and state/gate choices for a model (`info` from Playground.info()). */
export function initHeatmap(info, state) {
  const prev = heatChoice();
  const layers = $('heat-layer');
  layers.replaceChildren(
    ...Array.from({ length: info.layers }, (_, i) => new Option(String(i + 1), String(i))),
  );
  layers.value = String(Math.min(prev.layer, info.layers - 1));
  const kinds = ['h', ...(info.cell === 'lstm' ? ['c'] : []), ...(info.gates.length > 1 ? info.gates : [])];
  const which = kinds.includes(prev.which) ? prev.which : 'h';
  const box = $('heat-which');
  const legend = box.querySelector('legend');
  const items = kinds.flatMap((k) => {
    const input = document.createElement('input');
    input.type = 'radio';
    input.name = 'heat-which';
    input.id = `heat-${k}`;
    input.value = k;
    input.checked = k === which;
    const label = document.createElement('label');
    label.htmlFor = input.id;
    label.textContent = LABELS[k];
    return [input, label];
  });
  box.replaceChildren(legend, ...items);
  onChange = () => {
    state.dirty = true;
  };
  if (!wired) {
    wired = true;
    layers.addEventListener('change', () => onChange());
    box.addEventListener('change', () => onChange());
    const canvas = $('heat-canvas');
    canvas.addEventListener('mousemove', (e) => {
      mouse = { x: e.offsetX, y: e.offsetY };
      refreshTip(window.__rnnlab.pg);
    });
    canvas.addEventListener('mouseleave', () => {
      mouse = null;
      $('heat-tip').hidden = true;
    });
  }
  sizeCanvases({ info: () => info });
}

/** Shows (or hides) the tooltip for the cell under the pointer, as last drawn. */
export function refreshTip(pg) {
  const tip = $('heat-tip');
  if (!mouse || !pg) {
    tip.hidden = true;
    return;
  }
  const canvas = $('heat-canvas');
  const sx = canvas.width / canvas.clientWidth;
  const sy = canvas.height / canvas.clientHeight;
  const cell = pg.heatmapAt(mouse.x * sx, mouse.y * sy);
  if (!cell) {
    tip.hidden = true;
    return;
  }
  const ch = cell.char === '' ? '?' : visibleChar(cell.char);
  tip.textContent = `unit ${cell.unit} · time ${cell.t} · input “${ch}”\nvalue ${cell.value.toFixed(3)}`;
  tip.hidden = false;
  const wrap = canvas.parentElement.clientWidth;
  const left = Math.min(mouse.x + 14, wrap - tip.offsetWidth - 4);
  tip.style.left = `${Math.max(0, left)}px`;
  tip.style.top = `${mouse.y + 16}px`;
}

/** Matches each canvas's pixel size to its CSS width (heatmap height grows with units). */
export function sizeCanvases(pg) {
  if (!pg) return;
  const loss = $('loss-canvas');
  const heat = $('heat-canvas');
  const w = Math.max(320, Math.round(loss.clientWidth));
  const hidden = pg.info().hidden;
  const heatH = Math.round(Math.min(460, Math.max(260, 130 + 2.5 * hidden)));
  if (loss.width !== w) loss.width = w;
  if (heat.width !== w) heat.width = w;
  if (heat.height !== heatH) heat.height = heatH;
  loss.style.height = `${loss.height}px`;
  heat.style.height = `${heat.height}px`;
}
