// Drawing the lab's charts without starving training: each chart redraws when its data changed,
// charts on screen first and the least recently drawn first, within a few ms per frame. The
// charts themselves come from wasm (src/render), at the canvas's pixel density.

import { $ } from '../shared/format.js';
import { fitCanvas } from '../shared/canvas.js';
import { message, clearMessage, errorText } from '../shared/shell.js';

/** Drawing time per frame while something trains (ms) … */
const DRAW_BUDGET_MS = 5;
/** … and frames between two redraws of one chart then. */
const MIN_FRAMES = 3;

/** Every chart's drawing by its canvas's id (for the downloads). */
const DRAWS = new Map();

/** The function that draws the chart on the canvas `id`. */
export function drawOf(id) {
  return DRAWS.get(id);
}

export class Charts {
  /** `list`: [{id, draw(canvas)}]. */
  constructor(list) {
    this.list = list.map((c) => ({ ...c, dirty: true, visible: false, last: -1 }));
    for (const c of list) DRAWS.set(c.id, c.draw);
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

  /** Draws what is due; `busy` = something is training (then keep within the budget). */
  run(busy, frame) {
    const due = this.list.filter((c) => c.dirty && (!busy || (c.visible && frame - c.last >= MIN_FRAMES) || frame - c.last > 90));
    due.sort((a, b) => Number(b.visible) - Number(a.visible) || a.last - b.last);
    const t0 = performance.now();
    for (const c of due) {
      if (busy && performance.now() - t0 > DRAW_BUDGET_MS) break;
      const canvas = $(c.id);
      fitCanvas(canvas);
      try {
        c.draw(canvas);
        clearMessage(`draw:${c.id}`);
      } catch (e) {
        message(`Could not draw a chart: ${errorText(e)}`, { key: `draw:${c.id}` });
      }
      c.dirty = false;
      c.last = frame;
    }
  }
}
