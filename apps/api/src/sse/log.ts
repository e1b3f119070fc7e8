/**
 * A job's event log: every event it streams, each with an increasing id, a bounded history for
 * `Last-Event-ID` resumption, the latest state for a new subscriber's snapshot, and subscribers.
 *
 * Ids are microseconds since the epoch made strictly increasing (`max(last + 1, now · 1000)`), so
 * they keep increasing across restarts of the server without being stored.
 */
import type { TrainingEvent } from '@mnist/net';
import { eventJson, sseMessage } from './encode.js';

/** Progress may be dropped for a slow client; `terminal` entries end the stream. */
export type EntryKind = 'progress' | 'event' | 'terminal';

export interface LogEntry {
  readonly id: number;
  readonly event: string;
  readonly kind: EntryKind;
  /** The whole SSE message. */
  readonly text: string;
  /** Its data (one line of JSON). */
  readonly data: string;
}

let lastId = 0;
/** The next event id (process-wide). */
export function nextEventId(): number {
  lastId = Math.max(lastId + 1, Date.now() * 1000);
  return lastId;
}

type Listener = (entry: LogEntry | null) => void;
type Latest = 'start' | 'progress' | 'evaluation' | 'final';

export class EventLog {
  private readonly entries: LogEntry[] = [];
  private readonly listeners = new Set<Listener>();
  private readonly latest = new Map<Latest, { id: number; json: string }>();
  /** Ids at or below this are not in the history (evicted, or before this log knew the job). */
  private floor = 0;
  private _ended = false;
  /** Called with each entry before subscribers see it (the job's history is written there). */
  onPublish: ((entry: LogEntry) => void) | null = null;

  constructor(readonly capacity = 512) {}

  /** The id of the last entry (0 if none). */
  get head(): number {
    return this.entries.at(-1)?.id ?? this.floor;
  }

  get ended(): boolean {
    return this._ended;
  }

  get subscriberCount(): number {
    return this.listeners.size;
  }

  /** Publishes a TrainingEvent under its type. */
  publishEvent(
    e: TrainingEvent,
    kind: EntryKind = e.type === 'progress' ? 'progress' : 'event',
  ): LogEntry {
    const json = eventJson(e);
    const entry = this.publish(e.type, json, kind);
    if (e.type === 'start' || e.type === 'progress' || e.type === 'evaluation')
      this.latest.set(e.type, { id: entry.id, json });
    if (e.type === 'done' || e.type === 'failed') this.latest.set('final', { id: entry.id, json });
    return entry;
  }

  /** Publishes `data` (one line of JSON) as event `event`. */
  publish(event: string, data: string, kind: EntryKind = 'event'): LogEntry {
    if (this._ended) throw new Error(`EventLog: ${event} published after the log ended`);
    const id = nextEventId();
    const entry: LogEntry = { id, event, kind, data, text: sseMessage(event, id, data) };
    this.entries.push(entry);
    if (this.entries.length > this.capacity) this.floor = this.entries.shift()!.id;
    this.onPublish?.(entry);
    for (const listener of this.listeners) listener(entry);
    return entry;
  }

  /** A log that starts now, for a job whose earlier events are not known (e.g. after a restart). */
  static fromNow(capacity?: number): EventLog {
    const log = new EventLog(capacity);
    log.floor = nextEventId();
    return log;
  }

  /** The entries after `id`, or null when some of them are no longer in the history. */
  since(id: number): LogEntry[] | null {
    if (!Number.isSafeInteger(id) || id < this.floor) return null;
    const from = this.entries.findIndex((e) => e.id > id);
    return from < 0 ? [] : this.entries.slice(from);
  }

  /** JSON of the latest start, progress, evaluation and done/failed events, in order. */
  snapshotEvents(): string[] {
    return [...this.latest.values()].sort((a, b) => a.id - b.id).map((l) => l.json);
  }

  /** Records an event for the snapshot without streaming it (a job known from the database). */
  remember(e: TrainingEvent): void {
    const key: Latest | null =
      e.type === 'start' || e.type === 'progress' || e.type === 'evaluation'
        ? e.type
        : e.type === 'done' || e.type === 'failed'
          ? 'final'
          : null;
    if (key) this.latest.set(key, { id: this.head, json: eventJson(e) });
  }

  /** Calls `listener` with each new entry, then with null once the log ends. Returns the unsubscribe. */
  subscribe(listener: Listener): () => void {
    if (this._ended) {
      listener(null);
      return () => {};
    }
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** No more events: subscribers get null. */
  end(): void {
    if (this._ended) return;
    this._ended = true;
    for (const listener of this.listeners) listener(null);
    this.listeners.clear();
  }
}
