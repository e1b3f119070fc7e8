/** The answer: the predicted digit, ten probability bars and the 28×28 image the network saw. */
import { SIDE } from '@mnist/net/image';
import { byId, el, percent } from './dom.js';

export class ResultView {
  private readonly bars = byId('bars', HTMLOListElement);
  private readonly prediction = byId('prediction', HTMLParagraphElement);
  private readonly preview = byId('preview', HTMLCanvasElement);
  private readonly rows: { li: HTMLLIElement; fill: HTMLSpanElement; pct: HTMLSpanElement }[] = [];

  constructor() {
    for (let d = 0; d < 10; d++) {
      const li = el('li', { 'data-digit': String(d) });
      const fill = el('span', { class: 'fill' });
      const track = el('span', { class: 'track', 'aria-hidden': 'true' });
      track.append(fill);
      const pct = el('span', { class: 'pct' }, '–');
      li.append(el('span', { class: 'digit' }, String(d)), track, pct);
      this.bars.append(li);
      this.rows.push({ li, fill, pct });
    }
  }

  /** Draws the network's input (ink white on black, as MNIST). */
  showInput(X: Float32Array): void {
    const ctx = this.preview.getContext('2d')!;
    const img = ctx.createImageData(SIDE, SIDE);
    let inked = 0;
    for (let i = 0; i < X.length; i++) {
      const v = Math.round(X[i]! * 255);
      if (v > 0) inked++;
      img.data.set([v, v, v, 255], i * 4);
    }
    ctx.putImageData(img, 0, 0);
    this.preview.setAttribute(
      'aria-label',
      `The 28×28 image the network receives: ${inked ? `${inked} of 784 pixels inked` : 'empty'}`,
    );
  }

  /** The answer for the pad's `version`. */
  showAnswer(probabilities: readonly number[] | null, version: number, note = ''): void {
    this.prediction.dataset.for = String(version);
    if (!probabilities) {
      this.prediction.dataset.label = '';
      this.prediction.textContent = note || 'Draw a digit.';
      for (const r of this.rows) {
        r.fill.style.width = '0';
        r.pct.textContent = '–';
        r.li.classList.remove('top');
      }
      return;
    }
    let top = 0;
    for (let d = 1; d < 10; d++) if (probabilities[d]! > probabilities[top]!) top = d;
    this.prediction.dataset.label = String(top);
    this.prediction.replaceChildren(
      el('strong', {}, String(top)),
      `${percent(probabilities[top]!)} sure${note ? ` · ${note}` : ''}`,
    );
    this.prediction.setAttribute(
      'aria-label',
      `Prediction: ${top}, ${percent(probabilities[top]!)} sure`,
    );
    this.rows.forEach((r, d) => {
      const p = probabilities[d]!;
      r.fill.style.width = percent(p, 2);
      r.pct.textContent = percent(p);
      r.li.classList.toggle('top', d === top);
      r.li.setAttribute('aria-label', `${d}: ${percent(p)}`);
    });
  }
}
