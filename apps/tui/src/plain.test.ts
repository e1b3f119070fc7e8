import { describe, expect, it } from 'vitest';
import { PlainPrinter } from './plain.js';
import { CONFIG, evaluation, knownMetrics, progress, start } from './test-support/fake.js';

describe('PlainPrinter', () => {
  it('prints a line per evaluation and per tenth of the run, never a redrawn bar', () => {
    const lines: string[] = [];
    const p = new PlainPrinter((l) => lines.push(l));
    p.handle({ type: 'event', event: start() });
    for (let step = 10; step <= 1000; step += 10)
      p.handle({ type: 'event', event: progress(step, 1) });
    p.handle({ type: 'event', event: evaluation(250) });
    const m = knownMetrics();
    p.handle({
      type: 'event',
      event: {
        type: 'done',
        result: {
          step: 1000,
          totalSteps: 1000,
          epoch: 4,
          iteration: 1000,
          elapsedMs: 2500,
          reason: 'completed',
          config: CONFIG,
          train: m,
          test: m,
          validation: null,
        },
      },
    });
    expect(lines[0]).toBe(
      'Training the fast preset: 784→10→10, adam α=0.003 (cosine), batch 64, 4 epochs, he init, seed 1',
    );
    expect(lines.filter((l) => l.startsWith('step '))).toHaveLength(9);
    expect(lines).toContain('epoch   2  loss 0.5000  train 90.45%  test 90.45%  2.5s');
    expect(lines.at(-1)).toBe(
      'done (completed) in 2.5s: train 90.45%, test 90.45%, test loss 0.5000',
    );
    for (const l of lines) expect(l.includes('\r') || l.includes('\x1b')).toBe(false);
  });
  it('prints control events and server news', () => {
    const lines: string[] = [];
    const p = new PlainPrinter((l) => lines.push(l));
    p.handle({ type: 'event', event: { type: 'paused' } });
    p.handle({ type: 'event', event: { type: 'learning-rate', learningRate: 0.05 } });
    p.handle({ type: 'job', status: 'cancelled' });
    p.handle({ type: 'event', event: { type: 'failed', message: 'no data' } });
    expect(lines).toEqual([
      'paused',
      'learning rate is now 0.05',
      'job cancelled',
      'error: no data',
    ]);
  });
});
