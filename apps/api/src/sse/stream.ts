/**
 * One client's Server-Sent Events stream over an EventLog. The body is pulled by the socket, so
 * a slow client exerts backpressure: while it lags, newer progress replaces older unsent progress
 * (memory stays bounded), other events queue up to `maxPending` events and `maxBufferedBytes`
 * bytes, past which the stream is dropped with a logged reason (the client can resume with
 * `Last-Event-ID`). Heartbeat comments keep proxies from timing out.
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
  /** Most unsent bytes before a client that does not read is dropped. @default 1 MiB */
  readonly maxBufferedBytes?: number;
  /** Told why a stream was dropped (to log it). */
  readonly onDrop?: (reason: string) => void;
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
  let queuedBytes = 0;
  const maxBytes = o.maxBufferedBytes ?? 1024 * 1024;
  let ending = false; // no more entries will come: flush, then close
  let done = false; // cancelled by the client or dropped: send nothing more
  let wake: (() => void) | null = null;
  const notify = () => {
    const w = wake;
    wake = null;
    w?.();
  };

  let controller: ReadableStreamDefaultController<Uint8Array> | null = null;
  let heartbeat: NodeJS.Timeout | undefined;
  let unsubscribe = () => {};
  const handle: StreamHandle = {
    close(flush) {
      if (flush) ending = true;
      else {
        done = true;
        queue = [];
        queuedBytes = 0;
      }
      notify();
    },
  };
  const cleanup = () => {
    clearInterval(heartbeat);
    unsubscribe();
    o.streams.delete(handle);
  };
  /** Ends a stream whose client does not keep up: it may never pull again, so nothing waits for it. */
  const drop = (reason: string) => {
    done = true;
    queue = [];
    queuedBytes = 0;
    cleanup();
    try {
      controller?.error(new Error(`event stream dropped: ${reason}`));
    } catch {
      // already closed
    }
    o.onDrop?.(reason);
  };
  const push = (entry: LogEntry) => {
    if (done || ending) return;
    if (entry.kind === 'progress') {
      const old = queue.find((q) => q.kind === 'progress');
      if (old) {
        queue = queue.filter((q) => q !== old);
        queuedBytes -= old.text.length;
      }
    } else if (++pendingEvents > o.maxPending) {
      drop(`the client lags by more than ${o.maxPending} events`);
      return;
    }
    queuedBytes += entry.text.length;
    if (queuedBytes > maxBytes) {
      drop(`the client does not read: more than ${maxBytes} bytes wait for it`);
      return;
    }
    queue.push(entry);
    notify();
  };

  const last = parseEventId(o.lastEventId);
  const missed = last === null ? null : o.log.since(last);
  if (missed === null) {
    const text = sseMessage('snapshot', o.log.head, o.snapshot());
    queuedBytes += text.length;
    queue.push({ kind: 'event', text });
  } else for (const entry of missed) push(entry);

  if (!done) {
    o.streams.add(handle);
    unsubscribe = o.log.subscribe((entry) => {
      if (entry) push(entry);
      else {
        ending = true;
        notify();
      }
    });
    heartbeat = setInterval(() => {
      if (queue.length === 0 && !ending && !done) {
        queue.push({ kind: 'comment', text: ': ping\n\n' });
        notify();
      }
    }, o.heartbeatMs);
    heartbeat.unref();
  }

  return new ReadableStream<Uint8Array>(
    {
      start(c) {
        controller = c;
      },
      async pull(controller) {
        while (queue.length === 0 && !ending && !done)
          await new Promise<void>((resolve) => (wake = resolve));
        if (queue.length > 0 && !done) {
          const text = queue.map((q) => q.text).join('');
          queue = [];
          pendingEvents = 0;
          queuedBytes = 0;
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
