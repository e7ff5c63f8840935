// The playground's downloads (shared/download.js): the loss chart (and the loss history as CSV),
// the heatmap, and the inspector's step view, saliency and hidden-state path, each as PNG and
// SVG. File names say what and at which training step.

import { addDownloads, useCapture } from '../shared/download.js';
import { stepView } from '../shared/steps.js';
import { heatChoice } from './heat.js';
import { chosen } from './inspect.js';
import { state } from './state.js';

const pg = () => state.pg;
const step = () => `step${pg() ? pg().steps() : 0}`;

export function wireDownloads(mod) {
  useCapture(mod);
  addDownloads('loss-canvas', {
    name: () => `rnnlab-loss-${step()}`,
    draw: (c) => pg().drawLoss(c),
    ready: () => !!pg(),
    csv: () => pg().historyCsv(),
  });
  addDownloads('heat-canvas', {
    name: () => {
      const { layer, which } = heatChoice();
      return `rnnlab-heatmap-layer${layer + 1}-${which}-${step()}`;
    },
    draw: (c) => {
      const { layer, which } = heatChoice();
      pg().drawHeatmap(c, layer, which);
    },
    ready: () => !!pg(),
  });
  const view = stepView('c-inspect-step');
  const at = () => `t${chosen()?.t ?? 0}-${step()}`;
  addDownloads('c-inspect-step', { name: () => `rnnlab-update-${at()}`, svg: () => view.svg(), ready: () => view.drawn() });
  addDownloads('c-saliency', {
    name: () => `rnnlab-saliency-${at()}`,
    draw: (c) => pg().drawSaliency(c, chosen().t),
    ready: () => !!chosen() && !chosen().last,
  });
  addDownloads('c-trajectory', {
    name: () => `rnnlab-trajectory-${at()}`,
    draw: (c) => pg().drawTrajectory(c, chosen().t),
    ready: () => !!chosen(),
  });
}
