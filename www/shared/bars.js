// Bars of a next-character distribution: one row per character (most likely first) with its
// probability, the one that actually came (or was drawn) marked. Filled with textContent only.

import { visibleChar } from './format.js';

/** `top` is `[[char, p], …]`; the row of `marked` gets the `picked` class and `why` as title. */
export function probabilityBars(top, marked, why) {
  const max = top.length ? top[0][1] : 1;
  return top.map(([c, p]) => {
    const li = document.createElement('li');
    if (c === marked) li.className = 'picked';
    const ch = document.createElement('span');
    ch.className = 'ch';
    ch.textContent = visibleChar(c);
    ch.title = c === marked ? why : '';
    const track = document.createElement('span');
    const bar = document.createElement('span');
    bar.className = 'bar';
    bar.style.display = 'block';
    bar.style.width = `${(100 * p) / Math.max(max, 1e-9)}%`;
    track.append(bar);
    const pct = document.createElement('span');
    pct.className = 'p';
    pct.textContent = `${(100 * p).toFixed(1)}%`;
    li.append(ch, track, pct);
    return li;
  });
}
