// "Export to PyTorch": the files `rnnlab export-torch` writes — train.py, init.safetensors and
// text.txt — as one .zip, for the current settings and either the weights a fresh model starts
// from or the current ones (with their optimizer state and position: train.py carries on from
// there).

import { $, fmtInt } from '../shared/format.js';
import { message, clearMessage, errorText } from '../shared/shell.js';
import { saveBytes } from '../shared/data.js';
import { state, wasm } from './state.js';
import { modelFile } from './models.js';

/** The PyTorch script: one static file, fetched rather than compiled into the wasm. */
const TRAIN_PY = new URL('../export/train.py', import.meta.url);

/** The model file to export: `initial` is what `rnnlab train` starts from with these settings
 * and seed on this text (a fresh Playground's step-0 checkpoint); `current` is this model now. */
async function modelBytes(which) {
  if (which === 'current') {
    const u = state.pg.unknown();
    if (u) throw new Error('this model cannot train on this text yet (see the box at the top): export the initial weights, or make the text readable first');
    if (!readsAll(state.pg.vocab(), state.text)) {
      throw new Error('this model trains on a copy of the text with the characters it does not know dropped or mapped, and train.py needs the text itself: export the initial weights, or train on a text the model reads');
    }
    return modelFile();
  }
  const fresh = new wasm.Playground(state.pg.query(), state.text);
  try {
    return fresh.save();
  } finally {
    fresh.free();
  }
}

/** Whether every character of `text` is in `vocab`. */
function readsAll(vocab, text) {
  const known = new Set(vocab);
  for (const c of text) if (!known.has(c)) return false;
  return true;
}

async function trainScript() {
  const res = await fetch(TRAIN_PY);
  if (!res.ok) throw new Error(`Could not load train.py (HTTP ${res.status}).`);
  return new Uint8Array(await res.arrayBuffer());
}

export async function onExport() {
  const which = $('export-weights').value;
  let files;
  try {
    const model = await modelBytes(which);
    const text = new TextEncoder().encode(state.text);
    files = [['text.txt', text], ['init.safetensors', model], ['train.py', await trainScript()]];
  } catch (e) {
    message(`Could not export: ${errorText(e)}`, { key: 'file' });
    return;
  }
  const info = state.pg.info();
  const step = which === 'current' ? state.pg.steps() : 0;
  const name = `rnnlab-torch-${info.cell}${info.hidden}-step${step}`;
  const zip = storedZip(files.map(([file, bytes]) => [`${name}/${file}`, bytes]), new Date());
  saveBytes(zip, `${name}.zip`, 'application/zip');
  clearMessage('file');
  message(`Exported “${name}.zip” (${fmtInt(zip.length)} bytes): unzip it and run python ${name}/train.py --steps 1000.`, { kind: 'notice', key: 'file' });
}

// ---------------------------------------------------------------- a stored .zip
// Written here by hand: the wasm is at its size budget (the zip crate added 36 KB to it gzipped,
// a stored-zip writer in Rust 3 KB), and the pages are plain ES modules with no bundler to bring
// in a zip library. A zip without compression is a header before each file and a directory at
// the end: see PKWARE's APPNOTE.TXT, sections 4.3.7 (local header), 4.3.12 (central directory
// entry) and 4.3.16 (end record).

let crcTable = null;

/** CRC-32 (the polynomial 0xEDB88320 of zip and gzip), a byte at a time from a table. */
export function crc32(bytes) {
  if (!crcTable) {
    crcTable = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      crcTable[n] = c >>> 0;
    }
  }
  let c = 0xffffffff;
  for (let i = 0; i < bytes.length; i++) c = crcTable[(c ^ bytes[i]) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/** MS-DOS time and date of `d` (local time, two-second steps, years from 1980). */
function dosTime(d) {
  const time = (d.getHours() << 11) | (d.getMinutes() << 5) | (d.getSeconds() >> 1);
  const date = ((Math.max(d.getFullYear(), 1980) - 1980) << 9) | ((d.getMonth() + 1) << 5) | d.getDate();
  return [time, date];
}

/** Little-endian fields: [value, bytes] pairs, bytes 2 or 4. */
function fields(list) {
  const out = new Uint8Array(list.reduce((n, [, size]) => n + size, 0));
  const view = new DataView(out.buffer);
  let at = 0;
  for (const [v, size] of list) {
    if (size === 2) view.setUint16(at, v, true);
    else view.setUint32(at, v, true);
    at += size;
  }
  return out;
}

/** A zip of `files` ([name, bytes] pairs) stored without compression, dated `when`. */
export function storedZip(files, when) {
  const [time, date] = dosTime(when);
  const UTF8_NAMES = 0x0800;
  const parts = [];
  const directory = [];
  let offset = 0;
  for (const [name, bytes] of files) {
    const nameBytes = new TextEncoder().encode(name);
    const crc = crc32(bytes);
    const common = [[UTF8_NAMES, 2], [0, 2], [time, 2], [date, 2], [crc, 4], [bytes.length, 4], [bytes.length, 4], [nameBytes.length, 2], [0, 2]];
    const local = fields([[0x04034b50, 4], [20, 2], ...common]);
    directory.push(fields([[0x02014b50, 4], [20, 2], [20, 2], ...common, [0, 2], [0, 2], [0, 2], [0, 4], [offset, 4]]), nameBytes);
    parts.push(local, nameBytes, bytes);
    offset += local.length + nameBytes.length + bytes.length;
  }
  const size = directory.reduce((n, p) => n + p.length, 0);
  if (offset + size > 0xffffffff) throw new Error('The export is over 4 GB, more than a plain zip holds.');
  const end = fields([[0x06054b50, 4], [0, 2], [0, 2], [files.length, 2], [files.length, 2], [size, 4], [offset, 4], [0, 2]]);
  const all = [...parts, ...directory, end];
  const out = new Uint8Array(all.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of all) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
