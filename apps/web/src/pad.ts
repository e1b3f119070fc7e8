/**
 * The drawing pad: strokes from mouse, touch and pen (pointer events) or from the keyboard (arrow
 * keys move the pen, Space puts it down or lifts it), undo and clear. The strokes are the state;
 * the canvas is redrawn from them in the theme's colours, and `pixels()` hands its RGBA to the
 * preprocessing, which detects which way round the ink is.
 */
import { cssVar } from './dom.js';

type Point = readonly [number, number];

/** Pen width in canvas pixels (the canvas is 280 × 280: ten per MNIST pixel). */
export const PEN_WIDTH = 22;
/** How far one arrow key press moves the keyboard pen (Shift: four times as far). */
export const KEY_STEP = 10;

export class Pad {
  private readonly strokes: Point[][] = [];
  private active: Point[] | null = null;
  private readonly pointers = new Set<number>();
  /** The keyboard pen: where it is and whether it is down. */
  private cursor: { x: number; y: number; down: boolean; shown: boolean };
  /** Counts every change; answers carry the version they were computed for. */
  version = 0;

  constructor(
    readonly canvas: HTMLCanvasElement,
    private readonly onChange: (final: boolean) => void,
  ) {
    this.cursor = { x: canvas.width / 2, y: canvas.height / 2, down: false, shown: false };
    canvas.addEventListener('pointerdown', (e) => this.pointerDown(e));
    canvas.addEventListener('pointermove', (e) => this.pointerMove(e));
    canvas.addEventListener('pointerup', (e) => this.pointerUp(e));
    canvas.addEventListener('pointercancel', (e) => this.pointerUp(e));
    canvas.addEventListener('keydown', (e) => this.key(e));
    canvas.addEventListener('focus', () => this.showCursor(true));
    canvas.addEventListener('blur', () => this.showCursor(false));
    matchMedia('(prefers-color-scheme: dark)').addEventListener('change', () => this.render());
    this.render();
  }

  get strokeCount(): number {
    return this.strokes.length;
  }

  undo(): void {
    if (this.active) this.active = null;
    else this.strokes.pop();
    this.cursor.down = false;
    this.changed(true);
  }

  clear(): void {
    this.strokes.length = 0;
    this.active = null;
    this.cursor.down = false;
    this.changed(true);
  }

  /** The pad's pixels without the keyboard cursor: RGBA, canvas size. */
  pixels(): ImageData {
    const shown = this.cursor.shown;
    this.cursor.shown = false;
    this.render();
    const data = this.canvas
      .getContext('2d')!
      .getImageData(0, 0, this.canvas.width, this.canvas.height);
    this.cursor.shown = shown;
    this.render();
    return data;
  }

  private at(e: PointerEvent): Point {
    const r = this.canvas.getBoundingClientRect();
    return [
      ((e.clientX - r.left) / r.width) * this.canvas.width,
      ((e.clientY - r.top) / r.height) * this.canvas.height,
    ];
  }

  private pointerDown(e: PointerEvent): void {
    if (e.button !== 0 && e.pointerType === 'mouse') return;
    e.preventDefault();
    this.canvas.setPointerCapture?.(e.pointerId);
    this.pointers.add(e.pointerId);
    this.active = [this.at(e)];
    this.strokes.push(this.active);
    this.changed(false);
  }

  private pointerMove(e: PointerEvent): void {
    if (!this.active || !this.pointers.has(e.pointerId)) return;
    const events = e.getCoalescedEvents?.() ?? [e];
    for (const ce of events.length ? events : [e]) this.active.push(this.at(ce));
    this.changed(false);
  }

  private pointerUp(e: PointerEvent): void {
    if (!this.pointers.delete(e.pointerId)) return;
    this.active = null;
    this.changed(true);
  }

  private key(e: KeyboardEvent): void {
    const step = e.shiftKey ? KEY_STEP * 4 : KEY_STEP;
    const moves: Record<string, Point> = {
      ArrowLeft: [-step, 0],
      ArrowRight: [step, 0],
      ArrowUp: [0, -step],
      ArrowDown: [0, step],
    };
    const c = this.cursor;
    const move = moves[e.key];
    if (move) {
      c.x = Math.min(this.canvas.width, Math.max(0, c.x + move[0]));
      c.y = Math.min(this.canvas.height, Math.max(0, c.y + move[1]));
      if (c.down) {
        this.strokes.at(-1)!.push([c.x, c.y]);
        this.changed(false);
      } else this.render();
    } else if (e.key === ' ' || e.key === 'Enter') {
      c.down = !c.down;
      if (c.down) this.strokes.push([[c.x, c.y]]);
      this.changed(!c.down);
    } else if (e.key === 'Escape') {
      c.down = false;
      this.changed(true);
    } else if (e.key === 'Backspace') this.undo();
    else if (e.key === 'Delete') this.clear();
    else return;
    e.preventDefault();
  }

  private showCursor(shown: boolean): void {
    this.cursor.shown = shown;
    this.render();
  }

  private changed(final: boolean): void {
    this.version++;
    this.canvas.dataset.version = String(this.version);
    this.canvas.dataset.strokes = String(this.strokes.length);
    this.canvas.setAttribute(
      'aria-label',
      `Drawing pad, ${this.strokes.length ? `${this.strokes.length} stroke${this.strokes.length > 1 ? 's' : ''}` : 'empty'}${this.cursor.down ? ', pen down' : ''}`,
    );
    this.render();
    this.onChange(final);
  }

  render(): void {
    const ctx = this.canvas.getContext('2d', { willReadFrequently: true })!;
    const { width, height } = this.canvas;
    ctx.fillStyle = cssVar('--pad-bg') || '#000';
    ctx.fillRect(0, 0, width, height);
    ctx.strokeStyle = ctx.fillStyle = cssVar('--pad-ink') || '#fff';
    ctx.lineWidth = PEN_WIDTH;
    ctx.lineCap = ctx.lineJoin = 'round';
    for (const s of this.strokes) {
      if (s.length === 1) {
        ctx.beginPath();
        ctx.arc(s[0]![0], s[0]![1], PEN_WIDTH / 2, 0, 2 * Math.PI);
        ctx.fill();
        continue;
      }
      ctx.beginPath();
      ctx.moveTo(s[0]![0], s[0]![1]);
      for (const [x, y] of s.slice(1)) ctx.lineTo(x, y);
      ctx.stroke();
    }
    if (this.cursor.shown) {
      const { x, y, down } = this.cursor;
      ctx.strokeStyle = cssVar('--accent') || '#36f';
      ctx.lineWidth = 2;
      ctx.beginPath();
      ctx.arc(x, y, PEN_WIDTH / 2 + 3, 0, 2 * Math.PI);
      if (down) ctx.setLineDash([]);
      else ctx.setLineDash([4, 4]);
      ctx.stroke();
      ctx.setLineDash([]);
    }
  }
}
