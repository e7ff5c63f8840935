// An SVG document behind the few canvas calls the page's own charts make (the step view): the
// same drawing code runs on it instead of on the canvas's 2D context, so the SVG holds exactly
// what the canvas shows. Written here rather than taken from a canvas-to-SVG library: the
// pages load plain modules without a bundler, and the step view uses six calls.

const ESCAPES = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };
const escape = (s) => String(s).replace(/[&<>"']/g, (c) => ESCAPES[c]);

/** textAlign → text-anchor; textBaseline → dominant-baseline. */
const ANCHOR = { left: 'start', start: 'start', center: 'middle', right: 'end', end: 'end' };
const BASELINE = { alphabetic: null, middle: 'central', top: 'hanging', hanging: 'hanging', bottom: 'text-after-edge' };

let measurer = null;

/** A 2D-context stand-in that writes SVG (sized by `size` before drawing, in CSS pixels). */
export class SvgContext {
  constructor() {
    Object.assign(this, { width: 0, height: 0, parts: [] });
    Object.assign(this, { fillStyle: '#000', strokeStyle: '#000', lineWidth: 1, font: '10px sans-serif' });
    Object.assign(this, { textAlign: 'start', textBaseline: 'alphabetic' });
  }

  /** Sets the document's size; returns the context. */
  size(width, height) {
    Object.assign(this, { width, height });
    return this;
  }

  /** The drawing is in CSS pixels already: the canvas's device-pixel transform does not apply. */
  setTransform() {}

  fillRect(x, y, w, h) {
    this.parts.push(`<rect x="${x}" y="${y}" width="${w}" height="${h}" fill="${escape(this.fillStyle)}"/>`);
  }

  strokeRect(x, y, w, h) {
    const stroke = `stroke="${escape(this.strokeStyle)}" stroke-width="${this.lineWidth}"`;
    this.parts.push(`<rect x="${x}" y="${y}" width="${w}" height="${h}" fill="none" ${stroke}/>`);
  }

  fillText(text, x, y) {
    const [, size, family] = /(\d+(?:\.\d+)?)px\s+(.*)/.exec(this.font) || [null, '10', 'sans-serif'];
    const attrs = [`x="${x}"`, `y="${y}"`, `font-size="${size}"`, `font-family="${escape(family)}"`, `fill="${escape(this.fillStyle)}"`];
    const anchor = ANCHOR[this.textAlign];
    if (anchor !== 'start') attrs.push(`text-anchor="${anchor}"`);
    const baseline = BASELINE[this.textBaseline];
    if (baseline) attrs.push(`dominant-baseline="${baseline}"`);
    // Runs of spaces stay, as on the canvas.
    this.parts.push(`<text ${attrs.join(' ')} xml:space="preserve">${escape(text)}</text>`);
  }

  /** Text metrics from a canvas in the same font, so the layout is the canvas's. */
  measureText(text) {
    measurer ??= document.createElement('canvas').getContext('2d');
    measurer.font = this.font;
    return measurer.measureText(text);
  }

  /** The document. */
  toString() {
    const { width: w, height: h } = this;
    const head = `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}" viewBox="0 0 ${w} ${h}">`;
    return [head, ...this.parts, '</svg>'].join('\n');
  }
}
