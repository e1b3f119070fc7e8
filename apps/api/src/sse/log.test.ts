import { describe, expect, it } from 'vitest';
import { EventLog, nextEventId } from './log.js';

const params = {
  hidden: 1,
  W1: new Float32Array(784),
  b1: new Float32Array(1),
  W2: new Float32Array(10),
  b2: new Float32Array(10),
};
const metrics = { loss: 1, accuracy: 0.5, perClass: [], confusion: [], count: 1 };
const evaluation = (step: number) => ({
  type: 'evaluation' as const,
  step,
  totalSteps: 9,
  epoch: step,
  iteration: step,
  elapsedMs: 1,
  train: metrics,
  test: metrics,
  validation: null,
  params,
});
const progress = (step: number) => ({
  type: 'progress' as const,
  step,
  totalSteps: 9,
  epoch: 1,
  iteration: step,
  elapsedMs: 1,
  loss: 1,
  accuracy: 0.5,
  learningRate: 0.1,
  examplesPerSecond: 1,
  etaMs: 1,
});

describe('nextEventId', () => {
  it('increases strictly and tracks the clock in microseconds', () => {
    const a = nextEventId();
    const b = nextEventId();
    expect(b).toBeGreaterThan(a);
    expect(Math.abs(a / 1000 - Date.now())).toBeLessThan(60_000);
  });
});

describe('EventLog', () => {
  it('gives increasing ids and replays what came after an id', () => {
    const log = new EventLog(10);
    const a = log.publish('status', '{"status":"queued"}');
    const b = log.publishEvent(progress(1));
    const c = log.publishEvent(progress(2));
    expect(b.id).toBeGreaterThan(a.id);
    expect(log.head).toBe(c.id);
    expect(log.since(a.id)!.map((e) => e.id)).toEqual([b.id, c.id]);
    expect(log.since(c.id)).toEqual([]);
    expect(b.kind).toBe('progress');
    expect(b.text).toBe(`event: progress\nid: ${b.id}\ndata: ${JSON.stringify(progress(1))}\n\n`);
  });

  it('keeps a bounded history and reports a gap for ids it dropped', () => {
    const log = new EventLog(3);
    const first = log.publish('a', '1');
    const second = log.publish('b', '2');
    log.publish('c', '3');
    log.publish('d', '4');
    expect(log.since(first.id - 1)).toBeNull(); // missed `a`, which is evicted: the client needs a snapshot
    expect(log.since(first.id)!.map((e) => e.event)).toEqual(['b', 'c', 'd']);
    expect(log.since(second.id)!.map((e) => e.event)).toEqual(['c', 'd']);
    expect(log.since(Number.NaN)).toBeNull();
  });

  it('a log that starts now has a gap before it', () => {
    const before = nextEventId();
    const log = EventLog.fromNow();
    expect(log.since(before)).toBeNull();
    expect(log.since(log.head)).toEqual([]);
  });

  it('streams evaluations without their weights', () => {
    const log = new EventLog(10);
    const e1 = log.publishEvent(evaluation(1));
    expect(e1.text).toContain('"evaluation"');
    expect(e1.text).not.toContain('"params"');
    expect(e1.text.length).toBeLessThan(2000);
  });

  it('snapshots the latest start, progress and evaluation, in order', () => {
    const log = new EventLog(10);
    log.publishEvent({
      type: 'start',
      config: {} as never,
      data: { train: 1, validation: 0, test: 1 },
      totalSteps: 9,
    });
    log.publishEvent(progress(1));
    log.publishEvent(evaluation(1));
    log.publishEvent(progress(2));
    log.publishEvent({ type: 'learning-rate', learningRate: 0.5 });
    const types = log
      .snapshotEvents()
      .map((s) => (JSON.parse(s) as { type: string; step?: number }).type);
    expect(types).toEqual(['start', 'evaluation', 'progress']);
    expect((JSON.parse(log.snapshotEvents()[2]!) as { step: number }).step).toBe(2);
  });

  it('notifies subscribers, then null at the end, and refuses events after it', () => {
    const log = new EventLog(10);
    const seen: (string | null)[] = [];
    log.subscribe((e) => seen.push(e?.event ?? null));
    log.publish('a', '1');
    log.end();
    expect(seen).toEqual(['a', null]);
    expect(() => log.publish('b', '2')).toThrow(/after the log ended/);
    const late: unknown[] = [];
    log.subscribe((e) => late.push(e));
    expect(late).toEqual([null]);
  });
});
