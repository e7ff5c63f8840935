// Texts to learn from: the shipped corpora and uploaded files, checked before they reach
// the model so a bad file gets a message instead of a broken page; and files to download.

import { saveBlob } from './download.js';

export const PRESETS = {
  hamlet: 'Hamlet',
  'romeo-and-juliet': 'Romeo and Juliet',
  'the-tempest': 'The Tempest',
};

const cache = new Map();

/** The text of a shipped corpus (fetched once). */
export async function fetchCorpus(name) {
  if (!(name in PRESETS)) throw new Error(`There is no built-in text called “${name}”.`);
  if (!cache.has(name)) {
    const res = await fetch(new URL(`../corpora/${name}.txt`, import.meta.url));
    if (!res.ok) throw new Error(`Could not load the text “${PRESETS[name]}” (HTTP ${res.status}).`);
    cache.set(name, await res.text());
  }
  return cache.get(name);
}

const mb = (bytes) => `${(bytes / 1048576).toFixed(1)} MB`;

/** Whether bytes look like a binary file: NUL bytes or many control characters. */
function looksBinary(bytes) {
  const n = Math.min(bytes.length, 65536);
  let control = 0;
  for (let i = 0; i < n; i++) {
    const b = bytes[i];
    if (b === 0) return true;
    if (b < 32 && b !== 9 && b !== 10 && b !== 13 && b !== 12) control++;
  }
  return control > n * 0.01;
}

/** Reads an uploaded text file; throws an Error with a plain-words message when unusable. */
export async function readTextFile(file, maxBytes) {
  const name = `“${file.name}”`;
  if (file.size === 0) throw new Error(`${name} is empty: choose a file with some text in it.`);
  if (file.size > maxBytes) {
    throw new Error(`${name} is ${mb(file.size)}; the playground trains on at most ${mb(maxBytes)} of text. Use a shorter excerpt.`);
  }
  const bytes = new Uint8Array(await file.arrayBuffer());
  if (looksBinary(bytes)) throw new Error(`${name} looks like a binary file, not plain text. Upload a .txt file.`);
  let text;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new Error(`${name} is not UTF-8 text. Save it as UTF-8 (most editors offer this under “Save as”) and try again.`);
  }
  if (text.startsWith('\ufeff')) text = text.slice(1);
  if (!text.trim()) throw new Error(`${name} holds only whitespace: choose a file with some text in it.`);
  return text;
}

/** Reads an uploaded model file's bytes. */
export async function readModelFile(file) {
  const name = `“${file.name}”`;
  if (file.size === 0) throw new Error(`${name} is empty: it is not a model file.`);
  if (file.size > 512 * 1048576) throw new Error(`${name} is ${mb(file.size)}; model files are at most 512 MB.`);
  return new Uint8Array(await file.arrayBuffer());
}

/** Downloads `bytes` as a file called `name`. */
export function saveBytes(bytes, name, type = 'application/octet-stream') {
  saveBlob(new Blob([bytes], { type }), name);
}
