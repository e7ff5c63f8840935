// The step-through view both pages share: one time step of a model as columns of cells (the
// input, the previous state, the gates, the new state and, for a training window, the backward
// signal ∂L/∂hₜ), and the cell's equations for the unit under the pointer with live numbers.
// A page gives the canvas, the equations box and a source of columns and equations.

import { $ } from './format.js';
import { fitCanvas, context2d } from './canvas.js';
import { divergingColour, divergingIndex } from './colour.js';
import { errorText } from './shell.js';
import { SvgContext } from './svg.js';

/** Every step view by its canvas's id (for the downloads). */
const VIEWS = new Map();

/** The step view drawing on the canvas `id`. */
export function stepView(id) {
  return VIEWS.get(id);
}

const LABELS = { x: 'xₜ', hPrev: 'hₜ₋₁', cPrev: 'cₜ₋₁', c: 'cₜ', h: 'hₜ', dh: '∂L/∂hₜ', i: 'i', f: 'f', g: 'g', o: 'o', r: 'r', z: 'z', n: 'n' };
const COL_W = 34;
const GAP = 12;
const TOP = 44;
const LEFT = 34;
/** Least height of a unit's row, and the tallest the canvas grows to for many units. */
const MIN_ROW = 3;
const MAX_HEIGHT = 1100;
const HINT = 'Hover over a unit (a row of cells) to see its equations filled in with live numbers.';

function columnsOf(d) {
  const cols = [{ key: 'x', values: d.x, range: Math.max(1, maxAbs(d.x)) }];
  cols.push({ key: 'hPrev', values: d.hPrev, range: Math.max(1, maxAbs(d.hPrev)) });
  if (d.cPrev.length) cols.push({ key: 'cPrev', values: d.cPrev, range: Math.max(1, maxAbs(d.cPrev)) });
  for (const g of d.gates) cols.push({ key: g.name, values: g.values, range: 1 });
  if (d.c.length) cols.push({ key: 'c', values: d.c, range: Math.max(1, maxAbs(d.c)) });
  cols.push({ key: 'h', values: d.h, range: Math.max(1, maxAbs(d.h)) });
  if (d.dh.length) cols.push({ key: 'dh', values: d.dh, range: maxAbs(d.dh) || 1, gapBefore: 24 });
  return cols;
}

function maxAbs(v) {
  let m = 0;
  for (const x of v) if (Number.isFinite(x)) m = Math.max(m, Math.abs(x));
  return m;
}

const KEYS = {
  lstm: ['i input gate · f forget gate · o output gate: σ, white 0 → red 1', 'g candidate: tanh, blue −1 → red +1', 'cₜ = f·cₜ₋₁ + i·g        hₜ = o·tanh(cₜ)'],
  gru: ['r reset gate · z update gate: σ, white 0 → red 1', 'n candidate: tanh, blue −1 → red +1', 'n = tanh(W·x + r·(U·hₜ₋₁))    hₜ = (1 − z)·n + z·hₜ₋₁'],
  rnn: ['hₜ = tanh(W·x + U·hₜ₋₁)   (ReLU: max(0, …))'],
};

/** The column key to the right of the columns, when there is room. */
function key(ctx, x, width, cell, dhNote) {
  const lines = [
    ...(KEYS[cell] || []),
    'red +, blue −; under each label: its colour scale',
    ...dhNote,
    'Hover a row: that unit’s equations, filled in.',
  ];
  ctx.textAlign = 'left';
  ctx.textBaseline = 'alphabetic';
  ctx.fillStyle = '#30363d';
  // The largest size (13 px down to 10 px) at which every line fits; none fits: no key.
  for (let px = 13; px >= 10; px--) {
    ctx.font = `${px}px sans-serif`;
    if (Math.max(...lines.map((l) => ctx.measureText(l).width)) <= width - x - 4) {
      lines.forEach((l, i) => ctx.fillText(l, x, TOP + 12 + i * (px + 7)));
      return;
    }
  }
}

function fmtRange(r) {
  return r >= 100 || r < 0.01 ? r.toExponential(0) : String(Number(r.toPrecision(2)));
}

function highlight(ctx, layout, hover) {
  const { cols, rowH } = layout;
  const { col, row } = hover;
  const c = cols[col];
  if (!c || row >= c.values.length) return;
  ctx.strokeStyle = '#111';
  ctx.lineWidth = 2;
  if (c.key === 'x') {
    ctx.strokeRect(c.x0 - 1, TOP + row * rowH - 1, COL_W + 2, rowH + 1);
  } else {
    for (const k of cols) if (k.key !== 'x') ctx.strokeRect(k.x0 - 1, TOP + row * rowH - 1, COL_W + 2, rowH + 1);
  }
  ctx.lineWidth = 1;
}

export class StepView {
  /**
   * `canvas` and `equations` are element ids; `source` answers `columns(t)` (StepColumns from
   * wasm, or null with `empty` set), `equations(t, unit)`, `cell()` (rnn, lstm, gru) and has
   * `dhNote` (the key's lines on ∂L/∂hₜ, empty when there is none); with `pick(state, unit)`,
   * clicking a unit's cell calls it.
   */
  constructor(canvas, equations, source) {
    Object.assign(this, { canvas, equations, source, layout: null, hover: null, data: null, t: 0 });
    VIEWS.set(canvas, this);
    $(canvas).addEventListener('mousemove', (e) => this.onMove(e));
    if (source.pick) $(canvas).addEventListener('click', () => this.onClick());
  }

  /** A click on a unit's cell: `source.pick(state, unit)`, the state being h, c or a gate's name
   * (hₜ₋₁ is h and cₜ₋₁ is c, of the step before). */
  onClick() {
    if (!this.hover || !this.layout) return;
    const key = this.layout.cols[this.hover.col]?.key;
    const state = { hPrev: 'h', cPrev: 'c', x: null, dh: null }[key] ?? key;
    if (state) this.source.pick(state, this.hover.row);
  }

  /** Forgets the unit under the pointer (a new model). */
  reset() {
    this.hover = null;
    $(this.equations).textContent = HINT;
  }

  /** Draws step `t`, or `emptyText` when there is nothing to show; on the canvas, or on `svg`
   * (an SvgContext) instead. */
  draw(t, emptyText, svg = null) {
    const canvas = $(this.canvas);
    this.emptyText = emptyText;
    let d = null;
    try {
      d = emptyText ? null : this.source.columns(t);
    } catch (e) {
      emptyText = errorText(e);
    }
    // The markup's height, taller when the units need it (MIN_ROW px each, up to MAX_HEIGHT).
    canvas.dataset.baseHeight ??= String(canvas.height);
    const units = d ? Math.max(d.x.length, d.h.length) : 0;
    const height = Math.min(MAX_HEIGHT, Math.max(Number(canvas.dataset.baseHeight), TOP + units * MIN_ROW + 10));
    if (!svg) fitCanvas(canvas, height);
    const ctx = svg ? svg.size(canvas.clientWidth, height) : context2d(canvas);
    const width = canvas.clientWidth;
    ctx.fillStyle = '#fff';
    ctx.fillRect(0, 0, width, height);
    if (!d) {
      this.layout = null;
      ctx.fillStyle = '#5b6370';
      ctx.font = '15px sans-serif';
      ctx.textAlign = 'left';
      ctx.fillText(emptyText || '', 20, 40);
      return;
    }
    Object.assign(this, { data: d, t });
    const cols = columnsOf(d);
    const rows = Math.max(...cols.map((c) => c.values.length));
    const rowH = Math.max(1, Math.min(14, Math.floor((height - TOP - 10) / rows)));
    let x = LEFT;
    ctx.textAlign = 'center';
    ctx.textBaseline = 'alphabetic';
    const cells = new Map();
    const cell = (k, cx, cy) => {
      if (!cells.has(k)) cells.set(k, []);
      cells.get(k).push(cx, cy);
    };
    for (const c of cols) {
      x += c.gapBefore || 0;
      c.x0 = x;
      ctx.fillStyle = '#222';
      ctx.font = '14px sans-serif';
      ctx.fillText(LABELS[c.key] || c.key, x + COL_W / 2, TOP - 22);
      ctx.font = '11px sans-serif';
      ctx.fillStyle = '#5b6370';
      ctx.fillText(c.key === 'x' ? d.input.slice(0, 8) : `±${fmtRange(c.range)}`, x + COL_W / 2, TOP - 7);
      c.values.forEach((v, j) => cell(divergingIndex(v, c.range), x, TOP + j * rowH));
      x += COL_W + GAP;
    }
    // The cells, a colour at a time (a big layer has tens of thousands), then the columns' frames.
    const cellH = Math.max(1, rowH - (rowH > 5 ? 1 : 0));
    for (const [k, at] of cells) {
      ctx.fillStyle = divergingColour(k);
      for (let i = 0; i < at.length; i += 2) ctx.fillRect(at[i], at[i + 1], COL_W, cellH);
    }
    ctx.strokeStyle = '#d8dce2';
    for (const c of cols) ctx.strokeRect(c.x0 - 0.5, TOP - 0.5, COL_W + 1, c.values.length * rowH + 1);
    // The input's labels inside its cells, when they fit.
    const xc = cols[0];
    if (rowH >= 10) {
      ctx.textAlign = 'center';
      ctx.textBaseline = 'middle';
      ctx.font = `${Math.min(11, rowH - 1)}px sans-serif`;
      xc.values.forEach((v, j) => {
        const label = (d.xLabels[j] || '').slice(0, 4);
        ctx.fillStyle = Math.abs(v) > 0.6 ? '#fff' : '#5b6370';
        ctx.fillText(label, xc.x0 + COL_W / 2, TOP + (j + 0.5) * rowH);
      });
    }
    const notes = [...this.source.dhNote, ...(this.source.pick ? ['Click a cell: colour the text by that unit.'] : [])];
    key(ctx, x + 16, width, this.source.cell(), notes);
    // Unit numbers on the left.
    ctx.textAlign = 'right';
    ctx.textBaseline = 'middle';
    ctx.font = '11px sans-serif';
    ctx.fillStyle = '#5b6370';
    const every = Math.max(1, Math.ceil(14 / rowH));
    const hidden = d.h.length;
    for (let j = 0; j < hidden; j += every) ctx.fillText(String(j), LEFT - 6, TOP + (j + 0.5) * rowH);
    this.layout = { cols, rowH, hidden };
    if (this.hover) highlight(ctx, this.layout, this.hover);
    this.showEquations();
  }

  /** The step as drawn now, as an SVG document: the same drawing on an SvgContext. */
  svg() {
    const out = new SvgContext();
    this.draw(this.t, this.emptyText, out);
    return out.toString();
  }

  /** Whether a step is drawn (not just a message). */
  drawn() {
    return this.layout !== null;
  }

  showEquations() {
    const out = $(this.equations);
    if (!this.hover || !this.layout) return;
    const { col, row } = this.hover;
    const c = this.layout.cols[col];
    if (!c || row >= c.values.length) return;
    if (c.key === 'x') {
      const d = this.data;
      const label = d.xLabels[row] || String(row);
      out.textContent = `input ${d.input} at t = ${this.t}\nxₜ[${row}] (${label}) = ${Number(d.x[row]).toFixed(3)}`;
      return;
    }
    try {
      out.textContent = this.source.equations(this.t, row).join('\n');
    } catch (e) {
      out.textContent = errorText(e);
    }
  }

  onMove(e) {
    if (!this.layout) return;
    const [x, y] = [e.offsetX, e.offsetY];
    const { cols, rowH } = this.layout;
    const col = cols.findIndex((c) => x >= c.x0 && x < c.x0 + COL_W);
    const row = Math.floor((y - TOP) / rowH);
    if (col < 0 || row < 0 || row >= cols[col].values.length) return;
    if (this.hover && this.hover.col === col && this.hover.row === row) return;
    this.hover = { col, row };
    this.draw(this.t);
  }
}
