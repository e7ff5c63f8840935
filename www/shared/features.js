// Features of a text computed in the page, one value per character, for ranking units: what a
// regular expression matches (JavaScript's RegExp, so the wasm carries no regex engine).

import { errorText } from './shell.js';

/** 1 at every character inside a match of the regular expression `src`, else 0. `chars` are
 * the text's characters (code points); a bad pattern throws a message that says so. */
export function regexValues(chars, src) {
  if (!src) throw new Error('Type a regular expression first.');
  let re;
  try {
    re = new RegExp(src, 'gu');
  } catch (e) {
    throw new Error(`The regular expression ${JSON.stringify(src)} is not valid: ${errorText(e)}`);
  }
  const n = chars.length;
  const v = new Float32Array(n);
  const text = chars.join('');
  // Indices in UTF-16 units → character indices (the text can hold characters beyond the BMP).
  const unitToChar = new Int32Array(text.length + 1);
  let u = 0;
  chars.forEach((c, i) => {
    for (let k = 0; k < c.length; k++) unitToChar[u++] = i;
  });
  unitToChar[u] = n;
  for (const m of text.matchAll(re)) {
    if (!m[0].length) continue;
    for (let i = unitToChar[m.index]; i < unitToChar[m.index + m[0].length]; i++) v[i] = 1;
  }
  return v;
}
