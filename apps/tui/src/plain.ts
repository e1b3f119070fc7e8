/**
 * The dashboard without a terminal: when stdout or stdin is not a TTY (`| cat`, `< /dev/null`,
 * CI logs) it prints plain lines instead of redrawing, one per evaluation (each epoch, or every
 * `evalEvery` iterations of a full-batch run) and one per tenth of the run.
 */
import { count, duration, percent } from '@mnist/net/cli';
import { describeConfig } from './describe.js';
import type { Action } from './state/reducer.js';

/** Progress lines per run, besides the evaluation lines. */
export const PROGRESS_LINES = 10;

export class PlainPrinter {
  private nextMilestone = 1;
  private full = false;

  constructor(private readonly write: (line: string) => void) {}

  /** Prints what `action` has to say, if anything. */
  handle(a: Action): void {
    switch (a.type) {
      case 'job':
        this.write(`job ${a.status}`);
        return;
      case 'connection':
        if (a.state !== 'connected' && a.message) this.write(a.message);
        return;
      case 'control':
        if (!a.allowed) this.write(`read-only: ${a.reason ?? 'the server refused control'}`);
        return;
      case 'notice':
        this.write(a.text);
        return;
      case 'saved':
        this.write(`saved ${a.path}`);
        return;
      case 'event':
        break;
      default:
        return;
    }
    const e = a.event;
    switch (e.type) {
      case 'start':
        this.full = e.config.batchSize === 'full';
        this.write(`Training the ${e.config.preset} preset: ${describeConfig(e.config)}`);
        this.write(
          `data: ${e.data.train} train${e.data.validation ? `, ${e.data.validation} validation` : ''}, ${e.data.test} test; ${e.totalSteps} steps`,
        );
        return;
      case 'progress': {
        const fraction = e.step / Math.max(1, e.totalSteps);
        if (fraction * PROGRESS_LINES < this.nextMilestone || e.step === e.totalSteps) return;
        this.nextMilestone = Math.floor(fraction * PROGRESS_LINES) + 1;
        this.write(
          `step ${e.step}/${e.totalSteps} (${percent(fraction, 0)})  loss ${e.loss.toFixed(4)}  acc ${percent(e.accuracy)}  α ${Number(e.learningRate.toPrecision(3))}  ${count(e.examplesPerSecond)} ex/s  eta ${duration(e.etaMs)}`,
        );
        return;
      }
      case 'evaluation': {
        const at = this.full
          ? `iteration ${String(e.iteration).padStart(4)}`
          : `epoch ${String(e.epoch).padStart(3)}`;
        const val = e.validation ? `  validation ${percent(e.validation.accuracy, 2)}` : '';
        this.write(
          `${at}  loss ${e.train.loss.toFixed(4)}  train ${percent(e.train.accuracy, 2)}  test ${percent(e.test.accuracy, 2)}${val}  ${duration(e.elapsedMs)}`,
        );
        return;
      }
      case 'warning':
        this.write(`warning: ${e.message}`);
        return;
      case 'paused':
        this.write('paused');
        return;
      case 'resumed':
        this.write('resumed');
        return;
      case 'learning-rate':
        this.write(`learning rate is now ${e.learningRate}`);
        return;
      case 'done': {
        const r = e.result;
        this.write(
          `done (${r.reason}) in ${duration(r.elapsedMs)}: train ${percent(r.train.accuracy, 2)}, test ${percent(r.test.accuracy, 2)}, test loss ${r.test.loss.toFixed(4)}`,
        );
        return;
      }
      case 'failed':
        this.write(`error: ${e.message}`);
        return;
    }
  }
}
