/**
 * A Server-Sent Events parser (the WHATWG event-stream format): feed it text as it arrives in
 * any chunks, get complete messages back. Comments (heartbeats) are skipped.
 */

export interface SseMessage {
  /** The `event:` name; `message` when the server gave none. */
  readonly event: string;
  /** The `data:` lines joined with newlines. */
  readonly data: string;
  /** The last `id:` seen so far (sent back as `Last-Event-ID` on reconnect), or null. */
  readonly id: string | null;
}

export class SseParser {
  private buffer = '';
  private afterCr = false;
  private started = false;
  private event = '';
  private data: string[] = [];
  private hasData = false;
  /** The last event id (persists across messages, as the spec says). */
  lastEventId: string | null = null;
  /** The server's `retry:` advice in milliseconds, if any. */
  retry: number | null = null;

  /** Parses a chunk; returns the messages it completed. */
  push(chunk: string): SseMessage[] {
    let text = chunk;
    if (!this.started && text.length > 0) {
      this.started = true;
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    }
    if (this.afterCr && text.length > 0) {
      if (text.startsWith('\n')) text = text.slice(1);
      this.afterCr = false;
    }
    this.buffer += text;
    const out: SseMessage[] = [];
    for (;;) {
      const m = /\r\n|\r|\n/.exec(this.buffer);
      if (!m) break;
      // A lone CR at the very end may be the first half of CRLF: treat it as an end of line now
      // and drop a following LF in the next chunk.
      if (m[0] === '\r' && m.index === this.buffer.length - 1) this.afterCr = true;
      const line = this.buffer.slice(0, m.index);
      this.buffer = this.buffer.slice(m.index + m[0].length);
      const msg = this.line(line);
      if (msg) out.push(msg);
    }
    return out;
  }

  private line(line: string): SseMessage | null {
    if (line === '') {
      if (!this.hasData) {
        this.event = '';
        return null;
      }
      const msg = {
        event: this.event || 'message',
        data: this.data.join('\n'),
        id: this.lastEventId,
      };
      this.event = '';
      this.data = [];
      this.hasData = false;
      return msg;
    }
    if (line.startsWith(':')) return null;
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'event') this.event = value;
    else if (field === 'data') {
      this.data.push(value);
      this.hasData = true;
    } else if (field === 'id') {
      if (!value.includes('\0')) this.lastEventId = value;
    } else if (field === 'retry') {
      if (/^\d+$/.test(value)) this.retry = Number(value);
    }
    return null;
  }
}
