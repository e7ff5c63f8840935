// The settings form, the URL hash (settings + lesson + race) and building the Lab.

import { Lab } from './pkg/rnnlab.js';
import { $, state, message, clearMessage, errorText, setStatus, fmtInt } from './lab-state.js';
import { LESSONS } from './lab-lessons.js';

/** The lab's starting point (the core's defaults are for text). */
export const LAB_DEFAULTS = 'task=copy&task-len=20&cell=lstm&hidden=32&batch=32&lr=0.01&seed=5&seq-len=50';
/** Keys of the hash that are the page's, not the model's. */
const PAGE_KEYS = ['lesson', 'race', 'equal'];
/** Form controls, by config key (the element id is the key). */
export const FORM_KEYS = ['task', 'task-len', 'cell', 'nonlinearity', 'hidden', 'layers', 'init', 'gain', 'forget-bias', 'seed', 'batch', 'lr', 'optimizer', 'clip-mode', 'clip'];

const TASKS = {
  copy: { len: 'Lag', min: 1, max: 100, about: 'A symbol from abcd, then lag − 1 distractors from wxyz, then “?”: name the symbol. Chance 25%.' },
  adding: { len: 'Sequence length', min: 10, max: 200, about: 'Random numbers, two of them marked: output their sum at the end. Success = within 0.04.' },
  order: { len: 'Sequence length', min: 10, max: 200, about: 'Two X/Y symbols hidden among distractors: name their order (XX, XY, YX, YY) at the end. Chance 25%.' },
  sine: { len: 'Sequence length', min: 2, max: 100, about: 'A sine wave with a random phase and period: predict the next value at every step.' },
  text: { len: 'Window length', min: 5, max: 200, about: 'Hamlet, one character at a time: predict the next character. The slider sets the training window.' },
};

export const toMap = (q) => new Map(q.replace(/^#/, '').split('&').filter(Boolean).map((p) => {
  const i = p.indexOf('=');
  return i < 0 ? [p, ''] : [p.slice(0, i), p.slice(i + 1)];
}));
const toQuery = (m) => [...m].map(([k, v]) => `${k}=${v}`).join('&');

/** The page keys of the current hash. */
export function pageState() {
  const m = toMap(location.hash);
  const out = new Map();
  for (const k of PAGE_KEYS) if (m.has(k)) out.set(k, decodeURIComponent(m.get(k)));
  return out;
}

let page = new Map();
export let writtenHash = '';

/** Writes settings that differ from the lab's defaults, plus the page keys, to the hash. */
export function writeHash() {
  const defaults = toMap(Lab.parseQuery(LAB_DEFAULTS).query);
  const now = toMap(state.query);
  const diff = new Map([...now].filter(([k, v]) => defaults.get(k) !== v));
  for (const [k, v] of page) diff.set(k, v);
  writtenHash = `#${toQuery(diff)}`;
  if (location.hash !== writtenHash) history.replaceState(null, '', writtenHash);
}

async function corpus() {
  if (!state.text) {
    const res = await fetch(new URL('corpora/hamlet.txt', import.meta.url));
    if (!res.ok) throw new Error(`Could not load the text (HTTP ${res.status}).`);
    state.text = await res.text();
  }
  return state.text;
}

/** Builds a Lab for `query`; on failure keeps the old one and says why. */
export async function build(query, onNew) {
  let text = '';
  try {
    if (toMap(query).get('task') === 'text') text = await corpus();
    const lab = new Lab(query, text);
    if (state.lab) state.lab.free();
    state.lab = lab;
    state.query = lab.query();
    clearMessage('build');
    fillForm();
    writeHash();
    onNew();
    return true;
  } catch (e) {
    message(`Could not build that model: ${errorText(e)}`, { key: 'build' });
    fillForm();
    return false;
  }
}

/** Opens what the hash describes (at start and when a lesson link is followed). */
export async function openHash(onNew) {
  const m = toMap(location.hash);
  page = new Map();
  const settings = [];
  for (const [k, v] of m) {
    if (PAGE_KEYS.includes(k)) page.set(k, decodeURIComponent(v));
    else settings.push(`${k}=${v}`);
  }
  const parsed = Lab.parseQuery(`${LAB_DEFAULTS}&${settings.join('&')}`);
  for (const n of parsed.notices) message(`Part of the link was left out: ${n}`, { kind: 'notice', key: `hash:${n}` });
  showLesson(page.get('lesson'));
  return build(parsed.query, onNew);
}

export function showLesson(name) {
  const box = $('lesson-box');
  const lesson = LESSONS[name];
  state.lesson = lesson ? name : null;
  if (!lesson) {
    box.hidden = true;
    if (name) message(`There is no lesson called “${name}”.`, { kind: 'notice', key: 'lesson' });
    return;
  }
  $('lesson-title').textContent = lesson.title;
  const body = lesson.paragraphs.map((t) => {
    const p = document.createElement('p');
    p.textContent = t;
    return p;
  });
  const ul = document.createElement('ul');
  for (const w of lesson.watch) {
    const li = document.createElement('li');
    li.textContent = `Watch: ${w}`;
    ul.append(li);
  }
  $('lesson-body').replaceChildren(...body, ul);
  box.hidden = false;
}

/** Puts the current settings into the form. */
export function fillForm() {
  const q = toMap(state.query);
  const task = q.get('task') || 'copy';
  const t = TASKS[task] || TASKS.copy;
  const lenKey = task === 'text' ? 'seq-len' : 'task-len';
  for (const k of FORM_KEYS) {
    const el = $(k);
    const v = k === 'task-len' ? q.get(lenKey) : q.get(k);
    if (v === undefined) continue;
    if (el.tagName === 'SELECT' && ![...el.options].some((o) => o.value === v)) el.append(new Option(v, v));
    if (k === 'task-len') {
      el.min = String(t.min);
      el.max = String(Math.max(t.max, Number(v)));
    }
    el.value = v;
  }
  $('task-len-name').textContent = t.len;
  $('task-about').textContent = t.about;
  showOutputs();
  const lab = state.lab;
  if (lab) {
    const info = lab.info();
    $('r-params').textContent = fmtInt(info.params);
    $('nonlinearity').disabled = info.cell !== 'rnn';
    $('forget-bias').disabled = info.cell !== 'lstm';
    $('gain').disabled = toMap(state.query).get('init') === 'pytorch';
  }
}

export function showOutputs() {
  $('task-len-out').textContent = $('task-len').value;
  $('gain-out').textContent = Number($('gain').value).toFixed(2);
  $('forget-bias-out').textContent = Number($('forget-bias').value).toFixed(1);
}

/** A form control changed: apply a live setting, or rebuild the model. */
export async function onSetting(e, onNew) {
  const key = e.target.id;
  let value = e.target.value;
  const q = toMap(state.query);
  if (key === 'task-len' && q.get('task') === 'text') {
    q.set('seq-len', value);
  } else if (key === 'task') {
    q.set('task', value);
    // Keep the length in the new task's range.
    const t = TASKS[value];
    const len = Number(q.get('task-len'));
    if (value !== 'text' && (len < t.min || len > t.max)) q.set('task-len', String(Math.min(t.max, Math.max(t.min, 30))));
  } else {
    q.set(key, value);
  }
  if (Lab.isLiveSetting(key) && state.lab) {
    try {
      state.query = state.lab.setLive(key, value);
      clearMessage('build');
      writeHash();
      setStatus(`${key} is now ${value}`);
    } catch (err) {
      message(errorText(err), { key: 'build' });
      fillForm();
    }
    return;
  }
  value = toQuery(q);
  await build(value, onNew);
}
