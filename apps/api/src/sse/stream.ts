/**
 * One client's Server-Sent Events stream over an EventLog. The body is pulled by the socket, so
 * a slow client exerts backpressure: while it lags, newer progress replaces older unsent progress
 * (memory stays bounded), other events queue up to `maxPending`, past which the stream is ended
 * (the client can resume with `Last-Event-ID`). Heartbeat comments keep proxies from timing out.
 */
import { sseMessage } from './encode.js';
import type { EntryKind, EventLog, LogEntry } from './log.js';

export interface EventStreamOptions {
  readonly log: EventLog;
  /** The `snapshot` event's data (JSON), built when a client connects without a usable `Last-Event-ID`. */
  readonly snapshot: () => string;
  /** The `Last-Event-ID` the client sent, if any. */
  readonly lastEventId: string | null;
  /** Time between `: ping` comments. */
  readonly heartbeatMs: number;
  /** Most unsent non-progress events before a lagging client is dropped. */
  readonly maxPending: number;
  /** The set of open streams (ended together on shutdown). */
  readonly streams: OpenStreams;
}

interface Pending {
  readonly kind: EntryKind | 'comment';
  readonly text: string;
}

/** A handle on an open stream. */
export interface StreamHandle {
  /** Ends the stream: after sending what is queued (`flush`), or at once. */
  close(flush: boolean): void;
}

/** The open event streams. */
export class OpenStreams {
  private readonly open = new Set<StreamHandle>();
  add(h: StreamHandle): void {
    this.open.add(h);
  }
  delete(h: StreamHandle): void {
    this.open.delete(h);
  }
  get size(): number {
    return this.open.size;
  }
  /** Ends every stream after its queued events. */
  closeAll(): void {
    for (const h of [...this.open]) h.close(true);
  }
}

/** `Last-Event-ID` as a number, or null if absent or not one of ours. */
export function parseEventId(value: string | null): number | null {
  if (value === null || !/^\d{1,16}$/.test(value.trim())) return null;
  return Number(value.trim());
}

/** Opens a stream; the returned body is the response body. */
export function openEventStream(o: EventStreamOptions): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  let queue: Pending[] = [];
  let pendingEvents = 0;
  let ending = false; // no more entries will come: flush, then close
  let done = false; // cancelled by the client or dropped: send nothing more
  let wake: (() => void) | null = null;
  const notify = () => {
    const w = wake;
    wake = null;
    w?.();
  };

  const push = (entry: LogEntry) => {
    if (done || ending) return;
    if (entry.kind === 'progress') {
      if (queue.some((q) => q.kind === 'progress'))
        queue = queue.filter((q) => q.kind !== 'progress');
    } else if (++pendingEvents > o.maxPending) {
      handle.close(false);
      return;
    }
    queue.push(entry);
    notify();
  };

  const last = parseEventId(o.lastEventId);
  const missed = last === null ? null : o.log.since(last);
  if (missed === null)
    queue.push({ kind: 'event', text: sseMessage('snapshot', o.log.head, o.snapshot()) });
  else for (const entry of missed) push(entry);

  const unsubscribe = o.log.subscribe((entry) => {
    if (entry) push(entry);
    else {
      ending = true;
      notify();
    }
  });

  const heartbeat = setInterval(() => {
    if (queue.length === 0 && !ending && !done) {
      queue.push({ kind: 'comment', text: ': ping\n\n' });
      notify();
    }
  }, o.heartbeatMs);
  heartbeat.unref();

  const cleanup = () => {
    clearInterval(heartbeat);
    unsubscribe();
    o.streams.delete(handle);
  };

  const handle: StreamHandle = {
    close(flush) {
      if (flush) ending = true;
      else {
        done = true;
        queue = [];
      }
      notify();
    },
  };
  o.streams.add(handle);

  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        while (queue.length === 0 && !ending && !done)
          await new Promise<void>((resolve) => (wake = resolve));
        if (queue.length > 0 && !done) {
          const text = queue.map((q) => q.text).join('');
          queue = [];
          pendingEvents = 0;
          controller.enqueue(encoder.encode(text));
          return;
        }
        cleanup();
        try {
          controller.close();
        } catch {
          // already cancelled by the client
        }
      },
      cancel() {
        done = true;
        notify();
        cleanup();
      },
    },
    { highWaterMark: 0 },
  );
}
