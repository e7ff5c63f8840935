// Small view helpers: messages, number formatting, the sample box and its probability bars.
// Text from users or the model only ever goes through textContent.

const $ = (id) => document.getElementById(id);

/** Shows a message (kind 'error' or 'notice'); one per key, replaced when shown again. */
export function message(text, { kind = 'error', key = text } = {}) {
  const box = $('messages');
  for (const el of box.children) if (el.dataset.key === key) el.remove();
  const el = document.createElement('div');
  el.className = `msg ${kind}`;
  el.dataset.key = key;
  const p = document.createElement('p');
  p.textContent = text;
  const close = document.createElement('button');
  close.type = 'button';
  close.textContent = 'Dismiss';
  close.setAttribute('aria-label', 'Dismiss this message');
  close.addEventListener('click', () => el.remove());
  el.append(p, close);
  box.append(el);
}

/** Removes the message with `key`, or every message. */
export function clearMessage(key) {
  for (const el of [...$('messages').children]) if (key === undefined || el.dataset.key === key) el.remove();
}

/** The text of an error thrown by wasm or JS. */
export function errorText(e) {
  return (e && e.message) || String(e);
}

export function fmtInt(n) {
  return Number.isFinite(n) ? Math.round(n).toLocaleString('en-US') : '–';
}

export function fmtNum(x, digits = 3) {
  return Number.isFinite(x) ? x.toFixed(digits) : '–';
}

/** A character made visible for a label. */
export function visibleChar(c) {
  if (c === ' ') return '␣';
  if (c === '\n') return '⏎';
  if (c === '\t') return '⇥';
  if (c === '\r') return '␍';
  return c;
}

/** Fills the sample box and the bars of the last step's distribution. */
export function showSample(prime, out) {
  $('sample-prime').textContent = prime;
  $('sample-text').textContent = out.text;
  const bars = $('bars');
  const max = out.top.length ? out.top[0][1] : 1;
  const items = out.top.map(([c, p]) => {
    const li = document.createElement('li');
    if (c === out.picked) li.className = 'picked';
    const ch = document.createElement('span');
    ch.className = 'ch';
    ch.textContent = visibleChar(c);
    ch.title = c === out.picked ? 'the character drawn here' : '';
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
  bars.replaceChildren(...items);
}
