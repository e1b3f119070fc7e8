/** A registered model as an ONNX graph (`packages/net`'s `modelToOnnx`), for ONNX runtimes. */
import { createRoute, z } from '@hono/zod-openapi';
import { modelToOnnx, ONNX_OPSET } from '@mnist/net';
import { ModelRef, problems } from '../schemas/common.js';
import { findModel, type Services } from '../services.js';
import { router } from './openapi.js';

export function onnxRoutes(s: Services) {
  const app = router();
  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/models/{ref}/onnx',
      operationId: 'getModelOnnx',
      tags: ['Models'],
      summary: 'The model as an ONNX graph',
      description: `ONNX opset ${ONNX_OPSET}: input \`input\` [N, 784] float (pixels / 255); outputs \`probabilities\` [N, 10] (Gemm, Relu, Gemm, Softmax) and \`labels\` [N] int64 (ArgMax).`,
      request: { params: z.object({ ref: ModelRef }) },
      responses: {
        200: {
          content: { 'application/onnx': { schema: z.string().openapi({ format: 'binary' }) } },
          description: 'The .onnx file',
        },
        304: { description: 'Not modified (If-None-Match)' },
        400: problems[400],
        404: problems[404],
        503: problems[503],
      },
    }),
    async (c) => {
      const row = findModel(s, c.req.valid('param').ref);
      const etag = `"onnx-${ONNX_OPSET}-${row.sha256}"`;
      if (c.req.header('if-none-match') === etag) return c.body(null, 304, { etag });
      const bytes = modelToOnnx(await s.registry.load(row));
      return c.body(new Uint8Array(bytes), 200, {
        'content-type': 'application/onnx',
        'content-disposition': `attachment; filename="${row.name}-v${row.version}.onnx"`,
        etag,
      });
    },
  );
  return app;
}
