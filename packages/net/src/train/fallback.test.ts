import { beforeAll, describe, expect, it } from 'vitest';
import { mnistExamples } from '../../test/mnist.js';
import { resolveConfig } from './config.js';
import type { TrainingEvent } from './events.js';
import { sliceExamples } from './examples.js';
import { KERNEL_FALLBACK_WARNING, runTraining, type TrainingData } from './loop.js';

let data: TrainingData;
beforeAll(async () => {
  const { train, test } = await mnistExamples();
  data = { train: sliceExamples(train, 0, 200), test: sliceExamples(test, 0, 100) };
});

const eventsOf = (kernel: 'wasm' | 'js', wasmAvailable: boolean) => {
  const events: TrainingEvent[] = [];
  const config = resolveConfig({ preset: 'seed', iterations: 2, kernel, threads: 1 });
  runTraining(config, data, (e) => events.push(e), undefined, { wasmAvailable });
  return events;
};

describe('the kernel a run gets', () => {
  it('says so, as the first event after start, when it asked for wasm and gets js', () => {
    const events = eventsOf('wasm', false);
    expect(events[0]?.type).toBe('start');
    expect(events[1]).toEqual({ type: 'warning', message: KERNEL_FALLBACK_WARNING });
    expect(events.filter((e) => e.type === 'warning')).toHaveLength(1);
    expect(events.at(-1)?.type).toBe('done');
  });

  it('gives no warning when it gets what it asked for', () => {
    expect(eventsOf('js', false).some((e) => e.type === 'warning')).toBe(false);
    expect(eventsOf('js', true).some((e) => e.type === 'warning')).toBe(false);
  });
});
