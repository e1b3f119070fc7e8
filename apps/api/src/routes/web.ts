/**
 * The web page (`apps/web`, bundled at build time) at `/`, its assets under `/app/`. Everything is
 * read from the installed `@mnist/web` package: no CDN, nothing fetched at run time.
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, extname, join } from 'node:path';
import { Hono } from 'hono';
import type { AppEnv } from '../env.js';
import { ProblemError } from '../problem.js';

/** The page talks only to this server; styles and scripts are files, never inline. */
export const PAGE_CSP =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

const TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
};

/** Where the built page is: `dist/` of the installed `@mnist/web`. */
export function webDir(): string {
  return join(dirname(createRequire(import.meta.url).resolve('@mnist/web/package.json')), 'dist');
}

async function asset(file: string): Promise<Uint8Array> {
  try {
    return new Uint8Array(await readFile(join(webDir(), file)));
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    if (file === 'index.html')
      throw new ProblemError(
        'not-ready',
        'the web page is not built: run `pnpm build` (it bundles apps/web into apps/web/dist)',
      );
    throw new ProblemError('not-found', `no page asset ${JSON.stringify(file)}`);
  }
}

export function webRoutes() {
  const app = new Hono<AppEnv>();
  const send = async (file: string) => {
    const type = TYPES[extname(file)];
    if (!type || file.startsWith('.'))
      throw new ProblemError('not-found', `no page asset ${JSON.stringify(file)}`);
    return new Response(await asset(file), {
      status: 200,
      headers: {
        'content-type': type,
        'cache-control': 'no-cache',
        'content-security-policy': PAGE_CSP,
      },
    });
  };
  app.get('/', () => send('index.html'));
  app.get('/app/:file', (c) => send(c.req.param('file')));
  return app;
}
