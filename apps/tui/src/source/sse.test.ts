import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type SseMessage, SseParser } from './sse.js';

const all = (chunks: string[]) => {
  const p = new SseParser();
  return chunks.flatMap((c) => p.push(c));
};

describe('SseParser', () => {
  it('parses named events with ids, skipping comments', () => {
    const text =
      ': heartbeat\n\nevent: progress\nid: 7\ndata: {"step":1}\n\n: ping\n\ndata: plain\n\n';
    expect(all([text])).toEqual([
      { event: 'progress', data: '{"step":1}', id: '7' },
      { event: 'message', data: 'plain', id: '7' },
    ]);
  });
  // A lone CR at the end of a chunk may be half of a CRLF: the message completes with the next
  // chunk (here a comment). The BOM is the TextDecoder's to strip, before the parser.
  it('joins multi-line data and accepts CRLF and CR line ends', () => {
    expect(all(['data: a\r\ndata: b\r\n\r\n', 'data:c\r\r', ': next\n'])).toEqual([
      { event: 'message', data: 'a\nb', id: null },
      { event: 'message', data: 'c', id: null },
    ]);
  });
  it('keeps the retry advice and ignores an event without data', () => {
    const p = new SseParser();
    expect(p.push('retry: 1500\nevent: x\n\n')).toEqual([]);
    expect(p.retry).toBe(1500);
  });
  it('gives the same messages however the stream is cut (property)', () => {
    const stream =
      'event: snapshot\r\ndata: {"a":1}\r\nid: 1\r\n\r\n: hb\n\nevent: status\ndata: {"status":"paused"}\n\ndata: x\rdata: y\r\r: end\n';
    const whole = all([stream]);
    expect(whole).toHaveLength(3);
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: stream.length }), { maxLength: 12 }),
        (cuts) => {
          const at = [...new Set(cuts)].sort((a, b) => a - b);
          const chunks: string[] = [];
          let from = 0;
          for (const c of at) {
            chunks.push(stream.slice(from, c));
            from = c;
          }
          chunks.push(stream.slice(from));
          expect(all(chunks)).toEqual<SseMessage[]>(whole);
        },
      ),
    );
  });
});
