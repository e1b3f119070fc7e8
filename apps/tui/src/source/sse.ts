/**
 * Server-Sent Events for attach mode: `eventsource-parser` (the WHATWG event-stream format) fed
 * text as it arrives in any chunks, giving complete messages back with the spec's last event id.
 */
import { createParser, type EventSourceParser } from 'eventsource-parser';

export interface SseMessage {
  /** The `event:` name; `message` when the server gave none. */
  readonly event: string;
  /** The `data:` lines joined with newlines. */
  readonly data: string;
  /** The last `id:` seen so far (sent back as `Last-Event-ID` on reconnect), or null. */
  readonly id: string | null;
}

/** Longest event the dashboard accepts (a snapshot with its history is the largest). */
const MAX_BUFFER = 64 * 1024 * 1024;

export class SseParser {
  private readonly parser: EventSourceParser;
  private out: SseMessage[] = [];
  /** The last event id (persists across messages, as the spec says). */
  lastEventId: string | null = null;
  /** The server's `retry:` advice in milliseconds, if any. */
  retry: number | null = null;

  constructor() {
    this.parser = createParser({
      onEvent: (m) => {
        if (m.id !== undefined) this.lastEventId = m.id;
        this.out.push({ event: m.event || 'message', data: m.data, id: this.lastEventId });
      },
      onRetry: (ms) => {
        this.retry = ms;
      },
      maxBufferSize: MAX_BUFFER,
    });
  }

  /** Parses a chunk; returns the messages it completed. */
  push(chunk: string): SseMessage[] {
    this.parser.feed(chunk);
    const done = this.out;
    this.out = [];
    return done;
  }
}
