import { type Action, reduce } from './reducer.js';
import type { DashboardState } from './state.js';

/** Timer functions (tests pass fakes). */
export interface Timers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
  now(): number;
}

const realTimers: Timers = {
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout),
  now: () => performance.now(),
};

export interface StoreOptions {
  /** Most frames per second. @default 10 */
  readonly fps?: number;
  /** Share of one core that drawing may take; frames are spaced out to keep to it. @default 0.12 */
  readonly budget?: number;
  /** @default real timers */
  readonly timers?: Timers;
  /**
   * CPU time of the thread that draws, in ms (null where unknown: then the wall time of each
   * frame stands in, which also counts time the thread waited for a core).
   */
  readonly cpuMs?: () => number | null;
  /** Told of every action once the state has taken it (the run record). */
  readonly observe?: (action: Action, state: DashboardState) => void;
}

/**
 * Holds the dashboard state and tells the view about it at most `fps` times a second: events
 * (10 or more a second from the trainer, bursts from a server) are folded in at once, but the
 * view sees only the latest state of each frame. Key presses publish at once.
 * Works with React's `useSyncExternalStore(store.subscribe, store.getSnapshot)`.
 *
 * Told about each frame drawn (`frameDrawn`), it also measures what frames cost and spaces them
 * so that drawing takes at most `budget` of a core: a huge terminal on a slow machine gets
 * fewer frames, never a UI that competes with training.
 */
export class DashboardStore {
  private state: DashboardState;
  private published: DashboardState;
  private readonly listeners = new Set<() => void>();
  private timer: unknown = null;
  private lastPublish = Number.NEGATIVE_INFINITY;
  private readonly minInterval: number;
  private readonly budget: number;
  private readonly timers: Timers;
  private readonly cpuMs: () => number | null;
  private readonly observe: (action: Action, state: DashboardState) => void;
  /** Cost of a frame in ms, smoothed. */
  private cost = 0;
  private sample: { at: number; cpu: number; frames: number } | null = null;
  private frames = 0;
  /** Publications so far (each one is at most one frame). */
  publications = 0;

  constructor(initial: DashboardState, options: StoreOptions = {}) {
    this.state = initial;
    this.published = initial;
    this.minInterval = 1000 / Math.max(0.1, options.fps ?? 10);
    this.budget = options.budget ?? 0.12;
    this.timers = options.timers ?? realTimers;
    this.cpuMs = options.cpuMs ?? (() => null);
    this.observe = options.observe ?? (() => {});
  }

  /** Time between frames now: 1/fps, or longer when frames are costly. */
  get interval(): number {
    return Math.min(2000, Math.max(this.minInterval, this.cost / this.budget));
  }

  /**
   * Reports a frame drawn and its wall time (ms). With a CPU clock, the cost is the thread's CPU
   * time per frame over the last second or more; without, the frame's wall time.
   */
  frameDrawn = (wallMs: number): void => {
    this.frames++;
    const cpu = this.cpuMs();
    if (cpu === null) {
      this.cost = this.cost === 0 ? wallMs : this.cost * 0.8 + wallMs * 0.2;
      return;
    }
    const now = this.timers.now();
    if (!this.sample) this.sample = { at: now, cpu, frames: this.frames };
    else if (now - this.sample.at >= 1000 && this.frames > this.sample.frames) {
      const perFrame = (cpu - this.sample.cpu) / (this.frames - this.sample.frames);
      this.cost = this.cost === 0 ? perFrame : this.cost * 0.5 + perFrame * 0.5;
      this.sample = { at: now, cpu, frames: this.frames };
    }
  };
  /** The newest state (for commands), which the view may not show yet. */
  getState = (): DashboardState => this.state;

  /** The state the view shows. */
  getSnapshot = (): DashboardState => this.published;

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  /** Applies an action; the view sees it at the next frame. */
  dispatch = (action: Action): void => {
    this.state = reduce(this.state, action);
    this.observe(action, this.state);
    if (this.timer !== null) return;
    const wait = Math.max(0, this.lastPublish + this.interval - this.timers.now());
    this.timer = this.timers.setTimeout(() => {
      this.timer = null;
      this.publish();
    }, wait);
  };

  /** Applies an action and shows it at once (key presses: the viewer is waiting). */
  dispatchNow = (action: Action): void => {
    this.state = reduce(this.state, action);
    this.observe(action, this.state);
    this.flush();
  };

  /** Shows the newest state now. */
  flush = (): void => {
    if (this.timer !== null) {
      this.timers.clearTimeout(this.timer);
      this.timer = null;
    }
    this.publish();
  };

  /** Stops the pending frame (on exit). */
  close(): void {
    if (this.timer !== null) this.timers.clearTimeout(this.timer);
    this.timer = null;
  }

  private publish(): void {
    this.lastPublish = this.timers.now();
    if (this.published === this.state) return;
    this.published = this.state;
    this.publications++;
    for (const l of this.listeners) l();
  }
}
