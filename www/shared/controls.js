// The settings form, built from the wasm settings table: a select for a choice, a number box for a
// number, a log slider where the table says log scale. Labels and hints come from each setting's
// one-line doc; a setting that has no effect under the others (momentum without SGD) is greyed
// out. The page names no keys: it gives a container per group (`data-settings="model"`).

import { $, setText } from './format.js';
import { toMap, toQuery } from './hash.js';
import { setStatus } from './shell.js';

/** The learning-rate style slider's value for a position, to 3 significant digits. */
function fromLog(x) {
  return Number(Math.pow(10, Number(x)).toPrecision(3));
}

function fmtLog(v) {
  return v >= 0.01 ? String(v) : Number(v).toExponential(1).replace('e-', 'e−');
}

/** `Hidden units per layer` → label; after the first `;`, a hint. */
function splitDoc(doc) {
  const i = doc.indexOf(';');
  return i < 0 ? [doc, ''] : [doc.slice(0, i), doc.slice(i + 1).trim()];
}

function input(s) {
  if (s.kind === 'choice') {
    const el = document.createElement('select');
    el.append(...s.choices.map((c) => new Option(c, c)));
    return el;
  }
  const el = document.createElement('input');
  if (s.log) {
    el.type = 'range';
    el.min = String(Math.log10(s.min));
    el.max = String(Math.log10(s.max));
    el.step = '0.01';
    return el;
  }
  el.type = 'number';
  if (s.min !== undefined) el.min = String(s.min);
  if (s.max !== undefined) el.max = String(s.max);
  el.step = s.kind === 'int' ? '1' : 'any';
  return el;
}

function field(s) {
  const [label, hint] = splitDoc(s.doc);
  const box = document.createElement('div');
  box.className = s.log ? 'field wide' : 'field';
  const lab = document.createElement('label');
  const el = input(s);
  el.id = s.key;
  lab.htmlFor = s.key;
  lab.textContent = label;
  lab.title = `${s.doc} (${s.key}; ${s.live ? 'applies at once' : 'starts a new model'})`;
  if (s.log) {
    const out = document.createElement('output');
    out.id = `${s.key}-out`;
    out.htmlFor = s.key;
    lab.append(' ', out);
    el.addEventListener('input', () => setText(out, fmtLog(fromLog(el.value))));
  }
  box.append(lab, el);
  if (hint) {
    const h = document.createElement('span');
    h.className = 'hint';
    h.textContent = hint;
    box.append(h);
  }
  return box;
}

export class SettingsForm {
  /** Builds a control for every setting whose group has a container on the page;
   * `onChange(query)` gets the settings after an edit. */
  constructor(table, onChange) {
    this.settings = table.filter((s) => document.querySelector(`[data-settings="${s.group}"]`));
    this.live = new Set(table.filter((s) => s.live).map((s) => s.key));
    this.query = new Map();
    for (const s of this.settings) {
      const f = field(s);
      document.querySelector(`[data-settings="${s.group}"]`).append(f);
      $(s.key).addEventListener('change', () => onChange(this.read()));
    }
  }

  /** Shows the settings of `query`, greying out those that do not apply (`table`, from
   * `settingsTable(query)`). */
  fill(query, table) {
    this.query = toMap(query);
    const applies = new Map(table.map((s) => [s.key, s.applies]));
    for (const s of this.settings) {
      const el = $(s.key);
      const v = this.query.get(s.key);
      if (v === undefined) continue;
      if (s.log) {
        el.value = String(Math.log10(Number(v)));
        // Where the slider was put: an untouched slider keeps a value it cannot show exactly.
        el.dataset.filled = el.value;
        setText(`${s.key}-out`, fmtLog(Number(v)));
      } else {
        if (el.tagName === 'SELECT' && ![...el.options].some((o) => o.value === v)) el.append(new Option(v, v));
        el.value = v;
      }
      el.disabled = !applies.get(s.key);
      el.closest('.field').classList.toggle('off', el.disabled);
    }
  }

  /** The settings after the form's edits, over the last filled query. */
  read() {
    const m = new Map(this.query);
    for (const s of this.settings) {
      const el = $(s.key);
      if (s.log) {
        if (el.value !== el.dataset.filled) m.set(s.key, String(fromLog(el.value)));
      } else {
        m.set(s.key, String(el.value).trim());
      }
    }
    return toQuery(m);
  }

  /** Whether every key in `keys` keeps the model when changed. */
  allLive(keys) {
    return keys.every((k) => this.live.has(k));
  }
}

/** Applies the live settings `keys` of the query `next` to `model` (its `setLive`, which throws
 * on a bad value), says so in the status line and returns the model's new query. */
export function applyLive(model, keys, next) {
  const m = toMap(next);
  let query;
  for (const k of keys) query = model.setLive(k, m.get(k));
  setStatus(keys.map((k) => `${k} is now ${m.get(k)}`).join(', '));
  return query;
}
