// Drawing the two charts without costing a frame: the heatmap (the slow one) redraws on its turn,
// the loss chart on the others, never both in one frame while training; paused, both. Also the
// toolbar's readouts, at most ten times a second while training.

import { $, fmtInt, fmtNum, setText } from '../shared/format.js';
import { ema } from '../shared/loop.js';
import { message, clearMessage, errorText } from '../shared/shell.js';
import { heatChoice, refreshTip } from './heat.js';
import { state, drawPerf } from './state.js';

/** While training, the readouts change at most this often: each change costs a layout and a
 * repaint (~1-2 ms on 2 cores), and digits changing 60 times a second cannot be read anyway. */
const READOUT_EVERY_MS = 100;
let lastReadout = -Infinity;


/** Every how many frames the heatmap is redrawn while training: at most 20 times a second, and
 * so that it costs at most ~2 ms per frame on average. */
export function heatEvery() {
  const ms = drawPerf.heatMs;
  return Number.isFinite(ms) ? Math.min(10, Math.max(3, Math.round(ms / 2))) : 3;
}

function timed(key, draw) {
  const t0 = performance.now();
  draw();
  drawPerf[key] = ema(drawPerf[key], performance.now() - t0);
}

/** Draws what changed (see the top of this file); with `both`, both charts in this frame. */
export function draw(heatTurn, both = !state.trainer.running) {
  const pg = state.pg;
  try {
    if (state.heatDirty && (heatTurn || both)) {
      const { layer, which } = heatChoice();
      timed('heatMs', () => pg.drawHeatmap($('heat-canvas'), layer, which));
      state.heatDirty = false;
      refreshTip();
      if (!both) return;
    }
    if (state.lossDirty) {
      timed('lossMs', () => pg.drawLoss($('loss-canvas')));
      state.lossDirty = false;
    }
    clearMessage('draw');
  } catch (e) {
    state.lossDirty = state.heatDirty = false;
    message(`Could not draw the charts: ${errorText(e)}`, { key: 'draw' });
  }
}

/** Draws both charts now. Resizing a canvas blanks it, so the resize handler redraws at once,
 * before the frame is painted, rather than on the charts' turns up to ten frames later. */
export function drawNow() {
  state.lossDirty = state.heatDirty = true;
  draw(true, true);
}

export function readouts(now) {
  const running = state.trainer.running;
  if (running && now - lastReadout < READOUT_EVERY_MS) return;
  lastReadout = now;
  const { pg } = state;
  const p = state.trainer.perf;
  setText('r-step', fmtInt(pg.steps()));
  setText('r-chars', fmtInt(pg.chars()));
  setText('r-loss', fmtNum(pg.smoothLoss()));
  setText('r-val', fmtNum(pg.lastValLoss()));
  setText('r-ms', fmtNum(p.msPerStep, 2));
  setText('r-sps', Number.isFinite(p.sps) ? fmtInt(p.sps) : '–');
  setText('r-fps', Number.isFinite(p.fps) ? fmtInt(p.fps) : '–');
}
