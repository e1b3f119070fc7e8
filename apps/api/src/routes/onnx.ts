/** A registered model as an ONNX graph (`packages/net`'s `modelToOnnx`), for ONNX runtimes. */
import { createRoute, z } from '@hono/zod-openapi';
import { modelToOnnx, ONNX_OPSET } from '@mnist/net';
import { ModelRef } from '../schemas/common.js';
import { findModel, type Services } from '../services.js';
import { download, downloadResponses } from './download.js';
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
      responses: downloadResponses('application/onnx', 'The .onnx file'),
    }),
    async (c) => {
      const row = findModel(s, c.req.valid('param').ref);
      return download(c, {
        etag: `"onnx-${ONNX_OPSET}-${row.sha256}"`,
        contentType: 'application/onnx',
        fileName: `${row.name}-v${row.version}.onnx`,
        bytes: async () => modelToOnnx(await s.registry.load(row)),
      }) as never;
    },
  );
  return app;
}
