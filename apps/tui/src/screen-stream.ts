/**
 * The stdout Ink draws on. Ink redraws a frame by erasing the previous frame's lines upwards from
 * the cursor; after a resize the terminal has cut, scrolled or moved lines, and what Ink erases is
 * no longer its frame (leftover lines, a header drawn twice). So Ink does not see resizes: this
 * stream does, tells the dashboard the new size, and makes Ink's next frame a clear-and-redraw
 * (Ink clears the screen before a frame when the last one was at least `rows` tall, so `rows`
 * reads 1 until that frame is out).
 */

export interface TerminalSizeSource {
  size(): { readonly columns: number; readonly rows: number };
  subscribe(listener: () => void): () => void;
}

export class InkScreen implements TerminalSizeSource {
  /** The stream to give Ink as `stdout`. */
  readonly stream: NodeJS.WriteStream;
  private full = false;
  private current: { columns: number; rows: number };
  private readonly listeners = new Set<() => void>();
  private readonly onResize = () => {
    this.current = this.read();
    this.full = true;
    for (const l of this.listeners) l();
  };

  constructor(private readonly real: NodeJS.WriteStream) {
    this.current = this.read();
    real.on('resize', this.onResize);
    const events = new Set([
      'on',
      'addListener',
      'once',
      'prependListener',
      'off',
      'removeListener',
    ]);
    this.stream = new Proxy(real, {
      get: (target, prop) => {
        if (prop === 'rows') return this.full ? 1 : target.rows;
        const value = Reflect.get(target, prop, target) as unknown;
        if (typeof value !== 'function') return value;
        if (typeof prop === 'string' && events.has(prop))
          return (event: string | symbol, fn: (...a: unknown[]) => void) => {
            if (event !== 'resize')
              (value as (e: string | symbol, f: unknown) => unknown).call(target, event, fn);
            return this.stream;
          };
        return (value as (...a: unknown[]) => unknown).bind(target);
      },
    });
  }

  private read() {
    return { columns: this.real.columns || 80, rows: this.real.rows || 24 };
  }

  size() {
    return this.current;
  }

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** For Ink's `onRender`: the full redraw after a resize is out. */
  rendered(): void {
    this.full = false;
  }

  close(): void {
    this.real.off('resize', this.onResize);
  }
}
