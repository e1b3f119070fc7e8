/**
 * Reading a request body piece by piece, each piece shown to `check` as it arrives (which may
 * throw to stop reading: the rest stays unread). On the Node server the pieces come straight from
 * the `IncomingMessage`, without building a WHATWG Request and stream around it (which cost more
 * than the rest of a small request); elsewhere (`app.request()` in tests, a body the body limit
 * already buffered) from the Request's stream.
 */
import type { IncomingMessage } from 'node:http';
import type { Context } from 'hono';

/** The Node request, when its body is still unread (the Node server passes it as `c.env.incoming`). */
function unreadIncoming(c: Context): IncomingMessage | null {
  const incoming = (c.env as { incoming?: IncomingMessage } | undefined)?.incoming;
  return incoming && typeof incoming.on === 'function' && !incoming.readableDidRead
    ? incoming
    : null;
}

function fromIncoming(
  incoming: IncomingMessage,
  check: (piece: Uint8Array) => void,
): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    const pieces: Buffer[] = [];
    const settle = (then: () => void) => {
      incoming.off('data', onData);
      incoming.off('end', onEnd);
      incoming.off('error', onError);
      incoming.off('close', onClose);
      then();
    };
    const onData = (piece: Buffer) => {
      try {
        check(piece);
      } catch (e) {
        incoming.pause(); // the rest is not read (the answer closes the connection)
        settle(() => reject(e));
        return;
      }
      pieces.push(piece);
    };
    const onEnd = () =>
      settle(() => resolve(pieces.length === 1 ? pieces[0]! : Buffer.concat(pieces)));
    const onError = (e: Error) => settle(() => reject(e));
    const onClose = () => {
      if (!incoming.readableEnded)
        settle(() => reject(new Error('the client closed the connection before the body ended')));
    };
    incoming.on('data', onData);
    incoming.on('end', onEnd);
    incoming.on('error', onError);
    incoming.on('close', onClose);
  });
}

async function fromRequest(c: Context, check: (piece: Uint8Array) => void): Promise<Uint8Array> {
  const body = c.req.raw.body;
  if (!body) return new Uint8Array(0);
  const reader = body.getReader();
  const pieces: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    try {
      check(value);
    } catch (e) {
      reader.releaseLock();
      throw e;
    }
    pieces.push(value);
    size += value.length;
  }
  if (pieces.length === 1) return pieces[0]!;
  const all = new Uint8Array(size);
  let at = 0;
  for (const p of pieces) {
    all.set(p, at);
    at += p.length;
  }
  return all;
}

/** The whole body, each piece passed to `check` first (a throw stops reading and is rethrown). */
export function readBody(
  c: Context,
  check: (piece: Uint8Array) => void = () => {},
): Promise<Uint8Array> {
  const incoming = unreadIncoming(c);
  return incoming ? fromIncoming(incoming, check) : fromRequest(c, check);
}
