import { describe, expect, it } from 'vitest';
import { parseCliAccuracy } from './full-runs.js';
import { describeRepeats, describeRuns, FULL_PLAN, perRun, QUICK_PLAN, total } from './plan.js';
import { PEERS, type TaskName, tasksOf } from './protocol.js';
import { type Context, forTask, numpyEnv } from './run-peer.js';
import { TOLERANCE, timedRow } from './tasks.js';

describe('timedRow', () => {
  const run = (times_ms: number[], test_accuracy = 0.9) => ({
    output: { peer: 'numpy', task: 'epoch', version: '2.4.6', times_ms, test_accuracy },
    error: null,
    child: null,
  });
  const repeats = { warmup: 1, measured: 3 };

  it('drops the warm-up, takes the median and checks the accuracy against ours', () => {
    const r = timedRow('epoch', 'numpy', [run([900, 100, 300, 200], 0.89)], repeats, 'w', {
      reference: 0.9,
      tolerance: TOLERANCE.epoch,
    });
    expect(r).toMatchObject({
      status: 'ok',
      value: 200,
      samples: [100, 300, 200],
      warmup: 1,
      accuracy: 0.89,
      reference: 0.9,
      check: 'ok',
    });
  });

  it('pools the samples of runs in rounds, each after its own warm-up; the last run gives the accuracy', () => {
    const runs = [run([900, 100, 300, 200], 0.5), run([800, 150, 250, 500], 0.895)];
    const r = timedRow('epoch', 'numpy', runs, repeats, 'w', {
      reference: 0.9,
      tolerance: TOLERANCE.epoch,
    });
    expect(r).toMatchObject({
      status: 'ok',
      samples: [100, 300, 200, 150, 250, 500],
      value: 225,
      accuracy: 0.895,
      check: 'ok',
      info: { runs: 2 },
    });
  });

  it('flags an accuracy beyond the tolerance', () => {
    const r = timedRow('epoch', 'numpy', [run([9, 1, 2, 3], 0.8)], repeats, 'w', {
      reference: 0.9,
      tolerance: TOLERANCE.epoch,
    });
    expect(r.check).toBe('off');
  });

  it('turns times into rates for throughput', () => {
    const r = timedRow(
      'inference',
      'numpy',
      [run([50, 10, 20, 40])],
      repeats,
      'w',
      { reference: 0.9, tolerance: 0.001 },
      (ms) => (10_000 / ms) * 1000,
    );
    expect(r.value).toBe(500_000);
  });

  it('fails a run that printed fewer timings than asked, or none at all', () => {
    expect(
      timedRow('epoch', 'numpy', [run([1, 2])], repeats, 'w', { reference: null, tolerance: 0.03 }),
    ).toMatchObject({
      status: 'failed',
      reason: 'expected 4 timings, got 2',
    });
    expect(
      timedRow(
        'epoch',
        'numpy',
        [run([5, 1, 2, 3]), { output: null, error: 'exited with code 1: boom', child: null }],
        repeats,
        'w',
        { reference: null, tolerance: 0.03 },
      ),
    ).toMatchObject({
      status: 'failed',
      reason: 'exited with code 1: boom',
    });
  });
});

describe('plans', () => {
  it('give every peer work in both modes for the tasks it takes part in; quick skips to-accuracy and RSS', () => {
    for (const plan of [FULL_PLAN, QUICK_PLAN]) {
      for (const p of PEERS) {
        const runs = (t: TaskName) => tasksOf(p).includes(t);
        if (runs('full-batch')) expect(total(plan.fullBatch[p])).toBeGreaterThan(0);
        if (runs('epoch')) expect(total(plan.epoch[p])).toBeGreaterThan(0);
        if (runs('inference')) expect(plan.inference[p].measured).toBeGreaterThan(0);
      }
    }
    expect(tasksOf('onnx-web')).toEqual(['inference']);
    expect(QUICK_PLAN.toAccuracy).toBeNull();
    expect(QUICK_PLAN.rss).toBe(false);
  });

  it('leave a peer out of the tasks it does not take part in (onnx-web only predicts)', () => {
    const ctx = { peers: ['ours', 'numpy', 'onnx-web'] } as unknown as Context;
    expect(forTask(ctx, 'inference').peers).toEqual(['ours', 'numpy', 'onnx-web']);
    expect(forTask(ctx, 'full-batch').peers).toEqual(['ours', 'numpy']);
    expect(forTask(ctx, 'api').peers).toEqual(['ours', 'numpy']);
  });

  it('describe the work in words', () => {
    expect(describeRepeats({ warmup: 3, measured: 20 }, 'iteration')).toBe(
      '20 iterations after 3 warm-up',
    );
    expect(describeRepeats({ warmup: 0, measured: 1 }, 'epoch')).toBe('1 epoch, no warm-up');
    expect(describeRepeats({ warmup: 1, measured: 2 }, 'pass')).toBe('2 passes after 1 warm-up');
    expect(describeRuns({ warmup: 3, measured: 7 }, 3, 'iteration')).toBe(
      '3 runs in rounds × 7 iterations after 3 warm-up',
    );
    expect(describeRuns({ warmup: 1, measured: 2 }, 1, 'pass')).toBe('2 passes after 1 warm-up');
  });

  it('split the measured repetitions over the rounds (rounded up), each run with its warm-up', () => {
    expect(perRun({ warmup: 3, measured: 20 }, 3)).toEqual({ warmup: 3, measured: 7 });
    expect(perRun({ warmup: 1, measured: 4 }, 3)).toEqual({ warmup: 1, measured: 2 });
    expect(perRun({ warmup: 2, measured: 10 }, 1)).toEqual({ warmup: 2, measured: 10 });
    expect(FULL_PLAN.rounds).toBeGreaterThan(1);
    expect(QUICK_PLAN.rounds).toBe(1);
  });
});

describe('parseCliAccuracy', () => {
  it("reads the training command's final line", () => {
    expect(
      parseCliAccuracy(
        'done (completed) in 3.3s: train 94.57%, test 93.75%, test loss 0.2258\nsaved m',
      ),
    ).toBeCloseTo(0.9375, 6);
    expect(parseCliAccuracy('nothing')).toBeNull();
  });
});

describe('numpyEnv', () => {
  it('drops this machine’s OpenBLAS tuning and caps the BLAS pools when threads are given', () => {
    const saved = { ...process.env };
    process.env.OPENBLAS_CORETYPE = 'Prescott';
    process.env.OPENBLAS_L2_SIZE = '1024';
    try {
      const free = numpyEnv(null);
      expect(free.OPENBLAS_CORETYPE).toBeUndefined();
      expect(free.OPENBLAS_L2_SIZE).toBeUndefined();
      expect(free.OPENBLAS_NUM_THREADS).toBe(saved.OPENBLAS_NUM_THREADS);
      const one = numpyEnv(1);
      expect([one.OPENBLAS_NUM_THREADS, one.OMP_NUM_THREADS, one.MKL_NUM_THREADS]).toEqual([
        '1',
        '1',
        '1',
      ]);
      expect(one.OPENBLAS_CORETYPE).toBeUndefined();
      expect(process.env.OPENBLAS_CORETYPE).toBe('Prescott'); // the harness's own env is kept
    } finally {
      process.env = saved;
    }
  });
});
