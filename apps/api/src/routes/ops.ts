/**
 * Operations: the OpenAPI document, the docs page (Swagger UI served from the installed
 * swagger-ui-dist, so it works offline), Prometheus metrics, and the problem-type pages.
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import type { AppEnv } from '../env.js';
import { PROBLEMS, ProblemError, type ProblemSlug } from '../problem.js';
import type { Services } from '../services.js';
import { SERVER_VERSION } from './kserve.js';
import { json, router } from './openapi.js';

const SWAGGER_FILES: Readonly<Record<string, string>> = {
  'swagger-ui.css': 'text/css; charset=utf-8',
  'swagger-ui-bundle.js': 'text/javascript; charset=utf-8',
  'favicon-32x32.png': 'image/png',
};

const DOCS_CSP =
  "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; frame-ancestors 'none'";

const DOCS_HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>mnist-api</title>
<link rel="icon" href="/docs/assets/favicon-32x32.png">
<link rel="stylesheet" href="/docs/assets/swagger-ui.css">
</head>
<body>
<div id="swagger-ui"></div>
<script src="/docs/assets/swagger-ui-bundle.js"></script>
<script src="/docs/init.js"></script>
</body>
</html>
`;

const DOCS_INIT = `window.ui = SwaggerUIBundle({ url: '/openapi.json', dom_id: '#swagger-ui', deepLinking: true });\n`;

function swaggerDir(): string {
  return dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));
}

const ProblemType = z
  .object({ type: z.string(), status: z.int(), title: z.string(), description: z.string() })
  .openapi('ProblemType');

export function opsRoutes(s: Services, root: OpenAPIHono<AppEnv>) {
  const app = router();
  const tags = ['Operations'];

  root.openAPIRegistry.registerComponent('securitySchemes', 'bearer', {
    type: 'http',
    scheme: 'bearer',
    description:
      'Required by routes that change state when the server has a token (--token / MNIST_API_TOKEN).',
  });
  root.doc31('/openapi.json', {
    openapi: '3.1.0',
    info: {
      title: 'mnist-api',
      version: SERVER_VERSION,
      description:
        'Train the notes’ two-layer MNIST network, stream training progress, keep a model registry and serve predictions with KServe’s V2 Open Inference Protocol. Errors are RFC 9457 problem details.',
    },
  });

  app.get('/docs', (c) => c.html(DOCS_HTML, 200, { 'content-security-policy': DOCS_CSP }));
  app.get('/docs/init.js', (c) =>
    c.body(DOCS_INIT, 200, {
      'content-type': 'text/javascript; charset=utf-8',
      'content-security-policy': DOCS_CSP,
    }),
  );
  app.get('/docs/assets/:file', async (c) => {
    const file = c.req.param('file');
    const type = SWAGGER_FILES[file];
    if (!type) throw new ProblemError('not-found', `no docs asset ${JSON.stringify(file)}`);
    const bytes = await readFile(join(swaggerDir(), file));
    return c.body(new Uint8Array(bytes), 200, {
      'content-type': type,
      'cache-control': 'public, max-age=86400',
      'content-security-policy': DOCS_CSP,
    });
  });

  app.openapi(
    createRoute({
      method: 'get',
      path: '/metrics',
      operationId: 'getMetrics',
      tags,
      summary: 'Prometheus metrics',
      responses: {
        200: {
          content: { 'text/plain': { schema: z.string() } },
          description: 'Text exposition format 0.0.4',
        },
      },
    }),
    async (c) => c.text(await s.metrics.render(), 200, { 'content-type': s.metrics.contentType }),
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/problems/{slug}',
      operationId: 'getProblem',
      tags,
      summary: 'What a problem type means',
      request: {
        params: z.object({
          slug: z.enum(Object.keys(PROBLEMS) as [ProblemSlug, ...ProblemSlug[]]),
        }),
      },
      responses: {
        200: json(ProblemType, 'The problem type'),
        400: { description: 'Unknown problem type' },
      },
    }),
    (c) => {
      const slug = c.req.valid('param').slug;
      const p = PROBLEMS[slug];
      return c.json(
        { type: `/problems/${slug}`, status: p.status, title: p.title, description: p.about },
        200,
      );
    },
  );

  return app;
}
