// The frame loop and the training driver both pages share: one training step per animation frame
// by default; faster speeds train as many steps as fit in a budget of the frame (adapting to how
// late frames come), so the page stays at 60 fps. Play/Pause, Step, Roll back, the speed slider
// and the keyboard (Space, →) are wired here.

import { $, fmtInt } from './format.js';
import { setStatus, message, errorText, showDiverged, hideDiverged, isDiverged } from './shell.js';

/** Steps per frame for each position of the speed slider; Infinity = as many as fit. */
const SPEEDS = [1, 2, 5, 10, 20, 50, 100, Infinity];
/** Script time per frame at "max" (training plus what the page draws, which is taken off the
 * training time) adapts between these: a late frame (20-100 ms after the one before; longer
 * gaps are a hidden tab or a dialog) cuts it by 15%, and each frame on time gives back 0.05 ms.
 * The rest of the 16.7 ms is the browser's (style, layout, paint: ~1-3 ms on 2 cores). */
const MAX_BUDGET_MS = 10;
const MIN_BUDGET_MS = 4;
const LATE_FRAME_MS = [20, 100];
/** Fixed speeds stop early past this, so the page never freezes on a big model. */
const FIXED_BUDGET_MS = 40;
/** With a worker: at "max" it answers with the latest state about this often; at fixed speeds it
 * trains the frame's steps unless they take longer than this. */
const WORKER_MAX_MS = 25;
const WORKER_FIXED_MS = 250;
/** At "max" an answer holds at least this many steps' time when steps are long (up to
 * WORKER_FIXED_MS): each answer costs messages, a sync packet and the heatmap's states of its
 * last step; with the lab's full diagnostics on that step (half a step more at batch 32), one
 * step per answer spent a third of the time on them. */
const STEPS_PER_ANSWER = 4;

/** How long the worker trains before it answers at "max", given the ms a step takes. */
export function maxSpeedAnswerMs(msPerStep) {
  if (!Number.isFinite(msPerStep)) return WORKER_MAX_MS;
  return Math.min(WORKER_FIXED_MS, Math.max(WORKER_MAX_MS, STEPS_PER_ANSWER * msPerStep));
}

/** The timing average of the pages: 0.9 of the past, 0.1 of the new figure (the first one as it
 * is). */
export const ema = (old, x) => (Number.isFinite(old) ? 0.9 * old + 0.1 * x : x);

/**
 * The training driver of one page. `model()` is the current wasm model (Playground or Lab:
 * `trainFor`, `step`, `diverged`, `rollback`); `onTrained(steps)` runs after any training;
 * `onRollback(step)` after a roll-back. `remote()` is the training worker (remote.js) or null:
 * while it has the model, training happens there and `model()` is the page's copy.
 */
export class Trainer {
  constructor({ model, remote = () => null, onTrained = () => {}, onRollback = () => {} }) {
    Object.assign(this, { model, remote, onTrained, onRollback });
    this.running = false;
    this.speed = 0;
    this.firstStepMs = null;
    /** Settles once the page's copy has caught up after the last pause. */
    this.caughtUp = Promise.resolve();
    // fps and steps/s over the last second; ms per step; the adaptive budget at max speed.
    // stepsPerAnswer: steps per answer of the worker, or per frame on the page's thread (moving average).
    this.perf = { fps: NaN, sps: NaN, msPerStep: NaN, stepsPerAnswer: NaN, budgetMs: MAX_BUDGET_MS, lastFrame: 0, frames: 0, steps: 0, t0: 0 };
  }

  setRunning(on) {
    const paused = this.running && !on;
    this.running = on;
    // Paused, the page's copy is what the views show and inspect: give it the weights the
    // worker trained to (while training it takes them only now and then: remote.js).
    if (paused) this.caughtUp = this.catchUp();
    $('play').textContent = on ? 'Pause' : 'Play';
    $('play').setAttribute('aria-pressed', String(on));
    setStatus(on ? 'Training…' : 'Paused');
  }

  async catchUp() {
    const w = this.worker();
    if (!w) return;
    await w.busy?.catch(() => {});
    try {
      if (!this.running && (await w.catchUp())) this.onTrained(0);
    } catch (e) {
      message(errorText(e), { key: 'train' });
    }
  }

  togglePlay() {
    if (!this.model() || (!this.running && isDiverged())) return;
    this.setRunning(!this.running);
  }

  onError(e) {
    this.setRunning(false);
    if (this.model().diverged()) {
      showDiverged(errorText(e));
      setStatus('Paused: training diverged');
    } else {
      message(errorText(e), { key: 'train' });
    }
    this.onTrained(0);
  }

  noteSteps(r) {
    if (!r.steps) return;
    if (this.firstStepMs === null) this.firstStepMs = performance.now();
    this.perf.steps += r.steps;
    this.perf.msPerStep = ema(this.perf.msPerStep, (r.ms - (r.valMs || 0)) / r.steps);
    this.perf.stepsPerAnswer = ema(this.perf.stepsPerAnswer, r.steps);
    this.onTrained(r.steps);
  }

  /** Trains for this frame if running; at "max", for the budget less `otherMs` (what this frame
   * spends on other work). At one step per frame the budget only bounds the share of other work
   * trainFor does first (the playground's validation loss). */
  trainFrame(otherMs = 0) {
    if (!this.running) return;
    if (this.worker()) {
      this.trainRemote();
      return;
    }
    const speed = SPEEDS[this.speed];
    const max = speed === Infinity ? 1e6 : speed;
    const budget = speed === Infinity ? Math.max(1, this.perf.budgetMs - otherMs) : speed === 1 ? this.perf.budgetMs : FIXED_BUDGET_MS;
    try {
      this.noteSteps(this.model().trainFor(max, budget));
    } catch (e) {
      this.onError(e);
    }
  }

  /** The training worker, when it has the model. */
  worker() {
    const r = this.remote();
    return r && r.active ? r : null;
  }

  /** One frame's steps in the worker (none while it is still busy with the last ones); at "max"
   * the next request leaves as soon as an answer arrives, so the worker trains continuously. */
  trainRemote() {
    const speed = SPEEDS[this.speed];
    const max = speed === Infinity;
    const again = () => {
      if (this.running && SPEEDS[this.speed] === Infinity) this.trainRemote();
    };
    this.worker()?.train(
      max ? 1e6 : speed,
      max ? maxSpeedAnswerMs(this.perf.msPerStep) : WORKER_FIXED_MS,
      (res) => {
        this.noteSteps(res.report);
        again();
      },
      (e) => this.onError(e),
    );
  }

  /** Exactly one step (pauses first). */
  stepOnce() {
    if (!this.model()) return;
    if (this.running) this.setRunning(false);
    if (isDiverged()) return;
    const w = this.worker();
    if (w) {
      w.step((res) => this.noteSteps(res.report), (e) => this.onError(e));
      return;
    }
    const t0 = performance.now();
    try {
      this.model().step();
      this.noteSteps({ steps: 1, ms: performance.now() - t0 });
    } catch (e) {
      this.onError(e);
    }
  }

  /** Back to the last good snapshot after a divergence. */
  rollback() {
    const w = this.worker();
    if (w) {
      w.rollback().then(
        (step) => this.rolledBack(step),
        (e) => message(errorText(e), { key: 'train' }),
      );
      return;
    }
    this.rolledBack(this.model().rollback());
  }

  rolledBack(step) {
    hideDiverged();
    setStatus('Paused');
    message(`Rolled back to step ${fmtInt(step)}. Lower the learning rate or turn on gradient clipping before pressing Play again.`, { kind: 'notice', key: 'train' });
    this.onRollback(step);
  }

  /** Steps per frame at the current speed (Infinity at "max"). */
  stepsPerFrame() {
    return SPEEDS[this.speed];
  }

  showSpeed() {
    const s = SPEEDS[this.speed];
    const max = this.worker() ? 'max (the worker trains without pause)' : `max (up to ≈${MAX_BUDGET_MS} ms of training per frame)`;
    $('speed-out').textContent = s === Infinity ? max : `${s} step${s > 1 ? 's' : ''} / frame`;
  }

  /** Frame bookkeeping: fps and steps/s each second, and at max speed less training after a
   * late frame and a little more after each on time. */
  tick(now) {
    const p = this.perf;
    p.frames++;
    const gap = now - p.lastFrame;
    p.lastFrame = now;
    if (this.running && SPEEDS[this.speed] === Infinity && gap <= LATE_FRAME_MS[1]) {
      p.budgetMs = gap > LATE_FRAME_MS[0] ? Math.max(MIN_BUDGET_MS, 0.85 * p.budgetMs) : Math.min(MAX_BUDGET_MS, p.budgetMs + 0.05);
    }
    if (now - p.t0 >= 1000) {
      const dt = (now - p.t0) / 1000;
      p.fps = p.frames / dt;
      p.sps = this.running ? p.steps / dt : NaN;
      p.frames = p.steps = 0;
      p.t0 = now;
    }
  }

  /** Wires Play, Step, Roll back, the speed slider and the keys; `reset` handles Reset. */
  wire(reset) {
    $('play').addEventListener('click', () => this.togglePlay());
    $('step').addEventListener('click', () => this.stepOnce());
    $('reset').addEventListener('click', reset);
    $('rollback').addEventListener('click', () => this.rollback());
    $('speed').addEventListener('input', () => {
      this.speed = Number($('speed').value);
      this.showSpeed();
    });
    this.speed = Number($('speed').value);
    this.showSpeed();
    document.addEventListener('keydown', (e) => this.onKey(e));
  }

  onKey(e) {
    if (e.ctrlKey || e.metaKey || e.altKey) return;
    const t = e.target;
    const typing = t.closest && t.closest('input, textarea, select, [contenteditable]');
    if (e.key === ' ' && !typing && !t.closest('button, a, label')) {
      e.preventDefault();
      this.togglePlay();
    } else if (e.key === 'ArrowRight' && !typing) {
      e.preventDefault();
      this.stepOnce();
    }
  }
}

/** Calls `frame(now)` on every animation frame, after the trainer's bookkeeping. */
export function startLoop(trainer, frame) {
  const loop = (now) => {
    requestAnimationFrame(loop);
    trainer.tick(now);
    frame(now);
  };
  requestAnimationFrame(loop);
}
