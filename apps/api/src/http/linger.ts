/**
 * Lingering close. When the server answers before reading the body (413 on Content-Length, 401,
 * 415) and the connection is to close (`Connection: close`, which Python's urllib and requests
 * send), Node ends the socket and destroys it as soon as the answer is written. The client is
 * still sending, and a socket closed with unread bytes sends RST: the client sees a reset instead
 * of the answer. Here such a socket instead half-closes (FIN after the answer) and keeps reading
 * and discarding what comes, until the client closes its side, `maxBytes` have been drained, or
 * `maxMs` have passed; then it is destroyed. (nginx's `lingering_close` does the same.)
 */
import type { Server } from 'node:http';
import type { Socket } from 'node:net';

export interface LingerOptions {
  /** Most bytes drained after the answer. @default 8 MiB */
  readonly maxBytes?: number;
  /** Longest time a closing socket lingers. @default 2000 */
  readonly maxMs?: number;
}

/** Makes every connection of `server` linger when Node closes it after an answer. */
export function lingerOnClose(server: Server, o: LingerOptions = {}): void {
  const maxBytes = o.maxBytes ?? 8 * 1024 * 1024;
  const maxMs = o.maxMs ?? 2000;
  server.on('connection', (socket: Socket & { destroySoon?: () => void }) => {
    // Node's http server calls destroySoon() after the last response of a connection.
    if (typeof socket.destroySoon !== 'function') return;
    socket.destroySoon = () => {
      if (socket.destroyed) return;
      // The HTTP parser reads the socket natively (no 'data' events): count with bytesRead.
      const start = socket.bytesRead;
      const done = () => {
        clearTimeout(timer);
        clearInterval(watch);
        socket.destroy();
      };
      const timer = setTimeout(done, maxMs);
      const watch = setInterval(() => {
        if (socket.bytesRead - start > maxBytes) done();
      }, 20);
      timer.unref();
      watch.unref();
      socket.once('end', done); // the client closed its side: nothing more to drain
      socket.once('error', done);
      socket.end(); // our answer, then FIN
      socket.resume();
    };
  });
}
