// Look-inside timings for the bench page (#inspect): the playground's default model, trained a
// little, reads 20,000 characters of Hamlet; then units are ranked by a named feature and by a
// regular expression's matches, and one prediction's saliency is taken. Each is timed
// `samples` times; the rows give the median and the spread.

import { regexValues } from '../shared/features.js';

/** Characters read: the "long text". */
export const INSPECT_CHARS = 20_000;

/** Times `fn` `samples` times (yielding between runs) and returns its row. */
async function timed(what, chars, samples, tick, fn) {
  const ms = [];
  for (let i = 0; i < samples; i++) {
    const t0 = performance.now();
    fn(i);
    ms.push(performance.now() - t0);
    await tick();
  }
  ms.sort((a, b) => a - b);
  const at = (q) => ms[Math.min(ms.length - 1, Math.floor(q * ms.length))];
  return { what, chars, ms: at(0.5), msP10: at(0.1), msP90: at(0.9), samples };
}

/** The rows: reading, ranking by `line-pos`, ranking by a regular expression, saliency. */
export async function timeInspect(mod, text, { samples, tick, status }) {
  const pg = new mod.Playground(mod.Playground.defaultQuery(), text);
  try {
    pg.trainFor(50, 1e9);
    const passage = [...text].slice(0, INSPECT_CHARS).join('');
    const read = () => {
      pg.inspect(passage);
      while (!pg.inspectFor(1e9).done);
    };
    status(`inspect: reading ${INSPECT_CHARS} characters`);
    const rows = [await timed(`read ${INSPECT_CHARS.toLocaleString('en-US')} characters (surprise, top-5, every state)`, INSPECT_CHARS, samples, tick, read)];
    const chars = pg.inspect(passage).chars;
    while (!pg.inspectFor(1e9).done);
    const n = chars.length;
    status('inspect: ranking units');
    rows.push(await timed('rank units by line-pos', n, samples, tick, () => pg.rankUnits('line-pos')));
    const regex = () => pg.rankUnitsBy(regexValues(chars, '[aeiou]+'));
    rows.push(await timed('rank units by a regular expression ([aeiou]+, matched in JS)', n, samples, tick, regex));
    status('inspect: saliency');
    // A new position each run (the page keeps the latest saliency).
    rows.push(await timed('saliency of a prediction near the end (300 characters back)', n, samples, tick, (i) => pg.saliency(n - 2 - i)));
    return { config: pg.query(), rows };
  } finally {
    pg.free();
  }
}
