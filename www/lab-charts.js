// Drawing the charts without starving training: each chart redraws when its data changed,
// charts on screen first and the least recently drawn first, within a few ms per frame.
// Also the readouts of the training, flow and clipping panels.

import { $, state, setText, fmtInt, fmtNum, fmtPct, fmtSci, fitCanvas, message, clearMessage, errorText } from './lab-state.js';

/** Drawing time per frame while something trains (ms) … */
const DRAW_BUDGET_MS = 5;
/** … and frames between two redraws of one chart then. */
const MIN_FRAMES = 3;

export class Charts {
  /** `list`: [{id, draw(canvas)}]. */
  constructor(list) {
    this.list = list.map((c) => ({ ...c, dirty: true, visible: false, last: -1, ms: 0 }));
    const observer = new IntersectionObserver((entries) => {
      for (const e of entries) {
        const c = this.list.find((x) => x.id === e.target.id);
        if (c) c.visible = e.isIntersecting;
      }
    });
    for (const c of this.list) observer.observe($(c.id));
  }

  markAll() {
    for (const c of this.list) c.dirty = true;
  }

  mark(ids) {
    for (const c of this.list) if (ids.includes(c.id)) c.dirty = true;
  }

  /** Draws what is due; `busy` = something is training (then keep within the budget). */
  run(busy, frame) {
    const due = this.list.filter((c) => c.dirty && (!busy || (c.visible && frame - c.last >= MIN_FRAMES) || frame - c.last > 90));
    due.sort((a, b) => Number(b.visible) - Number(a.visible) || a.last - b.last);
    const t0 = performance.now();
    for (const c of due) {
      if (busy && performance.now() - t0 > DRAW_BUDGET_MS) break;
      const canvas = $(c.id);
      fitCanvas(canvas);
      const t1 = performance.now();
      try {
        c.draw(canvas);
        clearMessage(`draw:${c.id}`);
      } catch (e) {
        message(`Could not draw a chart: ${errorText(e)}`, { key: `draw:${c.id}` });
      }
      c.ms = performance.now() - t1;
      c.dirty = false;
      c.last = frame;
    }
  }
}

/** Puts RGBA cell pixels from the facade on a canvas. */
export function putPixels(canvas, r) {
  if (!r || !r.width || !r.height) return;
  const data = new Uint8ClampedArray(r.pixels.buffer, r.pixels.byteOffset, r.pixels.length);
  canvas.getContext('2d').putImageData(new ImageData(data, r.width, r.height), r.left, r.top);
}

/** The main model's charts. */
export function mainCharts() {
  const lab = () => state.lab;
  return new Charts([
    { id: 'c-loss', draw: (c) => lab().drawLoss(c) },
    { id: 'c-acc', draw: (c) => lab().drawAccuracy(c) },
    { id: 'c-flow', draw: (c) => lab().drawFlow(c) },
    { id: 'c-heat', draw: (c) => putPixels(c, lab().drawFlowHeat(c)) },
    { id: 'c-clip', draw: (c) => lab().drawClip(c) },
  ]);
}

const perLayer = (arr, f) => (arr && arr.length ? [...arr].map(f).join(' · ') : '–');

/** The numbers of the toolbar, flow and clipping panels. */
export function readouts() {
  const lab = state.lab;
  if (!lab) return;
  const r = lab.readouts();
  const info = state.info;
  setText('r-step', fmtInt(r.step));
  setText('r-loss', fmtNum(r.loss));
  setText('r-acc', info && info.real && !Number.isFinite(r.accuracy) ? '–' : fmtPct(r.accuracy));
  setText('r-sps', Number.isFinite(state.sps) ? fmtInt(state.sps) : '–');
  setText('r-shrink', perLayer(r.shrink, (x) => fmtNum(x, 3)));
  setText('r-fall', perLayer(r.fall, (x) => (Number.isFinite(x) ? `${fmtSci(x)}×` : fmtSci(x))));
  setText('r-sigma', perLayer(r.sigmaMax, (x) => fmtNum(x, 2)));
  setText('r-sat', perLayer(r.saturation, (x) => fmtPct(x)));
  setText('r-clip-all', fmtPct(r.clipFraction));
  setText('r-clip-recent', fmtPct(r.clipRecent));
  setText('r-gn', fmtSci(r.gradNorm));
  setText('r-gnc', fmtSci(r.gradNormClipped));
  return r;
}

/** The baseline readout (once per model). */
export function showBaseline(info) {
  const acc = Number.isFinite(info.baselineAccuracy) ? `, ${fmtPct(info.baselineAccuracy)} right` : '';
  setText('r-base-name', `baseline: ${info.baselineName}`);
  setText('r-base', `loss ${fmtNum(info.baselineLoss)}${acc}`);
}
