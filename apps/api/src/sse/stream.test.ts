import { describe, expect, it } from 'vitest';
import { parseSse } from '../../test/helpers.js';
import { EventLog } from './log.js';
import { OpenStreams, openEventStream, parseEventId } from './stream.js';

const progress = (step: number) => ({
  type: 'progress' as const,
  step,
  totalSteps: 99,
  epoch: 1,
  iteration: step,
  elapsedMs: 1,
  loss: 1,
  accuracy: 0.5,
  learningRate: 0.1,
  examplesPerSecond: 1,
  etaMs: 1,
});

function open(
  log: EventLog,
  lastEventId: string | null = null,
  o: { heartbeatMs?: number; maxPending?: number; maxBufferedBytes?: number } = {},
) {
  const streams = new OpenStreams();
  const dropped: string[] = [];
  const body = openEventStream({
    ...(o.maxBufferedBytes ? { maxBufferedBytes: o.maxBufferedBytes } : {}),
    onDrop: (reason) => dropped.push(reason),
    log,
    snapshot: () => '{"job":{},"events":[]}',
    lastEventId,
    heartbeatMs: o.heartbeatMs ?? 60_000,
    maxPending: o.maxPending ?? 100,
    streams,
  });
  return { reader: body.getReader(), streams, dropped };
}

const decoder = new TextDecoder();
async function chunk(reader: ReadableStreamDefaultReader<Uint8Array>) {
  const r = await reader.read();
  return r.done ? null : parseSse(decoder.decode(r.value));
}

describe('parseEventId', () => {
  it('accepts our numeric ids only', () => {
    expect(parseEventId('1795870605547001')).toBe(1795870605547001);
    expect(parseEventId(' 12 ')).toBe(12);
    for (const bad of [null, '', 'abc', '-1', '1e5', '12345678901234567'])
      expect(parseEventId(bad)).toBeNull();
  });
});

describe('openEventStream', () => {
  it('starts with a snapshot whose id is the log head, then streams new events', async () => {
    const log = new EventLog();
    const head = log.publish('status', '{"status":"queued"}');
    const { reader, streams } = open(log);
    expect(streams.size).toBe(1);
    const first = await chunk(reader);
    expect(first!.messages).toEqual([
      { event: 'snapshot', id: String(head.id), data: '{"job":{},"events":[]}' },
    ]);
    const next = log.publish('status', '{"status":"running"}');
    expect((await chunk(reader))!.messages).toEqual([
      { event: 'status', id: String(next.id), data: '{"status":"running"}' },
    ]);
    await reader.cancel();
    expect(streams.size).toBe(0);
  });

  it('resumes after Last-Event-ID without a snapshot', async () => {
    const log = new EventLog();
    const a = log.publish('status', '{"status":"queued"}');
    const b = log.publish('status', '{"status":"running"}');
    const { reader } = open(log, String(a.id));
    expect((await chunk(reader))!.messages.map((m) => m.id)).toEqual([String(b.id)]);
    await reader.cancel();
  });

  it('sends a snapshot when the Last-Event-ID is unknown or too old', async () => {
    const log = new EventLog(2);
    const old = log.publish('a', '1');
    log.publish('b', '2');
    log.publish('c', '3');
    log.publish('d', '4'); // a and b are evicted
    for (const id of [String(old.id), 'garbage']) {
      const { reader } = open(log, id);
      expect((await chunk(reader))!.messages[0]!.event).toBe('snapshot');
      await reader.cancel();
    }
  });

  it('gives a lagging client only the latest progress, in id order', async () => {
    const log = new EventLog();
    const { reader } = open(log);
    await chunk(reader); // snapshot
    const ids: number[] = [];
    ids.push(log.publishEvent(progress(1)).id);
    ids.push(log.publish('evaluation', '{"step":1}').id);
    ids.push(log.publishEvent(progress(2)).id);
    ids.push(log.publishEvent(progress(3)).id);
    const got = (await chunk(reader))!.messages;
    expect(got.map((m) => m.event)).toEqual(['evaluation', 'progress']);
    expect(got.map((m) => Number(m.id))).toEqual([ids[1], ids[3]]);
    await reader.cancel();
  });

  it('drops a client that lags by more than maxPending events, saying why', async () => {
    const log = new EventLog();
    const { reader, streams, dropped } = open(log, null, { maxPending: 3 });
    await chunk(reader);
    for (let i = 0; i < 5; i++) log.publish('evaluation', String(i));
    await expect(chunk(reader)).rejects.toThrow(/dropped: the client lags by more than 3 events/);
    expect(streams.size).toBe(0);
    expect(log.subscriberCount).toBe(0);
    expect(dropped).toEqual(['the client lags by more than 3 events']);
  });

  it('drops a client that does not read once its unsent bytes pass the limit', async () => {
    const log = new EventLog();
    const { reader, streams, dropped } = open(log, null, { maxBufferedBytes: 4096 });
    await chunk(reader);
    // The client stops reading; progress replaces progress, so it alone never fills the buffer.
    for (let i = 0; i < 200; i++) log.publishEvent(progress(i));
    expect(dropped).toEqual([]);
    const big = 'x'.repeat(1000);
    for (let i = 0; i < 3; i++) log.publish('evaluation', `"${big}"`);
    expect(dropped).toEqual([]);
    log.publish('evaluation', `"${big}"`);
    expect(dropped).toEqual(['the client does not read: more than 4096 bytes wait for it']);
    expect(streams.size).toBe(0);
    expect(log.subscriberCount).toBe(0);
    await expect(chunk(reader)).rejects.toThrow(/dropped/);
  });

  it('sends heartbeat comments while idle', async () => {
    const log = new EventLog();
    log.publish('status', '{"status":"running"}');
    const { reader } = open(log, null, { heartbeatMs: 20 });
    await chunk(reader);
    expect((await chunk(reader))!.comments).toEqual([': ping']);
    await reader.cancel();
  });

  it('flushes and ends when the log ends, or on closeAll', async () => {
    const log = new EventLog();
    const { reader } = open(log);
    await chunk(reader);
    log.publish('done', '{}', 'terminal');
    log.end();
    expect((await chunk(reader))!.messages.map((m) => m.event)).toEqual(['done']);
    expect(await chunk(reader)).toBeNull();

    const live = new EventLog();
    const s = open(live);
    await chunk(s.reader);
    s.streams.closeAll();
    expect(await chunk(s.reader)).toBeNull();
  });
});
