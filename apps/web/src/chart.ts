/** The training chart: loss (left axis) and accuracy (right axis, 0–100 %) against steps. */
import { cssVar, percent } from './dom.js';

/** Height over width of the chart. */
const ASPECT = 0.5;

export interface Sample {
  readonly step: number;
  readonly loss: number;
  readonly accuracy: number;
}

export class Chart {
  private samples: Sample[] = [];
  private tests: Sample[] = [];
  private totalSteps = 1;

  constructor(
    private readonly canvas: HTMLCanvasElement,
    private readonly summary: HTMLElement,
  ) {
    matchMedia('(prefers-color-scheme: dark)').addEventListener('change', () => this.render());
    new ResizeObserver(() => this.render()).observe(canvas);
    this.render();
  }

  reset(totalSteps: number): void {
    this.samples = [];
    this.tests = [];
    this.totalSteps = Math.max(1, totalSteps);
    this.render();
  }

  add(s: Sample, totalSteps: number): void {
    this.totalSteps = Math.max(1, totalSteps);
    this.samples.push(s);
    this.render();
  }

  /** An evaluation on the test set (a dot on the accuracy axis). */
  addTest(s: Sample): void {
    this.tests.push(s);
    this.render();
  }

  get count(): number {
    return this.samples.length;
  }

  render(): void {
    // Drawn at the size it is shown (CSS pixels × devicePixelRatio), so text stays sharp and legible.
    const ctx = this.canvas.getContext('2d')!;
    const W = this.canvas.clientWidth || this.canvas.width;
    const H = Math.round(W * ASPECT);
    const dpr = globalThis.devicePixelRatio || 1;
    if (this.canvas.width !== Math.round(W * dpr)) this.canvas.width = Math.round(W * dpr);
    if (this.canvas.height !== Math.round(H * dpr)) this.canvas.height = Math.round(H * dpr);
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    const pad = { l: 48, r: 48, t: 14, b: 24 };
    const fg = cssVar('--muted') || '#888';
    ctx.clearRect(0, 0, W, H);
    ctx.font = '12px system-ui, sans-serif';
    ctx.strokeStyle = cssVar('--line') || '#ccc';
    ctx.lineWidth = 1;
    ctx.strokeRect(pad.l, pad.t, W - pad.l - pad.r, H - pad.t - pad.b);
    const maxLoss = Math.max(0.5, ...this.samples.map((s) => s.loss));
    const x = (step: number) => pad.l + (step / this.totalSteps) * (W - pad.l - pad.r);
    const yLoss = (v: number) => pad.t + (1 - v / maxLoss) * (H - pad.t - pad.b);
    const yAcc = (v: number) => pad.t + (1 - v) * (H - pad.t - pad.b);
    ctx.fillStyle = fg;
    ctx.textAlign = 'right';
    ctx.fillText(maxLoss.toFixed(2), pad.l - 4, pad.t + 10);
    ctx.fillText('0', pad.l - 4, H - pad.b);
    ctx.textAlign = 'left';
    ctx.fillText('100%', W - pad.r + 4, pad.t + 10);
    ctx.fillText('0%', W - pad.r + 4, H - pad.b);
    ctx.fillText(`step ${this.totalSteps.toLocaleString('en')}`, W - pad.r - 70, H - 6);
    const line = (color: string, pts: Sample[], y: (s: Sample) => number) => {
      if (!pts.length) return;
      ctx.strokeStyle = color;
      ctx.lineWidth = 2;
      ctx.beginPath();
      for (const [i, s] of pts.entries()) {
        if (i) ctx.lineTo(x(s.step), y(s));
        else ctx.moveTo(x(s.step), y(s));
      }
      ctx.stroke();
    };
    const lossColor = cssVar('--loss') || '#c60';
    const accColor = cssVar('--acc') || '#36f';
    line(lossColor, this.samples, (s) => yLoss(s.loss));
    line(accColor, this.samples, (s) => yAcc(s.accuracy));
    ctx.fillStyle = accColor;
    for (const t of this.tests) {
      ctx.beginPath();
      ctx.arc(x(t.step), yAcc(t.accuracy), 4, 0, 2 * Math.PI);
      ctx.fill();
    }
    // The legend sits mid-height, between where accuracy climbs and where loss falls.
    const legendY = pad.t + (H - pad.t - pad.b) / 2;
    ctx.fillStyle = lossColor;
    ctx.fillText('— loss', pad.l + 12, legendY);
    ctx.fillStyle = accColor;
    ctx.fillText('— accuracy  ● test', pad.l + 70, legendY);
    const last = this.samples.at(-1);
    const test = this.tests.at(-1);
    const text = last
      ? `Step ${last.step.toLocaleString('en')} of ${this.totalSteps.toLocaleString('en')}: loss ${last.loss.toFixed(3)}, batch accuracy ${percent(last.accuracy)}${test ? `, test accuracy ${percent(test.accuracy, 2)}` : ''}.`
      : 'No data yet.';
    this.summary.textContent = text;
    this.canvas.setAttribute('aria-label', `Loss and accuracy while training. ${text}`);
  }
}
